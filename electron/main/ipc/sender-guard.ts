import type { WindowKind } from '../../../shared/types';
import type { IpcSender } from '../ports';

/**
 * Knows which of Parley's windows sent an IPC message: only the main frame of
 * a window we created, showing one of our own pages, has a kind. A foreign
 * window, a sub-frame, or one of our windows navigated elsewhere has none.
 * The router refuses a sender without a kind, and one whose kind the channel
 * does not name.
 */
export class SenderGuard {
  private readonly owned = new Map<number, WindowKind>();

  constructor(private readonly rendererOrigin: string) {}

  trust(webContentsId: number, kind: WindowKind): void {
    this.owned.set(webContentsId, kind);
  }

  forget(webContentsId: number): void {
    this.owned.delete(webContentsId);
  }

  /** The kind of our window that sent, or undefined when it is not one of ours showing our page. */
  kindOf(sender: IpcSender): WindowKind | undefined {
    const kind = this.owned.get(sender.webContentsId);
    return kind && sender.isMainFrame && originOf(sender.frameUrl) === this.rendererOrigin ? kind : undefined;
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
