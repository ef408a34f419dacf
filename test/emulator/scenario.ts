// Scripted behaviour, as JSON: per-turn replies, tool calls and faults, plus
// timed events on every connection. See README.md for the format.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { readWav, resample, tone } from '../support/audio';
import { isLanguageTag } from './translation';

export const OUTPUT_RATE = 24_000;

/** Moments in a turn at which a turn event fires. */
export const TURN_POINTS = ['turnStart', 'midTurn', 'turnEnd', 'midReply', 'afterReply'] as const;
export type TurnPoint = (typeof TURN_POINTS)[number];

/** Events share their actions; `trigger` says when they fire. */
function eventSchema<Trigger extends z.ZodRawShape>(trigger: Trigger) {
  return z.discriminatedUnion('type', [
    /** Cut the TCP connection without a close frame (the client sees 1006). */
    z.strictObject({ ...trigger, type: z.literal('drop') }),
    z.strictObject({
      ...trigger,
      type: z.literal('close'),
      code: z.number().int().refine(isSendableCloseCode, 'not a code a close frame can carry (use drop for 1006)'),
      reason: z.string().optional(),
    }),
    /** Announce the end of the connection; it closes with 1011 when the time is up. */
    z.strictObject({ ...trigger, type: z.literal('goAway'), timeLeftMs: z.number().nonnegative() }),
    /** From now on the emulator sends nothing at all on this connection. */
    z.strictObject({ ...trigger, type: z.literal('stopAnswering') }),
  ]);
}

function isSendableCloseCode(code: number): boolean {
  const reserved = code === 1004 || code === 1005 || code === 1006;
  return (code >= 1000 && code <= 1014 && !reserved) || (code >= 3000 && code <= 4999);
}

/** Only on the Nth connection the emulator accepts (0-based); every connection when absent. */
const onConnection = z.number().int().nonnegative().optional();
// A fault on one connection only: a client that sends the turn again after resuming meets it once.
const turnEvent = eventSchema({ at: z.enum(TURN_POINTS), connection: onConnection });
const timedEvent = eventSchema({ afterMs: z.number().nonnegative(), connection: onConnection });

const audioSource = z.union([
  z.literal('echo'),
  z.literal('none'),
  z.strictObject({ wav: z.string() }),
  z.strictObject({
    tone: z.strictObject({
      frequencyHz: z.number().positive(),
      durationMs: z.number().positive(),
      amplitude: z.number().min(0).max(1).optional(),
    }),
  }),
]);

const functionCall = z.strictObject({
  id: z.string().optional(),
  name: z.string(),
  args: z.record(z.string(), z.unknown()).optional(),
});

/** Google Search results the reply is grounded in (sent only when the setup declares googleSearch). */
const grounding = z.strictObject({
  queries: z.array(z.string()),
  sources: z.array(z.strictObject({ title: z.string(), uri: z.string() })),
});

const reply = z.strictObject({
  /** What the model says: text parts in TEXT mode, the output transcription in AUDIO mode. */
  text: z.string().optional(),
  inputTranscription: z.string().optional(),
  /** The language the user spoke (BCP-47), which the translate model detects; `en` when unsaid. */
  inputLanguage: z.string().refine(isLanguageTag, 'not a BCP-47 language tag').optional(),
  outputTranscription: z.string().optional(),
  thought: z.string().optional(),
  audio: audioSource.optional(),
  grounding: grounding.optional(),
});

const turnScript = z.strictObject({
  reply: reply.optional(),
  /**
   * Sent before the reply, for functions the setup declares. The reply waits for the results of
   * BLOCKING calls; it goes on at once after NON_BLOCKING ones.
   */
  toolCalls: z.array(functionCall).optional(),
  /** What the model says about a NON_BLOCKING call's result (default: what the tool returned). */
  resultReply: reply.optional(),
  events: z.array(turnEvent).optional(),
});

export const scenarioSchema = z.strictObject({
  setupCompleteDelayMs: z.number().nonnegative().optional(),
  /**
   * The input transcription comes after the reply's own transcription (or text) has begun, as the
   * service may send it (pipecat issue #1788), instead of before the reply.
   */
  lateInputTranscription: z.boolean().optional(),
  /** turns[i] scripts the conversation's i-th user turn, counting across resumed connections. */
  turns: z.array(turnScript).optional(),
  events: z.array(timedEvent).optional(),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type EventAction =
  | { type: 'drop' }
  | { type: 'close'; code: number; reason?: string }
  | { type: 'goAway'; timeLeftMs: number }
  | { type: 'stopAnswering' };
export type TurnEvent = z.infer<typeof turnEvent>;
export type TimedEvent = z.infer<typeof timedEvent>;
export type FunctionCallScript = z.infer<typeof functionCall>;
type TurnScriptInput = z.infer<typeof turnScript>;
type ReplyInput = z.infer<typeof reply>;
export type Grounding = z.infer<typeof grounding>;

/** Reply audio resolved to 24 kHz samples, or one of the turn-derived sources. */
export type ReplyAudio = 'echo' | 'none' | Int16Array;

export interface ReplyScript extends Omit<ReplyInput, 'audio'> {
  audio?: ReplyAudio;
}

export interface TurnScript extends Omit<TurnScriptInput, 'reply' | 'resultReply'> {
  reply?: ReplyScript;
  resultReply?: ReplyScript;
}

export interface Scenario {
  setupCompleteDelayMs: number;
  lateInputTranscription: boolean;
  turns: TurnScript[];
  events: TimedEvent[];
}

export const EMPTY_SCENARIO: Scenario = {
  setupCompleteDelayMs: 0,
  lateInputTranscription: false,
  turns: [],
  events: [],
};

/** Validates a scenario object; WAV paths are relative to `baseDir`. */
export async function resolveScenario(input: unknown, baseDir = process.cwd()): Promise<Scenario> {
  const result = scenarioSchema.safeParse(input);
  if (!result.success) throw new Error(`invalid scenario: ${z.prettifyError(result.error)}`);
  const scenario = result.data;
  return {
    setupCompleteDelayMs: scenario.setupCompleteDelayMs ?? 0,
    lateInputTranscription: scenario.lateInputTranscription ?? false,
    turns: await Promise.all((scenario.turns ?? []).map((turn) => resolveTurn(turn, baseDir))),
    events: scenario.events ?? [],
  };
}

export async function loadScenarioFile(path: string): Promise<Scenario> {
  const text = await readFile(path, 'utf8');
  return resolveScenario(JSON.parse(text), dirname(resolve(path)));
}

async function resolveTurn(turn: TurnScriptInput, baseDir: string): Promise<TurnScript> {
  return {
    ...turn,
    reply: await resolveReply(turn.reply, baseDir),
    resultReply: await resolveReply(turn.resultReply, baseDir),
  };
}

async function resolveReply(input: ReplyInput | undefined, baseDir: string): Promise<ReplyScript | undefined> {
  if (!input) return undefined;
  const { audio, ...rest } = input;
  return { ...rest, audio: audio && (await resolveAudio(audio, baseDir)) };
}

async function resolveAudio(source: z.infer<typeof audioSource>, baseDir: string): Promise<ReplyAudio> {
  if (source === 'echo' || source === 'none') return source;
  if ('wav' in source) return resample(await readWav(resolve(baseDir, source.wav)), OUTPUT_RATE).samples;
  const { frequencyHz, durationMs, amplitude } = source.tone;
  return tone(OUTPUT_RATE, frequencyHz, durationMs, amplitude);
}
