// One model turn on the wire: input transcription (or, when late, after the
// reply's first words), tool calls, then paced audio (or text) with output
// transcription, generationComplete and turnComplete. Barge-in cuts it with `interrupted` and no generationComplete.
import { setTimeout as sleep } from 'node:timers/promises';
import { concatPcm, pcmToBase64 } from '../support/audio';
import type { FunctionResponse } from './client-messages';
import type { Turn, TurnReply } from './conversation';
import { seededRandom, sendSchedule, chunkLengths, type Pacing } from './pacing';
import { composeReply, functionCalls, type Reply } from './replies';
import { OUTPUT_RATE, type TurnScript } from './scenario';
import type { SessionConfig } from './setup';
import { textPieces } from './text-pieces';
import { audioTokens, textTokens, usageMetadata, type TokenTally } from './usage';
import type { FunctionCall, ServerMessage, Transcription, UsageMetadata } from './wire';

export interface ReplyRunOptions {
  turn: Turn;
  config: SessionConfig;
  script: TurnScript | undefined;
  /** The input transcription follows the reply's first words instead of preceding the reply. */
  lateInputTranscription: boolean;
  pacing: Pacing;
  /** Tokens in the model's context, this turn's input included. */
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
  /** The tool calls this turn makes (sent before the reply). */
  readonly calls: FunctionCall[];
  private readonly unansweredCalls = new Set<string>();
  private readonly responses: FunctionResponse[] = [];
  private toolsAnswered: () => void = () => undefined;
  private readonly sentAudio: Int16Array[] = [];
  private sentWords = '';
  private plannedText = '';
  private thoughtTokens = 0;
  private state: 'running' | 'interrupted' | 'complete' | 'stopped' = 'running';
  private readonly startedAt = performance.now();

  constructor(private readonly options: ReplyRunOptions) {
    this.random = seededRandom(options.pacing.seed + options.turn.index);
    this.calls = functionCalls(options.script, options.turn.index);
  }

  /** What was sent, once the turn is over; undefined if the connection ended first. */
  async run(): Promise<TurnReply | undefined> {
    const late = this.options.lateInputTranscription;
    if (!late) this.sendInputTranscription();
    if (this.calls.length > 0 && !(await this.callTools())) return this.outcome();
    const reply = composeReply(this.options.turn.input, this.options.script, this.responses);
    this.plannedText = reply.text;
    this.sendThought(reply.thought);
    const steps = this.options.config.responseModality === 'TEXT' ? this.textSteps(reply.text) : this.audioSteps(reply);
    if (late) steps.splice(steps.findIndex((step) => step.words) + 1, 0, this.inputTranscriptionStep());
    const turnCompleteAt = await this.play(steps);
    if (turnCompleteAt === undefined) return this.outcome();
    this.options.send({ serverContent: { generationComplete: true } });
    // The service reports the turn complete when the client should have played it all.
    if (!(await this.sleepUntil(turnCompleteAt))) return this.outcome();
    this.state = 'complete';
    this.options.send({ serverContent: { turnComplete: true }, usageMetadata: this.usage() });
    return this.outcome();
  }

  /** Barge-in: cancel pending tool calls and end the turn without generationComplete. */
  interrupt(): void {
    if (this.state !== 'running') return;
    this.state = 'interrupted';
    this.abort.abort();
    if (this.unansweredCalls.size > 0) this.options.send({ toolCallCancellation: { ids: [...this.unansweredCalls] } });
    this.options.send({ serverContent: { interrupted: true } });
    this.options.send({ serverContent: { turnComplete: true }, usageMetadata: this.usage() });
  }

  /** The connection ended (or stopped answering): stop without another frame. */
  stop(): void {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    this.abort.abort();
  }

  waitsForCall(id: string): boolean {
    return this.unansweredCalls.has(id);
  }

  answer(response: FunctionResponse): void {
    if (response.id !== undefined) this.unansweredCalls.delete(response.id);
    this.responses.push(response);
    if (this.unansweredCalls.size === 0) this.toolsAnswered();
  }

  private async callTools(): Promise<boolean> {
    for (const call of this.calls) this.unansweredCalls.add(call.id);
    this.options.send({ toolCall: { functionCalls: this.calls } });
    return new Promise<boolean>((resolve) => {
      this.toolsAnswered = () => resolve(true);
      this.abort.signal.addEventListener('abort', () => resolve(false), { once: true });
    });
  }

  private sendInputTranscription(): void {
    if (!this.options.config.inputTranscription) return;
    for (const inputTranscription of transcriptionPieces(this.options.turn.input.transcript)) {
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
    const pieces = this.options.config.outputTranscription ? transcriptionPieces(reply.text) : [];
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
    const response = { text: this.options.config.responseModality === 'TEXT' ? textTokens(this.sentWords) : 0, audio };
    return usageMetadata(this.options.prompt, response, this.thoughtTokens);
  }

  private outcome(): TurnReply | undefined {
    if (this.state === 'stopped') return undefined;
    return {
      text: this.plannedText,
      transcript: this.sentWords,
      audio: concatPcm(this.sentAudio),
      interrupted: this.state === 'interrupted',
      functionCalls: this.calls,
      functionResponses: this.responses,
      startedAt: this.startedAt,
      endedAt: performance.now(),
    };
  }
}

/** Incremental pieces; the last one says `finished`. */
function transcriptionPieces(text: string): Transcription[] {
  const pieces = textPieces(text);
  return pieces.map((piece, i) => (i === pieces.length - 1 ? { text: piece, finished: true } : { text: piece }));
}
