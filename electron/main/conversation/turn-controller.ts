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
}

interface UserTurn {
  id: number;
  /** `activityStart` went out on the current connection; frames can follow it directly. */
  activityStarted: boolean;
  /** Frames captured before the connection was ready, sent in order after `activityStart`. */
  pending: Uint8Array[];
  /** Capture is over (end mark or timeout): `activityEnd` goes out once everything before it has. */
  captureOver: boolean;
  /** Given up (microphone failed, connection lost): nothing more of it goes on the wire. */
  abandoned: boolean;
  endTimer: ReturnType<typeof setTimeout> | undefined;
  framesSent: number;
}

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

  constructor(private readonly options: TurnControllerOptions) {}

  get talking(): boolean {
    return this.turn !== undefined && !this.turn.captureOver;
  }

  startTurn(): void {
    if (this.turn) this.finishCapture(this.turn);
    this.bargeIn();
    const turn: UserTurn = {
      id: this.nextTurnId++,
      activityStarted: false,
      pending: [],
      captureOver: false,
      abandoned: false,
      endTimer: undefined,
      framesSent: 0,
    };
    this.turn = turn;
    this.options.transcript.begin(turn.id, 'user');
    this.options.audio.startCapture(turn.id, this.options.capture(), this.options.cues());
    const connection = this.options.live.connection;
    this.setStatus('listening', 'Opening the microphone…');
    if (connection) this.openActivity(turn, connection);
    else void this.connectFor(turn);
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
    const connection = this.options.live.connection;
    if (turn.activityStarted && connection) {
      connection.audio(pcm);
      turn.framesSent++;
    } else {
      turn.pending.push(pcm);
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
    this.bargeIn();
    const turnId = this.nextTurnId++;
    this.options.transcript.begin(turnId, 'user', text);
    this.options.transcript.settle(turnId, 'user', { state: 'done' });
    try {
      const connection = await this.options.live.connect();
      connection.text(text);
      this.expectReply(turnId);
    } catch (error) {
      this.options.transcript.settle(turnId, 'user', { state: 'failed', note: `Not delivered: ${errorText(error)}` });
      this.setStatus('error', `Could not reach Gemini: ${errorText(error)}`);
    }
  }

  /** The Live events this controller consumes (everything but the session's own bookkeeping). */
  readonly liveEvents: Omit<LiveEvents, 'resumptionHandle' | 'closed' | 'goAway'> = {
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
      this.options.audio.flush();
      this.discardingReply = false;
      if (this.replyTurnId !== undefined)
        this.options.transcript.settle(this.replyTurnId, 'model', { state: 'interrupted' });
    },
    generationComplete: () => undefined,
    turnComplete: (usage: UsageMetadata | undefined) => {
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
      this.settleIfQuiet();
    },
  };

  /** The connection closed: a turn on it cannot continue there. */
  connectionLost(detail: string): void {
    const turn = this.turn;
    if (turn?.activityStarted) {
      this.options.transcript.settle(turn.id, 'user', { state: 'failed', note: `Not delivered: ${detail}` });
      this.abandon(turn);
    }
    if (this.awaitingReply && this.replyTurnId !== undefined) {
      this.options.transcript.settle(this.replyTurnId, 'model', { state: 'failed', note: `Reply cut off: ${detail}` });
    }
    this.awaitingReply = false;
    this.discardingReply = false;
  }

  dispose(): void {
    if (this.turn?.endTimer) clearTimeout(this.turn.endTimer);
  }

  private modelText(text: string): void {
    if (this.discardingReply || this.replyTurnId === undefined) return;
    this.options.transcript.append(this.replyTurnId, 'model', text);
  }

  private openActivity(turn: UserTurn, connection: LiveConnection): void {
    connection.activityStart();
    turn.activityStarted = true;
    for (const frame of turn.pending) connection.audio(frame);
    turn.framesSent += turn.pending.length;
    turn.pending = [];
    if (turn.captureOver) this.closeActivity(turn, connection);
  }

  private async connectFor(turn: UserTurn): Promise<void> {
    try {
      const connection = await this.options.live.connect();
      if (!turn.abandoned) this.openActivity(turn, connection);
    } catch (error) {
      this.options.transcript.settle(turn.id, 'user', { state: 'failed', note: `Not delivered: ${errorText(error)}` });
      this.abandon(turn);
      this.setStatus('error', `Could not connect to Gemini: ${errorText(error)}`);
    }
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
    this.expectReply(turn.id);
  }

  private expectReply(turnId: number): void {
    this.replyTurnId = turnId;
    this.awaitingReply = true;
    this.setStatus('thinking', 'Thinking…');
  }

  /** Key down over a reply: silence it here and now, before anything crosses the network. */
  private bargeIn(): void {
    if (!this.awaitingReply && !this.playing) return;
    this.options.audio.flush();
    if (this.replyTurnId !== undefined)
      this.options.transcript.settle(this.replyTurnId, 'model', { state: 'interrupted' });
    this.discardingReply = this.awaitingReply;
    this.awaitingReply = false;
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

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
