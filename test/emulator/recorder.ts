// Every frame in and out, in order, with a monotonic timestamp. Frames keep
// the parsed JSON only (base64 audio stays a compact one-byte-per-char
// string), which is about 2.6 MB per minute of 16 kHz input.
import type { ClientFrame, ServerMessage } from './wire';

interface FrameBase {
  /** Position in the emulator-wide order of frames. */
  seq: number;
  connectionId: number;
  /** performance.now() when the frame was received or sent, in ms. */
  t: number;
}

export interface ReceivedFrame extends FrameBase {
  direction: 'in';
  /** Parsed JSON as received (not necessarily valid); undefined when the frame was not JSON. */
  message: ClientFrame | undefined;
  /** The frame's text, kept only when it was not JSON. */
  raw?: string;
}

export interface SentFrame extends FrameBase {
  direction: 'out';
  message: ServerMessage;
}

export type RecordedFrame = ReceivedFrame | SentFrame;

export type Direction = 'in' | 'out';

/** The frame type for a direction filter: SentFrame for 'out', ReceivedFrame for 'in'. */
export type FrameOf<D extends Direction | undefined> = D extends 'in'
  ? ReceivedFrame
  : D extends 'out'
    ? SentFrame
    : RecordedFrame;

export interface FrameFilter<D extends Direction | undefined = Direction | undefined> {
  connectionId?: number;
  direction?: D;
}

interface Waiter {
  predicate: (frame: RecordedFrame) => boolean;
  resolve: (frame: RecordedFrame) => void;
}

export class FrameRecorder {
  private readonly frames: RecordedFrame[] = [];
  private readonly waiters = new Set<Waiter>();

  received(connectionId: number, message: ClientFrame | undefined, raw?: string): void {
    const frame: ReceivedFrame = { ...this.stamp(connectionId), direction: 'in', message };
    if (raw !== undefined) frame.raw = raw;
    this.add(frame);
  }

  sent(connectionId: number, message: ServerMessage): void {
    this.add({ ...this.stamp(connectionId), direction: 'out', message });
  }

  list<D extends Direction | undefined = undefined>(filter: FrameFilter<D> = {}): FrameOf<D>[] {
    return this.frames.filter(
      (frame) =>
        (filter.connectionId === undefined || frame.connectionId === filter.connectionId) &&
        (filter.direction === undefined || frame.direction === filter.direction),
    ) as FrameOf<D>[];
  }

  /** The first frame, already recorded or still to come, that matches. */
  waitFor(predicate: (frame: RecordedFrame) => boolean, timeoutMs: number): Promise<RecordedFrame> {
    const found = this.frames.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (frame) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(frame);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching frame within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private stamp(connectionId: number): FrameBase {
    return { seq: this.frames.length, connectionId, t: performance.now() };
  }

  private add(frame: RecordedFrame): void {
    this.frames.push(frame);
    for (const waiter of this.waiters) if (waiter.predicate(frame)) waiter.resolve(frame);
  }
}
