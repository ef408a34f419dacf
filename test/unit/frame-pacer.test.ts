import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FramePacer, type PacerClock } from '../../electron/main/screen/frame-pacer';

/** Time that moves only when the test says; timers due on the way run in order, with promises settled after each. */
class ManualClock implements PacerClock {
  private t = 0;
  private nextId = 0;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.t;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      const due = [...this.timers].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].callback();
      await settle();
    }
    this.t = end;
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A pacer whose captures take `captureMs[i]` (the last one repeats) on the manual clock. */
function pacer(captureMs: number[] = [0]) {
  const clock = new ManualClock();
  const captures: number[] = [];
  const sent: { frame: number; at: number }[] = [];
  const failures: unknown[] = [];
  const signals: AbortSignal[] = [];
  let failWith: Error | undefined;
  const frames = new FramePacer<number>({
    clock,
    capture: (signal) => {
      const n = captures.length;
      captures.push(clock.now());
      signals.push(signal);
      const took = captureMs[Math.min(n, captureMs.length - 1)]!;
      return new Promise((resolve, reject) => {
        const finish = () => (failWith ? reject(failWith) : resolve(n));
        if (took === 0) finish();
        else clock.setTimeout(finish, took);
      });
    },
    send: (frame) => sent.push({ frame, at: clock.now() }),
    onCaptureFailed: (error) => failures.push(error),
  });
  return { clock, frames, captures, sent, failures, signals, fail: (error: Error) => (failWith = error) };
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe('frame pacer', () => {
  it('captures the first frame the moment the turn starts and sends it as soon as it is ready', async () => {
    const { clock, frames, captures, sent } = pacer([120]);
    frames.start();
    assert.deepEqual(captures, [0], 'the capture starts synchronously');
    await clock.advance(120);
    assert.deepEqual(sent, [{ frame: 0, at: 120 }]);
  });

  it('sends one frame a second while the key is held, and none after', async () => {
    const { clock, frames, captures, sent } = pacer([200]);
    frames.start();
    await clock.advance(3500);
    assert.deepEqual(
      sent.map((s) => s.at),
      [200, 1200, 2200, 3200],
    );
    frames.stop();
    const capturesAtStop = captures.length;
    await clock.advance(5000);
    assert.equal(sent.length, 4, 'no frame after the turn');
    assert.equal(captures.length, capturesAtStop, 'no capture after the turn either');
    assert.equal(clock.pending, 0, 'no timer left behind');
  });

  it('drops a frame still being captured when the turn ends', async () => {
    const { clock, frames, sent, signals } = pacer([300]);
    frames.start();
    await clock.advance(100);
    frames.stop();
    assert.equal(signals[0]!.aborted, true, 'the capture is told');
    await clock.advance(2000);
    assert.deepEqual(sent, []);
  });

  it('never sends two frames less than a second apart, however long each capture takes', async () => {
    const { clock, frames, sent } = pacer([600, 50, 900, 10, 1400, 30]);
    frames.start();
    await clock.advance(8000);
    frames.stop();
    const times = sent.map((s) => s.at);
    assert.ok(times.length >= 5, `${times.length} frames`);
    for (const gap of gaps(times)) assert.ok(gap >= 1000, `gaps ${gaps(times).join(', ')}`);
    // A fast capture after a slow one waits for its turn rather than going out early.
    assert.equal(times[1], times[0]! + 1000);
  });

  it('reports a failed capture once, and the turn goes on without frames', async () => {
    const { clock, frames, captures, sent, failures, fail } = pacer([50]);
    fail(new Error('Screen Recording not allowed'));
    frames.start();
    await clock.advance(3000);
    assert.equal(failures.length, 1);
    assert.match(String(failures[0]), /Screen Recording not allowed/);
    assert.deepEqual([captures.length, sent.length], [1, 0]);
  });

  it('starts each turn afresh with an immediate frame; a second start in a turn does nothing', async () => {
    const { clock, frames, captures, sent } = pacer([0]);
    frames.start();
    frames.start();
    await clock.advance(300);
    assert.deepEqual(captures, [0]);
    frames.stop();
    frames.start();
    await clock.advance(1);
    assert.deepEqual(
      sent.map((s) => s.at),
      [0, 300],
    );
    frames.stop();
  });
});
