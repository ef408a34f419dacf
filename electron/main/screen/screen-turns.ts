// The screen during a turn that shows it: main asks the audio renderer to open a capture, paces
// grabs of it (FramePacer), checks each frame it gets back (checkFrame) and hands the good ones
// to the turn. The capture is open only from the turn's start to its end, and the display-media
// request is granted only to the audio window while such a turn is open.
import { messageOf } from '../../../shared/error-message';
import type { MediaResolutionSetting } from '../../../shared/frame-size';
import type { ScreenFailed, ScreenFrame } from '../../../shared/screen-frame';
import type { DisplayMediaPort, IpcSender } from '../ports';
import { checkFrame } from './frame-check';
import { FramePacer, type PacerClock } from './frame-pacer';
import { chooseScreen } from './screen-choice';

/** A checked frame, ready for the wire. */
export interface SeenFrame {
  jpeg: Uint8Array;
  width: number;
  height: number;
}

export interface ScreenTurnsDeps {
  displayMedia: DisplayMediaPort;
  /** Screen sharing is on in Settings: off, nothing is captured, whatever asks. */
  allowed(turnId: number): boolean;
  /** Whether a display-media request comes from the audio window's page. */
  fromAudioWindow(sender: IpcSender): boolean;
  resolution(turnId: number): MediaResolutionSetting | undefined;
  /** To the audio renderer. */
  renderer: {
    open(turnId: number): void;
    grab(turnId: number, grabId: number, resolution: MediaResolutionSetting | undefined): void;
    close(turnId: number): void;
  };
  /** A frame for the turn's activity. */
  deliver(turnId: number, frame: SeenFrame): void;
  /** The turn goes on without the screen: `note` says so and why, for the user. */
  failed(turnId: number, note: string): void;
  /** Pictures are being taken (true) or no longer (false). */
  seeing(on: boolean): void;
  /** Something the user should read now (the system's screen picker, explained before it first appears). */
  tell(message: string): void;
  /** Keeps Parley's windows out of the capture about to start; returns what brings them back. */
  hideOwnWindows(): () => void;
  /** What the user chose to show: the display under the pointer, or the focused window. */
  target(turnId: number): 'display' | 'window';
  /** The window that has the focus now, as a capture source, or why it cannot be shown. */
  focusedWindow(): Promise<FocusedWindow>;
  /** Something about this turn's picture the user should know (the display was shown instead of the window). */
  noteOnTurn(turnId: number, note: string): void;
  warn(message: string): void;
  clock?: PacerClock;
}

interface OpenTurn {
  turnId: number;
  /** A turn of the screen hotkey takes frames while it lasts; a look takes one, without. */
  pacer?: FramePacer<SeenFrame>;
  grabs: Map<number, { resolve(frame: ScreenFrame): void; reject(error: Error): void }>;
  /** Why main refused the capture, when it did: better words than the renderer's NotAllowedError. */
  refusal?: string;
  /** Brings back the windows hidden from the capture. */
  showOwnWindows?: () => void;
  /** The focused window, read as the turn starts (hiding Parley's windows moves the focus). */
  focused?: Promise<FocusedWindow>;
  /** Frames that went out: a capture that fails afterwards did show the screen until then. */
  sent: number;
}

/** A grab the renderer never answers (its page reloaded, or died) fails after this. */
const grabTimeoutMs = 5000;
/** The capture waits this long at most for the focused window to be read; then the display is shown. */
const focusReadMs = 500;

export class ScreenTurns {
  private turn: OpenTurn | undefined;
  private nextGrabId = 0;
  private pickerExplained = false;

  constructor(private readonly deps: ScreenTurnsDeps) {
    deps.displayMedia.onRequest((from) => this.answer(from));
  }

