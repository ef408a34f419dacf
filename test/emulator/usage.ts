// Token counts in the service's proportions: audio is 32 tokens per second,
// text about 4 characters per token.
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
}

/** Adds to the model's context; sliding-window compression drops the oldest down to the target past the trigger. */
export function addToContext(
  context: TokenTally,
  added: TokenTally,
  compression: { triggerTokens: number; targetTokens: number } | undefined,
): TokenTally {
  const text = context.text + added.text;
  const audio = context.audio + added.audio;
  const total = text + audio;
  if (!compression || total <= compression.triggerTokens) return { text, audio };
  const keep = compression.targetTokens / total;
  return { text: Math.floor(text * keep), audio: Math.floor(audio * keep) };
}

export function usageMetadata(prompt: TokenTally, response: TokenTally, thoughts: number): UsageMetadata {
  const promptTokenCount = prompt.text + prompt.audio;
  const responseTokenCount = response.text + response.audio;
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
  return counts;
}
