import type { UsageMetadata } from '@google/genai';
import type { CaptureFailed, CaptureOptions, SessionStatus } from '../../../shared/types';
import type { TurnEndReason } from '../hotkey/push-to-talk';
import type { LiveConnection, LiveEvents } from '../live/live-connection';
import { usageFrom, type Transcript } from './transcript';

/** What main asks of the hidden audio renderer. */
export interface AudioLink {
  startCapture(turnId: number, options: CaptureOptions, cue: boolean): void;
  stopCapture(turnId: number): void;
  play(pcm24k: Uint8Array): void;
  flush(): void;
  endOfReply(): void;
  cue(name: 'stop'): void;
}

export interface LiveLink {
  readonly connection: LiveConnection | undefined;
  connect(): Promise<LiveConnection>;
  /** What a failed connect means for the user, and whether trying again later can help. */
  explain(error: unknown): { message: string; retryable: boolean };
}

export interface TurnControllerOptions {
  audio: AudioLink;
  live: LiveLink;
  transcript: Transcript;
  setStatus(status: SessionStatus): void;
  capture: () => CaptureOptions;
  cues: () => boolean;
  /** How long to wait for the renderer's end-of-capture mark before ending the activity anyway. */
  endMarkTimeoutMs?: number;
  /** Silence from the server this long while a reply is due means the line is dead. */
  replyTimeoutMs?: number;
  /** Called when that happens; the connection keeper takes over. */
  unresponsive?: (detail: string) => void;
}

interface UserTurn {
  id: number;
  /** `activityStart` went out on the current connection; frames can follow it directly. */
  activityStarted: boolean;
  /** Every frame of the turn, in order: a new connection gets all of them again. */
  frames: Uint8Array[];
  /** How many of them went out on the current connection. */
  sent: number;
  /** Capture is over (end mark or timeout): `activityEnd` goes out once everything before it has. */
  captureOver: boolean;
  /** Given up (microphone failed, connection lost): nothing more of it goes on the wire. */
  abandoned: boolean;
  endTimer: ReturnType<typeof setTimeout> | undefined;
}

/** What was sent for a turn, kept until its reply is complete so it can be sent again. */
type SentTurn = ({ turnId: number; frames: Uint8Array[] } | { turnId: number; text: string }) & {
  /** The connection it went out on: a new one gets it again, the same one never twice. */
  sentOn?: LiveConnection;
};

const defaultReplyTimeoutMs = 20_000;

/**
 * One push-to-talk turn at a time, under manual activity detection:
 * `activityStart`, the turn's 20 ms frames in order, then `activityEnd`
 * strictly after the last frame. Frames outside a turn are never sent.
 * Also routes the reply to the speakers and the transcript, and stops it
 * locally the moment the user barges in.
 */
