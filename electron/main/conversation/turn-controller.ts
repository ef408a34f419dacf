import type { UsageMetadata } from '@google/genai';
import { captureFrameMaxBytes } from '../../../shared/capture-frame';
import { Settings } from '../../../shared/settings';
import type { CaptureFailed, CaptureOptions, SessionStatus } from '../../../shared/types';
import type { TurnEndReason } from '../hotkey/push-to-talk';
import type { LiveConnection, LiveEvents, RequestedCall } from '../live/live-connection';
import { ExpectedReplies } from './expected-replies';
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

/** What main asks of the screen capture during a turn that shows the screen (screen/screen-feature.ts). */
export interface ScreenLink {
  /** The turn starts: pictures of the screen come with `picture()` from now on. */
  open(turnId: number): void;
  /** The turn's capture is over: no more pictures. */
  close(turnId: number): void;
}

export interface LiveLink {
  readonly connection: LiveConnection | undefined;
  connect(): Promise<LiveConnection>;
  /** What a failed connect means for the user, and whether trying again later can help. */
  explain(error: unknown): { message: string; retryable: boolean };
}

/** Where the calls Gemini makes during a reply go (tools/tools-feature.ts runs them). */
export interface ToolLink {
  /** Gemini asks for calls during the reply to `turnId`. */
  requested(calls: RequestedCall[], turnId: number): void;
  /** Gemini no longer wants these calls. */
  cancelled(ids: string[]): void;
  /** The user cut the reply off, or the conversation was left: calls under way stop, cards go away. */
  interrupted(reason: string): void;
  /** The connection went: calls the model waited for are lost with it; the others run on. */
  connectionLost(reason: string): void;
  /** A connection is up: answers that waited for one go now. */
  connected(): void;
  /** Calls the model is waiting for: its silence meanwhile is no sign of a dead line. */
  readonly awaited: boolean;
}

export interface TurnControllerOptions {
  audio: AudioLink;
  screen?: ScreenLink;
  tools?: ToolLink;
  live: LiveLink;
  transcript: Transcript;
  setStatus(status: SessionStatus): void;
  capture: () => CaptureOptions;
  cues: () => boolean;
  /**
   * How long to wait for the renderer's end-of-capture mark, counted from the
   * stop or from the latest frame since, before ending the activity anyway
   * (only a renderer that died never sends it; a busy one is still sending).
   */
  endMarkTimeoutMs?: number;
  /** Silence from the server this long while a reply is due means the line is dead. */
  replyTimeoutMs?: number;
  /**
   * Called when that happens: the connection keeper takes over, and moves the
   * turn to a new connection unless `recover` is false (this turn has had
   * enough of them; it waits for the user's Retry).
   */
  unresponsive?: (detail: string, recover: boolean) => void;
  /**
   * The turn being captured ended here, not by the hotkey (the microphone
   * failed, a message was typed, nothing could be delivered…): push-to-talk
   * must stop treating its key as held or toggled on.
   */
  captureEndedHere?: () => void;
  /** A new turn is about to go out: a session renewal waiting for a quiet moment happens now. */
  beforeTurn?: () => void;
  /** Ids for new turns; shared by every profile's turns, since capture, screen and tool events carry only the id. */
  newTurnId?: () => number;
  /** For the log: what the controller refused to do, and why. */
  warn?: (message: string) => void;
}

/** What goes inside a turn's activity: the microphone's frames, and pictures of the screen among them. */
type TurnInput = { audio: Uint8Array } | { picture: Uint8Array };

interface VoiceTurn {
  kind: 'voice';
  id: number;
  /** Everything of the turn, in order: a new connection gets all of it again. */
  inputs: TurnInput[];
  /** How many of the inputs are the microphone's. */
  audioFrames: number;
  /** The turn also shows Gemini the screen (until its key is released). */
  look: boolean;
  /**
   * Its audio waits for the first picture, so that picture comes right after activityStart: until
   * it comes, the screen cannot give one, the key is released, or firstPictureWaitMs passes.
   */
  pictureWait: ReturnType<typeof setTimeout> | undefined;
  /** Capture is over (end mark or timeout): `activityEnd` goes out once everything before it has. */
  captureOver: boolean;
  /** The microphone delivers audio. */
  micLive: boolean;
  endTimer: ReturnType<typeof setTimeout> | undefined;
  /** Went out before: on a new connection the server transcribes it afresh. */
  heardBefore: boolean;
  /** Connections on which its reply never came (the server fell silent). */
  silences: number;
}

