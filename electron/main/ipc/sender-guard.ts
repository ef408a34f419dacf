import type { IpcSender } from '../ports';

/**
 * Accepts IPC only from the main frame of a window we created, showing one of
 * our own pages: a foreign window, a sub-frame, or one of our windows
 * navigated elsewhere is refused.
 */
export class SenderGuard {
  private readonly owned = new Set<number>();

  constructor(private readonly rendererOrigin: string) {}

  trust(webContentsId: number): void {
    this.owned.add(webContentsId);
  }

  forget(webContentsId: number): void {
    this.owned.delete(webContentsId);
  }

  allows(sender: IpcSender): boolean {
    return (
      sender.isMainFrame && this.owned.has(sender.webContentsId) && originOf(sender.frameUrl) === this.rendererOrigin
    );
  }
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    // Custom schemes report an opaque origin ("null"); rebuild it from the parts.
    return parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return undefined;
  }
}
