import type { ConnectionState } from '../../../shared/types';

export interface IdleDisconnectOptions {
  /** Read when an idle period starts, so a new setting applies from the next one; 0 never disconnects. */
  minutes: () => number;
  /** Whether a Live connection is open (nothing to close otherwise). */
  connected: () => boolean;
  disconnect: () => void;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/**
 * Closes the Live session after the configured minutes without a turn, so an
 * idle Parley holds no socket; the conversation resumes with its handle on the
 * next press. Any state but idle (a turn, a reply, an error) stops the clock.
 */
export class IdleDisconnect {
  private timer: unknown;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: IdleDisconnectOptions) {
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
  }

  stateChanged(state: ConnectionState): void {
    this.cancel();
    const minutes = this.options.minutes();
    if (state !== 'idle' || minutes <= 0) return;
    this.timer = this.setTimer(() => {
      this.timer = undefined;
      if (this.options.connected()) this.options.disconnect();
    }, minutes * 60_000);
  }

  cancel(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
  }
}
