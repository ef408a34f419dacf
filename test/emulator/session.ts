// A live session after setupComplete: turn-taking (manual activity signals or
// energy-based detection), replies one at a time, interruptions, tool calls,
// resumption handles between turns, goAway and scripted faults.
import { durationMs } from '../support/audio';
import { DEFAULT_INPUT_RATE, PcmDecoder, sampleRateOf } from './audio-input';
import type { ClientContent, ClientMessage, FunctionResponse, RealtimeInput } from './client-messages';
import {
  historyTurn,
  type Conversation,
  type ResumptionStore,
  type Turn,
  type TurnInput,
  type TurnReply,
} from './conversation';
import { EnergyVad, type VadEvent } from './energy-vad';
import { TRANSLATION_UNDER_MANUAL_VAD } from './models';
import type { Pacing } from './pacing';
import { CloseCode, invalidArgument, Reason } from './protocol-error';
import { inputTranscript, plannedCalls } from './replies';
import { ReplyRun } from './reply-run';
import { OUTPUT_RATE, type EventAction, type Scenario, type TurnPoint, type TurnScript } from './scenario';
import { textOf, type SessionConfig } from './setup';
import { callAgain, wireCall, type IssuedCall } from './tool-calls';
import { TurnCollector } from './turn-collector';
import { addToContext, audioTokens, NO_TOKENS, textTokens, type TokenTally } from './usage';
import { frameTokens, readVideoFrame, type VideoFrame } from './video-input';
import { durationString, type ServerMessage, type SessionResumptionUpdate } from './wire';

export interface SessionIo {
  send(message: ServerMessage): void;
  close(code: number, reason: string): void;
  /** Cut the socket without a close frame. */
  drop(): void;
}

export interface ConnectionLifetime {
  ms: number;
  /** goAway comes this long before the end. */
  goAwayNoticeMs: number;
}

export interface SessionOptions {
  connectionId: number;
  config: SessionConfig;
  conversation: Conversation;
  resumption: ResumptionStore;
  /** Read at each use, so a scenario or pacing loaded mid-test applies to the next turn. */
  scenario: () => Scenario;
  pacing: () => Pacing;
  lifetime: ConnectionLifetime | undefined;
  io: SessionIo;
  /** Why the emulator did not do something a scenario asked for, for tests and the CLI. */
  log: (line: string) => void;
}

type InputFacts = Omit<TurnInput, 'transcript' | 'frames'>;

/** A reply to give: to a user turn, or about the results of NON_BLOCKING calls. */
interface ReplyWork {
  turn: Turn;
  results: FunctionResponse[];
}

type Scheduling = 'SILENT' | 'WHEN_IDLE' | 'INTERRUPT';

export class LiveSession {
  /** Turns taken on this connection (the conversation may hold earlier ones). */
  readonly turns: Turn[] = [];
  private readonly config: SessionConfig;
  private readonly conversation: Conversation;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly decoder = new PcmDecoder();
  private inputRate: number | undefined;
  private vad: EnergyVad | undefined;
  /** The user turn being received: an open activity, or speech the detector heard start. */
  private input: TurnCollector | undefined;
  private reply: ReplyRun | undefined;
  /** Replies waiting while another plays (NO_INTERRUPTION, text in manual mode, WHEN_IDLE results). */
  private readonly queue: ReplyWork[] = [];
  /** Video frames received that the next turn will take. */
  private readonly pendingFrames: VideoFrame[] = [];
  private realtimeStarted = false;
  private deadlineSet = false;
  private silenced = false;
  private ended = false;

  constructor(private readonly options: SessionOptions) {
    this.config = options.config;
    this.conversation = options.conversation;
  }

  /** Right after setupComplete. */
  start(): void {
    this.sendHandle();
    for (const event of this.options.scenario().events) {
      if (event.connection === undefined || event.connection === this.options.connectionId) {
        this.after(event.afterMs, () => this.perform(event));
      }
    }
    const lifetime = this.options.lifetime;
    if (lifetime) {
      const notice = Math.min(lifetime.goAwayNoticeMs, lifetime.ms);
      this.after(lifetime.ms - notice, () => this.goAway(notice));
    }
  }

  /** Throws ProtocolError for anything the service would close the connection over. */
  handle(message: ClientMessage): void {
    switch (message.kind) {
      case 'setup':
        throw invalidArgument();
      case 'realtimeInput':
        return this.onRealtimeInput(message.input);
      case 'clientContent':
        return this.onClientContent(message.content);
      case 'toolResponse':
        return this.onToolResponse(message.responses);
      case 'contextUpdate':
        // Accepted; the emulator's replies do not depend on instructions or tools.
        return;
    }
  }

