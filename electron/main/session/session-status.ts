import type { SessionStatus } from '../../../shared/types';

type Listener = (status: SessionStatus) => void;

/** The single source of the connection state shown in the tray and every window. */
export class SessionStatusStore {
  private listeners = new Set<Listener>();

  constructor(private status: SessionStatus) {}

  get current(): SessionStatus {
    return this.status;
  }

  set(next: SessionStatus): void {
    if (next.state === this.status.state && next.detail === this.status.detail) return;
    this.status = next;
    for (const listener of this.listeners) listener(next);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function initialStatus(hasApiKey: boolean): SessionStatus {
  return hasApiKey
    ? { state: 'idle', detail: 'Ready. Hold the hotkey and speak.' }
    : {
        state: 'no-api-key',
        detail: 'No Gemini API key yet. Add it in Settings (or set GEMINI_API_KEY in the environment).',
      };
}

/** The state line at launch: the key's, unless something at startup has to be said instead. */
export function startingStatus(hasApiKey: boolean, note: string | undefined): SessionStatus {
  const status = initialStatus(hasApiKey);
  return note ? { ...status, detail: note } : status;
}