interface TextTurn {
  kind: 'text';
  id: number;
  text: string;
  silences: number;
}

/** A turn of the user's on its way to Gemini; kept whole until its reply is complete, so it can go again. */
type OutgoingTurn = VoiceTurn | TextTurn;

const defaultReplyTimeoutMs = 20_000;
/**
 * The mark normally follows the last frames within a few milliseconds, so
 * this costs nothing; it is long because a renderer on a busy machine can
 * take hundreds of milliseconds to deliver them, and ending the activity
 * before they arrive cuts off the user's last words.
 */
const defaultEndMarkTimeoutMs = 2000;
/**
 * The longest the audio of a turn that shows the screen waits for its first picture. The capture
 * opens and gives one in well under a second, but a busy machine can take seconds. Holding the
 * words costs the user nothing (they all go out at once when the picture comes, and the release
 * ends the wait), so this only guards against a capture that never answers: a little under the
 * screen's own grab timeout (screen-turns.ts), which then says the turn is voice only.
 */
const firstPictureWaitMs = 4000;
/** A turn the server stays silent about on this many connections is handed back to the user for Retry. */
const maxSilences = 3;
/**
 * The most frames one turn keeps (each turn is kept whole until its reply, to go again on a new
 * connection). The longest turn the settings allow (their maximum turn length), in frames of 20 ms
 * (the renderer's, and the most one frame may carry: captureFrameMaxBytes of 16 kHz PCM16), plus
 * 10 s of slack: the warm microphone's 300 ms pre-roll and frames a busy renderer delivers late
 * come on top of the turn itself, so an honest turn ends by its length long before this.
 */
const frameMs = captureFrameMaxBytes / 32;
export const maxTurnFrames = (Settings.shape.maxTurnMs.maxValue! + 10_000) / frameMs;

/**
 * The one owner of each turn, from the key press to the end of its reply,
 * under manual activity detection: `activityStart`, the turn's 20 ms frames
 * in order, then `activityEnd` strictly after the last frame. Frames outside a
 * turn are never sent. Turns go out in the order the user made them, whatever
 * the connection is doing; only the latest one's reply is wanted, so an
 * earlier one is cut off, as by a barge-in. Routes the reply to the speakers
 * and the transcript (see ExpectedReplies for which turn a reply belongs to),
 * and stops it locally the moment the user barges in.
 */
