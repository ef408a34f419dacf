// What the model answers. The default persona, echo, sends the user's own
// audio back at 24 kHz so tests can check audio integrity end to end; text
// turns get a text-derived answer and a tone. The translate model's persona
// says what it translated into which language. Scenario turns override parts.
import { durationMs, resample, tone } from '../support/audio';
import type { FunctionResponse } from './client-messages';
import type { TurnInput } from './conversation';
import { OUTPUT_RATE, type Grounding, type ReplyAudio, type ReplyScript, type TurnScript } from './scenario';
import { isEmptyResult, type IssuedCall } from './tool-calls';
import type { DeclaredTools } from './tool-setup';
import { sameLanguage, type TranslationSettings } from './translation';
import type { GroundingMetadata } from './wire';

export interface Reply {
  /** Text parts in TEXT mode, the output transcription in AUDIO mode. */
  text: string;
  thought: string;
  /** 24 kHz. */
  audio: Int16Array;
  /** BCP-47 of the output transcription: the translate model's target language. */
  languageCode?: string;
  /** Nothing to say: no words, no audio, no generationComplete; the turn just completes. */
  silent?: true;
}

/** The facts about a user turn that replies are made from. */
export type InputFacts = Pick<TurnInput, 'source' | 'audio' | 'text' | 'frames'>;

const HEARD = 'heard {seconds} s of audio';
const SAW = ', saw {frames} frames, the last {lastFrame}';
const TEXT_TONE_HZ = 440;
const DEFAULT_SPOKEN_LANGUAGE = 'en';

export function inputTranscript(input: InputFacts, script: TurnScript | undefined): string {
  if (input.source !== 'audio') return '';
  return fill(script?.reply?.inputTranscription ?? HEARD, input, []);
}

/** The language the translate model hears in a user turn. */
export function spokenLanguage(script: TurnScript | undefined): string {
  return script?.reply?.inputLanguage ?? DEFAULT_SPOKEN_LANGUAGE;
}

export interface PlannedCalls {
  calls: IssuedCall[];
  /** Scripted calls to functions the setup does not declare: the model cannot make them. */
  undeclared: string[];
}

/** The scripted calls of a turn that the model can make, each with its declared behaviour. */
export function plannedCalls(script: TurnScript | undefined, turnIndex: number, tools: DeclaredTools): PlannedCalls {
  const planned: PlannedCalls = { calls: [], undeclared: [] };
  (script?.toolCalls ?? []).forEach((call, i) => {
    const behavior = tools.functions.get(call.name);
    if (!behavior) return planned.undeclared.push(call.name);
    const id = call.id ?? `call-${turnIndex}-${i}`;
    planned.calls.push({ id, name: call.name, args: call.args ?? {}, behavior, turnIndex, attempt: 0 });
  });
  return planned;
}

export function composeReply(
  input: InputFacts,
  script: TurnScript | undefined,
  responses: readonly FunctionResponse[],
  translation?: TranslationSettings,
): Reply {
  if (translation) return translatedReply(input, script, translation);
  const scripted = script?.reply;
  const text = fill(scripted?.outputTranscription ?? scripted?.text ?? defaultText(input, responses), input, responses);
  return {
    text,
    thought: fill(scripted?.thought ?? 'Thinking about how to answer.', input, responses),
    audio: spokenAudio(scripted, input, text),
  };
}

/**
 * The user's words in the target language; speech already in it is repeated only with
 * echoTargetLanguage (the SDK: otherwise "we will not produce audio for the target language").
 */
function translatedReply(input: InputFacts, script: TurnScript | undefined, translation: TranslationSettings): Reply {
  const target = translation.targetLanguageCode;
  const inTarget = sameLanguage(spokenLanguage(script), target);
  if (inTarget && !translation.echoTargetLanguage) {
    return { text: '', thought: '', audio: new Int16Array(0), silent: true };
  }
  const scripted = script?.reply;
  const text = fill(
    scripted?.outputTranscription ?? scripted?.text ?? translationText(input, target, inTarget),
    input,
    [],
  );
  return { text, thought: '', audio: spokenAudio(scripted, input, text), languageCode: target };
}

/** "translated 1.50 s of audio into fr", or "repeated … in fr" for speech already in French. */
function translationText(input: InputFacts, target: string, inTarget: boolean): string {
  const said = input.source === 'audio' ? '{seconds} s of audio' : '"{text}"';
  return inTarget ? `repeated ${said} in ${target}` : `translated ${said} into ${target}`;
}

/** The scripted audio, else the user's own for an audio turn, else a tone as long as the text. */
function spokenAudio(scripted: ReplyScript | undefined, input: InputFacts, text: string): Int16Array {
  return replyAudio(scripted?.audio ?? (input.source === 'audio' ? 'echo' : undefined), input, text);
}

function defaultText(input: InputFacts, responses: readonly FunctionResponse[]): string {
  const saw = input.frames.length > 0 ? SAW : '';
  if (responses.length > 0) return `{toolResults}${saw}`;
  return (input.source === 'audio' ? HEARD : 'you said: {text}') + saw;
}

function replyAudio(source: ReplyAudio | undefined, input: InputFacts, text: string): Int16Array {
  if (source === 'none') return new Int16Array(0);
  if (source === 'echo') return resample(input.audio, OUTPUT_RATE).samples;
  if (source) return source;
  // A beep as long as the text would take to say, so text turns have audio of a plausible length.
  const words = text.split(/\s+/).filter(Boolean).length;
  return tone(OUTPUT_RATE, TEXT_TONE_HZ, Math.min(3000, Math.max(300, words * 200)));
}

/** Replaces {seconds}, {text}, {toolResults}, {frames} and {lastFrame} in scripted strings. */
function fill(template: string, input: InputFacts, responses: readonly FunctionResponse[]): string {
  return template
    .replaceAll('{seconds}', (durationMs(input.audio) / 1000).toFixed(2))
    .replaceAll('{text}', input.text)
    .replaceAll('{toolResults}', responses.map(describeResult).join('; '))
    .replaceAll('{frames}', String(input.frames.length))
    .replaceAll('{lastFrame}', input.frames.at(-1)?.describe() ?? 'no frame');
}

/** "get_time returned {…}", "get_time failed: …", or "get_time returned nothing". */
function describeResult({ id, name, response }: FunctionResponse): string {
  const tool = name ?? id;
  const error = response?.error;
  if (error !== undefined) return `${tool} failed: ${typeof error === 'string' ? error : JSON.stringify(error)}`;
  return `${tool} returned ${isEmptyResult(response) ? 'nothing' : JSON.stringify(response)}`;
}

/** What the service sends for a reply grounded in Google Search. */
export function groundingMetadata({ queries, sources }: Grounding): GroundingMetadata {
  const chips = queries.map((query) => `<a class="chip">${escapeHtml(query)}</a>`).join('');
  return {
    webSearchQueries: queries,
    groundingChunks: sources.map(({ uri, title }) => ({ web: { uri, title } })),
    searchEntryPoint: { renderedContent: `<div class="container">${chips}</div>` },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
