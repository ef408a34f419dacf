// Automatic activity detection: speech starts once the level stays above a
// threshold for `prefixPaddingMs`, and ends after `silenceDurationMs` below it.
// Works on audio time, not wall time, so paced and burst input behave alike.
import { concatPcm, rmsDbfs, samplesForMs } from '../support/audio';
import type { AutomaticDetectionConfig } from './setup';

export type VadEvent = { type: 'speechStart' } | { type: 'speechEnd'; audio: Int16Array };

const WINDOW_MS = 10;
// START_SENSITIVITY_HIGH (the Gemini default) hears quieter speech than LOW.
const THRESHOLD_DBFS = { HIGH: -45, LOW: -35 } as const;

export class EnergyVad {
  private readonly window: number;
  private readonly threshold: number;
  private readonly minSpeech: number;
  private readonly maxSilence: number;
  /** Audio kept for the turn in progress, starting at absolute sample `pendingStart`. */
  private pending: Int16Array[] = [];
  private pendingStart = 0;
  /** Samples not yet analysed (less than one window). */
  private carry = new Int16Array(0);
  private analysed = 0;
  private voicedRunStart: number | undefined;
  private speechStart: number | undefined;
  private lastVoicedEnd = 0;

  constructor(
    sampleRate: number,
    config: AutomaticDetectionConfig,
    /** TURN_INCLUDES_ALL_INPUT: the turn also holds the silence since the previous turn. */
    private readonly includeAllInput: boolean,
  ) {
    this.window = samplesForMs(sampleRate, WINDOW_MS);
    this.threshold = THRESHOLD_DBFS[config.startSensitivity];
    this.minSpeech = samplesForMs(sampleRate, Math.max(WINDOW_MS, config.prefixPaddingMs));
    this.maxSilence = samplesForMs(sampleRate, config.silenceDurationMs);
  }

  get speaking(): boolean {
    return this.speechStart !== undefined;
  }

  push(samples: Int16Array): VadEvent[] {
    this.pending.push(samples);
    const events: VadEvent[] = [];
    const buffer = concatPcm([this.carry, samples]);
    let offset = 0;
    for (; offset + this.window <= buffer.length; offset += this.window) {
      const event = this.analyse(buffer.subarray(offset, offset + this.window));
      if (event) events.push(event);
    }
    this.carry = buffer.slice(offset);
    if (!this.speaking && this.voicedRunStart === undefined && !this.includeAllInput) this.forget();
    return events;
  }

  /** audioStreamEnd: the microphone closed, so speech in progress ends now. */
  end(): VadEvent[] {
    return this.speaking ? [this.finishSpeech(this.analysed + this.carry.length)] : [];
  }

  private analyse(window: Int16Array): VadEvent | undefined {
    const start = this.analysed;
    this.analysed += window.length;
    const voiced = rmsDbfs(window) > this.threshold;
    if (this.speaking) {
      if (voiced) this.lastVoicedEnd = this.analysed;
      else if (this.analysed - this.lastVoicedEnd >= this.maxSilence) return this.finishSpeech(this.analysed);
      return undefined;
    }
    if (!voiced) {
      this.voicedRunStart = undefined;
      return undefined;
    }
    this.voicedRunStart ??= start;
    this.lastVoicedEnd = this.analysed;
    if (this.analysed - this.voicedRunStart < this.minSpeech) return undefined;
    this.speechStart = this.voicedRunStart;
    return { type: 'speechStart' };
  }

  private finishSpeech(detectedAt: number): VadEvent {
    const all = concatPcm(this.pending);
    const from = this.includeAllInput ? this.pendingStart : (this.speechStart ?? this.pendingStart);
    const to = this.includeAllInput ? detectedAt : this.lastVoicedEnd;
    const audio = all.slice(from - this.pendingStart, to - this.pendingStart);
    // What follows the detection point belongs to the next turn.
    this.pending = [all.slice(detectedAt - this.pendingStart)];
    this.pendingStart = detectedAt;
    this.speechStart = undefined;
    this.voicedRunStart = undefined;
    return { type: 'speechEnd', audio };
  }

  /** Silence outside any turn is not kept (TURN_INCLUDES_ONLY_ACTIVITY). */
  private forget(): void {
    this.pending = [this.carry.slice()];
    this.pendingStart = this.analysed;
  }
}