  /** The connection is gone: nothing more is sent. */
  stop(): void {
    this.ended = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queue.length = 0;
    this.reply?.stop();
    this.conversation.calls.loseBlockingCalls();
  }

  // ---- realtime input ----

  private onRealtimeInput(input: RealtimeInput): void {
    this.realtimeStarted = true;
    if (input.activityStart) this.activityStart();
    // mediaChunks (deprecated) may carry audio and pictures; the service reads them like `audio` and `video`.
    const chunks = input.mediaChunks ?? [];
    const audio = chunks.filter((chunk) => chunk.mimeType.startsWith('audio/'));
    const video = chunks.filter((chunk) => chunk.mimeType.startsWith('image/'));
    if (input.audio) audio.push(input.audio);
    if (input.video) video.push(input.video);
    for (const chunk of video) this.onVideo(chunk.mimeType, chunk.data);
    for (const chunk of audio) this.onAudio(chunk.mimeType, chunk.data);
    if (input.text !== undefined) this.onText(input.text);
    if (input.activityEnd) this.activityEnd();
    if (input.audioStreamEnd) this.audioStreamEnd();
  }

  private get automaticDetection(): boolean {
    return this.config.automaticActivityDetection !== undefined;
  }

  private activityStart(): void {
    if (this.automaticDetection) {
      throw invalidArgument('activityStart is only valid when automatic activity detection is disabled.');
    }
    this.refuseIfTranslationTakesNoActivities('activityStart');
    if (this.input) throw invalidArgument('activityStart received while an activity is already in progress.');
    this.userStartsTurn();
  }

  private activityEnd(): void {
    if (this.automaticDetection) {
      throw invalidArgument('activityEnd is only valid when automatic activity detection is disabled.');
    }
    this.refuseIfTranslationTakesNoActivities('activityEnd');
    const input = this.input;
    if (!input) throw invalidArgument('activityEnd received without a matching activityStart.');
    this.input = undefined;
    this.endTurn(input.finish(this.inputRate ?? DEFAULT_INPUT_RATE));
  }

  private audioStreamEnd(): void {
    if (!this.automaticDetection) {
      throw invalidArgument('audioStreamEnd is only valid when automatic activity detection is enabled.');
    }
    for (const event of this.vad?.end() ?? []) this.onVadEvent(event);
  }

  private onAudio(mimeType: string, data: string): void {
    const rate = sampleRateOf(mimeType);
    this.inputRate ??= rate;
    if (rate !== this.inputRate) {
      throw invalidArgument(`Sample rate changed from ${this.inputRate} to ${rate} within the session.`);
    }
    const samples = this.decoder.decode(data);
    const detection = this.config.automaticActivityDetection;
    if (detection) {
      this.vad ??= new EnergyVad(rate, detection, this.config.turnCoverage === 'TURN_INCLUDES_ALL_INPUT');
      for (const event of this.vad.push(samples)) this.onVadEvent(event);
      if (this.input && this.vad.speaking && this.input.reachMidTurn()) this.fire('midTurn', this.input.index);
      return;
    }
    // Audio outside an activity is not part of any turn.
    if (!this.input) return;
    this.input.addAudio(samples);
    if (this.input.reachMidTurn()) this.fire('midTurn', this.input.index);
  }

  private onVideo(mimeType: string, data: string): void {
    if (this.config.video === 'refused') {
      throw invalidArgument(`Video input is not supported by ${this.config.model.name}.`);
    }
    const frame = readVideoFrame(mimeType, data);
    if (this.config.video === 'duringActivity' && !this.input) {
      return this.options.log(`video frame ${frame.describe()} ignored: outside an activity`);
    }
    this.pendingFrames.push(frame);
  }

  /** The frames the model takes into a turn now, and what they cost. */
  private takeFrames(): { frames: VideoFrame[]; tokens: TokenTally } {
    const frames = this.pendingFrames.splice(0);
    return { frames, tokens: { ...NO_TOKENS, image: frameTokens(this.config.mediaResolution, frames.length) } };
  }

  private onVadEvent(event: VadEvent): void {
    if (event.type === 'speechStart') return this.userStartsTurn();
    const input = this.input;
    this.input = undefined;
    if (input) this.endTurn(input.finish(this.inputRate ?? DEFAULT_INPUT_RATE, event.audio));
  }

