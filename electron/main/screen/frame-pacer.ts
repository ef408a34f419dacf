// When screen frames go out during a turn that shows the screen: one as soon
// as the turn starts, then at most one a second while the key is held, and
// none once the turn is over, not even one that was being captured then.

export interface PacerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: PacerClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** "one frame a second or less" (the protocol reference). */
export const FRAME_INTERVAL_MS = 1000;

export interface FramePacerOptions<Frame> {
  /** Captures, scales and encodes one frame; the signal aborts when the turn ends (the frame is dropped anyway). */
  capture: (signal: AbortSignal) => Promise<Frame>;
  /** Puts a frame on the wire; never called outside a turn. */
  send: (frame: Frame) => void;
  /** A capture failed: reported once, and the turn goes on without further frames. */
  onCaptureFailed: (error: unknown) => void;
  clock?: PacerClock;
  intervalMs?: number;
}

/** One turn's worth of pacing: ends with stop(), and a new start() begins another. */
interface PacedTurn {
  abort: AbortController;
  lastSentAt: number | undefined;
  timer: unknown;
}

export class FramePacer<Frame> {
  private turn: PacedTurn | undefined;
  private readonly clock: PacerClock;
  private readonly intervalMs: number;

  constructor(private readonly options: FramePacerOptions<Frame>) {
    this.clock = options.clock ?? systemClock;
    this.intervalMs = options.intervalMs ?? FRAME_INTERVAL_MS;
  }

  /** The turn starts: the first frame is captured now. A second start() in the same turn does nothing. */
  start(): void {
    if (this.turn) return;
    const turn: PacedTurn = { abort: new AbortController(), lastSentAt: undefined, timer: undefined };
    this.turn = turn;
    void this.shoot(turn);
  }

  /** The turn is over: no frame goes out after this, whatever is being captured. */
  stop(): void {
    const turn = this.turn;
    if (!turn) return;
    this.turn = undefined;
    if (turn.timer !== undefined) this.clock.clearTimeout(turn.timer);
    turn.abort.abort();
  }

  private async shoot(turn: PacedTurn): Promise<void> {
    const startedAt = this.clock.now();
    let frame: Frame;
    try {
      frame = await this.options.capture(turn.abort.signal);
    } catch (error) {
      if (this.turn === turn) this.options.onCaptureFailed(error);
      return;
    }
    const took = this.clock.now() - startedAt;
    // A frame is never sent sooner than a second after the one before, even when the one before was slow.
    const earliest = turn.lastSentAt === undefined ? startedAt : turn.lastSentAt + this.intervalMs;
    if (!(await this.waitUntil(turn, earliest))) return;
    this.options.send(frame);
    turn.lastSentAt = this.clock.now();
    // Start the next capture early by what this one took, so its frame is ready when it may go.
    turn.timer = this.clock.setTimeout(
      () => {
        turn.timer = undefined;
        if (this.turn === turn) void this.shoot(turn);
      },
      Math.max(0, this.intervalMs - took),
    );
  }

  /** False when the turn ended first. */
  private waitUntil(turn: PacedTurn, at: number): Promise<boolean> {
    const wait = at - this.clock.now();
    if (wait <= 0) return Promise.resolve(this.turn === turn);
    return new Promise((resolve) => {
      const aborted = () => resolve(false);
      turn.timer = this.clock.setTimeout(() => {
        turn.timer = undefined;
        turn.abort.signal.removeEventListener('abort', aborted);
        resolve(this.turn === turn);
      }, wait);
      turn.abort.signal.addEventListener('abort', aborted, { once: true });
    });
  }
}
