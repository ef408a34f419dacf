import type { PushToTalkMode } from '../../../shared/types';

export type TurnEndReason = 'released' | 'tapped' | 'max-length';

/** How a turn started: by which profile's hotkey, and `look` when that hotkey also shows Gemini the screen. */
export interface TurnStart {
  profile: string;
  look: boolean;
}

export interface TurnListener {
  turnStarted(at: number, how: TurnStart): void;
  turnEnded(at: number, reason: TurnEndReason): void;
}

/** One hotkey's turns: whose they are is the hotkey service's business. */
export interface PushToTalkListener {
  turnStarted(at: number): void;
  turnEnded(at: number, reason: TurnEndReason): void;
}

/** The turns the hotkey drives, and how it hears that one ended without it (a failure, a typed message…). */
export interface HotkeyTurns extends TurnListener {
  onEndedElsewhere(listener: () => void): void;
}

export interface PushToTalkOptions {
  mode: PushToTalkMode;
  /** In hybrid mode, a press held at least this long is push-to-talk; shorter is a tap. */
  hybridHoldMs: number;
  /** Stuck-key guard: a turn never lasts longer. */
  maxTurnMs: number;
}

export const defaultPushToTalk = { hybridHoldMs: 300, maxTurnMs: 5 * 60_000 } as const;

/**
 * The hotkey's meaning in each mode: *hold* talks while pressed, *toggle*
 * starts and stops on taps, *hybrid* is push-to-talk for a long press and
 * hands-free (until the next tap) for a short one.
 */
export class PushToTalk {
  private turn: { startedAt: number; handsFree: boolean; guard: ReturnType<typeof setTimeout> } | undefined;
  /** The release that belongs to the press that ended a turn must not start anything. */
  private swallowRelease = false;

  constructor(
    private readonly options: PushToTalkOptions,
    private readonly listener: PushToTalkListener,
  ) {}

  get talking(): boolean {
    return this.turn !== undefined;
  }

  pressed(at: number): void {
    if (!this.turn) return this.start(at);
    if (this.options.mode === 'hold') return;
    this.swallowRelease = true;
    this.end(at, 'tapped');
  }

  released(at: number): void {
    if (this.swallowRelease) {
      this.swallowRelease = false;
      return;
    }
    const turn = this.turn;
    if (!turn || turn.handsFree) return;
    const { mode, hybridHoldMs } = this.options;
    if (mode === 'hold' || (mode === 'hybrid' && at - turn.startedAt >= hybridHoldMs)) {
      this.end(at, 'released');
    } else {
      turn.handsFree = true;
    }
  }

  /** Starts a turn that only a tap or stop() ends, whatever the mode (tray "Talk"). */
  startHandsFree(at: number): void {
    if (this.turn) return;
    this.start(at);
    this.turn!.handsFree = true;
  }

  /** Ends a turn from elsewhere (tray, window), as a tap would. */
  stop(at: number): void {
    if (this.turn) this.end(at, 'tapped');
  }

  /** The turn ended without the hotkey (see TurnController): the next press starts a new one, in every mode. */
  endedElsewhere(): void {
    this.dispose();
  }

  dispose(): void {
    if (this.turn) clearTimeout(this.turn.guard);
    this.turn = undefined;
  }

  private start(at: number): void {
    const guard = setTimeout(() => this.end(at + this.options.maxTurnMs, 'max-length'), this.options.maxTurnMs);
    this.turn = { startedAt: at, handsFree: false, guard };
    this.listener.turnStarted(at);
  }

  private end(at: number, reason: TurnEndReason): void {
    if (!this.turn) return;
    clearTimeout(this.turn.guard);
    this.turn = undefined;
    this.listener.turnEnded(at, reason);
  }
}