export class TurnController {
  /** The turn whose microphone is open. */
  private capturing: VoiceTurn | undefined;
  /** Turns not yet wholly on the current connection, in order; the first may be partly sent. */
  private outbox: OutgoingTurn[] = [];
  /** The first turn of the outbox, while its activity is open on a connection. */
  private openActivity: { turn: VoiceTurn; connection: LiveConnection; inputsSent: number } | undefined;
  /** The turn sent whole whose reply is wanted and not yet complete. */
  private due: OutgoingTurn | undefined;
  private readonly replies = new ExpectedReplies();
  private playing = false;
  /** Playback was flushed and nothing played since: a "playing" notice now was sent before the flush. */
  private playbackFlushed = false;
  private disposed = false;
  private connecting = false;
  /** Turns that could not be delivered, kept for the user's Retry. */
  private readonly undelivered = new Map<number, OutgoingTurn>();
  private readonly newTurnId: () => number;
  /** Turns up to this id were cut off by another profile's turn: their replies are not wanted. */
  private cutOffThrough = 0;
  private replyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: TurnControllerOptions) {
    let next = 1;
    this.newTurnId = options.newTurnId ?? (() => next++);
  }

  get talking(): boolean {
    return this.capturing !== undefined;
  }

  /** A turn is being captured or sent, or its reply is due: losing the connection now loses something. */
  get busy(): boolean {
    return this.capturing !== undefined || this.outbox.length > 0 || this.due !== undefined || this.replies.anyWanted();
  }

  startTurn(how: { look?: boolean } = {}): void {
    // Push-to-talk started a new turn while the last one waits for its end mark: that one is over.
    if (this.capturing) this.finishCapture(this.capturing, { stopMicrophone: !this.capturing.endTimer });
    const interrupted = this.bargeIn();
    this.options.beforeTurn?.();
    const turn: VoiceTurn = {
      kind: 'voice',
      id: this.newTurnId(),
      inputs: [],
      audioFrames: 0,
      look: how.look ?? false,
      pictureWait: undefined,
      captureOver: false,
      micLive: false,
      endTimer: undefined,
      heardBefore: false,
      silences: 0,
    };
    this.capturing = turn;
    this.outbox.push(turn);
    // What the server and the microphone need goes first; the transcript and the state line follow.
    this.pump();
    this.options.audio.startCapture(turn.id, this.options.capture(), this.options.cues());
    if (turn.look) {
      turn.pictureWait = setTimeout(() => this.stopWaitingForPicture(turn), firstPictureWaitMs);
      this.options.screen?.open(turn.id);
    }
    this.markInterrupted(interrupted);
    this.options.transcript.begin(turn.id, 'user');
    this.setStatus('listening', 'Opening the microphone…');
  }

  /** The microphone really delivers audio now. */
  captureStarted(turnId: number): void {
    const turn = this.capturing;
    if (turn?.id !== turnId) return;
    turn.micLive = true;
    this.setStatus(
      'listening',
      this.onTheWire(turn)
        ? 'Listening… release the hotkey when you are done.'
        : 'Listening… connecting to Gemini; your words are kept until it is ready.',
    );
  }

  endTurn(reason: TurnEndReason): void {
    const turn = this.capturing;
    if (!turn || turn.endTimer) return;
    if (reason === 'max-length') {
      this.options.transcript.settle(turn.id, 'user', {
        note: 'Ended after the maximum turn length (is the hotkey stuck?).',
      });
    }
    if (this.options.cues()) this.options.audio.cue('stop');
    this.options.audio.stopCapture(turn.id);
    // The screen is seen while the key is held, not while the last audio comes in.
    this.stopLooking(turn);
    this.awaitEndMark(turn);
  }

  /** (Re)starts the wait for the end mark: a renderer that still sends frames is alive, however slow. */
  private awaitEndMark(turn: VoiceTurn): void {
    clearTimeout(turn.endTimer);
    turn.endTimer = setTimeout(
      () => this.finishCapture(turn),
      this.options.endMarkTimeoutMs ?? defaultEndMarkTimeoutMs,
    );
  }

  captureFrame(turnId: number, pcm: Uint8Array): void {
    const turn = this.capturing;
    if (turn?.id !== turnId) return;
    if (turn.audioFrames >= maxTurnFrames) return this.tooLong(turn);
    turn.inputs.push({ audio: pcm });
    turn.audioFrames++;
    if (turn.endTimer) this.awaitEndMark(turn);
    if (this.openActivity?.turn === turn) this.pump();
  }

  /**
   * A picture of the screen for the turn being captured. The first goes next in the activity, ahead
   * of any audio still waiting (so right after activityStart); later ones in the order they came.
   * False when no turn takes it (it is then neither sent nor kept).
   */
  picture(turnId: number, jpeg: Uint8Array): boolean {
    const turn = this.capturing;
    if (turn?.id !== turnId || !turn.look) return false;
    const first = !turn.inputs.some((input) => 'picture' in input);
    const unsent = this.openActivity?.turn === turn ? this.openActivity.inputsSent : 0;
    turn.inputs.splice(first ? unsent : turn.inputs.length, 0, { picture: jpeg });
    this.stopWaitingForPicture(turn);
    if (this.openActivity?.turn === turn) this.pump();
    return true;
  }

  /** The screen gives no picture for this turn (the capture was refused or failed): its audio goes on alone. */
  noPicture(turnId: number): void {
    const turn = this.capturing;
    if (turn?.id === turnId) this.stopWaitingForPicture(turn);
  }

  private stopWaitingForPicture(turn: VoiceTurn): void {
    if (turn.pictureWait === undefined) return;
    clearTimeout(turn.pictureWait);
    turn.pictureWait = undefined;
    if (this.openActivity?.turn === turn) this.pump();
  }

  /**
   * More audio than the longest turn: a stuck renderer, or one that is not ours any more. What
   * came so far goes out as the turn, as if the hotkey had been released; the rest is dropped.
   */
  private tooLong(turn: VoiceTurn): void {
    if (turn.endTimer) return;
    this.options.warn?.(`turn ${turn.id}: more than ${maxTurnFrames} capture frames; the rest were dropped`);
    this.options.transcript.settle(turn.id, 'user', {
      note: 'Ended here: the microphone sent more audio than the longest turn allows.',
    });
    this.endTurn('released');
    this.options.captureEndedHere?.();
  }

  /** The renderer's mark: every frame of the turn has been sent. */
  captureEnded(turnId: number): void {
    const turn = this.capturing;
    if (turn?.id !== turnId) return;
    // Without a stop from here first, the renderer ended the capture on its own.
    this.finishCapture(turn, { endedHere: turn.endTimer === undefined });
  }

  captureFailed({ turnId, kind, message }: CaptureFailed): void {
    const turn = this.capturing;
    if (turn?.id !== turnId) return;
    this.options.transcript.settle(turn.id, 'user', { state: 'failed', note: message });
    this.withdraw(turn);
    const fix =
      kind === 'permission-denied'
        ? 'Allow microphone access for Parley in your system settings, then press the hotkey again.'
        : kind === 'no-device'
          ? 'Connect a microphone or choose another input device, then press the hotkey again.'
          : 'Press the hotkey to try again.';
    this.setStatus('error', `Microphone problem: ${message} ${fix}`);
  }

  playbackState(playing: boolean): void {
    if (playing && this.playbackFlushed) return;
    this.playing = playing;
    if (playing && !this.capturing) this.setStatus('speaking', 'Speaking… press the hotkey to interrupt.');
    else if (!playing) this.settleIfQuiet();
  }

  /** Whether a reply is playing in the audio window. */
  get replying(): boolean {
    return this.playing;
  }

  /**
   * Another profile's turn takes over, as a barge-in would: the microphone stops, what was said
   * still goes to this conversation's session but no reply to it is wanted, and a reply playing
   * stops now, its entry saying why.
   */
  cutOff(note: string): void {
    const captured = this.capturing;
    this.cutOffThrough = Math.max(this.cutOffThrough, ...this.outbox.map((turn) => turn.id));
    if (captured) {
      this.finishCapture(captured, { stopMicrophone: !captured.endTimer });
      this.options.transcript.settle(captured.id, 'user', { note });
    }
    const interrupted = this.bargeIn();
    // The audio window's next "stopped" is the new turn's to hear.
    this.playing = false;
    if (interrupted !== undefined) this.options.transcript.settle(interrupted, 'model', { state: 'interrupted', note });
    this.settleIfQuiet();
  }

  async sendText(text: string): Promise<void> {
    if (this.capturing) this.finishCapture(this.capturing, { stopMicrophone: true, endedHere: true });
    const interrupted = this.bargeIn();
    this.options.beforeTurn?.();
    const turn: TextTurn = { kind: 'text', id: this.newTurnId(), text, silences: 0 };
    this.options.transcript.begin(turn.id, 'user', text);
    this.options.transcript.settle(turn.id, 'user', { state: 'done' });
    this.markInterrupted(interrupted);
    this.send(turn);
  }

  /** Whether `retry` can send this turn again. */
  canRetry(turnId: number): boolean {
    return this.undelivered.has(turnId);
  }

  /** The user's Retry on a turn that was not delivered: the same turn, its same audio or text, once more. */
  async retry(turnId: number): Promise<void> {
    const turn = this.undelivered.get(turnId);
    if (!turn) throw new Error('That turn can no longer be sent again.');
    if (this.capturing) this.finishCapture(this.capturing, { stopMicrophone: true, endedHere: true });
    const interrupted = this.bargeIn();
    this.options.beforeTurn?.();
    this.undelivered.delete(turnId);
    turn.silences = 0;
    this.options.transcript.restart(turnId, 'user', turn.kind === 'text' ? turn.text : '');
    // Typed words are final; spoken ones are transcribed afresh.
    if (turn.kind === 'text') this.options.transcript.settle(turnId, 'user', { state: 'done' });
    this.options.transcript.restart(turnId, 'model', '');
    this.markInterrupted(interrupted);
    this.send(turn);
  }

  /** The connection is gone with something under way: hold it until a new one comes. */
  connectionInterrupted(): void {
    this.stopReplyTimer();
    this.replies.reset();
    this.options.tools?.connectionLost(
      'The connection was lost while the call was under way; Gemini asks again if it still needs it.',
    );
    // The turn being sent goes again whole, first thing on the new connection.
    this.openActivity = undefined;
    const due = this.due;
    if (due) {
      // Its reply starts over on the new connection: what was heard of it stops, its text is redone.
      this.flushPlayback();
      this.options.transcript.restart(due.id, 'model', '');
      this.outbox.unshift(due);
      this.due = undefined;
    }
  }

  /** A new connection after a loss: everything under way goes out again, in order. */
  reconnected(): void {
    this.options.tools?.connected();
    this.pump();
    if (this.capturing) this.setStatus('listening', 'Listening… release the hotkey when you are done.');
    // Only a reply of Gemini's own was awaited (after a tool's result): it went with the old connection.
    else this.settleIfQuiet();
  }

  /** No connection could be had: everything under way is kept for the user's Retry. */
  deliveryFailed(message: string, retryable: boolean): void {
    this.stopReplyTimer();
    this.replies.reset();
    this.openActivity = undefined;
    const due = this.due;
    const lost = due ? [due, ...this.outbox] : [...this.outbox];
    this.due = undefined;
    this.outbox = [];
    if (this.capturing) this.withdraw(this.capturing);
    for (const turn of lost) {
      this.options.transcript.settle(turn.id, 'user', {
        state: 'failed',
        note: `Not delivered: ${message}${retryable ? ' Press Retry to send it again.' : ''}`,
        retry: true,
      });
      if (turn === due) this.options.transcript.settle(turn.id, 'model', { state: 'failed' });
      this.undelivered.set(turn.id, turn);
    }
    this.setStatus('error', message);
  }

  /** A new conversation: nothing under way belongs to it, and nothing of the old one can be retried. */
  forgetAll(): void {
    this.options.tools?.interrupted('A new conversation started, so the call was cancelled.');
    if (this.capturing) this.withdraw(this.capturing);
    this.flushPlayback();
    this.stopReplyTimer();
    this.replies.reset();
    this.outbox = [];
    this.openActivity = undefined;
    this.due = undefined;
    this.undelivered.clear();
    this.settleIfQuiet();
  }

  /** The Live events this controller consumes (everything but the session's own bookkeeping). */
  readonly liveEvents: Omit<LiveEvents, 'resumptionHandle' | 'closed' | 'goAway'> = {
    serverActivity: () => this.heardFromServer(),
    audio: (pcm) => {
      if (!this.currentReply()?.wanted) return;
      this.playbackFlushed = false;
      this.options.audio.play(pcm);
    },
    inputTranscript: (text, finished, language) => this.userText(text, finished, language),
    outputTranscript: (text, _finished, language) => this.modelText(text, language),
    text: (text) => this.modelText(text),
    interrupted: () => {
      const reply = this.currentReply();
      if (!reply?.wanted) return;
      this.stopReplyTimer();
      this.flushPlayback();
      this.options.transcript.settle(reply.turnId, 'model', { state: 'interrupted' });
    },
    generationComplete: () => undefined,
    turnComplete: (usage) => this.replyComplete(usage),
    toolCall: (calls) => this.callsRequested(calls),
    toolCallCancellation: (ids) => this.options.tools?.cancelled(ids),
    grounding: (grounding) => {
      const reply = this.currentReply();
      if (reply?.wanted) this.options.transcript.ground(reply.turnId, grounding);
    },
  };

  /**
   * A result went back to Gemini. A model that waited carries on with its reply; one that did not
   * (and was not told to keep the result silent) answers with a reply of its own, once idle.
   */
  toolAnswered(followUp: boolean): void {
    const connection = this.options.live.connection;
    if (followUp && connection) this.replies.add(connection, this.newTurnId(), true);
    this.showFollowUpAwaited();
    this.heardFromServer();
  }

  /** Nothing else under way but a tool's result still to be spoken about in a reply of its own: not ready yet. */
  private showFollowUpAwaited(): void {
    if (this.replies.anyWanted() && !this.due && !this.capturing && !this.playing && this.outbox.length === 0)
      this.setStatus('thinking', 'Thinking about what the tool returned…');
  }

  private callsRequested(calls: RequestedCall[]): void {
    const reply = this.currentReply();
    // Calls for a reply the user cut off are never run; Gemini cancels them too.
    if (!reply?.wanted)
      return this.options.warn?.(`tool calls for a reply no longer wanted: ${calls.map((c) => c.id).join(', ')}`);
    this.options.tools?.requested(calls, reply.turnId);
    this.heardFromServer();
  }

  /** Parley is closing: a connect still under way settles to nobody. */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.capturing?.endTimer);
    clearTimeout(this.capturing?.pictureWait);
    this.stopReplyTimer();
  }

  private currentReply() {
    return this.replies.current(this.options.live.connection);
  }

  private userText(text: string, finished: boolean, language: string | undefined): void {
    // What the user said is transcribed while they speak or once the reply is under way, whichever the server does.
    const connection = this.options.live.connection;
    const open = this.openActivity?.connection === connection ? this.openActivity?.turn : undefined;
    const turnId = this.currentReply()?.turnId ?? open?.id;
    if (turnId === undefined) return;
    this.options.transcript.append(turnId, 'user', text);
    if (language) this.options.transcript.language(turnId, 'user', language);
    if (finished) this.options.transcript.settle(turnId, 'user', { state: 'done' });
  }

  private modelText(text: string, language?: string): void {
    const reply = this.currentReply();
    if (!reply?.wanted) return;
    this.options.transcript.append(reply.turnId, 'model', text);
    if (language) this.options.transcript.language(reply.turnId, 'model', language);
  }

  private replyComplete(usage: UsageMetadata | undefined): void {
    const reply = this.replies.complete(this.options.live.connection);
    if (!reply) return;
    const used = usage ? { usage: usageFrom(usage) } : {};
    this.options.transcript.settle(reply.turnId, 'user', { state: 'done' });
    // A reply cut off still cost tokens: they go to the turn that spent them, whatever came after.
    this.options.transcript.settle(reply.turnId, 'model', reply.wanted ? { state: 'done', ...used } : used);
    if (!reply.wanted) return;
    this.stopReplyTimer();
    this.options.audio.endOfReply();
    if (this.due?.id === reply.turnId) this.due = undefined;
    this.showFollowUpAwaited();
    this.settleIfQuiet();
  }

  private send(turn: OutgoingTurn): void {
    this.outbox.push(turn);
    this.setStatus('thinking', 'Sending…');
    this.pump();
  }

  /** Puts the outbox on the current connection, in order, as far as it can go; connects first if there is none. */
  private pump(): void {
    const connection = this.options.live.connection;
    if (!connection) return this.requestConnection();
    while (this.outbox.length > 0) {
      const turn = this.outbox[0]!;
      if (turn.kind === 'text') connection.text(turn.text);
      else if (!this.streamVoice(turn, connection)) return;
      this.outbox.shift();
      this.sentWhole(turn, connection);
    }
  }

  /** Sends what there is of a voice turn; true once all of it is out, `activityEnd` included. */
  private streamVoice(turn: VoiceTurn, connection: LiveConnection): boolean {
    if (!this.onTheWire(turn)) {
      // A new connection hears the whole turn again and transcribes it afresh.
      if (turn.heardBefore) this.options.transcript.restart(turn.id, 'user', '');
      turn.heardBefore = true;
      connection.activityStart();
      this.openActivity = { turn, connection, inputsSent: 0 };
    }
    const open = this.openActivity!;
    if (turn.pictureWait !== undefined) return false;
    while (open.inputsSent < turn.inputs.length) {
      const input = turn.inputs[open.inputsSent++]!;
      if ('audio' in input) connection.audio(input.audio);
      else connection.video(input.picture);
    }
    if (!turn.captureOver) return false;
    connection.activityEnd();
    this.openActivity = undefined;
    return true;
  }

  private onTheWire(turn: VoiceTurn): boolean {
    return this.openActivity?.turn === turn && this.openActivity.connection === this.options.live.connection;
  }

  private sentWhole(turn: OutgoingTurn, connection: LiveConnection): void {
    // Only the latest turn's reply is wanted: the next one cuts an earlier one off, as a barge-in would.
    const wanted = this.outbox.length === 0 && turn.id > this.cutOffThrough;
    this.replies.add(connection, turn.id, wanted);
    if (!wanted) {
      // A reply begun on an earlier connection ends here; one never begun gets no entry of its own.
      if (this.options.transcript.has(turn.id, 'model')) this.markInterrupted(turn.id);
      return;
    }
    this.due = turn;
    this.setStatus('thinking', 'Thinking…');
    this.heardFromServer();
  }

  private requestConnection(): void {
    if (this.connecting) return;
    this.connecting = true;
    this.options.live.connect().then(
      () => {
        if (this.disposed) return;
        this.connecting = false;
        this.options.tools?.connected();
        this.pump();
        if (this.capturing?.micLive) this.setStatus('listening', 'Listening… release the hotkey when you are done.');
      },
      (error: unknown) => {
        if (this.disposed) return;
        this.connecting = false;
        if (this.outbox.length === 0 && !this.due) return;
        const { message, retryable } = this.options.live.explain(error);
        this.deliveryFailed(message, retryable);
      },
    );
  }

  /**
   * The microphone's part of a turn is over. The hotkey is told only when it
   * did not end the turn itself; otherwise it may already be on the next one.
   */
  private finishCapture(turn: VoiceTurn, how: { stopMicrophone?: boolean; endedHere?: boolean } = {}): void {
    if (turn.captureOver) return;
    clearTimeout(turn.endTimer);
    turn.captureOver = true;
    this.stopLooking(turn);
    if (how.stopMicrophone) this.options.audio.stopCapture(turn.id);
    if (this.capturing === turn) this.capturing = undefined;
    if (how.endedHere) this.options.captureEndedHere?.();
    this.pump();
    if (this.outbox.includes(turn)) this.setStatus('thinking', 'Connecting to Gemini to send what you said…');
  }

  /** Gives up a turn being captured: the microphone stops, and nothing more of it goes on the wire. */
  private withdraw(turn: VoiceTurn): void {
    clearTimeout(turn.endTimer);
    turn.captureOver = true;
    // Nothing more of it goes out: its held audio must not be sent by the end of the wait.
    clearTimeout(turn.pictureWait);
    turn.pictureWait = undefined;
    this.stopLooking(turn);
    this.options.audio.stopCapture(turn.id);
    if (this.capturing === turn) this.capturing = undefined;
    this.options.captureEndedHere?.();
    this.outbox = this.outbox.filter((queued) => queued !== turn);
    const connection = this.options.live.connection;
    if (connection && this.onTheWire(turn)) {
      // An open activity would make the next activityStart a nested one; the reply to this
      // broken turn is not wanted.
      connection.activityEnd();
      this.replies.add(connection, turn.id, false);
    }
    if (this.openActivity?.turn === turn) this.openActivity = undefined;
  }

  private stopLooking(turn: VoiceTurn): void {
    if (!turn.look) return;
    turn.look = false;
    this.options.screen?.close(turn.id);
    this.stopWaitingForPicture(turn);
  }

  /** Any sign of life from the server while a reply is due restarts the silence clock. */
  private heardFromServer(): void {
    if (!this.due || !this.options.unresponsive) return;
    this.stopReplyTimer();
    // The model waits for a tool (or for the user to allow it): its silence is expected.
    if (this.options.tools?.awaited) return;
    const timeoutMs = this.options.replyTimeoutMs ?? defaultReplyTimeoutMs;
    this.replyTimer = setTimeout(() => this.serverSilent(timeoutMs), timeoutMs);
  }

  private serverSilent(timeoutMs: number): void {
    this.replyTimer = undefined;
    const turn = this.due;
    if (!turn) return;
    const detail = `Gemini sent nothing for ${Math.round(timeoutMs / 1000)} s`;
    turn.silences++;
    if (turn.silences < maxSilences) return this.options.unresponsive?.(detail, true);
    this.options.unresponsive?.(detail, false);
    this.deliveryFailed(`${detail}, on ${maxSilences} connections in a row.`, true);
  }

  private stopReplyTimer(): void {
    clearTimeout(this.replyTimer);
    this.replyTimer = undefined;
  }

  /**
   * Key down over a reply: silence it here and now, before anything crosses
   * the network. Returns the turn whose reply was cut, for the transcript to
   * say so once the urgent work is done. Turns not yet sent are not touched:
   * they still go out, before the new one.
   */
  private bargeIn(): number | undefined {
    if (!this.due && !this.playing && !this.replies.anyWanted()) return undefined;
    this.options.tools?.interrupted('You interrupted the reply, so the call was cancelled.');
    const cut = this.due?.id;
    this.flushPlayback();
    this.replies.unwantAll();
    this.due = undefined;
    this.stopReplyTimer();
    return cut;
  }

  private flushPlayback(): void {
    this.playbackFlushed = true;
    this.options.audio.flush();
  }

  private markInterrupted(turnId: number | undefined): void {
    if (turnId !== undefined) this.options.transcript.settle(turnId, 'model', { state: 'interrupted' });
  }

  private settleIfQuiet(): void {
    if (!this.busy && !this.playing) this.setStatus('idle', 'Ready. Hold the hotkey and speak.');
  }

  private setStatus(state: SessionStatus['state'], detail: string): void {
    this.options.setStatus({ state, detail });
  }
}
