// What the model answers. The default persona, echo, sends the user's own
// audio back at 24 kHz so tests can check audio integrity end to end; text
// turns get a text-derived answer and a tone. Scenario turns override parts.
import { durationMs, resample, tone } from '../support/audio';
import type { FunctionResponse } from './client-messages';
import type { TurnInput } from './conversation';
import { OUTPUT_RATE, type ReplyAudio, type TurnScript } from './scenario';
import type { FunctionCall } from './wire';

export interface Reply {
  /** Text parts in TEXT mode, the output transcription in AUDIO mode. */
  text: string;
  thought: string;
  /** 24 kHz. */
  audio: Int16Array;
}

/** The facts about a user turn that replies are made from. */
export type InputFacts = Pick<TurnInput, 'source' | 'audio' | 'text'>;

const HEARD = 'heard {seconds} s of audio';
const TEXT_TONE_HZ = 440;

export function inputTranscript(input: InputFacts, script: TurnScript | undefined): string {
  if (input.source !== 'audio') return '';
  return fill(script?.reply?.inputTranscription ?? HEARD, input, []);
}

export function functionCalls(script: TurnScript | undefined, turnIndex: number): FunctionCall[] {
  return (script?.toolCalls ?? []).map((call, i) => ({
    id: call.id ?? `call-${turnIndex}-${i}`,
    name: call.name,
    args: call.args ?? {},
  }));
}

export function composeReply(
  input: InputFacts,
  script: TurnScript | undefined,
  responses: readonly FunctionResponse[],
): Reply {
  const scripted = script?.reply;
  const text = fill(scripted?.outputTranscription ?? scripted?.text ?? defaultText(input, responses), input, responses);
  return {
    text,
    thought: fill(scripted?.thought ?? 'Thinking about how to answer.', input, responses),
    audio: replyAudio(scripted?.audio ?? (input.source === 'audio' ? 'echo' : undefined), input, text),
  };
}

function defaultText(input: InputFacts, responses: readonly FunctionResponse[]): string {
  if (responses.length > 0) return '{toolResults}';
  return input.source === 'audio' ? HEARD : 'you said: {text}';
}

function replyAudio(source: ReplyAudio | undefined, input: InputFacts, text: string): Int16Array {
  if (source === 'none') return new Int16Array(0);
  if (source === 'echo') return resample(input.audio, OUTPUT_RATE).samples;
  if (source) return source;
  // A beep as long as the text would take to say, so text turns have audio of a plausible length.
  const words = text.split(/\s+/).filter(Boolean).length;
  return tone(OUTPUT_RATE, TEXT_TONE_HZ, Math.min(3000, Math.max(300, words * 200)));
}

/** Replaces {seconds}, {text} and {toolResults} in scripted strings. */
function fill(template: string, input: InputFacts, responses: readonly FunctionResponse[]): string {
  return template
    .replaceAll('{seconds}', (durationMs(input.audio) / 1000).toFixed(2))
    .replaceAll('{text}', input.text)
    .replaceAll(
      '{toolResults}',
      responses.map((r) => `${r.name ?? r.id} returned ${JSON.stringify(r.response)}`).join('; '),
    );
}
