/** Where and how to reach the Live API; overridable for the emulator, proxies and regional endpoints. */
export interface LiveEndpoint {
  /** undefined means Google's own endpoint, as the SDK knows it. */
  baseUrl: string | undefined;
  apiVersion: string;
}

/** Pinned, because the SDK's default version changed between majors. */
const defaultApiVersion = 'v1beta';

export function liveEndpointFromEnv(env: Readonly<Record<string, string | undefined>>): LiveEndpoint {
  return {
    baseUrl: env.PARLEY_LIVE_URL?.trim() || undefined,
    apiVersion: env.PARLEY_API_VERSION?.trim() || defaultApiVersion,
  };
}
