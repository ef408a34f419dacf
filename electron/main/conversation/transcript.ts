import type { Grounding, ToolCallInfo } from '../../../shared/tools';
import type { ScreenPicture, TranscriptEntry, Usage } from '../../../shared/types';

/** The sides of a turn that have one entry each; tool calls have one entry per call. */
type Role = Exclude<TranscriptEntry['role'], 'tool'>;

/**
 * The conversation as the user sees it: one entry per side of each turn,
 * updated as transcription streams in, and published on every change.
 */
export class Transcript {
  private readonly entries: TranscriptEntry[] = [];
  private nextId = 1;
  /** Entries carried over from an earlier run: their turn ids were that run's, so new turns never look at them. */
  private restored = 0;
  /** The newest turn of this run with an entry; a new conversation leaves it and every earlier turn behind. */
  private newestTurn = 0;
  private leftBehind = 0;

  constructor(
    private readonly publish: (entry: TranscriptEntry) => void,
    private readonly now: () => number = Date.now,
  ) {}

  all(): TranscriptEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  /** Whether one side of a turn of this run has an entry. */
  has(turnId: number, role: Role): boolean {
    return this.find(turnId, role) !== undefined;
  }

  private find(turnId: number, role: Role): TranscriptEntry | undefined {
    return this.entries.findLast(
      (entry, index) => index >= this.restored && entry.turnId === turnId && entry.role === role,
    );
  }

  /** Carries on a conversation saved by an earlier run: its entries come first, unpublished, and keep their ids. */
  restore(entries: readonly TranscriptEntry[]): void {
    this.entries.length = 0;
    for (const entry of entries) {
      this.entries.push({ ...entry });
      this.nextId = Math.max(this.nextId, entry.id + 1);
    }
    this.restored = this.entries.length;
  }

  /** A new conversation starts empty (entry ids keep counting, so none is ever reused). */
  clear(): void {
    this.entries.length = 0;
    this.restored = 0;
    this.leftBehind = this.newestTurn;
  }

  /** Adds text to one side of a turn, creating the entry on first use. */
  append(turnId: number, role: Role, text: string): void {
    // The rest of a reply from before a new conversation started is not part of it.
    if (turnId <= this.leftBehind) return;
    const entry = this.find(turnId, role) ?? this.create(turnId, role);
    entry.text += text;
    this.publish({ ...entry });
  }

  begin(turnId: number, role: Role, text = ''): void {
    const entry = this.create(turnId, role);
    entry.text = text;
    this.publish({ ...entry });
  }

  /** One side of a turn starts over (sent again after a lost connection, or retried): new text, streaming again. */
  restart(turnId: number, role: Role, text: string): void {
    const entry = this.find(turnId, role);
    if (!entry) return;
    entry.text = text;
    entry.state = 'streaming';
    delete entry.note;
    delete entry.usage;
    delete entry.retry;
    this.publish({ ...entry });
  }

  /** A picture of the screen went with the user's words of this turn; false when the turn is not this conversation's. */
  picture(turnId: number, picture: ScreenPicture): boolean {
    if (turnId <= this.leftBehind) return false;
    const entry = this.find(turnId, 'user') ?? this.create(turnId, 'user');
    entry.pictures = [...(entry.pictures ?? []), picture];
    this.publish({ ...entry });
    return true;
  }

  /** Adds a note to one side of a turn, after any it has (notes of different origins never replace each other). */
  addNote(turnId: number, role: Role, note: string): void {
    if (turnId <= this.leftBehind) return;
    this.appendNote(this.find(turnId, role) ?? this.create(turnId, role), note);
  }

  /** Adds a note to the newest entry of one side (what happened to the conversation around it). */
  noteOnLatest(role: Role, note: string): void {
    const entry = this.entries.findLast((candidate) => candidate.role === role);
    if (entry) this.appendNote(entry, note);
  }

  private appendNote(entry: TranscriptEntry, note: string): void {
    entry.note = entry.note ? `${entry.note} ${note}` : note;
    this.publish({ ...entry });
  }

  /** A tool call of the turn, created on first sight and updated as it goes: waiting, running, settled. */
  toolCall(turnId: number, info: ToolCallInfo): void {
    if (turnId <= this.leftBehind) return;
    // Call ids are Gemini's: unique within a turn, not necessarily across turns or connections.
    const entry =
      this.entries.findLast(
        (candidate, index) =>
          index >= this.restored &&
          candidate.role === 'tool' &&
          candidate.turnId === turnId &&
          candidate.tool?.callId === info.callId,
      ) ?? this.create(turnId, 'tool');
    entry.tool = info;
    // The result is the entry's text, so History finds it.
    entry.text = info.result ?? '';
    entry.state = info.state === 'approval' || info.state === 'running' ? 'streaming' : 'done';
    this.publish({ ...entry });
  }

  /** The searches and sources behind a reply. */
  ground(turnId: number, grounding: Grounding): void {
    if (turnId <= this.leftBehind) return;
    const entry = this.find(turnId, 'model') ?? this.create(turnId, 'model');
    entry.grounding = {
      queries: [...new Set([...(entry.grounding?.queries ?? []), ...grounding.queries])],
      sources: [...(entry.grounding?.sources ?? []), ...grounding.sources].filter(
        (source, index, all) => all.findIndex((other) => other.uri === source.uri) === index,
      ),
    };
    this.publish({ ...entry });
  }

  /** The language one side's words are in, as the service said; published only when it changes. */
  language(turnId: number, role: Role, language: string): void {
    const entry = this.find(turnId, role);
    if (!entry || entry.language === language) return;
    entry.language = language;
    this.publish({ ...entry });
  }

  /** Updates one side of a turn; an interruption or failure is recorded even before any text arrived. */
  settle(
    turnId: number,
    role: Role,
    change: Partial<Pick<TranscriptEntry, 'state' | 'usage' | 'note' | 'retry'>>,
  ): void {
    if (turnId <= this.leftBehind) return;
    const needsEntry = change.state === 'interrupted' || change.state === 'failed';
    const entry = this.find(turnId, role) ?? (needsEntry ? this.create(turnId, role) : undefined);
    if (!entry) return;
    if (entry.state !== 'streaming' && change.state && change.state !== entry.state) delete change.state;
    Object.assign(entry, change);
    this.publish({ ...entry });
  }

  private create(turnId: number, role: TranscriptEntry['role']): TranscriptEntry {
    const entry: TranscriptEntry = { id: this.nextId++, turnId, role, text: '', at: this.now(), state: 'streaming' };
    this.newestTurn = Math.max(this.newestTurn, turnId);
    this.entries.push(entry);
    return entry;
  }
}

export function usageFrom(metadata: {
  promptTokenCount?: number;
  responseTokenCount?: number;
  totalTokenCount?: number;
  promptTokensDetails?: { modality?: string; tokenCount?: number }[];
}): Usage {
  const promptTokens = metadata.promptTokenCount ?? 0;
  const responseTokens = metadata.responseTokenCount ?? 0;
  // Video frames are counted as IMAGE (VIDEO too, should the service ever name them so).
  const imageTokens = (metadata.promptTokensDetails ?? [])
    .filter((detail) => detail.modality === 'IMAGE' || detail.modality === 'VIDEO')
    .reduce((sum, detail) => sum + (detail.tokenCount ?? 0), 0);
  return {
    promptTokens,
    responseTokens,
    totalTokens: metadata.totalTokenCount ?? promptTokens + responseTokens,
    ...(imageTokens > 0 && { imageTokens }),
  };
}
