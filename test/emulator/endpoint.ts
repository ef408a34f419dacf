// The WebSocket paths the Live service answers. The SDK appends "/ws/..." to a
// base URL that already ends in "/", so "//ws/..." must work as well.

export type ApiVersion = 'v1' | 'v1beta' | 'v1alpha';
export type LiveMethod = 'BidiGenerateContent' | 'BidiGenerateContentConstrained';

export interface Endpoint {
  apiVersion: ApiVersion;
  method: LiveMethod;
  /** `key` for BidiGenerateContent, `access_token` (ephemeral token) for the Constrained method. */
  credential: string | undefined;
}

const PATH =
  /^\/\/?ws\/google\.ai\.generativelanguage\.(v1|v1beta|v1alpha)\.GenerativeService\.(BidiGenerateContent|BidiGenerateContentConstrained)$/;

/** Parses a request target such as "//ws/google.ai...BidiGenerateContent?key=K"; undefined for any other path. */
export function parseEndpoint(target: string): Endpoint | undefined {
  // Not `new URL(target, base)`: a leading "//" would be read as a host name.
  const queryStart = target.indexOf('?');
  const path = queryStart === -1 ? target : target.slice(0, queryStart);
  const match = PATH.exec(path);
  if (!match) return undefined;
  const apiVersion = match[1] as ApiVersion;
  const method = match[2] as LiveMethod;
  const query = new URLSearchParams(queryStart === -1 ? '' : target.slice(queryStart + 1));
  const credential = query.get(method === 'BidiGenerateContent' ? 'key' : 'access_token') ?? undefined;
  return { apiVersion, method, credential };
}

/** Ephemeral tokens ("auth_tokens/...") only work on the Constrained method, API keys only on the plain one. */
export function credentialAccepted(endpoint: Endpoint, validKeys: ReadonlySet<string>): boolean {
  const { credential, method } = endpoint;
  if (credential === undefined || !validKeys.has(credential)) return false;
  return credential.startsWith('auth_tokens/') === (method === 'BidiGenerateContentConstrained');
}
