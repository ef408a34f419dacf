import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { correlationInLoop } from '../support/alignment';
import { resample } from '../support/audio';
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

  it('follows the microphone skipping ahead, as it does when a busy machine starves its audio threads', async () => {
    const speech = (await synthesizeSpeech('Every loop of the fake microphone skips a few samples.')).samples;
    // As recorded under load: skips of a few to a few hundred milliseconds, in bursts, anywhere.
    const skips = new Map([
      [3_000, 160],
      [9_000, 480],
      [9_300, 68],
      [9_900, 572],
      [15_000, 5_120],
      [15_500, 160],
      [16_100, 183],
      [22_000, 3_200],
      [26_000, 1_737],
      [31_000, 800],
    ]);
    const recording = new Int16Array(36_000);
    for (let i = 0, position = 4_000; i < recording.length; i++) {
      position += skips.get(i) ?? 0;
      recording[i] = speech[position++ % speech.length]!;
    }
    const correlation = correlationInLoop(speech, recording);
    assert.ok(correlation > 0.9, `${correlation}`);
  });

  it('finds nothing in audio that is not the source, or the source at the wrong sample rate', async () => {
    const speech = await synthesizeSpeech('Every loop of the fake microphone skips a few samples.');
    const recording = loopRecording(speech.samples, 0, 28_000, 70);
    assert.ok(correlationInLoop(speech.samples, recording) > 0.95);
    // As long as the recording: a search for each of its pieces finds nothing, and takes its time.
    const other = (await synthesizeSpeech('Something else entirely, said by the same voice.')).samples.slice(0, 28_000);
    assert.ok(
      correlationInLoop(speech.samples, other) < 0.5,
      `other speech: ${correlationInLoop(speech.samples, other)}`,
    );
    const wrongRate = resample(speech, 24_000).samples.slice(0, 28_000);
    assert.ok(
      correlationInLoop(speech.samples, wrongRate) < 0.5,
      `24 kHz: ${correlationInLoop(speech.samples, wrongRate)}`,
    );
    assert.equal(correlationInLoop(speech.samples, new Int16Array(28_000)), 0, 'silence');
  });
});
