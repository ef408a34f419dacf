import type { SessionStatus } from '../../../shared/types';
import type { SessionStatusStore } from './session-status';

/** What the floor needs of one profile's lane. */
export interface FloorLane {
  readonly id: string;
  readonly name: string;
  /** The lane's own state line, shown while it holds the floor. */
  readonly status: Pick<SessionStatusStore, 'current' | 'subscribe'>;
  /** Capturing, sending, waiting for a reply or playing one. */
  busy(): boolean;
  /** Stops all of that at once, as a barge-in would, saying why on the reply cut short. */
  cutOff(note: string): void;
}

/**
 * One turn at a time across profiles. The lane that holds the floor is the one the user hears and
 * sees: its state line is the app's, and the audio window's playback reports go to it. Taking the
 * floor cuts the holder off first, so its capture stops before the new turn's starts.
 */
export class Floor {
  private readonly lanes = new Map<string, { lane: FloorLane; unsubscribe: () => void }>();
  private holderId: string | undefined;

  /** `shown`: told when another lane takes the floor, so its conversation is the one on screen. */
  constructor(
    private readonly app: Pick<SessionStatusStore, 'set'>,
    private readonly shown: (id: string) => void = () => {},
  ) {}

  add(lane: FloorLane): void {
    const unsubscribe = lane.status.subscribe((status) => {
      if (this.holderId === lane.id) this.show(status);
    });
    this.lanes.set(lane.id, { lane, unsubscribe });
    this.holderId ??= lane.id;
  }

  /** A deleted profile's lane: the floor goes to another lane when it held it. */
  remove(id: string): void {
    this.lanes.get(id)?.unsubscribe();
    this.lanes.delete(id);
    if (this.holderId !== id) return;
    const next = this.lanes.keys().next().value;
    this.holderId = undefined;
    if (next !== undefined) this.select(next);
  }

  /** The lane the user last used (or chose): where typed text, the tray's Talk and playback reports go. */
  get holder(): string | undefined {
    return this.holderId;
  }

  /** `id`'s turn is about to start: whatever another lane is doing stops first. */
  take(id: string): void {
    if (!this.lanes.has(id)) return;
    const previous = this.holderId === undefined ? undefined : this.lanes.get(this.holderId)?.lane;
    const next = this.lanes.get(id)!.lane;
    if (previous && previous.id !== id && previous.busy()) {
      previous.cutOff(`Cut off: you pressed ${next.name}'s hotkey.`);
    }
    this.select(id);
  }

  /** Shows `id`'s state without starting a turn (the user switched profiles). */
  select(id: string): void {
    const entry = this.lanes.get(id);
    if (!entry) return;
    if (this.holderId !== id) this.shown(id);
    this.holderId = id;
    this.show(entry.lane.status.current);
  }

  dispose(): void {
    for (const { unsubscribe } of this.lanes.values()) unsubscribe();
    this.lanes.clear();
  }

  private show(status: SessionStatus): void {
    this.app.set(status);
  }
}
