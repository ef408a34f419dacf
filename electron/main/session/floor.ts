import type { SessionStatus } from '../../../shared/types';
import type { SessionStatusStore } from './session-status';

/** What started the turn that takes the floor: the note on a reply it cuts off says so. */
export type TurnCause = 'hotkey' | 'text' | 'retry';

const cutOffNotes: Record<TurnCause, (name: string) => string> = {
  hotkey: (name) => `Cut off: you pressed ${name}'s hotkey.`,
  text: (name) => `Cut off: you wrote to ${name}.`,
  retry: (name) => `Cut off: you sent ${name}'s turn again.`,
};

/** What the floor needs of one profile's lane. */
export interface FloorLane {
  readonly id: string;
  readonly name: string;
  /** The lane's own state line, shown while the user looks at its profile. */
  readonly status: Pick<SessionStatusStore, 'current' | 'subscribe'>;
  /** Capturing, sending, waiting for a reply or playing one. */
  busy(): boolean;
  /** Stops all of that at once, as a barge-in would, saying why on the reply cut short. */
  cutOff(note: string): void;
}

/**
 * One turn at a time across profiles. The lane that holds the floor is the one whose turn the user
 * started last: the audio window's playback reports are its own. The lane shown is the one the user
 * sees: its state line is the app's and its conversation is on screen. Taking the floor shows the
 * lane and cuts every other busy lane off first, so their capture stops before the new turn's starts;
 * choosing a profile only shows it, so a reply under way plays on.
 */
export class Floor {
  private readonly lanes = new Map<string, { lane: FloorLane; unsubscribe: () => void }>();
  private holderId: string | undefined;
  private shownId: string | undefined;

  /** `shown`: told when another lane is shown, so its conversation is the one on screen. */
  constructor(
    private readonly app: Pick<SessionStatusStore, 'set' | 'aboutProfiles'>,
    private readonly shown: (id: string) => void = () => {},
  ) {}

  add(lane: FloorLane): void {
    const unsubscribe = lane.status.subscribe((status) => {
      if (this.shownId === lane.id) this.show(status);
    });
    this.lanes.set(lane.id, { lane, unsubscribe });
    this.holderId ??= lane.id;
    this.shownId ??= lane.id;
    this.named();
  }

  /** A deleted profile's lane: another lane is shown when it was. */
  remove(id: string): void {
    this.lanes.get(id)?.unsubscribe();
    this.lanes.delete(id);
    const next = this.lanes.keys().next().value;
    if (this.holderId === id) this.holderId = next;
    if (this.shownId !== id) return this.named();
    this.shownId = undefined;
    if (next !== undefined) this.select(next);
  }

  /** The lane whose turn the user started last: the reply the audio window plays is its own. */
  get holder(): string | undefined {
    return this.holderId;
  }

  /** The lane the user sees (used or chose last): where typed text and the tray's Talk go. */
  get showing(): string | undefined {
    return this.shownId;
  }

  /** `id`'s turn is about to start, for the reason given: whatever another lane is doing stops first. */
  take(id: string, why: TurnCause = 'hotkey'): void {
    const next = this.lanes.get(id)?.lane;
    if (!next) return;
    for (const { lane } of this.lanes.values()) {
      if (lane.id !== id && lane.busy()) lane.cutOff(cutOffNotes[why](next.name));
    }
    this.holderId = id;
    this.select(id);
  }

  /** Shows `id`'s state and conversation without starting a turn (the user switched profiles). */
  select(id: string): void {
    const entry = this.lanes.get(id);
    if (!entry) return;
    if (this.shownId !== id) this.shown(id);
    this.shownId = id;
    this.named();
    this.show(entry.lane.status.current);
  }

  /** Says again which profiles there are and which one is shown (one was added, renamed or removed). */
  named(): void {
    const refs = [...this.lanes.values()].map(({ lane }) => ({ id: lane.id, name: lane.name }));
    const shown = refs.find((ref) => ref.id === this.shownId);
    if (shown) this.app.aboutProfiles(shown, refs);
  }

  dispose(): void {
    for (const { unsubscribe } of this.lanes.values()) unsubscribe();
    this.lanes.clear();
  }

  private show(status: SessionStatus): void {
    this.app.set(status);
  }
}
