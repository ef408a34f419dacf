/** Where and how to reach the Live API; overridable for the emulator, proxies and regional endpoints. */
export interface LiveEndpoint {
  /** undefined means Google's own endpoint, as the SDK knows it. */
  baseUrl: string | undefined;
  apiVersion: string;
}

/** Pinned, because the SDK's default version changed between majors. */
const defaultApiVersion = 'v1beta';

type Env = Readonly<Record<string, string | undefined>>;

/** The endpoint in the environment wins over the one in Settings (as the API key does), so a launcher can pin it. */
export function liveEndpointFor(env: Env, configured?: string): LiveEndpoint & { from: EndpointSource } {
  const fromEnv = env.PARLEY_LIVE_URL?.trim();
  return {
    baseUrl: fromEnv || configured || undefined,
    from: fromEnv ? 'PARLEY_LIVE_URL' : configured ? 'settings' : 'default',
    apiVersion: env.PARLEY_API_VERSION?.trim() || defaultApiVersion,
  };
}

export type EndpointSource = 'PARLEY_LIVE_URL' | 'settings' | 'default';
