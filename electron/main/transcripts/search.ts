import type { TranscriptEntry } from '../../../shared/types';

const contextBefore = 40;
const contextAfter = 80;

export interface Match {
  before: string;
  match: string;
  after: string;
}

/**
 * Case-insensitive search of one entry's text, Unicode-aware (a regular
 * expression rather than lower-casing, whose length changes would misplace
 * the match), with the words around the first match.
 */
export function matcher(query: string): (entry: TranscriptEntry) => Match | undefined {
  const pattern = new RegExp(query.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu');
  return (entry) => {
    const found = pattern.exec(entry.text);
    if (!found) return undefined;
    const start = found.index;
    const end = start + found[0].length;
    const from = Math.max(0, start - contextBefore);
    const to = Math.min(entry.text.length, end + contextAfter);
    return {
      before: `${from > 0 ? '…' : ''}${entry.text.slice(from, start)}`,
      match: found[0],
      after: `${entry.text.slice(end, to)}${to < entry.text.length ? '…' : ''}`,
    };
  };
}