  private onText(text: string): void {
    if (this.input) return this.input.addText(text);
    this.newInputCancelsBlockingCalls();
    // Outside an activity a text message is a whole turn; it counts as activity only under automatic detection.
    if (this.automaticDetection) this.interruptIfConfigured();
    const collector = new TurnCollector(this.conversation.nextIndex());
    collector.addText(text);
    this.textTurn(collector, 'text');
  }

  private userStartsTurn(): void {
    this.newInputCancelsBlockingCalls();
    this.interruptIfConfigured();
    this.input = new TurnCollector(this.conversation.nextIndex());
    this.fire('turnStart', this.input.index);
  }

  private interruptIfConfigured(): void {
    if (this.config.activityHandling !== 'START_OF_ACTIVITY_INTERRUPTS') return;
    if (this.translatingUnderManualDetection && !TRANSLATION_UNDER_MANUAL_VAD.activityStartInterrupts) return;
    this.cutReply();
  }

  /** What the translate model does with activity signals is an assumption, kept in one place (models.ts). */
  private get translatingUnderManualDetection(): boolean {
    return this.config.translation !== undefined && !this.automaticDetection;
  }

  private refuseIfTranslationTakesNoActivities(signal: 'activityStart' | 'activityEnd'): void {
    if (this.translatingUnderManualDetection && !TRANSLATION_UNDER_MANUAL_VAD.translatesEachActivity) {
      throw invalidArgument(`${signal} is not supported by ${this.config.model.name}.`);
    }
  }

  /**
   * The model waits for a BLOCKING call and new input arrives: the service cancels the call and the
   * reply it held ends ("a BLOCKING call is cancelled when new input arrives"), whatever
   * `activityHandling` says.
   */
  private newInputCancelsBlockingCalls(): void {
    const reply = this.reply;
    if (!reply?.running) return;
    const calls = this.conversation.calls;
    const waiting = calls.unanswered(reply.callIds).some((id) => calls.pendingCall(id)?.behavior === 'BLOCKING');
    if (waiting) this.cutReply();
  }

  /** Cuts off the reply in progress; its calls still unanswered are cancelled first. */
  private cutReply(): void {
    const reply = this.reply;
    if (!reply?.running) return;
    const calls = this.conversation.calls;
    const ids = calls.unanswered(reply.callIds);
    for (const id of ids) calls.end(id, 'cancelled');
    if (ids.length > 0) this.send({ toolCallCancellation: { ids } });
    reply.interrupt();
  }

  // ---- client content and tool responses ----

  private onClientContent(content: ClientContent): void {
    const model = this.config.model;
    if (!model.clientContentMidSession && this.realtimeStarted) {
      throw invalidArgument(`clientContent is only accepted before realtime input on ${model.name}.`);
    }
    const items = content.turns ?? [];
    const last = items.at(-1);
    // With turnComplete the last user content is the turn to answer; the rest is history.
    const asked = content.turnComplete && last && last.role !== 'model' ? last : undefined;
    for (const item of items) {
      if (item !== asked) this.addHistory(item.role === 'model' ? 'model' : 'user', textOf(item));
    }
    if (!content.turnComplete) return;
    this.newInputCancelsBlockingCalls();
    if (model.clientContentInterrupts) this.cutReply();
    const collector = new TurnCollector(this.conversation.nextIndex());
    if (asked) collector.addText(textOf(asked));
    this.textTurn(collector, 'clientContent');
  }

  private addHistory(role: 'user' | 'model', text: string): void {
    this.record(historyTurn(this.conversation.nextIndex(), this.options.connectionId, role, text));
    this.addContext({ ...NO_TOKENS, text: textTokens(text) });
  }

  private onToolResponse(responses: readonly FunctionResponse[]): void {
    for (const response of responses) {
      const id = response.id ?? '';
      const call = this.conversation.calls.pendingCall(id);
      if (!call) this.ignoreLateResponse(id);
      else if (call.behavior === 'BLOCKING') this.answerBlocking(call, response);
      else this.answerNonBlocking(call, response);
    }
  }

  /** Answers to calls cancelled, answered or lost arrive late in real clients; the service drops them. */
  private ignoreLateResponse(id: string): void {
    const end = this.conversation.calls.endOf(id);
    if (!end) throw invalidArgument();
    this.options.log(`toolResponse for ${id} ignored: the call was ${end}`);
  }

