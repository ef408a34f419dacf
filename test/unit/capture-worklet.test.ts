import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { CaptureEvent } from '../../renderer/audio/capture/capture-protocol';
import { command, createProcessor, installWorkletScope, quantum, type Processor } from '../support/worklet-scope';

const clock = installWorkletScope(16000);

/** Feeds `blocks` quanta of a ramp whose value encodes the sample's index, so frames can be traced back. */
function feed(processor: Processor, blocks: number, first: { index: number }): void {
  for (let b = 0; b < blocks; b++) {
    const samples = Float32Array.from({ length: quantum }, (_, i) => ((first.index + i) % 1000) / 1000 - 0.5);
    clock.setTime(first.index / 16000);
    processor.process([[samples]], []);
    first.index += quantum;
  }
}

const events = (processor: Processor) => processor.port.sent as CaptureEvent[];
const frames = (processor: Processor) =>
  events(processor).flatMap((event) => (event.type === 'frame' ? [new Int16Array(event.pcm)] : []));

describe('capture worklet (audio thread)', () => {
  before(async () => {
    await import('../../renderer/audio/capture/capture-worklet');
  });

  it('emits nothing while idle, then 20 ms frames from the first live block, and the partial frame at stop', () => {
    const processor = createProcessor('parley-capture');
    const position = { index: 0 };
    feed(processor, 10, position);
    assert.deepEqual(events(processor), [], 'idle: the microphone feeds nothing through');
    command(processor, { type: 'start' });
    feed(processor, 13, position); // 1664 samples: 5 whole frames and 64 samples
    assert.equal(events(processor)[0]?.type, 'live');
    assert.deepEqual(
      frames(processor).map((frame) => frame.length),
      [320, 320, 320, 320, 320],
    );
    command(processor, { type: 'stop', next: 'idle' });
    const all = frames(processor);
    assert.equal(all.at(-1)!.length, 64, 'the partial frame carries its real samples only');
    assert.deepEqual(events(processor).at(-1), { type: 'stopped', frames: 6 });
    const joined = all.flatMap((frame) => Array.from(frame));
    // Continuous: each sample is the next step of the ramp (with clamping to int16).
    assert.equal(joined.length, 1664);
    assert.equal(joined[0], Math.round((((10 * quantum) % 1000) / 1000 - 0.5) * 32767));
  });

  it('publishes a level every 50 ms while live only', () => {
    const processor = createProcessor('parley-capture');
    const position = { index: 0 };
    command(processor, { type: 'start' });
    feed(processor, 25, position); // 3200 samples = 200 ms
    const levels = events(processor).filter((event) => event.type === 'level');
    assert.equal(levels.length, 4);
    assert.ok(levels.every((event) => event.type === 'level' && event.rms > 0.2 && event.rms < 0.4));
  });

  it('keeps the last 300 ms while warm and sends them first when the turn starts', () => {
    const processor = createProcessor('parley-capture');
    const position = { index: 0 };
    command(processor, { type: 'warm' });
    feed(processor, 100, position); // 800 ms of audio before the press
    assert.deepEqual(events(processor), [], 'a warm microphone sends nothing before the turn');
    command(processor, { type: 'start' });
    feed(processor, 5, position);
    const sent = frames(processor);
    assert.ok(sent.length >= 15 && sent.length <= 17, `${sent.length} frames: 15 of pre-roll, then live`);
    command(processor, { type: 'stop', next: 'warm' });
    command(processor, { type: 'close' });
    assert.equal(processor.process([[new Float32Array(quantum)]], []), false, 'a closed processor ends');
  });

  it('waits for the device: no live announcement until a block with audio arrives', () => {
    const processor = createProcessor('parley-capture');
    command(processor, { type: 'start' });
    processor.process([[]], []);
    assert.deepEqual(events(processor), []);
    command(processor, { type: 'idle' });
    feed(processor, 3, { index: 0 });
    assert.deepEqual(events(processor), []);
  });
});
