import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tone } from '../support/audio';
import { audioIn, connectLive, isTurnComplete, sendTurn } from './live-probe';
import { chunkLengths, DEFAULT_PACING, seededRandom, sendSchedule, type Pacing } from './pacing';
import { startEmulator, type Emulator } from './server';

const pacing = (change: Partial<Pacing>): Pacing => ({ ...DEFAULT_PACING, ...change });
const random = () => seededRandom(7);

describe('schedules', () => {
  it('cuts audio into nominal chunks that cover it exactly', () => {
    const lengths = chunkLengths(24_000, 24_000, pacing({ chunkMs: 40 }), random());
    assert.equal(lengths.length, 25);
    assert.ok(lengths.every((length) => length === 960));
  });

  it('makes irregular chunks odd-sized, covering the audio exactly', () => {
    const lengths = chunkLengths(24_000, 24_000, pacing({ irregularChunks: true }), random());
    assert.equal(
      lengths.reduce((sum, length) => sum + length, 0),
      24_000,
    );
    assert.ok(new Set(lengths).size > 5, 'sizes vary');
    assert.ok(lengths.slice(0, -1).every((length) => length % 2 === 1));
  });

  it('sends in real time, faster, in bursts or jittered', () => {
    const durations = [40, 40, 40, 40];
    assert.deepEqual(sendSchedule(durations, pacing({ mode: 'realtime' }), random()), {
      offsets: [0, 40, 80, 120],
      end: 160,
    });
    assert.deepEqual(sendSchedule(durations, pacing({ mode: 'fast', speedFactor: 4 }), random()), {
      offsets: [0, 10, 20, 30],
      end: 40,
    });
    assert.deepEqual(
      sendSchedule(durations, pacing({ mode: 'bursty', burstChunks: 2 }), random()).offsets,
      [0, 0, 80, 80],
    );
    const jittered = sendSchedule(durations, pacing({ mode: 'jittered', jitterMs: 30 }), random()).offsets;
    assert.ok(jittered.every((offset, i) => Math.abs(offset - durations[0]! * i) <= 30 || offset === jittered[i - 1]));
    assert.ok(
      jittered.every((offset, i) => i === 0 || offset >= jittered[i - 1]!),
      'never back in time',
    );
    assert.deepEqual(sendSchedule(durations, pacing({ latencyMs: 100 }), random()).offsets, [100, 140, 180, 220]);
  });
});

describe('pacing on the wire', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());

  async function replyTiming(change: Partial<Pacing>, inputMs = 500) {
    emulator.setPacing({ ...DEFAULT_PACING, ...change });
    const probe = await connectLive(emulator.url);
    const input = tone(16_000, 300, inputMs);
    sendTurn(probe.session, input);
    await probe.next(isTurnComplete, 5000);
    const frames = emulator.connection().frames('out');
    const audioFrames = frames.filter((f) => f.message.serverContent?.modelTurn);
    const complete = frames.find((f) => f.message.serverContent?.turnComplete)!;
    probe.session.close();
    return {
      spanMs: audioFrames.at(-1)!.t - audioFrames[0]!.t,
      turnCompleteAfterMs: complete.t - audioFrames[0]!.t,
      chunks: audioFrames.length,
      audio: audioIn(probe.messages),
      expected: (input.length * 3) / 2,
    };
  }

  it('plays out in real time by default, turnComplete when playback would end', async () => {
    const timing = await replyTiming({ mode: 'realtime' });
    assert.equal(timing.chunks, 13); // 500 ms in 40 ms chunks
    // Never faster than real time; the upper bound allows a busy machine's late timers (the schedule counts from
    // the start, so lateness does not add up) and still fails pacing at half speed.
    assert.ok(timing.spanMs >= 470 && timing.spanMs < 900, `${timing.spanMs} ms`);
    assert.ok(timing.turnCompleteAfterMs >= 490, `${timing.turnCompleteAfterMs} ms`);
    assert.equal(timing.audio.length, timing.expected);
  });

  it('sends faster than real time when asked', async () => {
    const timing = await replyTiming({ mode: 'fast', speedFactor: 20 });
    // 25 ms on schedule; faster than the 470 ms real time takes at least, whatever a busy machine does to timers.
    assert.ok(timing.spanMs < 470, `${timing.spanMs} ms`);
    assert.equal(timing.audio.length, timing.expected);
  });

  it('keeps the audio intact with bursts, jitter and odd chunk sizes', async () => {
    for (const mode of ['bursty', 'jittered'] as const) {
      const timing = await replyTiming({ mode, irregularChunks: true, chunkMs: 20, jitterMs: 15, burstChunks: 5 }, 300);
      assert.deepEqual(timing.audio, emulator.connection().replyAudio(), mode);
      assert.equal(timing.audio.length, timing.expected, mode);
    }
  });
});
