// Token counts in the service's proportions: audio is 32 tokens per second,
// text about 4 characters per token, a video frame 64 or 256 by media
// resolution (video-input.ts).
import type { ModalityTokenCount, UsageMetadata } from './wire';

const AUDIO_TOKENS_PER_SECOND = 32;
const CHARS_PER_TOKEN = 4;

export function audioTokens(ms: number): number {
  return Math.ceil((ms / 1000) * AUDIO_TOKENS_PER_SECOND);
}

export function textTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export interface TokenTally {
  text: number;
  audio: number;
  /** Video frames. */
  image: number;
}

export const NO_TOKENS: TokenTally = { text: 0, audio: 0, image: 0 };

export function addTokens(a: TokenTally, b: TokenTally): TokenTally {
  return { text: a.text + b.text, audio: a.audio + b.audio, image: a.image + b.image };
}

/** Adds to the model's context; sliding-window compression drops the oldest down to the target past the trigger. */
export function addToContext(
  context: TokenTally,
  added: TokenTally,
  compression: { triggerTokens: number; targetTokens: number } | undefined,
): TokenTally {
  const { text, audio, image } = addTokens(context, added);
  const total = text + audio + image;
  if (!compression || total <= compression.triggerTokens) return { text, audio, image };
  const keep = compression.targetTokens / total;
  return { text: Math.floor(text * keep), audio: Math.floor(audio * keep), image: Math.floor(image * keep) };
}

export function usageMetadata(prompt: TokenTally, response: TokenTally, thoughts: number): UsageMetadata {
  const promptTokenCount = prompt.text + prompt.audio + prompt.image;
  const responseTokenCount = response.text + response.audio + response.image;
  const usage: UsageMetadata = {
    promptTokenCount,
    responseTokenCount,
    totalTokenCount: promptTokenCount + responseTokenCount + thoughts,
    promptTokensDetails: details(prompt),
    responseTokensDetails: details(response),
  };
  if (thoughts > 0) usage.thoughtsTokenCount = thoughts;
  return usage;
}

function details(tally: TokenTally): ModalityTokenCount[] {
  const counts: ModalityTokenCount[] = [];
  if (tally.text > 0) counts.push({ modality: 'TEXT', tokenCount: tally.text });
  if (tally.audio > 0) counts.push({ modality: 'AUDIO', tokenCount: tally.audio });
  // Video frames count as IMAGE, as a third-party log of the service shows (XNet-NGO/aiope#127); unconfirmed.
  if (tally.image > 0) counts.push({ modality: 'IMAGE', tokenCount: tally.image });
  return counts;
}
