import type { TranscriptEntry } from '../../shared/types';
import { parley, unwrap } from '../lib/parley';

/**
 * The conversation as main streams it: entries upserted by id, kept in order.
 * Raw state, replaced on every change: a conversation carried on for months
 * can hold tens of thousands of entries, too many to proxy one by one.
 */
export class TranscriptLog {
  entries = $state.raw<TranscriptEntry[]>([]);
  level = $state(0);
  private readonly stops = [
    parley.onTranscriptEntry((entry) => this.upsert(entry)),
    parley.onInputLevelChanged(({ level }) => (this.level = level)),
    parley.onConversationStarted(() => (this.entries = [])),
  ];

  async load(): Promise<void> {
    const known = await unwrap(parley.getTranscript());
    // Entries streamed in while loading (a handful at most) are newer than the snapshot's copies.
    const streamed = this.entries;
    const older = known.filter((entry) => !streamed.some((newer) => newer.id === entry.id));
    this.entries = [...older, ...streamed].sort((a, b) => a.id - b.id);
  }

  dispose(): void {
    this.stops.forEach((stop) => stop());
  }

  private upsert(entry: TranscriptEntry): void {
    const index = this.entries.findLastIndex((e) => e.id === entry.id);
    if (index >= 0) this.entries = this.entries.with(index, entry);
    else this.entries = [...this.entries, entry].sort((a, b) => a.id - b.id);
  }
}
