// Finds recorded audio inside what was played or spoken: once after an unknown
// delay, or in a loop (Chromium's fake microphone loops its file).
import { normalizedCrossCorrelation, type Correlation } from './audio';

/** The coarse search compares loudness envelopes: RMS over windows long enough to smooth out the pitch, */
const envelopeWindow = 400;
/** taken at this step, which is the coarse search's resolution. */
const envelopeHop = 40;

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
 * How well `heard` carries `sent` when the two may drift apart along the way
 * (an underrun pauses playback; a looping source skips a little): `sent` is
 * cut into windows, each looked for within `driftSamples` of where its
 * neighbour was found, starting from the loudest stretch. Returns the
 * energy-weighted mean correlation.
 */
export function piecewiseCorrelation(
  sent: Int16Array,
  heard: Int16Array,
  windowSamples = 2400,
  driftSamples = 2400,
  /** When `heard` repeats with this period, the track is moved to the copy with room on both sides. */
  period?: number,
): number {
  const windows = Math.floor(sent.length / windowSamples);
  if (windows === 0) return 0;
  const energies = Array.from({ length: windows }, (_, w) =>
    energy(sent.subarray(w * windowSamples, (w + 1) * windowSamples)),
  );
  const anchor = loudestStretch(energies, 4);
  const anchorStart = anchor * windowSamples;
  const anchorPiece = sent.subarray(anchorStart, Math.min(sent.length, anchorStart + 4 * windowSamples));
  // Only offsets where the whole anchor fits: a sliver of overlap correlates perfectly with anything.
  const found = align(heard, anchorPiece, Math.max(0, heard.length - anchorPiece.length)).lag - anchorStart;
  const anchorOffset = period ? (((found % period) + period) % period) + period : found;
  const loud = Math.max(...energies) * 0.01;
  let weighted = 0;
  let offset = anchorOffset;
  // Forward from the anchor, then backward from it, each side tracking its own drift.
  for (const order of [range(anchor, windows), range(anchor - 1, -1)]) {
    for (const w of order) {
      const start = w * windowSamples;
      const match = bestMatchNear(sent.subarray(start, start + windowSamples), heard, start + offset, driftSamples);
      // Only windows with real sound may steer the track: a quiet one matches anywhere.
      if (energies[w]! > loud && match.correlation > 0.5) offset += match.lag;
      weighted += Math.max(0, match.correlation) * energies[w]!;
    }
    offset = anchorOffset;
  }
  const total = energies.reduce((sum, e) => sum + e, 0);
  return total === 0 ? 0 : weighted / total;
}

/** The best place for `piece` in `heard` within ±drift of `at`; lag is the shift from `at`. */
function bestMatchNear(piece: Int16Array, heard: Int16Array, at: number, drift: number): Correlation {
  let best: Correlation = { correlation: 0, lag: 0 };
  for (let lag = -drift; lag <= drift; lag++) {
    const from = at + lag;
    if (from < 0 || from + piece.length > heard.length) continue;
    const { correlation } = normalizedCrossCorrelation(piece, heard.subarray(from, from + piece.length), 0);
    if (correlation > best.correlation) best = { correlation, lag };
  }
  return best;
}

function energy(samples: Int16Array): number {
  return samples.reduce((sum, sample) => sum + sample * sample, 0);
}

/** Index of the first of `span` consecutive windows with the most energy. */
function loudestStretch(energies: number[], span: number): number {
  let best = 0;
  let bestEnergy = -1;
  for (let w = 0; w + Math.min(span, energies.length) <= energies.length; w++) {
    const total = energies.slice(w, w + span).reduce((sum, e) => sum + e, 0);
    if (total > bestEnergy) [best, bestEnergy] = [w, total];
  }
  return best;
}

function range(from: number, to: number): number[] {
  const step = from <= to ? 1 : -1;
  const out: number[] = [];
  for (let i = from; i !== to; i += step) out.push(i);
  return out;
}

/**
 * How well a recording of a looping source matches it, piece by piece.
 * Chromium's fake microphone drops about 70 samples (4.4 ms) each time its
 * file loops, so each 100 ms piece may sit up to 10 ms from the last one's
 * track: enough for that, too little to hide a lost or repeated 20 ms frame.
 */
export function correlationInLoop(reference: Int16Array, segment: Int16Array): number {
  const periods = Math.ceil(segment.length / reference.length) + 3;
  const looped = new Int16Array(reference.length * periods);
  for (let period = 0; period < periods; period++) looped.set(reference, period * reference.length);
  return piecewiseCorrelation(segment, looped, 1600, 160, reference.length);
}
