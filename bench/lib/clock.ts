import { wallClock } from '../../test/harness/output-tap';

export { wallClock };

/**
 * How far the system clock (`Date.now()`, whole ms: all the probe worklets
 * can read) runs ahead of this process's wall clock (`performance.timeOrigin
 * + performance.now()`, which key events, IPC and emulator frames carry).
 * Measured at the instants Date.now() ticks over, where its true value is a
 * whole millisecond; the median of `ticks` of them.
 */
export function systemClockOffsetMs(ticks = 25): number {
  const offsets: number[] = [];
  for (let i = 0; i < ticks; i++) {
    const start = Date.now();
    let now = start;
    while (now === start) now = Date.now();
    offsets.push(now - wallClock());
  }
  offsets.sort((a, b) => a - b);
  return offsets[Math.floor(offsets.length / 2)]!;
}

/** A probe's Date.now() reading as wall-clock ms: the middle of that millisecond. */
export const systemToWall = (dateNow: number, offsetMs: number): number => dateNow + 0.5 - offsetMs;

/** The emulator runs in this process and stamps frames with performance.now(). */
export const emulatorTimeToWall = (t: number): number => performance.timeOrigin + t;
