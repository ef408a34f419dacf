import { parleyPipeline, type PipelineParameters } from '../pipeline-parameters';
import type { JitterCushion } from './jitter-cushion';
import type { SampleRing } from './sample-ring';

export type BargeInParameters = Pick<PipelineParameters, 'scheduleAheadMs' | 'bargeInFadeMs'>;

export type PlayoutEvent = 'started' | 'finished';

/** Per-sample decay of the last output sample when audio stops: no click, gone within a render quantum. */
const tailDecay = 0.96;

/**
 * The playback state machine, run once per render quantum by the player
 * worklet. A reply waits for the cushion, plays, and finishes when it drains
 * after endOfReply(); draining before that and then getting more audio is an
 * underrun, which re-waits with a larger cushion.
 */
export class Playout {
  private phase: 'idle' | 'waiting' | 'playing' | 'fading' = 'idle';
  private inReply = false;
  private replyComplete = false;
  private replyHadUnderrun = false;
  private waitedSamples = 0;
  private tail = 0;
  private underrunCount = 0;
  /** Ran dry before endOfReply(): an underrun if more audio comes, the reply's end if endOfReply() does. */
  private dry = false;
  /** Samples of the barge-in fade rendered so far. */
  private faded = 0;

  constructor(
    private readonly sampleRate: number,
    private readonly ring: SampleRing,
    private readonly cushion: JitterCushion,
    private readonly onEvent: (event: PlayoutEvent) => void,
    private readonly bargeIn: BargeInParameters = parleyPipeline,
  ) {}

  get underruns(): number {
    return this.underrunCount;
  }

  get bufferedMs(): number {
    return (this.ring.length / this.sampleRate) * 1000;
  }

  append(samples: Float32Array): void {
    // A new reply does not wait behind the end of a faded one.
    if (this.phase === 'fading') this.endFade();
    if (this.dry) this.underrun();
    this.ring.write(samples);
    this.replyComplete = false;
    if (this.phase === 'idle') this.wait();
  }

  /** No more audio for this reply: draining now is its end, not an underrun. */
  endOfReply(): void {
    this.replyComplete = true;
  }

  /**
   * Drops the buffered reply. Audio the output already holds (scheduleAheadMs)
   * plays on under a linear fade of bargeInFadeMs, which a second flush leaves
   * running; Parley holds none, so only the tail decay follows.
   */
  flush(): void {
    if (this.phase !== 'fading') {
      const fadeSamples = this.samplesOf(this.bargeIn.bargeInFadeMs);
      const held = Math.min(this.samplesOf(this.bargeIn.scheduleAheadMs), fadeSamples);
      this.ring.truncate(this.phase === 'playing' ? held : 0);
      this.faded = 0;
      this.phase = this.ring.length > 0 ? 'fading' : 'idle';
    }
    this.replyComplete = false;
    this.dry = false;
    if (this.inReply) this.finish();
  }

  render(out: Float32Array): void {
    if (this.phase === 'waiting') this.waitOrBegin(out.length);
    const played = this.phase === 'playing' || this.phase === 'fading' ? this.ring.read(out) : 0;
    if (this.phase === 'fading') this.fadeOut(out, played);
    if (played > 0) this.tail = out[played - 1]!;
    for (let i = played; i < out.length; i++) {
      this.tail *= tailDecay;
      out[i] = this.tail;
    }
    if (this.phase === 'playing' && played < out.length) this.ranDry();
  }

  private samplesOf(ms: number): number {
    return Math.round((ms / 1000) * this.sampleRate);
  }

  private fadeOut(out: Float32Array, played: number): void {
    const length = this.samplesOf(this.bargeIn.bargeInFadeMs);
    for (let i = 0; i < played; i++) out[i] = out[i]! * Math.max(0, 1 - (this.faded + i) / length);
    this.faded += played;
    if (this.ring.length === 0) this.endFade();
  }

  private endFade(): void {
    this.ring.clear();
    this.phase = 'idle';
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
    // Whether this is an underrun or the end depends on what comes next: the end mark
    // may simply be later than the last audio (it races it from the server).
    this.dry = true;
    this.wait();
  }

  private underrun(): void {
    this.dry = false;
    this.underrunCount++;
    this.replyHadUnderrun = true;
    this.cushion.afterUnderrun();
  }

  private wait(): void {
    this.phase = 'waiting';
    this.waitedSamples = 0;
  }

  private finish(): void {
    this.dry = false;
    this.inReply = false;
    this.replyHadUnderrun = false;
    this.onEvent('finished');
  }
}
