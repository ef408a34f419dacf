import { memoryMaxChars, MemoryNotes } from '../../../shared/tools';
import type { KeyValueFile } from '../storage/kept-file';

export type Added = { ok: true; note: string } | { ok: false; reason: string };

/**
 * Parley's long-term memory: short notes in memory.json, given to every new session in its system
 * instruction. Capped in size, because every session pays for them in tokens.
 */
export class MemoryStore {
  private listeners: (() => void)[] = [];

  constructor(private readonly file: KeyValueFile) {}

  get notes(): string[] {
    const parsed = MemoryNotes.safeParse(this.file.store.notes);
    return parsed.success ? parsed.data : [];
  }

  add(text: string): Added {
    const note = text.trim().replace(/\s+/g, ' ');
    if (!note) return { ok: false, reason: 'An empty note cannot be kept.' };
    if (this.notes.includes(note)) return { ok: true, note };
    const room = memoryMaxChars - size(this.notes);
    if (note.length > room) {
      return {
        ok: false,
        reason: `The memory is full (${memoryMaxChars} characters): forget a note first, or ask the user to edit them in Settings.`,
      };
    }
    this.save([...this.notes, note]);
    return { ok: true, note };
  }

  /** Removes the notes that are, or contain, the words given (case aside); returns them. */
  remove(text: string): string[] {
    const words = text.trim().toLowerCase();
    const exact = this.notes.filter((note) => note.toLowerCase() === words);
    const gone = exact.length > 0 ? exact : this.notes.filter((note) => note.toLowerCase().includes(words));
    if (gone.length > 0) this.save(this.notes.filter((note) => !gone.includes(note)));
    return gone;
  }

  /** The user's own list, from Settings: kept as given, within the cap. */
  replace(notes: readonly string[]): Added | { ok: true } {
    const cleaned = [...new Set(notes.map((note) => note.trim().replace(/\s+/g, ' ')).filter(Boolean))];
    if (size(cleaned) > memoryMaxChars) {
      return { ok: false, reason: `The notes are longer than the ${memoryMaxChars} characters Parley keeps.` };
    }
    this.save(cleaned);
    return { ok: true };
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private save(notes: string[]): void {
    this.file.store = { ...this.file.store, notes };
    for (const listener of this.listeners) listener();
  }
}

function size(notes: readonly string[]): number {
  return notes.reduce((total, note) => total + note.length, 0);
}

/** The part of the system instruction that gives a new session what the user asked Parley to remember. */
export function memoryInstruction(notes: readonly string[]): string | undefined {
  if (notes.length === 0) return undefined;
  return `What the user asked you to remember in earlier conversations:\n${notes.map((note) => `- ${note}`).join('\n')}`;
}
