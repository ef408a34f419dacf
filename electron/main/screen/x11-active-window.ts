// The window that has the keyboard focus on an X11 desktop, as the window manager publishes it
// (_NET_ACTIVE_WINDOW on the root window, EWMH). Its id is the client window's XID, the one
// Chromium's window capture names "window:<xid>:0". Plain Node over the X protocol (the `x11`
// package), so the tests read it from a real X server (Xvfb).
import { createClient, type X11Client } from 'x11';

/** A connection to the X server, made when first needed and kept: one round trip per read. */
export class X11ActiveWindow {
  private client: Promise<X11Connection> | undefined;

  constructor(private readonly display: string) {}

  /** The focused window's XID, or undefined when the window manager says none is. */
  async read(): Promise<number | undefined> {
    const { client, root, atom } = await this.connection();
    const property = await new Promise<{ data: Buffer; format: number }>((resolve, reject) =>
      // AnyPropertyType (0), one 32-bit value from the start.
      client.GetProperty(0, root, atom, 0, 0, 1, (error: unknown, value: { data: Buffer; format: number }) =>
        error ? reject(asError(error)) : resolve(value),
      ),
    );
    if (property.format !== 32 || property.data.length < 4) return undefined;
    const xid = property.data.readUInt32LE(0);
    return xid === 0 ? undefined : xid;
  }

  close(): void {
    void this.client?.then(({ client }) => client.terminate()).catch(() => undefined);
    this.client = undefined;
  }

  private connection(): Promise<X11Connection> {
    this.client ??= connect(this.display).catch((error: unknown) => {
      // The next read tries again: the X server may come back.
      this.client = undefined;
      throw error;
    });
    return this.client;
  }
}

interface X11Connection {
  client: X11Client;
  root: number;
  atom: number;
}

function connect(display: string): Promise<X11Connection> {
  return new Promise((resolve, reject) => {
    createClient({ display }, (error, opened) => {
      if (error || !opened) return reject(asError(error ?? 'no display'));
      const client = opened.client;
      // A lost connection is seen by the next read, not as an uncaught error.
      client.on('error', () => undefined);
      client.InternAtom(false, '_NET_ACTIVE_WINDOW', (atomError, atom) =>
        atomError ? reject(asError(atomError)) : resolve({ client, root: opened.screen[0]!.root, atom }),
      );
    });
  });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
