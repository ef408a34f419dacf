import type { SessionStatus } from '../../../shared/types';

type Listener = (status: SessionStatus) => void;

/** The single source of the connection state shown in the tray and every window. */
export class SessionStatusStore {
  private listeners = new Set<Listener>();
  /** What the user has been told since launch, while Parley is still starting. */
  private launchNotes: string[] | undefined = [];

  constructor(private status: SessionStatus) {}

  get current(): SessionStatus {
    return this.status;
  }

  set(next: SessionStatus): void {
    if (next.state === this.status.state && next.detail === this.status.detail) return;
    this.status = next;
    for (const listener of this.listeners) listener(next);
  }

  /**
   * Something the user must read, in the state line. While Parley starts, messages add up (a
   * read-only user-data folder fails several files at once); afterwards each replaces the last.
   */
  tell(message: string): void {
    this.launchNotes?.push(message);
    this.set({ ...this.status, detail: this.launchNotes?.join(' ') ?? message });
  }

  /** Parley has started: what it is told from now on stands alone. */
  launched(): void {
    this.launchNotes = undefined;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** `unlocking`: a saved key is being decrypted, and the system may be asking the user to allow it. */
export function initialStatus(hasApiKey: boolean, unlocking = false): SessionStatus {
  if (hasApiKey) return { state: 'idle', detail: 'Ready. Hold the hotkey and speak.' };
  return unlocking
    ? {
        state: 'no-api-key',
        detail: 'Unlocking the saved Gemini API key… If your system asks, allow Parley to use its stored key.',
      }
    : {
        state: 'no-api-key',
        detail: 'No Gemini API key yet. Add it in Settings (or set GEMINI_API_KEY in the environment).',
      };
}

/**
 * The state line once the saved key is decrypted: ready if there is a key now; the sentence saying
 * it is being unlocked gives way to what is true instead, and whatever else the line says stays.
 */
export function unlockedStatus(current: SessionStatus, hasApiKey: boolean): SessionStatus {
  if (current.state !== 'no-api-key') return current;
  const unlocking = initialStatus(false, true).detail;
  const next = initialStatus(hasApiKey);
  return { state: next.state, detail: current.detail.replace(unlocking, next.detail) };
}
