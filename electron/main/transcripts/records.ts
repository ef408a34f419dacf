import { z } from 'zod';
import { ConversationId } from '../../../shared/conversations';
import { ProfileRef, TranscriptEntry } from '../../../shared/types';

/** The first line of a conversation file, so the file says what it is even without the index. */
export const HeaderRecord = z.object({
  type: z.literal('conversation'),
  version: z.literal(1),
  id: ConversationId,
  startedAt: z.number(),
  /**
   * Whose conversation it is. Added without a new version: earlier Parleys ignore it, and a file
   * without one (or with one this version cannot read) is the assistant's, as every file was before.
   */
  profile: ProfileRef.optional().catch(undefined),
});
export type HeaderRecord = z.infer<typeof HeaderRecord>;

/** An entry as it stood when written; a later record of the same entry id replaces it. */
export const EntryRecord = z.object({ type: z.literal('entry'), entry: TranscriptEntry });
export type EntryRecord = z.infer<typeof EntryRecord>;

const ConversationRecord = z.discriminatedUnion('type', [HeaderRecord, EntryRecord]);
type ConversationRecord = z.infer<typeof ConversationRecord>;

export const encodeRecord = (record: ConversationRecord): string => `${JSON.stringify(record)}\n`;

export interface ParsedConversation {
  header?: HeaderRecord;
  /** Folded by entry id (last record wins), in transcript order. */
  entries: TranscriptEntry[];
  /** Lines that are not a valid record (a torn last line included), skipped. */
  badLines: number;
  /** The file ends in a partial line: a write cut short by a crash or a power cut. */
  tornTail: boolean;
  /** Bytes up to the end of the last whole line: where appending carries on. */
  wholeBytes: number;
}

const newline = 0x0a;

function parseLine(line: string): ConversationRecord | undefined {
  try {
    const parsed = ConversationRecord.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a conversation file as any crash may have left it: every line is
 * validated on its own, so a garbled line costs that record only, and a last
 * line without its newline is a torn write, never the end of the file's use.
 */
export function parseConversation(data: Buffer): ParsedConversation {
  const wholeBytes = data.lastIndexOf(newline) + 1;
  const lines = data.toString('utf8', 0, wholeBytes).split('\n');
  lines.pop(); // the empty string after the last newline
  const tail = data.toString('utf8', wholeBytes);
  // Every record is written with its newline, so a tail is torn, even when it happens to parse.
  const tornTail = tail.length > 0;
  let header: HeaderRecord | undefined;
  const entries = new Map<number, TranscriptEntry>();
  let badLines = tornTail ? 1 : 0;
  for (const line of lines) {
    const record = parseLine(line);
    if (!record) badLines++;
    else if (record.type === 'entry') entries.set(record.entry.id, record.entry);
    else header ??= record;
  }
  // Entry ids count up as the transcript creates entries, across runs too: they are its order, the one the window shows.
  // (Earlier versions could write a reply's first record above its question's.)
  const inOrder = [...entries.values()].sort((a, b) => a.id - b.id);
  return { header, entries: inOrder, badLines, tornTail, wholeBytes };
}
