import assert from 'node:assert/strict';
import { before, describe, it, mock } from 'node:test';
import type { CaptureEvent } from '../../renderer/audio/capture/capture-protocol';
import type { PlayerEvent } from '../../renderer/audio/playback/playback-protocol';
import { parleyPipeline, pipelineFromQuery } from '../../renderer/audio/pipeline-parameters';
import { referencePipeline } from '../../bench/lib/pipelines';
import { command, createProcessor, installWorkletScope, quantum, renderQuanta } from '../support/worklet-scope';

const query = (parameters: unknown) => `?pipeline=${encodeURIComponent(JSON.stringify(parameters))}`;

describe('pipeline parameters', () => {
  it("are Parley's own without a query, and take the query's where valid", () => {
    assert.deepEqual(pipelineFromQuery(''), parleyPipeline);
    assert.deepEqual(pipelineFromQuery(query(referencePipeline)), referencePipeline);
    assert.deepEqual(pipelineFromQuery(query({ initialCushionMs: 50 })), { ...parleyPipeline, initialCushionMs: 50 });
  });

  it('ignore values out of bounds or not whole numbers, and say so', () => {
    const error = mock.method(console, 'error', () => undefined);
    try {
      assert.deepEqual(pipelineFromQuery(query({ captureFrameSamples: 99_999, bargeInFadeMs: 2.5 })), parleyPipeline);
      assert.deepEqual(pipelineFromQuery('?pipeline=not-json'), parleyPipeline);
      assert.equal(error.mock.callCount(), 2);
    } finally {
      error.mock.restore();
    }
  });
});

describe('capture worklet with other frame sizes', () => {
  before(async () => {
    installWorkletScope(16000);
    await import('../../renderer/audio/capture/capture-worklet');
  });

  it('emits frames of the given size, and a pre-roll of at least 300 ms in whole frames', () => {
    const processor = createProcessor('parley-capture', { frameSamples: 2048 });
    const block = new Float32Array(quantum).fill(0.25);
    command(processor, { type: 'warm' });
    for (let i = 0; i < 60; i++) processor.process([[block]], []); // 480 ms of pre-roll
    command(processor, { type: 'start' });
    for (let i = 0; i < 17; i++) processor.process([[block]], []); // 2176 samples live
    const frames = (processor.port.sent as CaptureEvent[]).flatMap((e) =>
      e.type === 'frame' ? [e.pcm.byteLength / 2] : [],
    );
    // ceil(4800 / 2048) = 3 pre-roll frames (384 ms), then one live frame.
    assert.deepEqual(frames, [2048, 2048, 2048, 2048]);
  });
});

describe('player worklet with the reference parameters', () => {
  const rate = 24000;
  const render = renderQuanta;
  before(async () => {
    installWorkletScope(rate);
    await import('../../renderer/audio/playback/player-worklet');
  });
  const chunk = (samples: number) => Int16Array.from({ length: samples }, () => 16384).buffer;

  it('waits for the 100 ms cushion before it plays', () => {
    const processor = createProcessor('parley-pcm-player', referencePipeline);
    command(processor, { type: 'chunk', pcm: chunk(rate) });
    const firstSound = render(processor, 40).findIndex((sample) => sample !== 0);
    assert.ok(firstSound >= 0.1 * rate && firstSound <= 0.1 * rate + quantum, `starts after ${firstSound} samples`);
  });

  it('fades what the output holds over 100 ms at a barge-in (a second flush does not cut it), then is silent', () => {
    const processor = createProcessor('parley-pcm-player', referencePipeline);
    command(processor, { type: 'chunk', pcm: chunk(rate) });
    render(processor, 40);
    command(processor, { type: 'flush' });
    const early = render(processor, 2);
    // The server's own interruption follows the local one while the fade runs.
    command(processor, { type: 'flush' });
    const after = Float32Array.from([...early, ...render(processor, 38)]);
    const fade = 0.1 * rate;
    assert.ok(Math.abs(after[0]! - 0.5) < 0.01, 'the fade starts at full level');
    assert.ok(Math.abs(after[fade / 2]! - 0.25) < 0.01, 'halfway down halfway through');
    assert.ok(
      after.subarray(fade).every((sample) => Math.abs(sample) < 0.001),
      'silent after the fade',
    );
    const events = (processor.port.sent as PlayerEvent[]).flatMap((e) => (e.type === 'playing' ? [e.playing] : []));
    assert.deepEqual(events, [true, false], 'the reply ends at the flush');
  });

  it("flushes at once with Parley's own", () => {
    const processor = createProcessor('parley-pcm-player', parleyPipeline);
    command(processor, { type: 'chunk', pcm: chunk(rate) });
    render(processor, 40);
    command(processor, { type: 'flush' });
    assert.ok(
      render(processor, 10)
        .subarray(2 * quantum)
        .every((sample) => Math.abs(sample) < 0.001),
    );
  });
});
