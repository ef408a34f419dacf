import type { TranscriptEntry } from '../../shared/types';
import { parley, unwrap } from '../lib/parley';

/** The conversation as main streams it: entries upserted by id, kept in order. */
export class TranscriptLog {
  entries = $state<TranscriptEntry[]>([]);
  level = $state(0);
  private readonly stops = [
    parley.onTranscriptEntry((entry) => this.upsert(entry)),
    parley.onInputLevelChanged(({ level }) => (this.level = level)),
    parley.onConversationStarted(() => (this.entries = [])),
  ];

  async load(): Promise<void> {
    const known = await unwrap(parley.getTranscript());
    // Entries streamed in while loading are newer than the snapshot's copies.
    for (const entry of known) if (!this.entries.some((e) => e.id === entry.id)) this.upsert(entry);
  }

  dispose(): void {
    this.stops.forEach((stop) => stop());
  }

  private upsert(entry: TranscriptEntry): void {
    const index = this.entries.findIndex((e) => e.id === entry.id);
    if (index >= 0) this.entries[index] = entry;
    else this.entries = [...this.entries, entry].sort((a, b) => a.id - b.id);
  }
}
