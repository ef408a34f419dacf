/** Where and how to reach the Live API; overridable for the emulator, proxies and regional endpoints. */
export interface LiveEndpoint {
  /** undefined means Google's own endpoint, as the SDK knows it. */
  baseUrl: string | undefined;
  apiVersion: string;
}

/** What decided the endpoint: the environment, Settings, or neither (Google's). */
export type EndpointSource = 'PARLEY_LIVE_URL' | 'settings' | 'default';