  open(turnId: number): void {
    if (!this.deps.allowed(turnId)) return;
    if (this.turn) this.close(this.turn.turnId);
    const turn: OpenTurn = { turnId, grabs: new Map(), sent: 0 };
    const pacer = new FramePacer<SeenFrame>({
      capture: (signal) => this.grab(turn, signal),
      send: (frame) => {
        turn.sent++;
        this.deps.deliver(turnId, frame);
      },
      onCaptureFailed: (error) => this.captureFailed(turn, error),
      ...(this.deps.clock && { clock: this.deps.clock }),
    });
    turn.pacer = pacer;
    void this.begin(turn).then((opened) => opened && pacer.start());
  }

  /** One frame for a look_at_screen call of this turn: the capture opens, gives one frame and closes. */
  async look(turnId: number, signal: AbortSignal): Promise<SeenFrame> {
    if (!this.deps.allowed(turnId)) throw new Error('Screen sharing is off in Settings.');
    // Never at the cost of the user's own screen turn, whose pictures already go with their words.
    if (this.turn?.pacer) throw new Error('The user is showing the screen in this turn already.');
    if (this.turn) this.close(this.turn.turnId);
    const turn: OpenTurn = { turnId, grabs: new Map(), sent: 0 };
    try {
      if (!(await this.begin(turn))) throw new Error('the turn is over');
      return await this.grab(turn, signal);
    } finally {
      if (this.turn === turn) this.close(turnId);
    }
  }

  close(turnId: number): void {
    const turn = this.turn;
    if (turn?.turnId !== turnId) return;
    this.turn = undefined;
    turn.pacer?.stop();
    this.failGrabs(turn, 'the turn is over');
    this.deps.renderer.close(turnId);
    turn.showOwnWindows?.();
    this.deps.seeing(false);
  }

  /**
   * The focus is read first (for a turn that shows the focused window), then Parley's windows go
   * out of sight, then the capture opens. False when the turn closed meanwhile.
   */
  private async begin(turn: OpenTurn): Promise<boolean> {
    this.turn = turn;
    this.deps.seeing(true);
    if (this.deps.target(turn.turnId) === 'window') {
      turn.focused = withTimeout(this.deps.focusedWindow(), focusReadMs, 'it took too long').catch(unreadable);
      await turn.focused;
      if (this.turn !== turn) return false;
    }
    turn.showOwnWindows = this.deps.hideOwnWindows();
    this.deps.renderer.open(turn.turnId);
    return true;
  }

  /** The renderer's answer to a grab. */
  frame(frame: ScreenFrame): void {
    const waiter = this.turn?.turnId === frame.turnId ? this.turn.grabs.get(frame.grabId) : undefined;
    if (!waiter) return this.deps.warn(`dropped a screen frame for turn ${frame.turnId}: no grab of an open turn`);
    waiter.resolve(frame);
  }

  /** The renderer could not open the capture, or make a frame. */
  failure({ turnId, grabId, kind, message }: ScreenFailed): void {
    const turn = this.turn;
    if (turn?.turnId !== turnId) return;
    const reason = kind === 'refused' ? (turn.refusal ?? refusedByUser(message)) : message;
    if (grabId === undefined) return this.failGrabs(turn, reason);
    turn.grabs.get(grabId)?.reject(new Error(reason));
  }

