// test/support/audio.ts and speech.ts, which the emulator and the app's tests share.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import {
  base64ToPcm,
  concatPcm,
  decodeWav,
  encodeWav,
  floatToInt16,
  int16ToFloat,
  normalizedCrossCorrelation,
  pcmToBase64,
  readWav,
  resample,
  rms,
  rmsDbfs,
  silence,
  splitFrames,
  tone,
  writeWav,
} from '../support/audio';
import { synthesizeSpeech } from '../support/speech';

describe('WAV and PCM', () => {
  it('writes and reads 16-bit mono WAV files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-wav-'));
    try {
      const audio = { sampleRate: 16_000, samples: tone(16_000, 440, 100) };
      await writeWav(join(dir, 'a.wav'), audio);
      assert.deepEqual(await readWav(join(dir, 'a.wav')), audio);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('reads a WAV whose data size a streaming writer left unset', () => {
    const file = encodeWav({ sampleRate: 22_050, samples: new Int16Array([1, -2, 3]) });
    file.writeUInt32LE(0xffffffff, 40);
    assert.deepEqual(decodeWav(file), { sampleRate: 22_050, samples: new Int16Array([1, -2, 3]) });
  });

  it('refuses stereo and non-16-bit files', () => {
    const file = encodeWav({ sampleRate: 16_000, samples: new Int16Array(4) });
    file.writeUInt16LE(2, 22);
    assert.throws(() => decodeWav(file), /2 channels/);
  });

  it('round-trips base64, frames and float conversion', () => {
    const samples = new Int16Array([0, 1, -1, 32767, -32768]);
    assert.deepEqual(base64ToPcm(pcmToBase64(samples)), samples);
    assert.deepEqual(base64ToPcm(pcmToBase64(samples.subarray(1, 3))), new Int16Array([1, -1]));
    assert.deepEqual(concatPcm(splitFrames(samples, 2)), samples);
    assert.deepEqual(
      splitFrames(samples, 2).map((frame) => frame.length),
      [2, 2, 1],
    );
    assert.deepEqual(
      floatToInt16(int16ToFloat(new Int16Array([0, 16384, -16384]))),
      new Int16Array([0, 16384, -16384]),
    );
    assert.deepEqual(floatToInt16(new Float32Array([2, -2])), new Int16Array([32767, -32768]));
  });
});

describe('levels and similarity', () => {
  it('measures RMS on the float scale', () => {
    assert.ok(Math.abs(rms(tone(16_000, 1000, 100, 1)) - Math.SQRT1_2) < 0.001);
    assert.equal(rms(silence(16_000, 10)), 0);
    assert.ok(Math.abs(rmsDbfs(tone(16_000, 1000, 100, 0.1)) - -23) < 0.1);
  });

  it('finds the lag between two copies of a signal', () => {
    const noise = floatToInt16(Float32Array.from({ length: 4000 }, (_, i) => Math.sin(i * 12.9898) * 0.5));
    const delayed = concatPcm([new Int16Array(17), noise]);
    const { correlation, lag } = normalizedCrossCorrelation(noise, delayed);
    assert.equal(lag, 17);
    assert.ok(correlation > 0.999);
    assert.ok(normalizedCrossCorrelation(noise, tone(16_000, 440, 250)).correlation < 0.2);
  });
});

describe('resampling', () => {
  it('keeps a tone through 16 kHz -> 24 kHz -> 16 kHz', () => {
    const input = tone(16_000, 1000, 500);
    const up = resample({ sampleRate: 16_000, samples: input }, 24_000);
    assert.equal(up.samples.length, 12_000);
    assert.ok(normalizedCrossCorrelation(up.samples, tone(24_000, 1000, 500), 0).correlation > 0.999);
    const back = resample(up, 16_000).samples;
    assert.ok(normalizedCrossCorrelation(input, back, 0).correlation > 0.999);
  });

  it('removes what the lower rate cannot carry when downsampling', () => {
    const high = tone(48_000, 15_000, 200); // above 8 kHz, the Nyquist frequency of 16 kHz
    const down = resample({ sampleRate: 48_000, samples: high }, 16_000).samples;
    assert.ok(rmsDbfs(down.subarray(100, -100)) < rmsDbfs(high) - 40);
  });

  it('converts odd ratios such as 22.05 kHz to 16 kHz', () => {
    const down = resample({ sampleRate: 22_050, samples: tone(22_050, 500, 1000) }, 16_000);
    assert.equal(down.samples.length, 16_000);
    assert.ok(normalizedCrossCorrelation(down.samples, tone(16_000, 500, 1000), 0).correlation > 0.999);
  });
});

describe('speech', () => {
  it('synthesises speech at 16 kHz with espeak-ng and sox', async () => {
    const speech = await synthesizeSpeech('testing one two three');
    try {
      assert.equal(speech.sampleRate, 16_000);
      assert.ok(speech.samples.length > 8000, 'at least half a second');
      assert.ok(rmsDbfs(speech.samples) > -40, 'audible');
      assert.deepEqual((await readWav(speech.path)).samples, speech.samples);
    } finally {
      await rm(dirname(speech.path), { recursive: true });
    }
  });
});
