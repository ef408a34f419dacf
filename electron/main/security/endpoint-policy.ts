/**
 * Where the API key may go. The SDK puts the key in the Live endpoint's URL (`?key=`), so
 * whoever runs the endpoint gets the key: Google's own service and this computer are trusted,
 * any other host only once the user has confirmed it, and never in clear text.
 */

/** The host of Google's Live API, where the SDK goes when no endpoint is set. */
export const googleLiveHost = 'generativelanguage.googleapis.com';

/** Who runs an endpoint: Google, this computer, or anyone else. */
export type EndpointOwner = 'google' | 'this-computer' | 'other';

/** An endpoint as the SDK will be given it. */
export interface ReadEndpoint {
  /** The base URL for the SDK: always http:// or https://. */
  url: string;
  /** What the user is asked about and told: host and port, e.g. "proxy.example.com:8443". */
  host: string;
  owner: EndpointOwner;
  /** Whether the key would travel unencrypted (http://). */
  clearText: boolean;
  /** The ws:// or wss:// URL it was written as, when it had to be rewritten for the SDK. */
  rewrittenFrom?: string;
}

/**
 * Reads an endpoint URL; undefined when it is not an http(s) or ws(s) URL. The SDK derives its
 * WebSocket URL by turning `http:` into `ws:` and anything else into `wss:`, so a `ws://`
 * endpoint would silently be reached over TLS and fail: ws:// is rewritten to http:// and
 * wss:// to https://, which reach the same socket the way the user meant.
 */
export function readEndpoint(text: string): ReadEndpoint | undefined {
  const trimmed = text.trim();
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) return undefined;
  const webSocket = parsed.protocol.startsWith('ws');
  const url = webSocket
    ? `${parsed.protocol === 'wss:' ? 'https' : 'http'}${trimmed.slice(trimmed.indexOf(':'))}`
    : trimmed;
  const clearText = parsed.protocol === 'http:' || parsed.protocol === 'ws:';
  return {
    url,
    host: parsed.host,
    owner: ownerOf(parsed.hostname, clearText, parsed.port),
    clearText,
    ...(webSocket ? { rewrittenFrom: trimmed } : {}),
  };
}

/** Why the key may not go to an endpoint, whoever confirms it: clear text leaves this computer. */
export function endpointProblem(endpoint: ReadEndpoint): string | undefined {
  if (!endpoint.clearText || endpoint.owner === 'this-computer') return undefined;
  return (
    `http:// and ws:// would send your API key unencrypted, so they are only for this computer ` +
    `(localhost, 127.0.0.1 or [::1]): use https:// or wss:// for ${endpoint.host}.`
  );
}

/** What the user is told when a ws(s):// endpoint is used in its http(s):// form. */
export function rewriteNote(endpoint: ReadEndpoint): string | undefined {
  if (!endpoint.rewrittenFrom) return undefined;
  return (
    `${endpoint.rewrittenFrom} is used as ${endpoint.url}: Parley's Gemini library opens ws:// from ` +
    'an http:// address and wss:// from an https:// one (given ws:// it would try TLS and fail).'
  );
}

function ownerOf(hostname: string, clearText: boolean, port: string): EndpointOwner {
  // The URL parser has already turned 127.1, 0x7f.0.0.1 and the like into dotted decimal.
  if (hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname)) {
    return 'this-computer';
  }
  return hostname === googleLiveHost && !clearText && port === '' ? 'google' : 'other';
}
