// One model turn on the wire: input transcription (or, when late, after the
// reply's first words), tool calls (waiting for the results of BLOCKING ones),
// grounding metadata, then paced audio (or text) with output transcription,
// generationComplete and turnComplete. Barge-in cuts it with `interrupted` and no generationComplete.
import { setTimeout as sleep } from 'node:timers/promises';
import { concatPcm, pcmToBase64 } from '../support/audio';
import type { FunctionResponse } from './client-messages';
import type { Turn, TurnReply } from './conversation';
import { seededRandom, sendSchedule, chunkLengths, type Pacing } from './pacing';
import { composeReply, groundingMetadata, spokenLanguage, type Reply } from './replies';
import { OUTPUT_RATE, type TurnScript } from './scenario';
import type { SessionConfig } from './setup';
import { textPieces } from './text-pieces';
import { callAgain, wireCall, type IssuedCall } from './tool-calls';
import { addTokens, audioTokens, textTokens, usageMetadata, type TokenTally } from './usage';
import type { ServerMessage, Transcription, UsageMetadata } from './wire';

export interface ReplyRunOptions {
  turn: Turn;
  config: SessionConfig;
  script: TurnScript | undefined;
  /** Calls this reply makes before its words; it waits for the results of the BLOCKING ones. */
  calls: readonly IssuedCall[];
  /** Results a tool-result reply speaks about. */
  results: readonly FunctionResponse[];
  /** Registers calls with the conversation and sends them in one toolCall. */
  issueCalls: (calls: IssuedCall[]) => void;
  log: (line: string) => void;
  /** The input transcription follows the reply's first words instead of preceding the reply. */
  lateInputTranscription: boolean;
  pacing: Pacing;
  /** Tokens in the model's context, this turn's input included (frames taken later add to it). */
  prompt: TokenTally;
  send: (message: ServerMessage) => void;
  /** Half of the reply's chunks are out (scenario point `midReply`). */
  onMidReply: () => void;
}

interface Step {
  durationMs: number;
  send: () => void;
  /** The step sends words of the reply (text, or output transcription). */
  words?: true;
}

const OUTPUT_MIME = `audio/pcm;rate=${OUTPUT_RATE}`;

export class ReplyRun {
  private readonly abort = new AbortController();
  private readonly random: () => number;
  private readonly issued: IssuedCall[] = [];
  /** BLOCKING calls whose results the reply waits for. */
  private readonly awaited = new Set<string>();
  private readonly responses: FunctionResponse[];
  private toolsAnswered: () => void = () => undefined;
  private readonly sentAudio: Int16Array[] = [];
  private sentWords = '';
  private plannedText = '';
  private thoughtTokens = 0;
  private prompt: TokenTally;
  private state: 'running' | 'interrupted' | 'complete' | 'stopped' = 'running';
  private readonly startedAt = performance.now();

  constructor(private readonly options: ReplyRunOptions) {
    this.random = seededRandom(options.pacing.seed + options.turn.index);
    this.responses = [...options.results];
    this.prompt = options.prompt;
  }

  get turn(): Turn {
    return this.options.turn;
  }

  get running(): boolean {
    return this.state === 'running';
  }

  /** Ids of the calls this reply made, re-calls included. */
  get callIds(): string[] {
    return this.issued.map((call) => call.id);
  }

  /** What was sent, once the turn is over; undefined if the connection ended first. */
  async run(): Promise<TurnReply | undefined> {
    const late = this.options.lateInputTranscription;
    if (!late) this.sendInputTranscription();
    if (!(await this.makeCalls())) return this.outcome();
    const { turn, script, config } = this.options;
    const reply = composeReply(turn.input, script, this.responses, config.translation);
    this.plannedText = reply.text;
    this.sendGrounding();
    this.sendThought(reply.thought);
    const steps = this.steps(reply);
    if (late) steps.splice(steps.findIndex((step) => step.words) + 1, 0, this.inputTranscriptionStep());
    const turnCompleteAt = await this.play(steps);
    if (turnCompleteAt === undefined) return this.outcome();
    if (!reply.silent) this.options.send({ serverContent: { generationComplete: true } });
    // The service reports the turn complete when the client should have played it all.
    if (!(await this.sleepUntil(turnCompleteAt))) return this.outcome();
    this.state = 'complete';
    this.options.send({ serverContent: { turnComplete: true }, usageMetadata: this.usage() });
    return this.outcome();
  }

