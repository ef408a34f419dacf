// A user turn while it is being received: its audio chunks and text (the
// session hands it the video frames it takes when the turn ends).
import { concatPcm } from '../support/audio';
import type { TurnInput } from './conversation';

export class TurnCollector {
  readonly startedAt = performance.now();
  private readonly chunks: Int16Array[] = [];
  private readonly texts: string[] = [];
  private midTurnReached = false;

  constructor(
    /** The conversation index this turn will have. */
    readonly index: number,
  ) {}

  /** True the first time only: the turn has audio and the scenario point `midTurn` is reached. */
  reachMidTurn(): boolean {
    if (this.midTurnReached) return false;
    this.midTurnReached = true;
    return true;
  }

  addAudio(samples: Int16Array): void {
    this.chunks.push(samples);
  }

  addText(text: string): void {
    this.texts.push(text);
  }

  /** `audio` replaces the collected chunks when the activity detector cut the turn itself. */
  finish(sampleRate: number, audio?: Int16Array): Omit<TurnInput, 'transcript' | 'frames'> {
    const samples = audio ?? concatPcm(this.chunks);
    return {
      source: samples.length > 0 || this.texts.length === 0 ? 'audio' : 'text',
      audio: { sampleRate, samples },
      text: this.texts.join(''),
      startedAt: this.startedAt,
      endedAt: performance.now(),
    };
  }
}
