import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { ConversationSummary } from '../../../shared/conversations';

/** What the History list needs of each conversation, without reading every file; `bytes` tells a stale row. */
export const IndexRow = ConversationSummary.omit({ current: true }).extend({ bytes: z.number().int().nonnegative() });
export type IndexRow = z.infer<typeof IndexRow>;

const IndexFile = z.object({ version: z.literal(1), conversations: z.array(IndexRow) });

/**
 * `index.json` beside the conversation files. Only a cache of what the files
 * say: missing, damaged or stale rows are read again from the files.
 */
export function readIndex(path: string): Map<string, IndexRow> {
  try {
    const parsed = IndexFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return new Map(parsed.success ? parsed.data.conversations.map((row) => [row.id, row]) : []);
  } catch {
    return new Map();
  }
}

/** Written whole to a temporary file and renamed over the old one, so a reader sees one or the other. */
export function writeIndex(path: string, rows: Iterable<IndexRow>): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, JSON.stringify({ version: 1, conversations: [...rows] }));
  renameSync(temporary, path);
}
