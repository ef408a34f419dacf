import type { Content } from '@google/genai';
import type { TurnText } from '../transcripts/conversation-store';

/** Enough to pick up the thread, small enough to cost little context. */
export const recapTurns = 6;
const maxCharsPerEntry = 400;

/**
 * When the server no longer has a conversation (its handle expired), a new
 * session starts with this as its first, unanswered user content: the last
 * turns (as the conversation store picks them: delivered, not empty), each
 * shortened, marked as a recap.
 */
export function summaryOfRecentTurns(said: readonly TurnText[]): Content[] {
  if (said.length === 0) return [];
  const lines = said.map((entry) => `${entry.role === 'user' ? 'User' : 'You'}: ${shorten(entry.text.trim())}`);
  const text = `(Recap: our earlier session ended. The last things we said were:\n${lines.join('\n')}\nContinue the conversation from here.)`;
  return [{ role: 'user', parts: [{ text }] }];
}

function shorten(text: string): string {
  return text.length <= maxCharsPerEntry ? text : `${text.slice(0, maxCharsPerEntry - 1)}…`;
}