  private grab(turn: OpenTurn, signal: AbortSignal): Promise<SeenFrame> {
    const grabId = this.nextGrabId++;
    const resolution = this.deps.resolution(turn.turnId);
    const answered = new Promise<ScreenFrame>((resolve, reject) => {
      const settled = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', aborted);
        turn.grabs.delete(grabId);
      };
      const aborted = () => (settled(), reject(new Error('the turn is over')));
      const timer = setTimeout(
        () => (settled(), reject(new Error('the screen capture did not answer'))),
        grabTimeoutMs,
      );
      signal.addEventListener('abort', aborted, { once: true });
      turn.grabs.set(grabId, {
        resolve: (frame) => (settled(), resolve(frame)),
        reject: (error) => (settled(), reject(error)),
      });
    });
    this.deps.renderer.grab(turn.turnId, grabId, resolution);
    return answered.then((frame) => {
      const verdict = checkFrame(frame, resolution);
      if (!verdict.ok) throw new Error(verdict.reason);
      return { jpeg: frame.jpeg, width: verdict.width, height: verdict.height };
    });
  }

  /** The turn goes on with voice only: the capture and the hidden windows need not wait for the release. */
  private captureFailed(turn: OpenTurn, error: unknown): void {
    const reason = asSentence(messageOf(error));
    this.deps.warn(`turn ${turn.turnId}: the screen could not be captured: ${reason}`);
    this.deps.failed(
      turn.turnId,
      turn.sent > 0
        ? `The screen stopped being shown: ${reason}`
        : `Voice only: Gemini did not see the screen. ${reason}`,
    );
    this.close(turn.turnId);
  }

  private failGrabs(turn: OpenTurn, reason: string): void {
    for (const waiter of [...turn.grabs.values()]) waiter.reject(new Error(reason));
  }

  /** Main's answer to getDisplayMedia: a screen only for the audio window, only during a turn that shows it. */
  private async answer(from: IpcSender): Promise<string | undefined> {
    const turn = this.turn;
    if (!turn || !this.deps.fromAudioWindow(from) || !this.deps.allowed(turn.turnId)) {
      this.deps.warn(
        `refused a screen capture request from ${from.frameUrl || 'an unknown page'}: no screen turn is open there`,
      );
      return undefined;
    }
    const problem = this.deps.displayMedia.permissionProblem();
    if (problem) return this.refuse(turn, problem);
    if (this.deps.displayMedia.systemPicker && !this.pickerExplained) {
      this.pickerExplained = true;
      this.deps.tell(pickerExplanation);
    }
    try {
      const window = await this.focusedSource(turn);
      const screens = window ? [] : await this.deps.displayMedia.screens();
      // The turn may have ended while the system listed what to show (on Wayland, the user's picker).
      if (this.turn !== turn) return undefined;
      if (window) return window;
      const choice = chooseScreen(screens, this.deps.displayMedia.pointerDisplayId());
      return choice.ok ? choice.sourceId : this.refuse(turn, choice.reason);
    } catch (error) {
      // On Wayland this is the system picker, cancelled.
      return this.refuse(turn, refusedByUser(messageOf(error)));
    }
  }

  /** The focused window, when the user chose it and it can be shown; otherwise the display is, and the turn says why. */
  private async focusedSource(turn: OpenTurn): Promise<string | undefined> {
    if (!turn.focused) return undefined;
    const focused = await turn.focused;
    if ('sourceId' in focused) {
      const listed = await this.deps.displayMedia.windows();
      if (listed.some((source) => source.id === focused.sourceId)) return focused.sourceId;
      return this.showDisplayInstead(turn, 'the system does not list the focused window for capture');
    }
    return this.showDisplayInstead(turn, focused.unavailable);
  }

  private showDisplayInstead(turn: OpenTurn, why: string): undefined {
    this.deps.noteOnTurn(turn.turnId, `Gemini saw the display under the pointer, not the focused window: ${why}.`);
    return undefined;
  }

  private refuse(turn: OpenTurn, reason: string): undefined {
    turn.refusal = reason;
    return undefined;
  }
}

/** The window a capture can show, or why the focused one cannot be (a clause, for the user). */
export type FocusedWindow = { sourceId: string } | { unavailable: string };

function withTimeout<T>(work: Promise<T>, ms: number, why: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(why)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

function unreadable(error: unknown): FocusedWindow {
  return {
    unavailable: `the focused window could not be read (${messageOf(error)})`,
  };
}

const pickerExplanation =
  'Your desktop now asks which screen Gemini may see. Parley keeps your choice until it quits, where your desktop allows it; cancel it and the turn goes on with your voice only.';

function refusedByUser(detail: string): string {
  return `Screen sharing was refused or cancelled (${detail}). Allow it when your system asks next time.`;
}

/** Reasons come from main and from the renderer; the user reads each as a sentence. */
function asSentence(text: string): string {
  const trimmed = text.trim();
  // "the screen capture ended" gets a capital; "macOS has not…" keeps its spelling.
  const capital = /^[a-z]+\b/.test(trimmed) ? trimmed[0]!.toUpperCase() + trimmed.slice(1) : trimmed;
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
