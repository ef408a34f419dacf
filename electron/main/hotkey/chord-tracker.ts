import type { ChordKey } from './accelerator';

export interface ChordListener {
  pressed(at: number): void;
  released(at: number): void;
}

/**
 * How long a release waits for the press that would make it auto-repeat.
 * Where X11 auto-repeat makes release/press pairs, the server makes both at
 * once and they arrive together: sent that way (one xdotool call) through
 * uiohook, 100 pairs arrived at most 0.04 ms apart (bench/README.md). Every
 * millisecond here delays the end of every turn.
 */
export const autoRepeatWindowMs = 5;

/**
 * Turns raw key downs and ups into "chord pressed" (every key of the chord is
 * down) and "chord released" (any of them went up). X11 auto-repeat delivers
 * a release and a press of the held key back to back; a release is therefore
 * only believed once no press of the chord follows within `repeatWindowMs`,
 * and is then reported with its original time.
 */
export class ChordTracker {
  private readonly held = new Set<number>();
  private active = false;
  private pendingRelease: { at: number; timer: ReturnType<typeof setTimeout> } | undefined;

  constructor(
    private readonly chord: readonly ChordKey[],
    private readonly listener: ChordListener,
    private readonly repeatWindowMs = autoRepeatWindowMs,
    /** Keys that make it another chord when held too (see HotkeyService.startKeyHook). */
    private readonly excluded: readonly number[] = [],
  ) {}

  keyDown(keycode: number, at: number): void {
    this.held.add(keycode);
    if (!this.chordHeld()) return;
    if (this.pendingRelease) {
      clearTimeout(this.pendingRelease.timer);
      this.pendingRelease = undefined;
      return;
    }
    // With the keys that make it another hotkey's chord held too, the press is that one's.
    if (this.active || this.excluded.some((code) => this.held.has(code))) return;
    this.active = true;
    this.listener.pressed(at);
  }

  keyUp(keycode: number, at: number): void {
    this.held.delete(keycode);
    if (!this.active || this.pendingRelease || this.chordHeld()) return;
    const pending = {
      at,
      // A busy event loop can run this timer before key events already waiting behind it; the
      // immediate runs after them, so a press of the pair that arrived in time is never missed.
      timer: setTimeout(() => setImmediate(() => this.believe(pending)), this.repeatWindowMs),
    };
    this.pendingRelease = pending;
  }

  private believe(pending: { at: number }): void {
    if (this.pendingRelease !== pending) return;
    this.pendingRelease = undefined;
    this.active = false;
    this.listener.released(pending.at);
  }

  dispose(): void {
    if (this.pendingRelease) clearTimeout(this.pendingRelease.timer);
    this.pendingRelease = undefined;
  }

  private chordHeld(): boolean {
    return this.chord.every((alternatives) => alternatives.some((code) => this.held.has(code)));
  }
}
