import type { TranscriptEntry, Usage } from '../../../shared/types';

type Role = TranscriptEntry['role'];

/**
 * The conversation as the user sees it: one entry per side of each turn,
 * updated as transcription streams in, and published on every change.
 */
export class Transcript {
  private readonly entries: TranscriptEntry[] = [];
  private nextId = 1;

  constructor(
    private readonly publish: (entry: TranscriptEntry) => void,
    private readonly now: () => number = Date.now,
  ) {}

  all(): TranscriptEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  private find(turnId: number, role: Role): TranscriptEntry | undefined {
    return this.entries.findLast((entry) => entry.turnId === turnId && entry.role === role);
  }

  /** A new conversation starts empty (entry ids keep counting, so none is ever reused). */
  clear(): void {
    this.entries.length = 0;
  }

  /** Adds text to one side of a turn, creating the entry on first use. */
  append(turnId: number, role: Role, text: string): void {
    const entry = this.find(turnId, role) ?? this.create(turnId, role);
    entry.text += text;
    this.publish({ ...entry });
  }

  begin(turnId: number, role: Role, text = ''): void {
    const entry = this.create(turnId, role);
    entry.text = text;
    this.publish({ ...entry });
  }

  /** Updates one side of a turn; an interruption or failure is recorded even before any text arrived. */
  settle(turnId: number, role: Role, change: Partial<Pick<TranscriptEntry, 'state' | 'usage' | 'note'>>): void {
    const needsEntry = change.state === 'interrupted' || change.state === 'failed';
    const entry = this.find(turnId, role) ?? (needsEntry ? this.create(turnId, role) : undefined);
    if (!entry) return;
    if (entry.state !== 'streaming' && change.state && change.state !== entry.state) delete change.state;
    Object.assign(entry, change);
    this.publish({ ...entry });
  }

  private create(turnId: number, role: Role): TranscriptEntry {
    const entry: TranscriptEntry = { id: this.nextId++, turnId, role, text: '', at: this.now(), state: 'streaming' };
    this.entries.push(entry);
    return entry;
  }
}

export function usageFrom(metadata: {
  promptTokenCount?: number;
  responseTokenCount?: number;
  totalTokenCount?: number;
}): Usage {
  const promptTokens = metadata.promptTokenCount ?? 0;
  const responseTokens = metadata.responseTokenCount ?? 0;
  return { promptTokens, responseTokens, totalTokens: metadata.totalTokenCount ?? promptTokens + responseTokens };
}
