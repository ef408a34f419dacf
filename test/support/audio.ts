// Audio helpers shared by the tests: 16-bit PCM mono WAV files, sample
// conversion, resampling, levels and similarity. Int16Array views assume a
// little-endian host (x64, arm64), which is what PCM16LE on the wire is.
import { readFile, writeFile } from 'node:fs/promises';

export interface PcmAudio {
  sampleRate: number;
  samples: Int16Array;
}

export function durationMs(audio: PcmAudio): number {
  return (audio.samples.length / audio.sampleRate) * 1000;
}

export function samplesForMs(sampleRate: number, ms: number): number {
  return Math.round((sampleRate * ms) / 1000);
}

// ---- WAV ----

export function decodeWav(file: Uint8Array): PcmAudio {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const tag = (offset: number) => String.fromCharCode(...file.subarray(offset, offset + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let format: { channels: number; sampleRate: number; bits: number; code: number } | undefined;
  for (let offset = 12; offset + 8 <= file.byteLength;) {
    const id = tag(offset);
    // Streaming writers leave 0xFFFFFFFF or 0 as the data size; the file end is the real one.
    const declared = view.getUint32(offset + 4, true);
    const body = offset + 8;
    const size = Math.min(declared, file.byteLength - body);
    if (id === 'fmt ') {
      format = {
        code: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!format) throw new Error('WAV data chunk before fmt chunk');
      const pcm = format.code === 1 || format.code === 0xfffe;
      if (!pcm || format.bits !== 16 || format.channels !== 1) {
        throw new Error(`unsupported WAV: format ${format.code}, ${format.bits} bits, ${format.channels} channels`);
      }
      return { sampleRate: format.sampleRate, samples: int16FromBytes(file.subarray(body, body + size)) };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV file has no data chunk');
}

export function encodeWav(audio: PcmAudio): Buffer {
  const dataBytes = audio.samples.byteLength;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(audio.sampleRate, 24);
  header.writeUInt32LE(audio.sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(dataBytes, 40);
  return Buffer.concat([header, bytesOf(audio.samples)]);
}

export async function readWav(path: string): Promise<PcmAudio> {
  return decodeWav(await readFile(path));
}

export async function writeWav(path: string, audio: PcmAudio): Promise<void> {
  await writeFile(path, encodeWav(audio));
}

// ---- raw PCM and base64 (the wire format) ----

/** Copies the bytes so the samples are aligned whatever the source offset. */
export function int16FromBytes(bytes: Uint8Array): Int16Array {
  const evenLength = bytes.byteLength - (bytes.byteLength % 2);
  const copy = new Uint8Array(evenLength);
  copy.set(bytes.subarray(0, evenLength));
  return new Int16Array(copy.buffer);
}

export function bytesOf(samples: Int16Array): Buffer {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}

export function pcmToBase64(samples: Int16Array): string {
  return bytesOf(samples).toString('base64');
}

export function base64ToPcm(data: string): Int16Array {
  return int16FromBytes(Buffer.from(data, 'base64'));
}

export function concatPcm(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Consecutive frames of `frameSamples` (the last one may be shorter). */
export function splitFrames(samples: Int16Array, frameSamples: number): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let start = 0; start < samples.length; start += frameSamples) {
    frames.push(samples.subarray(start, start + frameSamples));
  }
  return frames;
}

// ---- sample conversion ----

export function int16ToFloat(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

/** The inverse of int16ToFloat (exact for every int16), clipping outside [-1, 1). */
export function floatToInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32768)));
  return out;
}

// ---- synthesis ----

export function tone(sampleRate: number, frequencyHz: number, ms: number, amplitude = 0.3): Int16Array {
  const out = new Float32Array(samplesForMs(sampleRate, ms));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate);
  return floatToInt16(out);
}

export function silence(sampleRate: number, ms: number): Int16Array {
  return new Int16Array(samplesForMs(sampleRate, ms));
}

// ---- resampling ----

const ZERO_CROSSINGS = 24;
const CUTOFF = 0.95;

