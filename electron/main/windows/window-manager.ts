import type { WindowKind } from '../../../shared/types';
import type { WindowHandle, WindowPort, WindowSpec } from '../ports';
import type { SenderGuard } from '../ipc/sender-guard';
import { placeOnScreen, type WindowStateStore } from './window-state';

const specs: Record<WindowKind, WindowSpec> = {
  audio: { kind: 'audio', title: 'Parley audio', width: 320, height: 200, show: false },
  transcript: { kind: 'transcript', title: 'Parley', width: 480, height: 640, show: true },
  settings: { kind: 'settings', title: 'Parley settings', width: 560, height: 640, show: true },
};

/**
 * Owns Parley's three windows. Closing a visible window only hides it (the
 * app lives in the tray); the hidden audio renderer exists for the whole run
 * so capture and playback work while every visible window is closed.
 */
export class WindowManager {
  private readonly open = new Map<WindowKind, WindowHandle>();
  private quitting = false;

  constructor(
    private readonly port: WindowPort,
    private readonly guard: SenderGuard,
    private readonly places: WindowStateStore,
  ) {}

  /** Shows the window, creating it if needed. */
  show(kind: WindowKind): WindowHandle {
    const handle = this.ensure(kind);
    if (specs[kind].show) handle.show();
    return handle;
  }

  /** Shows the window, creating it if needed, leaving the focus where it is. */
  reveal(kind: WindowKind): void {
    const handle = this.ensure(kind);
    if (specs[kind].show) handle.showInactive();
  }

  ensure(kind: WindowKind): WindowHandle {
    const existing = this.open.get(kind);
    if (existing && !existing.isDestroyed()) return existing;
    return this.create(kind);
  }

  /** Sends to every window that exists right now. */
  broadcast(channel: string, payload: unknown): void {
    for (const handle of this.open.values()) {
      if (!handle.isDestroyed()) handle.send(channel, payload);
    }
  }

  /** Sends to one window, if it exists. */
  sendTo(kind: WindowKind, channel: string, payload: unknown): void {
    const handle = this.open.get(kind);
    if (handle && !handle.isDestroyed()) handle.send(channel, payload);
  }

  destroyAll(): void {
    this.quitting = true;
    for (const handle of this.open.values()) {
      if (!handle.isDestroyed()) handle.destroy();
    }
    this.open.clear();
  }

  private create(kind: WindowKind): WindowHandle {
    const spec = specs[kind];
    const bounds = spec.show ? placeOnScreen(this.places.get(kind), this.port.displays()) : undefined;
    const handle = this.port.create(bounds ? { ...spec, bounds } : spec);
    if (spec.show) handle.onBoundsChanged((moved) => this.places.set(kind, moved));
    this.open.set(kind, handle);
    this.guard.trust(handle.webContentsId, kind);
    handle.onCloseRequested(() => {
      if (this.quitting) return true;
      handle.hide();
      return false;
    });
    handle.onClosed(() => {
      this.guard.forget(handle.webContentsId);
      if (this.open.get(kind) === handle) this.open.delete(kind);
      // The audio renderer must always exist; bring it back if it dies.
      if (kind === 'audio' && !this.quitting) this.create('audio');
    });
    return handle;
  }
}
