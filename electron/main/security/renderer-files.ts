import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { contentSecurityPolicy } from './policy';

export interface RendererResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wav': 'audio/wav',
  '.woff2': 'font/woff2',
};

// eng-disable CSP_GLOBAL_CHECK -- our CSP is this response header, which Electronegativity does not recognise.
const headers = { 'Content-Security-Policy': contentSecurityPolicy, 'X-Content-Type-Options': 'nosniff' };

/**
 * Answers an `app://` request: the built renderer for Parley's own host (`appOrigin`), and 404
 * for any other, so no page can load our files, or pass for ours, under a host of its choosing.
 */
export async function serveAppRequest(root: string, requestUrl: string, appOrigin: string): Promise<RendererResponse> {
  const url = URL.parse(requestUrl);
  if (!url || `${url.protocol}//${url.host}` !== appOrigin) return { status: 404, headers, body: 'Not found' };
  return serveRendererFile(root, url.pathname);
}

/**
 * Serves the built renderer for the `app://` protocol (and the test harness's
 * HTTP server): only files inside `root`, every response with our CSP.
 */
export async function serveRendererFile(root: string, pathname: string): Promise<RendererResponse> {
  const file = resolve(root, `.${decodeSafely(pathname)}`);
  if (file !== root && !file.startsWith(root + sep)) {
    return { status: 403, headers, body: 'Forbidden' };
  }
  try {
    const body = await readFile(file);
    return {
      status: 200,
      headers: { ...headers, 'Content-Type': mimeTypes[extname(file)] ?? 'application/octet-stream' },
      body,
    };
  } catch {
    return { status: 404, headers, body: 'Not found' };
  }
}

function decodeSafely(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
