import type { TranscriptEntry } from '../../../shared/types';

const titleWords = 8;
const titleChars = 60;

/** The first words the user said or typed, which is how people recognise a conversation in a list. */
export function titleOf(entries: Iterable<TranscriptEntry>): string {
  for (const entry of entries) {
    const text = entry.role === 'user' ? entry.text.trim() : '';
    if (!text) continue;
    const words = text.split(/\s+/);
    let title = words.slice(0, titleWords).join(' ');
    if (title.length > titleChars) title = title.slice(0, titleChars).trimEnd();
    return title.length < text.length ? `${title}…` : title;
  }
  return '';
}

/**
 * Every turn starts with the user's entry. (Turn ids will not do: each run of
 * the app counts them from 1 again, and a conversation spans runs.)
 */
export const turnCountOf = (entries: readonly TranscriptEntry[]): number =>
  entries.filter((entry) => entry.role === 'user').length;

/** When the conversation last moved: the start of its latest entry. */
export const lastActivityOf = (entries: readonly TranscriptEntry[], startedAt: number): number =>
  entries.reduce((latest, entry) => Math.max(latest, entry.at), startedAt);
