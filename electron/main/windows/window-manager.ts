import type { WindowKind } from '../../../shared/types';
import type { WindowHandle, WindowPort, WindowSpec } from '../ports';
import type { SenderGuard } from '../ipc/sender-guard';
import { placeOnScreen, type WindowStateStore } from './window-state';
import type { CaptureExclusion } from './capture-exclusion';

const specs: Record<WindowKind, WindowSpec> = {
  audio: { kind: 'audio', title: 'Parley audio', width: 320, height: 200, show: false },
  transcript: { kind: 'transcript', title: 'Parley', width: 480, height: 640, show: true },
  settings: { kind: 'settings', title: 'Parley settings', width: 560, height: 640, show: true },
};

/** What the user reads when a window's page could not load, and what happens next. */
const loadFailureNotes: Record<WindowKind, (reason: string) => string> = {
  audio: (reason) =>
    `Parley's audio page could not load (${reason}), so it can neither listen nor speak. It tries again by itself.`,
  transcript: (reason) => `The transcript window could not load (${reason}). Open it again to retry.`,
  settings: (reason) => `The settings window could not load (${reason}). Open it again to retry.`,
};
/** The audio page is tried again after this, doubling each time it fails, up to the maximum. */
const audioRetryMs = { first: 1000, max: 5 * 60_000 };

export interface WindowProblems {
  /** For the log. */
  warn(message: string): void;
  /** For the user: the state line and the tray's tooltip. */
  tell(message: string): void;
}

/**
 * Owns Parley's three windows. Closing a visible window only hides it (the
 * app lives in the tray); the hidden audio renderer exists for the whole run
 * so capture and playback work while every visible window is closed. A window
 * whose page fails to load is replaced the next time it is opened; the audio
 * window, which nobody opens, after a pause.
 */
export class WindowManager {
  private readonly open = new Map<WindowKind, WindowHandle>();
  private readonly failed = new WeakSet<WindowHandle>();
  private quitting = false;
  private audioRetry = { delayMs: audioRetryMs.first, timer: undefined as ReturnType<typeof setTimeout> | undefined };

  constructor(
    private readonly port: WindowPort,
    private readonly guard: SenderGuard,
    private readonly places: WindowStateStore,
    private readonly problems: WindowProblems,
    /** How Parley's windows stay out of the pictures of the screen it sends (capture-exclusion.ts). */
    private readonly exclusion: CaptureExclusion = { protect: false, hide: false },
  ) {}

  /** The capture source ids of Parley's windows, so that a capture of the focused window never shows one. */
  sourceIds(): string[] {
    return [...this.open.values()].filter((handle) => !handle.isDestroyed()).map((handle) => handle.mediaSourceId());
  }

  /**
   * A capture of the screen is about to start: where the system cannot leave Parley's windows out
   * of it, they are hidden until it ends. Returns what brings them back, without taking the focus.
   */
  hideFromCapture(): () => void {
    if (!this.exclusion.hide) return () => undefined;
    const hidden = [...this.open.values()].filter((handle) => !handle.isDestroyed() && handle.isVisible());
    for (const handle of hidden) handle.hide();
    return () => {
      for (const handle of hidden) if (!handle.isDestroyed()) handle.showInactive();
    };
  }

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
    if (existing && !existing.isDestroyed() && !this.failed.has(existing)) return existing;
    if (existing) {
      // A page that failed to load: a fresh window tries again.
      this.open.delete(kind);
      existing.destroy();
    }
    return this.create(kind);
  }

  /** Sends to one window, if it exists. */
  sendTo(kind: WindowKind, channel: string, payload: unknown): void {
    const handle = this.open.get(kind);
    if (handle && !handle.isDestroyed()) handle.send(channel, payload);
  }

  /** Parley quits: every window closes for good, whoever asks (the user, logoff, shutdown). */
  destroyAll(): void {
    this.quitting = true;
    clearTimeout(this.audioRetry.timer);
    for (const handle of this.open.values()) {
      if (!handle.isDestroyed()) handle.destroy();
    }
    this.open.clear();
  }

  private create(kind: WindowKind): WindowHandle {
    const spec = specs[kind];
    const bounds = spec.show ? placeOnScreen(this.places.get(kind), this.port.displays()) : undefined;
    const handle = this.port.create(bounds ? { ...spec, bounds } : spec);
    if (this.exclusion.protect) handle.setContentProtection(true);
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
      // Replaced already: its page failed to load.
      if (this.open.get(kind) !== handle) return;
      this.open.delete(kind);
      // The audio renderer must always exist; bring it back if it dies.
      if (kind === 'audio' && !this.quitting) this.create('audio');
    });
    handle.onLoadFailed((reason) => this.loadFailed(kind, handle, reason));
    return handle;
  }

  private loadFailed(kind: WindowKind, handle: WindowHandle, reason: string): void {
    // A window closed or replaced while loading is no news.
    if (this.quitting || this.open.get(kind) !== handle) return;
    this.failed.add(handle);
    this.problems.warn(`the ${kind} window could not load: ${reason}`);
    this.problems.tell(loadFailureNotes[kind](reason));
    if (kind !== 'audio') return;
    const retry = this.audioRetry;
    retry.timer = setTimeout(() => this.ensure('audio'), retry.delayMs);
    retry.delayMs = Math.min(retry.delayMs * 2, audioRetryMs.max);
  }
}
