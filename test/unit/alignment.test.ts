import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { correlationInLoop } from '../support/alignment';
import { synthesizeSpeech } from '../support/speech';

/** A signal with no repeats inside it, like speech: seeded noise in syllables of uneven length and loudness. */
function speechLike(samples: number, seed = 7): Int16Array {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out = new Int16Array(samples);
  for (let start = 0; start < samples;) {
    const length = 800 + Math.floor(random() * 3200);
    const loudness = random() < 0.2 ? 0 : 2000 + random() * 10_000;
    for (let i = start; i < Math.min(samples, start + length); i++) out[i] = Math.round((random() * 2 - 1) * loudness);
    start += length;
  }
  return out;
}

/** What a looping source delivers from `start` on, skipping `skip` samples at each loop point. */
function loopRecording(file: Int16Array, start: number, length: number, skip: number): Int16Array {
  const out = new Int16Array(length);
  let position = start;
  for (let i = 0; i < length; i++) {
    if (position >= file.length) position = skip;
    out[i] = file[position++]!;
  }
  return out;
}

describe('correlationInLoop', () => {
  const file = speechLike(30_000);

  it("matches a recording across Chromium's 70-sample loop skip", () => {
    assert.ok(correlationInLoop(file, loopRecording(file, 20_000, 40_000, 70)) > 0.95);
  });

  it('finds its way when the recording starts in silence', () => {
    const recording = new Int16Array(48_000);
    recording.set(loopRecording(file, 5_000, 40_000, 70), 8_000);
    assert.ok(correlationInLoop(file, recording) > 0.8);
  });

  it('matches real speech recorded across loop points, wherever the recording starts', async () => {
    const speech = (await synthesizeSpeech('Every loop of the fake microphone skips a few samples.')).samples;
    for (const start of [0, Math.floor(speech.length / 3), speech.length - 4000]) {
      const correlation = correlationInLoop(speech, loopRecording(speech, start, 40_000, 70));
      assert.ok(correlation > 0.95, `from ${start}: ${correlation}`);
    }
  });

  it('does not hide a 20 ms frame lost mid-recording', () => {
    const recording = loopRecording(file, 0, 28_000, 0);
    const withGap = new Int16Array(recording.length - 320);
    withGap.set(recording.subarray(0, 14_000));
    withGap.set(recording.subarray(14_320), 14_000);
    assert.ok(correlationInLoop(file, recording) > 0.95);
    assert.ok(correlationInLoop(file, withGap) < 0.8, `${correlationInLoop(file, withGap)}`);
  });
});
