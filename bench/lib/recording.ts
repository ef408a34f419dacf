import { sendChannels, eventChannels } from '../../shared/ipc/channels';
import type { RecordedFrame } from '../../test/emulator/recorder';
import type { KeyEvent } from '../../test/harness/harness';
import type { IpcRecord } from '../../test/harness/test-ports';
import type { BenchApp } from './bench-app';
import { emulatorTimeToWall, systemClockOffsetMs, systemToWall } from './clock';
import { takeProbeRecords, type CapturePortEvent, type Quantum } from './probe';

const captureRate = 16000;
const quantum = 128;

/** When the bench pressed and released the key for one turn, and what the emulator had seen by then. */
export interface TurnMarks {
  downInvokedAt: number;
  upInvokedAt: number;
  /** Emulator frames recorded before the key down and before the key up. */
  framesAtDown: number;
  framesAtUp: number;
  /** Pressed while the previous turn's reply played. */
  bargeIn: boolean;
}

/** A render quantum on the wall clock. */
export interface TimedQuantum {
  frame: number;
  at: number;
  peak: number;
}

/**
 * Everything a phase of the bench recorded, on one clock (this process's
 * wall clock, epoch ms): the wire as the emulator saw it, key events and IPC
 * as main saw them, and the probes' render quanta.
 */
export class Recording {
  readonly capture: TimedQuantum[] = [];
  readonly output: TimedQuantum[] = [];
  readonly port: CapturePortEvent[] = [];
  /** System clock minus wall clock, measured at each take (its spread shows drift). */
  readonly clockOffsets: number[] = [];
  /** Every turn the bench took with this app, in order: the i-th is the capture worklet's i-th. */
  readonly turns: TurnMarks[] = [];
  frames: RecordedFrame[] = [];

  constructor(private readonly app: BenchApp) {}

  get keyEvents(): readonly KeyEvent[] {
    return this.app.harness.keyEvents;
  }

  get ipc(): readonly IpcRecord[] {
    return this.app.harness.ipc.log;
  }

  /** Moves what the page recorded so far into this recording, and snapshots the wire. */
  async take(): Promise<void> {
    const offset = systemClockOffsetMs();
    this.clockOffsets.push(offset);
    const taken = await takeProbeRecords(this.app.audioPage);
    const timed = ([frame, dateNow, peak]: Quantum): TimedQuantum => ({
      frame,
      at: systemToWall(dateNow, offset),
      peak,
    });
    this.capture.push(...taken.capture.map(timed));
    this.output.push(...taken.output.map(timed));
    this.port.push(...taken.port);
    this.frames = this.app.frames();
  }

  /** Wall-clock time at which the capture audio thread rendered the 16 kHz sample at `frame` (context frames). */
  captureEnteredAt(frame: number): number | undefined {
    const quanta = this.capture;
    let low = 0;
    let high = quanta.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const q = quanta[middle]!;
      if (frame < q.frame) high = middle - 1;
      else if (frame >= q.frame + quantum) low = middle + 1;
      else return q.at;
    }
    return undefined;
  }

  /** IPC records of a channel, in order. */
  ipcOn(channel: string, direction: IpcRecord['direction']): IpcRecord[] {
    return this.ipc.filter((record) => record.channel === channel && record.direction === direction);
  }
}

export const wallOf = (frame: RecordedFrame): number => emulatorTimeToWall(frame.t);

/** Audio-clock seconds of the capture context to its frame index. */
export const captureFrameAt = (seconds: number): number => Math.round(seconds * captureRate);

export const channels = {
  captureFrame: sendChannels.captureFrame,
  captureEnded: sendChannels.captureEnded,
  playbackState: sendChannels.playbackState,
  captureStop: eventChannels.captureStop,
  playbackChunk: eventChannels.playbackChunk,
  playbackFlush: eventChannels.playbackFlush,
  playbackEndOfReply: eventChannels.playbackEndOfReply,
};
