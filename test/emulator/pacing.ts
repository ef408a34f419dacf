// When reply chunks leave the emulator. The service streams audio roughly in
// real time; clients must also cope with bursts, jitter and odd chunk sizes.

export type PacingMode = 'realtime' | 'fast' | 'jittered' | 'bursty';

export interface Pacing {
  mode: PacingMode;
  /** Nominal audio per chunk. */
  chunkMs: number;
  /** Vary chunk lengths (0.3×–1.7× nominal, odd sample counts). */
  irregularChunks: boolean;
  /** 'fast': how many times faster than real time. */
  speedFactor: number;
  /** 'jittered': each chunk leaves up to this much earlier or later than its real-time slot. */
  jitterMs: number;
  /** 'bursty': chunks sent back to back per burst, bursts at real-time rate. */
  burstChunks: number;
  /** Delay between the end of the user's turn and the first reply frame. */
  latencyMs: number;
  /** Seed for the irregular sizes and the jitter, so runs repeat. */
  seed: number;
}

export const DEFAULT_PACING: Pacing = {
  mode: 'realtime',
  chunkMs: 40,
  irregularChunks: false,
  speedFactor: 20,
  jitterMs: 30,
  burstChunks: 8,
  latencyMs: 0,
  seed: 1,
};

/** Sample counts of consecutive chunks covering `totalSamples`. */
export function chunkLengths(totalSamples: number, sampleRate: number, pacing: Pacing, random: () => number): number[] {
  const nominal = Math.max(1, Math.round((sampleRate * pacing.chunkMs) / 1000));
  const lengths: number[] = [];
  for (let left = totalSamples; left > 0;) {
    const length = pacing.irregularChunks ? oddLength(nominal, random) : nominal;
    lengths.push(Math.min(length, left));
    left -= length;
  }
  return lengths;
}

function oddLength(nominal: number, random: () => number): number {
  const length = Math.max(1, Math.round(nominal * (0.3 + 1.4 * random())));
  return length % 2 === 1 ? length : length + 1;
}

/**
 * Send times (ms after the reply starts) for chunks of the given durations,
 * plus `end`: when playback of everything sent would finish, which is when
 * the service reports the turn complete.
 */
export function sendSchedule(
  durationsMs: readonly number[],
  pacing: Pacing,
  random: () => number,
): { offsets: number[]; end: number } {
  const realtime: number[] = [];
  let playback = 0;
  for (const duration of durationsMs) {
    realtime.push(playback);
    playback += duration;
  }
  const scale = pacing.mode === 'fast' ? 1 / pacing.speedFactor : 1;
  const offsets = realtime.map((offset, index) => pacedOffset(realtime, offset, index, pacing, random));
  return {
    offsets: monotonic(offsets.map((offset) => offset + pacing.latencyMs)),
    end: playback * scale + pacing.latencyMs,
  };
}

function pacedOffset(realtime: number[], offset: number, index: number, pacing: Pacing, random: () => number): number {
  switch (pacing.mode) {
    case 'realtime':
      return offset;
    case 'fast':
      return offset / pacing.speedFactor;
    case 'jittered':
      return Math.max(0, offset + (2 * random() - 1) * pacing.jitterMs);
    case 'bursty':
      return realtime[index - (index % pacing.burstChunks)] ?? offset;
  }
}

/** Frames on one socket arrive in order, so a jittered schedule never goes back in time. */
function monotonic(offsets: number[]): number[] {
  let latest = 0;
  return offsets.map((offset) => (latest = Math.max(latest, offset)));
}

/** mulberry32: small, fast and good enough for test variety. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