/**
 * Band-limited resampling with a Blackman-windowed sinc, polyphase: one
 * filter per output phase of the rational ratio, each normalised to unity DC
 * gain. The filter is symmetric, so the output has no delay against the input.
 */
export function resampleFloat(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input.slice();
  const divisor = gcd(fromRate, toRate);
  const up = toRate / divisor;
  const down = fromRate / divisor;
  // Downsampling narrows the passband to the new Nyquist, which widens the filter in input samples.
  const bandwidth = Math.min(1, toRate / fromRate) * CUTOFF;
  const halfWidth = Math.ceil(ZERO_CROSSINGS / bandwidth);
  const phases = polyphaseFilters(up, halfWidth, bandwidth);
  const out = new Float32Array(Math.ceil((input.length * up) / down));
  for (let n = 0; n < out.length; n++) {
    const position = n * down;
    const center = Math.floor(position / up);
    const taps = phases[position % up]!;
    let sum = 0;
    const first = center - halfWidth + 1;
    for (let k = 0; k < taps.length; k++) {
      const index = first + k;
      if (index >= 0 && index < input.length) sum += input[index]! * taps[k]!;
    }
    out[n] = sum;
  }
  return out;
}

export function resample(audio: PcmAudio, toRate: number): PcmAudio {
  if (audio.sampleRate === toRate) return { sampleRate: toRate, samples: audio.samples.slice() };
  return {
    sampleRate: toRate,
    samples: floatToInt16(resampleFloat(int16ToFloat(audio.samples), audio.sampleRate, toRate)),
  };
}

function polyphaseFilters(up: number, halfWidth: number, bandwidth: number): Float32Array[] {
  const phases: Float32Array[] = [];
  for (let phase = 0; phase < up; phase++) {
    const fraction = phase / up;
    const taps = new Float32Array(2 * halfWidth);
    let gain = 0;
    for (let k = 0; k < taps.length; k++) {
      // Distance from the output instant to input sample (center - halfWidth + 1 + k).
      const distance = fraction + halfWidth - 1 - k;
      const weight = sinc(bandwidth * distance) * blackman(distance / halfWidth);
      taps[k] = weight;
      gain += weight;
    }
    for (let k = 0; k < taps.length; k++) taps[k] = taps[k]! / gain;
    phases.push(taps);
  }
  return phases;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** Blackman window over [-1, 1]. */
function blackman(x: number): number {
  if (Math.abs(x) >= 1) return 0;
  const phase = Math.PI * (x + 1);
  return 0.42 - 0.5 * Math.cos(phase) + 0.08 * Math.cos(2 * phase);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

// ---- measurement ----

/** Root mean square on the float scale (full-scale sine ≈ 0.707). */
export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += (sample / 32768) ** 2;
  return Math.sqrt(sum / samples.length);
}

export function rmsDbfs(samples: Int16Array): number {
  return 20 * Math.log10(Math.max(rms(samples), 1e-9));
}

export interface Correlation {
  /** Peak normalised cross-correlation, -1..1. */
  correlation: number;
  /** Shift of `b` against `a`, in samples, at the peak: b[i + lag] ≈ a[i]. */
  lag: number;
}

/** Normalised cross-correlation over the overlap, searching lags in [-maxLag, maxLag]. */
export function normalizedCrossCorrelation(a: Int16Array, b: Int16Array, maxLag = 64): Correlation {
  let best: Correlation = { correlation: -Infinity, lag: 0 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const correlation = correlationAtLag(a, b, lag);
    if (correlation > best.correlation) best = { correlation, lag };
  }
  return best;
}

function correlationAtLag(a: Int16Array, b: Int16Array, lag: number): number {
  const start = Math.max(0, -lag);
  const end = Math.min(a.length, b.length - lag);
  let product = 0;
  let energyA = 0;
  let energyB = 0;
  for (let i = start; i < end; i++) {
    const x = a[i]!;
    const y = b[i + lag]!;
    product += x * y;
    energyA += x * x;
    energyB += y * y;
  }
  const norm = Math.sqrt(energyA * energyB);
  return norm === 0 ? 0 : product / norm;
}