  /** BLOCKING: the reply that made the call waits for it; `scheduling` and `willContinue` do not apply. */
  private answerBlocking(call: IssuedCall, response: FunctionResponse): void {
    this.conversation.calls.end(call.id, 'answered');
    const reply = this.reply;
    if (!reply) return;
    // The model goes on with what was sent while it waited, pictures included.
    const { frames, tokens } = this.takeFrames();
    reply.turn.input.frames.push(...frames);
    this.addContext(tokens);
    reply.addToPrompt(tokens);
    reply.answer(call, response);
  }

  private answerNonBlocking(call: IssuedCall, response: FunctionResponse): void {
    this.addContext({ ...NO_TOKENS, text: textTokens(JSON.stringify(response.response ?? {})) });
    // A partial result goes into the context; the model speaks once the last one arrives.
    if (response.willContinue) return;
    const calls = this.conversation.calls;
    calls.end(call.id, 'answered');
    const scheduling = schedulingOf(response);
    if (scheduling === 'SILENT') return this.sendHandle();
    const again = callAgain(call, response, this.config.model);
    if (again) return this.issueCalls([again]);
    this.scheduleResultReply(call, response, scheduling);
    // `scheduling` inside `response` is not read as scheduling: the service speaks about such a result twice.
    if (response.response?.scheduling !== undefined) this.scheduleResultReply(call, response, 'WHEN_IDLE');
  }

  /** WHEN_IDLE: after the reply in progress (at once if idle); INTERRUPT: cuts it off. */
  private scheduleResultReply(call: IssuedCall, response: FunctionResponse, scheduling: Scheduling): void {
    const turn = this.resultTurn(call.turnIndex);
    if (scheduling === 'INTERRUPT' && this.reply) {
      this.queue.unshift({ turn, results: [response] });
      return this.cutReply();
    }
    this.queue.push({ turn, results: [response] });
    if (!this.reply && (!this.input || scheduling === 'INTERRUPT')) void this.respond(this.queue.shift()!);
  }

  private resultTurn(index: number): Turn {
    const now = performance.now();
    const noAudio = { sampleRate: DEFAULT_INPUT_RATE, samples: new Int16Array(0) };
    // Pictures sent with the result (a screenshot tool) are what the model speaks about.
    const { frames, tokens } = this.takeFrames();
    const input = {
      source: 'toolResult',
      audio: noAudio,
      text: '',
      frames,
      transcript: '',
      startedAt: now,
      endedAt: now,
    } as const;
    const turn: Turn = { index, connectionId: this.options.connectionId, input, reply: undefined };
    this.record(turn);
    this.addContext(tokens);
    return turn;
  }

  /** Registers calls with the conversation and sends them; no handle while any is unanswered. */
  private issueCalls(calls: IssuedCall[]): void {
    if (!this.reply) this.sendResumptionUpdate({ resumable: false });
    for (const call of calls) this.conversation.calls.issue(call);
    this.send({ toolCall: { functionCalls: calls.map(wireCall) } });
  }

  // ---- turns and replies ----

  private textTurn(collector: TurnCollector, source: 'text' | 'clientContent'): void {
    const index = collector.index;
    if (this.fire('turnStart', index) && this.fire('midTurn', index)) {
      this.endTurn({ ...collector.finish(this.inputRate ?? DEFAULT_INPUT_RATE), source });
    }
  }

  private endTurn(facts: InputFacts): void {
    const index = this.conversation.nextIndex();
    const { frames, tokens } = this.takeFrames();
    const input = { ...facts, frames };
    const turn: Turn = {
      index,
      connectionId: this.options.connectionId,
      input: { ...input, transcript: inputTranscript(input, this.options.scenario().turns[index]) },
      reply: undefined,
    };
    this.record(turn);
    this.addContext({ ...tokens, text: textTokens(facts.text), audio: audioTokens(durationMs(facts.audio)) });
    if (!this.fire('turnEnd', index)) return;
    const work = { turn, results: [] };
    if (this.reply) this.queue.push(work);
    else void this.respond(work);
  }

  private record(turn: Turn): void {
    this.conversation.turns.push(turn);
    this.turns.push(turn);
  }