  /** Cut off (barge-in, or a result that interrupts): end the turn without generationComplete. */
  interrupt(): void {
    if (this.state !== 'running') return;
    this.state = 'interrupted';
    this.abort.abort();
    this.options.send({ serverContent: { interrupted: true } });
    this.options.send({ serverContent: { turnComplete: true }, usageMetadata: this.usage() });
  }

  /** The connection ended (or stopped answering): stop without another frame. */
  stop(): void {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    this.abort.abort();
  }

  /** Frames the model took while it waited for a BLOCKING result count in this reply's prompt. */
  addToPrompt(tokens: TokenTally): void {
    this.prompt = addTokens(this.prompt, tokens);
  }

  /** The result of one of this reply's BLOCKING calls; an empty one may make the model call again. */
  answer(call: IssuedCall, response: FunctionResponse): void {
    this.awaited.delete(call.id);
    const again = callAgain(call, response, this.options.config.model);
    if (again) {
      this.awaited.add(again.id);
      this.issue([again]);
      return;
    }
    this.responses.push(response);
    if (this.awaited.size === 0) this.toolsAnswered();
  }

  /** Sends the calls; false if the reply was cut off while it waited for BLOCKING results. */
  private async makeCalls(): Promise<boolean> {
    const { calls } = this.options;
    if (calls.length === 0) return true;
    for (const call of calls) if (call.behavior === 'BLOCKING') this.awaited.add(call.id);
    this.issue([...calls]);
    if (this.awaited.size === 0) return true;
    return new Promise<boolean>((resolve) => {
      this.toolsAnswered = () => resolve(true);
      this.abort.signal.addEventListener('abort', () => resolve(false), { once: true });
    });
  }

  private issue(calls: IssuedCall[]): void {
    this.issued.push(...calls);
    this.options.issueCalls(calls);
  }

  /** Before the reply's words, in a message of its own. */
  private sendGrounding(): void {
    const grounding = this.options.script?.reply?.grounding;
    if (!grounding) return;
    if (!this.options.config.tools.googleSearch) {
      return this.options.log(`turn ${this.options.turn.index}: no grounding metadata: googleSearch not declared`);
    }
    this.options.send({ serverContent: { groundingMetadata: groundingMetadata(grounding) } });
  }

  private sendInputTranscription(): void {
    const { config, script, turn } = this.options;
    if (!config.inputTranscription) return;
    // The translate model says which language it heard.
    const language = config.translation && spokenLanguage(script);
    for (const inputTranscription of transcriptionPieces(turn.input.transcript, language)) {
      this.options.send({ serverContent: { inputTranscription } });
    }
  }

  /** After the reply's first words (or first of all, for a reply without words). */
  private inputTranscriptionStep(): Step {
    return { durationMs: 0, send: () => this.sendInputTranscription() };
  }

  private sendThought(thought: string): void {
    const { config } = this.options;
    if (!config.includeThoughts || config.model.thinking === 'none') return;
    this.thoughtTokens = textTokens(thought);
    this.options.send({ serverContent: { modelTurn: { parts: [{ text: thought, thought: true }] } } });
  }

  private steps(reply: Reply): Step[] {
    if (reply.silent) return [];
    return this.options.config.responseModality === 'TEXT' ? this.textSteps(reply.text) : this.audioSteps(reply);
  }

  private textSteps(text: string): Step[] {
    return textPieces(text).map((piece) => ({
      durationMs: this.options.pacing.chunkMs,
      words: true,
      send: () => {
        this.sentWords += piece;
        this.options.send({ serverContent: { modelTurn: { parts: [{ text: piece }] } } });
      },
    }));
  }

