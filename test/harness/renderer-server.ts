import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveRendererFile } from '../../electron/main/security/renderer-files';

export interface RendererServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves a built renderer folder on 127.0.0.1 through the same code as the app:// protocol. */
export async function startRendererServer(root: string): Promise<RendererServer> {
  const server: Server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
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
