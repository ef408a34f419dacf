import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveRendererFile } from '../../electron/main/security/renderer-files';

export interface RendererServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves a built renderer folder on 127.0.0.1 through the same code as the
 * app:// protocol, plus any test `scripts` (path → JavaScript source) and
 * test `data` (path → bytes, e.g. the pixels of the test screens).
 */
export async function startRendererServer(
  root: string,
  scripts: Record<string, string> = {},
  data: (pathname: string) => Uint8Array | undefined = () => undefined,
): Promise<RendererServer> {
  const server: Server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const script = scripts[pathname];
    if (script !== undefined) {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(script);
      return;
    }
    const bytes = data(pathname);
    if (bytes !== undefined) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(bytes);
      return;
    }
    void serveRendererFile(root, pathname).then(({ status, headers, body }) => {
      response.writeHead(status, headers);
      response.end(body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
