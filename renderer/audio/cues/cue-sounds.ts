export type CueKind = 'start' | 'stop' | 'ready';

interface Tone {
  hz: number;
  ms: number;
}

/** Rising = listening, falling = sent, a short high blip = the microphone is live. */
const cueTones: Record<CueKind, readonly Tone[]> = {
  start: [
    { hz: 660, ms: 45 },
    { hz: 880, ms: 45 },
  ],
  stop: [
    { hz: 880, ms: 45 },
    { hz: 660, ms: 45 },
  ],
  ready: [{ hz: 1320, ms: 35 }],
};

const amplitude = 0.3;
/** Raised-cosine edges on every tone, so cues never click. */
const edgeMs = 5;

/** The cue as float samples at `sampleRate`. */
export function synthesizeCue(kind: CueKind, sampleRate: number): Float32Array<ArrayBuffer> {
  const tones = cueTones[kind].map((tone) => synthesizeTone(tone, sampleRate));
  const out = new Float32Array(tones.reduce((sum, tone) => sum + tone.length, 0));
  let offset = 0;
  for (const tone of tones) {
    out.set(tone, offset);
    offset += tone.length;
  }
  return out;
}

function synthesizeTone({ hz, ms }: Tone, sampleRate: number): Float32Array {
  const out = new Float32Array(Math.round((sampleRate * ms) / 1000));
  const edge = Math.round((sampleRate * edgeMs) / 1000);
  for (let i = 0; i < out.length; i++) {
    const distanceToEdge = Math.min(i, out.length - 1 - i);
    const envelope = distanceToEdge >= edge ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * distanceToEdge) / edge);
    out[i] = amplitude * envelope * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  }
  return out;
}