export class TurnController {
  private turn: UserTurn | undefined;
  private nextTurnId = 1;
  /** The turn whose reply is expected or streaming. */
  private replyTurnId: number | undefined;
  private awaitingReply = false;
  private playing = false;
  /** After a local barge-in, the rest of the old reply is dropped until the server confirms the cut. */
  private discardingReply = false;
  /** The turn whose reply is due, as sent: a lost connection gets it again. */
  private inFlight: SentTurn | undefined;
  /** A turn that could not be delivered, kept for the user's Retry. */
  private undelivered: SentTurn | undefined;
  private replyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: TurnControllerOptions) {}

  get talking(): boolean {
    return this.turn !== undefined && !this.turn.captureOver;
  }

  /** A turn is being captured or sent, or its reply is due: losing the connection now loses something. */
  get busy(): boolean {
    return this.turn !== undefined || this.inFlight !== undefined;
  }

  startTurn(): void {
    if (this.turn) this.finishCapture(this.turn);
    const interrupted = this.bargeIn();
    const turn: UserTurn = {
      id: this.nextTurnId++,
      activityStarted: false,
      frames: [],
      sent: 0,
      captureOver: false,
      abandoned: false,
      endTimer: undefined,
    };
    this.turn = turn;
    // What the server and the microphone need goes first; the transcript and the state line follow.
    const connection = this.options.live.connection;
    if (connection) this.openActivity(turn, connection);
    this.options.audio.startCapture(turn.id, this.options.capture(), this.options.cues());
    this.markInterrupted(interrupted);
    this.options.transcript.begin(turn.id, 'user');
    this.setStatus('listening', 'Opening the microphone…');
    if (!connection) void this.connectFor(turn);
  }

  /** The microphone really delivers audio now. */
  captureStarted(turnId: number): void {
    if (this.turn?.id !== turnId || this.turn.captureOver) return;
    this.setStatus(
      'listening',
      this.turn.activityStarted
        ? 'Listening… release the hotkey when you are done.'
        : 'Listening… connecting to Gemini; your words are kept until it is ready.',
    );
  }

  endTurn(reason: TurnEndReason): void {
    const turn = this.turn;
    if (!turn || turn.captureOver || turn.endTimer) return;
    if (reason === 'max-length') {
      this.options.transcript.settle(turn.id, 'user', {
        note: 'Ended after the maximum turn length (is the hotkey stuck?).',
      });
    }
    if (this.options.cues()) this.options.audio.cue('stop');
    this.options.audio.stopCapture(turn.id);
    turn.endTimer = setTimeout(() => this.finishCapture(turn), this.options.endMarkTimeoutMs ?? 250);
  }

  captureFrame(turnId: number, pcm: Uint8Array): void {
    const turn = this.turn;
    if (!turn || turn.id !== turnId || turn.captureOver) return;
    turn.frames.push(pcm);
    const connection = this.options.live.connection;
    if (turn.activityStarted && connection) {
      connection.audio(pcm);
      turn.sent++;
    }
  }

  /** The renderer's mark: every frame of the turn has been sent. */
  captureEnded(turnId: number): void {
    if (this.turn?.id === turnId) this.finishCapture(this.turn);
  }

  captureFailed({ turnId, kind, message }: CaptureFailed): void {
    const turn = this.turn;
    if (!turn || turn.id !== turnId) return;
    this.options.transcript.settle(turn.id, 'user', { state: 'failed', note: message });
    this.abandon(turn);
    const fix =
      kind === 'permission-denied'
        ? 'Allow microphone access for Parley in your system settings, then press the hotkey again.'
        : kind === 'no-device'
          ? 'Connect a microphone or choose another input device, then press the hotkey again.'
          : 'Press the hotkey to try again.';
    this.setStatus('error', `Microphone problem: ${message} ${fix}`);
  }

  playbackState(playing: boolean): void {
    this.playing = playing;
    if (playing && !this.discardingReply) this.setStatus('speaking', 'Speaking… press the hotkey to interrupt.');
    else if (!playing) this.settleIfQuiet();
  }

  async sendText(text: string): Promise<void> {
    if (this.turn) this.finishCapture(this.turn);
    this.markInterrupted(this.bargeIn());
    const turnId = this.nextTurnId++;
    this.options.transcript.begin(turnId, 'user', text);
    this.options.transcript.settle(turnId, 'user', { state: 'done' });
    await this.deliver({ turnId, text });
  }

  /** The user's Retry on a turn that was not delivered: the same turn, its same audio or text, once more. */
  async retry(turnId: number): Promise<void> {
    const turn = this.undelivered;
    if (turn?.turnId !== turnId) throw new Error('That turn can no longer be sent again.');
    if (this.turn) this.finishCapture(this.turn);
    this.markInterrupted(this.bargeIn());
    this.undelivered = undefined;
    this.options.transcript.restart(turnId, 'user', 'text' in turn ? turn.text : '');
    this.options.transcript.restart(turnId, 'model', '');
    await this.deliver(turn);
  }

  /** The connection is gone with something under way: hold it until a new one comes. */
  connectionInterrupted(): void {
    this.stopReplyTimer();
    if (this.turn) {
      this.turn.activityStarted = false;
      this.turn.sent = 0;
      // The new connection hears the whole turn again and transcribes it afresh.
      this.options.transcript.restart(this.turn.id, 'user', '');
    }
    if (this.inFlight && this.awaitingReply) {
      // The reply starts over on the new connection: what was heard of it stops, its text is redone.
      this.options.audio.flush();
      this.options.transcript.restart(this.inFlight.turnId, 'model', '');
    }
    this.discardingReply = false;
  }

  /** A new connection after a loss: everything under way goes out again, in order. */
  reconnected(connection: LiveConnection): void {
    const turn = this.turn;
    if (turn && !turn.abandoned) {
      if (!turn.activityStarted) this.openActivity(turn, connection);
      if (!turn.captureOver) this.setStatus('listening', 'Listening… release the hotkey when you are done.');
    } else if (this.inFlight && this.awaitingReply && this.inFlight.sentOn !== connection) {
      this.send(this.inFlight, connection);
    }
  }

  /** No connection could be had: what is under way is kept for the user's Retry. */
  deliveryFailed(message: string, retryable: boolean): void {
    this.stopReplyTimer();
    const turn = this.turn;
    const replyDue = this.inFlight !== undefined && this.awaitingReply;
    const lost: SentTurn | undefined = turn ? { turnId: turn.id, frames: turn.frames } : this.inFlight;
    if (turn) this.abandon(turn);
    if (lost) {
      // Only the latest undelivered turn is kept for Retry.
      if (this.undelivered) this.options.transcript.settle(this.undelivered.turnId, 'user', { retry: false });
      this.options.transcript.settle(lost.turnId, 'user', {
        state: 'failed',
        note: `Not delivered: ${message}${retryable ? ' Press Retry to send it again.' : ''}`,
        retry: true,
      });
      if (replyDue && !turn) this.options.transcript.settle(lost.turnId, 'model', { state: 'failed' });
      this.undelivered = lost;
    }
    this.inFlight = undefined;
    this.awaitingReply = false;
    this.discardingReply = false;
    this.setStatus('error', message);
  }

  /** The Live events this controller consumes (everything but the session's own bookkeeping). */
  readonly liveEvents: Omit<LiveEvents, 'resumptionHandle' | 'closed' | 'goAway'> = {
    serverActivity: () => this.heardFromServer(),
    audio: (pcm) => {
      if (this.discardingReply || this.replyTurnId === undefined) return;
      this.options.audio.play(pcm);
    },
    inputTranscript: (text, finished) => {
      if (this.replyTurnId === undefined) return;
      this.options.transcript.append(this.replyTurnId, 'user', text);
      if (finished) this.options.transcript.settle(this.replyTurnId, 'user', { state: 'done' });
    },
    outputTranscript: (text) => this.modelText(text),
    text: (text) => this.modelText(text),
    interrupted: () => {
      this.stopReplyTimer();
      this.options.audio.flush();
      this.discardingReply = false;
      if (this.replyTurnId !== undefined)
        this.options.transcript.settle(this.replyTurnId, 'model', { state: 'interrupted' });
    },
    generationComplete: () => undefined,
    turnComplete: (usage: UsageMetadata | undefined) => {
      this.stopReplyTimer();
      if (this.discardingReply) {
        this.discardingReply = false;
        return;
      }
      const turnId = this.replyTurnId;
      if (turnId === undefined) return;
      this.options.transcript.settle(turnId, 'user', { state: 'done' });
      this.options.transcript.settle(turnId, 'model', { state: 'done', ...(usage ? { usage: usageFrom(usage) } : {}) });
      this.options.audio.endOfReply();
      this.awaitingReply = false;
      if (this.inFlight?.turnId === turnId) this.inFlight = undefined;
      this.settleIfQuiet();
    },
  };

  dispose(): void {
    if (this.turn?.endTimer) clearTimeout(this.turn.endTimer);
    this.stopReplyTimer();
  }

  private modelText(text: string): void {
    if (this.discardingReply || this.replyTurnId === undefined) return;
    this.options.transcript.append(this.replyTurnId, 'model', text);
  }

  private openActivity(turn: UserTurn, connection: LiveConnection): void {
    connection.activityStart();
    turn.activityStarted = true;
    for (const frame of turn.frames.slice(turn.sent)) connection.audio(frame);
    turn.sent = turn.frames.length;
    if (turn.captureOver) this.closeActivity(turn, connection);
  }

  private async connectFor(turn: UserTurn): Promise<void> {
    try {
      const connection = await this.options.live.connect();
      if (!turn.abandoned && !turn.activityStarted) this.openActivity(turn, connection);
    } catch (error) {
      const { message, retryable } = this.options.live.explain(error);
      if (this.turn === turn) this.deliveryFailed(message, retryable);
    }
  }

  /** Sends a whole turn (typed, or audio kept from before) and waits for its reply. */
  private async deliver(turn: SentTurn): Promise<void> {
    this.inFlight = turn;
    this.awaitingReply = true;
    this.setStatus('thinking', 'Sending…');
    try {
      const connection = await this.options.live.connect();
      if (this.inFlight === turn && turn.sentOn !== connection) this.send(turn, connection);
    } catch (error) {
      const { message, retryable } = this.options.live.explain(error);
      if (this.inFlight === turn) this.deliveryFailed(message, retryable);
    }
  }

  private send(turn: SentTurn, connection: LiveConnection): void {
    turn.sentOn = connection;
    if ('text' in turn) {
      connection.text(turn.text);
    } else {
      this.options.transcript.restart(turn.turnId, 'user', '');
      connection.activityStart();
      for (const frame of turn.frames) connection.audio(frame);
      connection.activityEnd();
    }
    this.expectReply(turn.turnId);
  }

  private finishCapture(turn: UserTurn): void {
    if (turn.captureOver) return;
    clearTimeout(turn.endTimer);
    turn.captureOver = true;
    const connection = this.options.live.connection;
    if (turn.activityStarted && connection) this.closeActivity(turn, connection);
    else this.setStatus('thinking', 'Connecting to Gemini to send what you said…');
  }

  private closeActivity(turn: UserTurn, connection: LiveConnection): void {
    connection.activityEnd();
    if (this.turn === turn) this.turn = undefined;
    this.inFlight = { turnId: turn.id, frames: turn.frames, sentOn: connection };
    this.expectReply(turn.id);
  }

  private expectReply(turnId: number): void {
    this.replyTurnId = turnId;
    this.awaitingReply = true;
    this.setStatus('thinking', 'Thinking…');
    this.heardFromServer();
  }

  /** Any sign of life from the server while a reply is due restarts the silence clock. */
  private heardFromServer(): void {
    if (!this.awaitingReply || !this.options.unresponsive) return;
    this.stopReplyTimer();
    const timeoutMs = this.options.replyTimeoutMs ?? defaultReplyTimeoutMs;
    this.replyTimer = setTimeout(() => {
      this.replyTimer = undefined;
      this.options.unresponsive?.(`Gemini sent nothing for ${Math.round(timeoutMs / 1000)} s`);
    }, timeoutMs);
  }

  private stopReplyTimer(): void {
    clearTimeout(this.replyTimer);
    this.replyTimer = undefined;
  }

  /** Key down over a reply: silence it here and now, before anything crosses the network. */
  /** Returns the turn whose reply was cut, for the transcript to say so once the urgent work is done. */
  private bargeIn(): number | undefined {
    if (!this.awaitingReply && !this.playing) return undefined;
    this.options.audio.flush();
    this.discardingReply = this.awaitingReply;
    this.awaitingReply = false;
    this.inFlight = undefined;
    this.stopReplyTimer();
    return this.replyTurnId;
  }

  private markInterrupted(turnId: number | undefined): void {
    if (turnId !== undefined) this.options.transcript.settle(turnId, 'model', { state: 'interrupted' });
  }

  private abandon(turn: UserTurn): void {
    clearTimeout(turn.endTimer);
    turn.captureOver = true;
    turn.abandoned = true;
    this.options.audio.stopCapture(turn.id);
    if (this.turn === turn) this.turn = undefined;
    const connection = this.options.live.connection;
    if (turn.activityStarted && connection) {
      // An open activity would make the next activityStart a nested one; the reply to this
      // broken turn is not wanted.
      connection.activityEnd();
      this.discardingReply = true;
    }
  }

  private settleIfQuiet(): void {
    if (!this.turn && !this.awaitingReply && !this.playing) this.setStatus('idle', 'Ready. Hold the hotkey and speak.');
  }

  private setStatus(state: SessionStatus['state'], detail: string): void {
    this.options.setStatus({ state, detail });
  }
}
