import type { ConnectionState, ProfileRef, SessionStatus } from '../../../shared/types';

type Listener = (status: SessionStatus) => void;

/** States of a turn under way: the user is acting, and what they were told before no longer holds. */
const turnStates: ReadonlySet<ConnectionState> = new Set([
  'connecting',
  'reconnecting',
  'listening',
  'thinking',
  'speaking',
]);

/**
 * The single source of the connection state shown in the tray and every window.
 *
 * The state line has two parts: the state (`set`), and notices the user must read (`tell`), such as
 * a missing output device or a settings file that could not be read. A notice stays, next to
 * whatever state follows, until the next turn starts or a newer notice replaces it, so a late
 * "Ready" never hides it.
 */
export class SessionStatusStore {
  private listeners = new Set<Listener>();
  private notices: string[] = [];
  /** While Parley starts, notices add up (a read-only user-data folder fails several files at once). */
  private starting = true;
  private seeing = false;
  private about: Pick<SessionStatus, 'profile' | 'profiles'> = {};
  private shown: SessionStatus;

  constructor(private status: SessionStatus) {
    this.shown = status;
  }

  /** What the user sees now: the state, and the notices that stand. */
  get current(): SessionStatus {
    return this.shown;
  }

  set(next: SessionStatus): void {
    this.status = next;
    if (turnStates.has(next.state)) this.notices = [];
    this.show();
  }

  /** Something the user must read, in the state line, until the next turn or a newer notice. */
  tell(message: string): void {
    this.notices = this.starting ? [...this.notices.filter((notice) => notice !== message), message] : [message];
    this.show();
  }

  /** Pictures of the screen are being taken for a turn (true) or no longer (false). */
  seeingScreen(seeing: boolean): void {
    this.seeing = seeing;
    this.show();
  }

  /** Whose state it is (`profile`), among which profiles: they name and switch the live conversations. */
  aboutProfiles(profile: ProfileRef, profiles: readonly ProfileRef[]): void {
    this.about = { profile, profiles: [...profiles] };
    this.show();
  }

  /** Parley has started: a notice from now on replaces the one before. */
  launched(): void {
    this.starting = false;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private show(): void {
    const notices = this.notices.filter((notice) => notice !== this.status.detail);
    // "Ready" adds nothing to a notice: the state is shown beside it anyway.
    const standing = notices.length > 0 && this.status.detail === readyDetail ? [] : [this.status.detail];
    const detail = [...notices, ...standing].filter(Boolean).join(' ');
    const seeing = this.seeing || undefined;
    const next: SessionStatus = {
      state: this.status.state,
      detail,
      ...(seeing && { seeingScreen: seeing }),
      ...this.about,
    };
    if (JSON.stringify(next) === JSON.stringify(this.shown)) return;
    this.shown = next;
    for (const listener of this.listeners) listener(this.shown);
  }
}

const readyDetail = 'Ready. Hold the hotkey and speak.';

/** `unlocking`: a saved key is being decrypted, and the system may be asking the user to allow it. */
export function initialStatus(hasApiKey: boolean, unlocking = false): SessionStatus {
  if (hasApiKey) return { state: 'idle', detail: readyDetail };
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