  private async respond({ turn, results }: ReplyWork): Promise<void> {
    if (this.silenced || this.ended) return;
    this.sendResumptionUpdate({ resumable: false });
    const run = this.replyRun(turn, results);
    this.reply = run;
    const reply = await run.run();
    this.reply = undefined;
    if (!reply) return;
    turn.reply = reply;
    this.addContext(this.replyTokens(reply));
    if (this.queue.length === 0) this.sendHandle();
    if (!this.fireForReply('afterReply', turn)) return;
    const next = this.queue.shift();
    if (next) void this.respond(next);
  }

  private replyRun(turn: Turn, results: FunctionResponse[]): ReplyRun {
    const scenario = this.options.scenario();
    const script = scenario.turns[turn.index];
    const aboutResults = turn.input.source === 'toolResult';
    return new ReplyRun({
      turn,
      config: this.config,
      script: aboutResults ? { reply: script?.resultReply } : script,
      calls: aboutResults ? [] : this.callsOf(turn, script),
      results,
      issueCalls: (calls) => this.issueCalls(calls),
      log: this.options.log,
      lateInputTranscription: scenario.lateInputTranscription,
      pacing: this.options.pacing(),
      prompt: this.promptTokens(),
      send: (message) => this.send(message),
      onMidReply: () => this.fireForReply('midReply', turn),
    });
  }

  /** The scripted calls the model can make: only to functions the setup declares. */
  private callsOf(turn: Turn, script: TurnScript | undefined): IssuedCall[] {
    const { calls, undeclared } = plannedCalls(script, turn.index, this.config.tools);
    for (const name of undeclared)
      this.options.log(`turn ${turn.index}: no call to ${name}: not declared in the setup`);
    return calls;
  }

  // ---- tokens ----

  private promptTokens(): TokenTally {
    const context = this.conversation.context;
    return { ...context, text: context.text + textTokens(this.config.systemInstruction) };
  }

  private replyTokens(reply: TurnReply): TokenTally {
    const text = this.config.responseModality === 'TEXT' ? textTokens(reply.transcript) : 0;
    return { text, audio: audioTokens((reply.audio.length / OUTPUT_RATE) * 1000), image: 0 };
  }

  private addContext(tokens: TokenTally): void {
    this.conversation.context = addToContext(this.conversation.context, tokens, this.config.compression);
  }

  // ---- resumption, goAway, scripted events ----

  /** Handles only between turns: never while a reply is in flight or a call waits for its result. */
  private sendHandle(): void {
    if (!this.config.resumption || this.silenced || this.reply || this.conversation.calls.hasPending) return;
    this.sendResumptionUpdate({ newHandle: this.options.resumption.issue(this.conversation), resumable: true });
  }

  private sendResumptionUpdate(sessionResumptionUpdate: SessionResumptionUpdate): void {
    if (this.config.resumption) this.send({ sessionResumptionUpdate });
  }

  private goAway(timeLeftMs: number): void {
    this.send({ goAway: { timeLeft: durationString(timeLeftMs) } });
    if (this.deadlineSet) return;
    this.deadlineSet = true;
    this.after(timeLeftMs, () => this.options.io.close(CloseCode.internalError, Reason.deadlineExpired));
  }

  /** Runs the scenario's events for this point of the turn; false once the connection is gone. */
  /** Reply points belong to the user turn's own reply, not to replies about its tool results. */
  private fireForReply(point: TurnPoint, turn: Turn): boolean {
    return turn.input.source === 'toolResult' ? !this.ended : this.fire(point, turn.index);
  }

  private fire(point: TurnPoint, turnIndex: number): boolean {
    for (const event of this.options.scenario().turns[turnIndex]?.events ?? []) {
      const here = event.connection === undefined || event.connection === this.options.connectionId;
      if (event.at === point && here && !this.ended) this.perform(event);
    }
    return !this.ended;
  }

  private perform(action: EventAction): void {
    switch (action.type) {
      case 'drop':
        return this.options.io.drop();
      case 'close':
        return this.options.io.close(action.code, action.reason ?? defaultReason(action.code));
      case 'goAway':
        return this.goAway(action.timeLeftMs);
      case 'stopAnswering':
        this.silenced = true;
        this.queue.length = 0;
        this.reply?.stop();
        return;
    }
  }

  private send(message: ServerMessage): void {
    if (!this.silenced && !this.ended) this.options.io.send(message);
  }

  private after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }
}

function schedulingOf(response: FunctionResponse): Scheduling {
  return response.scheduling === 'SILENT' || response.scheduling === 'INTERRUPT' ? response.scheduling : 'WHEN_IDLE';
}

function defaultReason(code: number): string {
  return code === CloseCode.internalError ? Reason.internalError : '';
}
