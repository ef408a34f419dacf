import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { PlayerEvent } from '../../renderer/audio/playback/playback-protocol';
import {
  command,
  createProcessor,
  installWorkletScope,
  quantum,
  renderQuanta,
  type Processor,
} from '../support/worklet-scope';

installWorkletScope(24000);

function chunk(samples: number, value: number): ArrayBuffer {
  return Int16Array.from({ length: samples }, () => value).buffer;
}

const render = renderQuanta;

const playing = (processor: Processor) =>
  (processor.port.sent as PlayerEvent[]).flatMap((event) => (event.type === 'playing' ? [event.playing] : []));

describe('player worklet (audio thread)', () => {
  before(async () => {
    await import('../../renderer/audio/playback/player-worklet');
  });

  it('plays what it is given after its cushion, sample for sample, and says when it starts and stops', () => {
    const processor = createProcessor('parley-pcm-player');
    command(processor, { type: 'chunk', pcm: chunk(2400, 16384) }); // 100 ms at half scale, more to come
    const start = render(processor, 10);
    command(processor, { type: 'end-of-reply' });
    const out = Float32Array.from([...start, ...render(processor, 30)]);
    const firstSound = out.findIndex((sample) => sample !== 0);
    assert.ok(firstSound >= 0.03 * 24000 && firstSound <= 0.04 * 24000, `starts after a ${firstSound}-sample cushion`);
    assert.equal(out.filter((sample) => sample === 0.5).length, 2400, 'every sample played once');
    assert.deepEqual(playing(processor), [true, false]);
  });

  it('flushes at once: nothing of the buffered reply plays after flush', () => {
    const processor = createProcessor('parley-pcm-player');
    command(processor, { type: 'chunk', pcm: chunk(24000, 8192) });
    render(processor, 20);
    command(processor, { type: 'flush' });
    const after = render(processor, 10);
    // The last sample fades out over about a render quantum (no click), then silence.
    assert.ok(
      after.every((sample) => sample < 0.25),
      'no buffered sample plays after flush',
    );
    assert.ok(after.subarray(2 * quantum).every((sample) => Math.abs(sample) < 0.001));
    command(processor, { type: 'stats' });
    const stats = (processor.port.sent as PlayerEvent[]).findLast((event) => event.type === 'stats');
    assert.deepEqual(stats && { ...stats, cushionMs: undefined }, {
      type: 'stats',
      underruns: 0,
      cushionMs: undefined,
      bufferedMs: 0,
    });
  });

  it('counts an underrun when a reply runs dry mid-way, and waits longer the next time', () => {
    const processor = createProcessor('parley-pcm-player');
    command(processor, { type: 'chunk', pcm: chunk(1200, 8192) });
    render(processor, 30); // plays 50 ms, then runs dry while the reply is still expected
    command(processor, { type: 'chunk', pcm: chunk(1200, 8192) });
    command(processor, { type: 'end-of-reply' });
    render(processor, 30);
    command(processor, { type: 'stats' });
    const stats = (processor.port.sent as PlayerEvent[]).findLast((event) => event.type === 'stats');
    assert.equal(stats?.type === 'stats' && stats.underruns, 1);
    assert.ok(stats?.type === 'stats' && stats.cushionMs > 30, 'the cushion grew');
    command(processor, { type: 'close' });
    assert.equal(processor.process([], [[new Float32Array(quantum)]]), false);
  });
});
