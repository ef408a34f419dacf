import type { JitterCushion } from './jitter-cushion';
import type { SampleRing } from './sample-ring';

export type PlayoutEvent = 'started' | 'finished';

/** Per-sample decay of the last output sample when audio stops: no click, gone within a render quantum. */
const tailDecay = 0.96;

/**
 * The playback state machine, run once per render quantum by the player
 * worklet. A reply waits for the cushion, plays, and finishes when it drains
 * after endOfReply(); draining before that is an underrun, which re-waits
 * with a larger cushion.
 */
export class Playout {
  private phase: 'idle' | 'waiting' | 'playing' = 'idle';
  private inReply = false;
  private replyComplete = false;
  private replyHadUnderrun = false;
  private waitedSamples = 0;
  private tail = 0;
  private underrunCount = 0;

  constructor(
    private readonly sampleRate: number,
    private readonly ring: SampleRing,
    private readonly cushion: JitterCushion,
    private readonly onEvent: (event: PlayoutEvent) => void,
  ) {}

  get underruns(): number {
    return this.underrunCount;
  }

  get bufferedMs(): number {
    return (this.ring.length / this.sampleRate) * 1000;
  }

  append(samples: Float32Array): void {
    this.ring.write(samples);
    this.replyComplete = false;
    if (this.phase === 'idle') this.wait();
  }

  /** No more audio for this reply: draining now is its end, not an underrun. */
  endOfReply(): void {
    this.replyComplete = true;
  }

  flush(): void {
    this.ring.clear();
    this.phase = 'idle';
    this.replyComplete = false;
    if (this.inReply) this.finish();
  }

  render(out: Float32Array): void {
    if (this.phase === 'waiting') this.waitOrBegin(out.length);
    const played = this.phase === 'playing' ? this.ring.read(out) : 0;
    if (played > 0) this.tail = out[played - 1]!;
    for (let i = played; i < out.length; i++) {
      this.tail *= tailDecay;
      out[i] = this.tail;
    }
    if (this.phase === 'playing' && played < out.length) this.ranDry();
  }

  /** The cushion counts from the first sample that arrived after the start or the stall, not from the stall. */
  private waitOrBegin(blockSamples: number): void {
    const cushionSamples = (this.cushion.milliseconds / 1000) * this.sampleRate;
    if (this.waitedSamples < cushionSamples && !this.replyComplete) {
      if (this.ring.length > 0) this.waitedSamples += blockSamples;
      return;
    }
    this.phase = 'playing';
    if (!this.inReply) {
      this.inReply = true;
      this.onEvent('started');
    }
  }

  private ranDry(): void {
    if (this.replyComplete) {
      this.phase = 'idle';
      if (!this.replyHadUnderrun) this.cushion.afterSmoothReply();
      this.finish();
      return;
    }
    this.underrunCount++;
    this.replyHadUnderrun = true;
    this.cushion.afterUnderrun();
    this.wait();
  }

  private wait(): void {
    this.phase = 'waiting';
    this.waitedSamples = 0;
  }

  private finish(): void {
    this.inReply = false;
    this.replyHadUnderrun = false;
    this.onEvent('finished');
  }
}
