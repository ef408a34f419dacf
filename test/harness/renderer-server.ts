import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveRendererFile } from '../../electron/main/security/renderer-files';

export interface RendererServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves a built renderer folder on 127.0.0.1 through the same code as the
 * app:// protocol, plus any test `scripts` (path → JavaScript source).
 */
export async function startRendererServer(root: string, scripts: Record<string, string> = {}): Promise<RendererServer> {
  const server: Server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const script = scripts[pathname];
    if (script !== undefined) {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(script);
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
