// Finds recorded audio inside what was played or spoken: once after an unknown
// delay, or in a loop (Chromium's fake microphone loops its file).
import type { Correlation } from './audio';

/** The coarse search compares loudness envelopes: RMS over windows long enough to smooth out the pitch, */
const envelopeWindow = 400;
/** taken at this step, which is the coarse search's resolution. */
const envelopeHop = 40;

/** Where `segment` best matches `reference` at offsets 0..maxOffset: a coarse envelope search, then sample-exact. */
export function align(reference: Int16Array, segment: Int16Array, maxOffset: number): Correlation {
  return alignOnEnvelope(reference, envelope(reference), segment, 0, maxOffset);
}

/**
 * `align` within reference[from..from + maxOffset], given the reference's
 * envelope (`from` a multiple of the hop). The envelopes' shape alone
 * (Pearson) can rank a flat stretch anywhere, so the places whose envelope
 * also has the segment's loudness are tried sample-exact as well.
 */
function alignOnEnvelope(
  reference: Int16Array,
  referenceEnvelope: Float64Array,
  segment: Int16Array,
  from: number,
  maxOffset: number,
): Correlation {
  const segmentEnvelope = envelope(segment);
  const firstStep = from / envelopeHop;
  const byShape: Candidate[] = [];
  const byLoudness: Candidate[] = [];
  for (let step = firstStep; (step - firstStep) * envelopeHop <= maxOffset + envelopeHop; step++) {
    const stretch = referenceEnvelope.subarray(step, step + segmentEnvelope.length);
    const offset = step * envelopeHop;
    keepBest(byShape, { score: pearson(segmentEnvelope, stretch), offset });
    keepBest(byLoudness, { score: -squaredDistance(segmentEnvelope, stretch), offset });
  }
  let best: Correlation = { correlation: -Infinity, lag: from };
  for (const offset of new Set([...byShape, ...byLoudness].map((candidate) => candidate.offset))) {
    const fine = bestMatchNear(segment, reference, offset, 2 * envelopeHop);
    if (fine.correlation > best.correlation) best = { correlation: fine.correlation, lag: offset + fine.lag };
  }
  return best;
}

interface Candidate {
  score: number;
  offset: number;
}

/** How many coarse places of each kind are tried sample-exact. */
const candidates = 3;

/** Keeps the `candidates` best-scoring places, a coarse step's neighbours counting as the same place. */
function keepBest(best: Candidate[], candidate: Candidate): void {
  if (best.length === candidates && candidate.score <= best.at(-1)!.score) return;
  const neighbour = best.findIndex((kept) => Math.abs(kept.offset - candidate.offset) <= envelopeHop);
  if (neighbour >= 0) {
    if (best[neighbour]!.score >= candidate.score) return;
    best.splice(neighbour, 1);
  }
  best.push(candidate);
  best.sort((a, b) => b.score - a.score);
  best.length = Math.min(best.length, candidates);
}

