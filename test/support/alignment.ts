// Finds recorded audio inside a reference that played in a loop (Chromium's
// fake microphone loops its file) or once after an unknown delay.
import { normalizedCrossCorrelation, type Correlation } from './audio';

/** The coarse search compares loudness envelopes: RMS over windows long enough to smooth out the pitch, */
const envelopeWindow = 400;
/** taken at this step, which is the coarse search's resolution. */
const envelopeHop = 40;

/** Where `segment` best matches `reference` repeated end to end; `lag` is the offset into one period. */
export function alignInLoop(reference: Int16Array, segment: Int16Array): Correlation {
  const periods = Math.ceil(segment.length / reference.length) + 1;
  const looped = new Int16Array(reference.length * periods);
  for (let period = 0; period < periods; period++) looped.set(reference, period * reference.length);
  const best = align(looped, segment, reference.length);
  return { correlation: best.correlation, lag: (best.lag + reference.length) % reference.length };
}

/** Where `segment` best matches `reference` at offsets 0..maxOffset: a coarse envelope search, then sample-exact. */
export function align(reference: Int16Array, segment: Int16Array, maxOffset: number): Correlation {
  const referenceEnvelope = envelope(reference);
  const segmentEnvelope = envelope(segment);
  let coarse = { score: -Infinity, offset: 0 };
  for (let step = 0; step * envelopeHop <= maxOffset + envelopeHop; step++) {
    const score = pearson(segmentEnvelope, referenceEnvelope.subarray(step, step + segmentEnvelope.length));
    if (score > coarse.score) coarse = { score, offset: step * envelopeHop };
  }
  const fine = normalizedCrossCorrelation(segment, reference.subarray(coarse.offset), 2 * envelopeHop);
  return { correlation: fine.correlation, lag: coarse.offset + fine.lag };
}

function envelope(samples: Int16Array): Float64Array {
  const out = new Float64Array(Math.max(0, Math.floor((samples.length - envelopeWindow) / envelopeHop) + 1));
  for (let step = 0; step < out.length; step++) {
    let sum = 0;
    for (let i = step * envelopeHop; i < step * envelopeHop + envelopeWindow; i++) sum += samples[i]! ** 2;
    out[step] = Math.sqrt(sum / envelopeWindow);
  }
  return out;
}

function pearson(a: Float64Array, b: Float64Array): number {
  const length = Math.min(a.length, b.length);
  const meanA = mean(a, length);
  const meanB = mean(b, length);
  let product = 0;
  let energyA = 0;
  let energyB = 0;
  for (let i = 0; i < length; i++) {
    const x = a[i]! - meanA;
    const y = b[i]! - meanB;
    product += x * y;
    energyA += x * x;
    energyB += y * y;
  }
  const norm = Math.sqrt(energyA * energyB);
  return norm === 0 ? 0 : product / norm;
}

function mean(values: Float64Array, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += values[i]!;
  return length === 0 ? 0 : sum / length;
}

/**
 * How well `heard` carries `sent` when playback may have paused (an underrun
 * shifts everything after it): `sent` is cut into windows, each found near
 * where the previous one was, and the energy-weighted mean correlation is returned.
 */
export function piecewiseCorrelation(
  sent: Int16Array,
  heard: Int16Array,
  windowSamples = 2400,
  driftSamples = 2400,
): number {
  let offset = align(heard, sent.subarray(0, Math.min(sent.length, windowSamples * 4)), heard.length - 1).lag;
  let weighted = 0;
  let totalEnergy = 0;
  for (let start = 0; start + windowSamples <= sent.length; start += windowSamples) {
    const piece = sent.subarray(start, start + windowSamples);
    const from = Math.max(0, offset + start - driftSamples);
    const match = normalizedCrossCorrelation(piece, heard.subarray(from), driftSamples * 2);
    const energy = piece.reduce((sum, sample) => sum + sample * sample, 0);
    if (match.lag >= 0) offset = from + match.lag - start;
    weighted += Math.max(0, match.correlation) * energy;
    totalEnergy += energy;
  }
  return totalEnergy === 0 ? 0 : weighted / totalEnergy;
}