  /** Audio chunks, with the output transcription spread over them as the service interleaves it. */
  private audioSteps(reply: Reply): Step[] {
    const lengths = chunkLengths(reply.audio.length, OUTPUT_RATE, this.options.pacing, this.random);
    const pieces = this.options.config.outputTranscription ? transcriptionPieces(reply.text, reply.languageCode) : [];
    const steps: Step[] = [];
    let offset = 0;
    let next = 0;
    lengths.forEach((length, k) => {
      const chunk = reply.audio.subarray(offset, (offset += length));
      steps.push({ durationMs: (length / OUTPUT_RATE) * 1000, send: () => this.sendAudio(chunk) });
      // Piece i follows chunk ceil((i + 1) * n / m) - 1: spread evenly, the last one after the last chunk.
      while (next < pieces.length && Math.ceil(((next + 1) * lengths.length) / pieces.length) - 1 <= k) {
        steps.push(this.transcriptionStep(pieces[next++]!));
      }
    });
    while (next < pieces.length) steps.push(this.transcriptionStep(pieces[next++]!));
    return steps;
  }

  private transcriptionStep(outputTranscription: Transcription): Step {
    return {
      durationMs: 0,
      words: true,
      send: () => {
        this.sentWords += outputTranscription.text;
        this.options.send({ serverContent: { outputTranscription } });
      },
    };
  }

  private sendAudio(chunk: Int16Array): void {
    this.sentAudio.push(chunk);
    this.options.send({
      serverContent: { modelTurn: { parts: [{ inlineData: { mimeType: OUTPUT_MIME, data: pcmToBase64(chunk) } }] } },
    });
  }

  /** Sends the steps on the pacing schedule; resolves with when turnComplete is due, or undefined if cut off. */
  private async play(steps: Step[]): Promise<number | undefined> {
    const { offsets, end } = sendSchedule(
      steps.map((step) => step.durationMs),
      this.options.pacing,
      this.random,
    );
    const start = performance.now();
    const half = Math.floor(steps.length / 2);
    for (const [i, step] of steps.entries()) {
      if (i === half && !this.reachMidReply()) return undefined;
      if (!(await this.sleepUntil(start + offsets[i]!))) return undefined;
      step.send();
    }
    if (steps.length === 0 && !this.reachMidReply()) return undefined;
    return start + end;
  }

  private reachMidReply(): boolean {
    this.options.onMidReply();
    return !this.abort.signal.aborted;
  }

  private async sleepUntil(deadline: number): Promise<boolean> {
    const wait = deadline - performance.now();
    if (wait > 0) await sleep(wait, undefined, { signal: this.abort.signal }).catch(() => undefined);
    return !this.abort.signal.aborted;
  }

  private usage(): UsageMetadata {
    const audio = audioTokens((this.sentAudio.reduce((sum, chunk) => sum + chunk.length, 0) / OUTPUT_RATE) * 1000);
    const text = this.options.config.responseModality === 'TEXT' ? textTokens(this.sentWords) : 0;
    return usageMetadata(this.prompt, { text, audio, image: 0 }, this.thoughtTokens);
  }

  private outcome(): TurnReply | undefined {
    if (this.state === 'stopped') return undefined;
    return {
      text: this.plannedText,
      transcript: this.sentWords,
      audio: concatPcm(this.sentAudio),
      interrupted: this.state === 'interrupted',
      functionCalls: this.issued.map(wireCall),
      functionResponses: this.responses,
      startedAt: this.startedAt,
      endedAt: performance.now(),
    };
  }
}

/** Incremental pieces, each with the language when there is one; the last one says `finished`. */
function transcriptionPieces(text: string, languageCode: string | undefined): Transcription[] {
  const pieces = textPieces(text);
  const language = languageCode === undefined ? {} : { languageCode };
  return pieces.map((piece, i) => ({ text: piece, ...language, ...(i === pieces.length - 1 && { finished: true }) }));
}