function squaredDistance(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) sum += (a[i]! - b[i]!) ** 2;
  return sum;
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
  const pieceEnergy = energy(piece);
  const first = Math.max(-drift, -at);
  const last = Math.min(drift, heard.length - piece.length - at);
  if (pieceEnergy === 0 || first > last) return best;
  // The energy under the piece slides along with it (exact: sums of integer squares).
  let heardEnergy = energy(heard.subarray(at + first, at + first + piece.length));
  for (let lag = first; lag <= last; lag++) {
    const from = at + lag;
    if (lag > first) heardEnergy += heard[from + piece.length - 1]! ** 2 - heard[from - 1]! ** 2;
    let product = 0;
    for (let i = 0; i < piece.length; i++) product += piece[i]! * heard[from + i]!;
    const norm = Math.sqrt(pieceEnergy * heardEnergy);
    const correlation = norm === 0 ? 0 : product / norm;
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

/** The pieces `correlationInLoop` follows a recording by: one 20 ms capture frame at 16 kHz. */
const pieceSamples = 320;
/** How far a piece may sit from where the last one ended without counting as a skip (resampling jitter). */
const pieceJitter = 8;
/** A match this good is where the recording really is; weaker ones do not move the track. */
const sureMatch = 0.9;
/** What the anchor and a long skip are found by: 100 ms, long enough to be in one place only, */
const landmarkSamples = 1600;
/** or, where skips come thick and fast, 40 ms between two of them. */
const shortLandmarkSamples = 640;

/**
 * How well a recording of a looping source (Chromium's fake microphone)
 * matches it, 20 ms piece by 20 ms piece, as the energy-weighted mean
 * correlation. The recording may skip ahead in the source: the fake
 * microphone drops ~70 samples each time its file loops, and blocks of a few
 * milliseconds to a few hundred whenever a busy machine keeps Chromium's
 * audio threads from reading it in time (seen here: dozens in a turn). A skip
 * costs only the piece it falls in; audio that is not the source, or not at
 * its sample rate, matches nowhere. Whether Parley lost a frame is not a
 * question for the audio (a lost frame looks like a skip): count the frames.
 */
export function correlationInLoop(reference: Int16Array, segment: Int16Array): number {
  const pieces = Array.from({ length: Math.floor(segment.length / pieceSamples) }, (_, index) =>
    segment.subarray(index * pieceSamples, (index + 1) * pieceSamples),
  );
  const energies = pieces.map(energy);
  const total = energies.reduce((sum, e) => sum + e, 0);
  if (total === 0 || reference.length < 2 * landmarkSamples) return 0;
  // Only pieces with real sound may move the track: a quiet one matches anywhere.
  const loud = Math.max(...energies) * 0.01;
  const source = new LoopedSource(reference, segment);
  const { anchor, anchorOffset } = source.anchor(energies);
  let weighted = 0;
  // Forward from the anchor, then backward from it (where a skip ahead is a step back).
  for (const direction of [1, -1] as const) {
    let offset = anchorOffset;
    for (let index = direction === 1 ? anchor : anchor - 1; index >= 0 && index < pieces.length; index += direction) {
      const start = index * pieceSamples;
      const here = bestMatchNear(pieces[index]!, source.samples, start + offset, pieceJitter);
      let score = here.correlation;
      if (energies[index]! > loud && here.correlation >= sureMatch) offset += here.lag;
      else if (energies[index]! > loud) {
        const skipped = source.afterSkip(start, offset, direction);
        if (skipped !== undefined) {
          offset = skipped.offset;
          score = Math.max(score, skipped.correlation);
        }
      }
      weighted += Math.max(0, score) * energies[index]!;
    }
  }
  return weighted / total;
}

/** The source looped often enough on both sides of the anchor for every skip a recording may make. */
class LoopedSource {
  readonly samples: Int16Array;
  private readonly envelope: Float64Array;
  private readonly period: number;
  /** Less than a loop, so that a skip is never mistaken for a loop. */
  private readonly maxSkip: number;

  constructor(
    reference: Int16Array,
    private readonly recording: Int16Array,
  ) {
    const copies = 2 * Math.ceil(recording.length / reference.length) + 3;
    this.samples = new Int16Array(reference.length * copies);
    for (let copy = 0; copy < copies; copy++) this.samples.set(reference, copy * reference.length);
    this.envelope = envelope(this.samples);
    this.period = reference.length;
    this.maxSkip = reference.length - 2 * landmarkSamples;
  }

  /**
   * Where to start: the first of the loudest stretches whose landmark is in
   * the source for sure (one with a skip inside is not), as the piece it
   * starts at and its offset (source index minus recording index) in the middle copy.
   */
  anchor(energies: number[]): { anchor: number; anchorOffset: number } {
    const span = landmarkSamples / pieceSamples;
    const stretches = energies.map((_, index) => ({
      index,
      energy: energies.slice(index, index + span).reduce((sum, e) => sum + e, 0),
    }));
    const loudest = stretches.sort((a, b) => b.energy - a.energy).slice(0, 5);
    let chosen: { anchor: number; found: Correlation } | undefined;
    for (const { index } of loudest) {
      const start = index * pieceSamples;
      const landmark = this.recording.subarray(start, start + landmarkSamples);
      const found = alignOnEnvelope(this.samples, this.envelope, landmark, 0, this.period);
      chosen ??= { anchor: index, found };
      if (found.correlation >= sureMatch) {
        chosen = { anchor: index, found };
        break;
      }
    }
    const offset = chosen!.found.lag - chosen!.anchor * pieceSamples;
    const middle = Math.floor(this.samples.length / this.period / 2) * this.period;
    return {
      anchor: chosen!.anchor,
      anchorOffset: (((offset % this.period) + this.period) % this.period) + middle,
    };
  }

  /**
   * Where the recording goes on after a skip at the piece starting at `start`
   * (which did not match at `offset`): the piece a little further on, or the
   * landmark beyond it up to maxSkip away; with how well that piece matches
   * there. Undefined if it is nowhere for sure.
   */
  afterSkip(start: number, offset: number, direction: 1 | -1): (Correlation & { offset: number }) | undefined {
    const piece = this.recording.subarray(start, start + pieceSamples);
    const reach = landmarkSamples / 2;
    const near = bestMatchNear(piece, this.samples, start + offset + direction * reach, reach);
    if (near.correlation >= sureMatch) return { ...near, offset: offset + direction * reach + near.lag };
    for (const length of [landmarkSamples, shortLandmarkSamples]) {
      const found = this.landmarkAfter(start, offset, direction, length);
      if (found === undefined) continue;
      return { ...bestMatchNear(piece, this.samples, start + found, pieceJitter), offset: found };
    }
    return undefined;
  }

  /** The new offset of the `length` samples beyond the piece at `start`, if they are somewhere for sure. */
  private landmarkAfter(start: number, offset: number, direction: 1 | -1, length: number): number | undefined {
    const from = direction === 1 ? start + pieceSamples : start - length;
    if (from < 0) return undefined;
    const landmark = this.recording.subarray(from, from + length);
    if (landmark.length < length) return undefined;
    const nearest = direction === 1 ? from + offset - pieceJitter : from + offset - this.maxSkip;
    const searchFrom = Math.max(0, Math.floor(nearest / envelopeHop) * envelopeHop);
    // Only places where the whole landmark fits: a sliver of overlap correlates with anything.
    const reach = Math.min(this.samples.length - searchFrom - length, this.maxSkip + 2 * envelopeHop);
    if (reach < 0) return undefined;
    const match = alignOnEnvelope(this.samples, this.envelope, landmark, searchFrom, reach);
    return match.correlation >= sureMatch ? match.lag - from : undefined;
  }
}
