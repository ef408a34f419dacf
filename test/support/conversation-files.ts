import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeRecord } from '../../electron/main/transcripts/records';
import type { ProfileRef, TranscriptEntry } from '../../shared/types';

export interface MadeConversation {
  id: string;
  /** Whose it is; none, as in every file saved before profiles. */
  profile?: ProfileRef;
  startedAt: number;
  turns: number;
  /** Both sides of turn n (from 1). */
  text(n: number, role: TranscriptEntry['role']): string;
}

/** A conversation file as Parley writes it, made in one go, so tests can start with a long history. */
export function writeConversationFile(conversationsDir: string, made: MadeConversation): void {
  mkdirSync(conversationsDir, { recursive: true });
  const { id, startedAt, profile } = made;
  const lines = [encodeRecord({ type: 'conversation', version: 1, id, startedAt, ...(profile && { profile }) })];
  for (let n = 1; n <= made.turns; n++) {
    for (const [offset, role] of [[0, 'user'] as const, [1, 'model'] as const]) {
      const entry: TranscriptEntry = {
        id: 2 * n - 1 + offset,
        turnId: n,
        role,
        text: made.text(n, role),
        at: made.startedAt + n * 10_000 + offset * 2_000,
        state: 'done',
      };
      lines.push(encodeRecord({ type: 'entry', entry }));
    }
  }
  writeFileSync(join(conversationsDir, `${made.id}.jsonl`), lines.join(''));
}
