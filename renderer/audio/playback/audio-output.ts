import { classifyOutputDeviceError, OutputDeviceError } from './output-device-error';

/** The Live API's output rate, so replies play without resampling on our side. */
export const playbackSampleRate = 24000;

/** About 21 ms at 24 kHz: short enough that tapLevel() follows a flush closely. */
const tapWindowSamples = 512;

/** AudioContext.setSinkId, which TypeScript's DOM library does not describe yet. */
interface SinkSelectable {
  setSinkId(sinkId: string): Promise<void>;
}

export interface AudioOutputOptions {
  /**
   * Suspend the audio thread this long after the last sound, until the next:
   * a running context renders silence ~190 times a second and keeps the
   * output device streaming (2–3 % of a core, measured by bench/). Never
   * suspended when absent.
   */
  suspendWhenIdleMs?: number;
}

/**
 * The one output path: an AudioContext at 24 kHz and a master gain that
 * replies and cues both go through, with a level tap right after the gain.
 */
export class AudioOutput {
  readonly context = new AudioContext({ sampleRate: playbackSampleRate, latencyHint: 'interactive' });
  /** Connect sources here: cues directly, replies through `replies`. */
  readonly master = new GainNode(this.context);
  /** The replies' own gain (volume and mute), so muting Gemini leaves the cues audible. */
  readonly replies = new GainNode(this.context);
  private readonly tap = new AnalyserNode(this.context, { fftSize: tapWindowSamples });
  private readonly tapSamples = new Float32Array(tapWindowSamples);
  private targetVolume = 1;
  private targetRepliesVolume = 1;
  /** Sounds playing now (a reply, cues): the output does not rest while any does. */
  private holds = 0;
  private restTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: AudioOutputOptions = {}) {
    this.replies.connect(this.master);
    this.master.connect(this.context.destination);
    this.master.connect(this.tap);
  }

  get volume(): number {
    return this.targetVolume;
  }

  /** 0..1; glides over a few ms so a change never clicks. */
  set volume(value: number) {
    this.targetVolume = glide(this.master, value);
  }

  get repliesVolume(): number {
    return this.targetRepliesVolume;
  }

  set repliesVolume(value: number) {
    this.targetRepliesVolume = glide(this.replies, value);
  }

  /** RMS (0..1) of the last ~21 ms after the master gain: what the listener hears. */
  tapLevel(): number {
    this.tap.getFloatTimeDomainData(this.tapSamples);
    let sum = 0;
    for (const sample of this.tapSamples) sum += sample * sample;
    return Math.sqrt(sum / this.tapSamples.length);
  }

  /**
   * Every play call resumes the context: it may start suspended where autoplay
   * needs a gesture, or be resting. Call it ahead of a sound to have the
   * output running when the sound comes.
   */
  async resume(): Promise<void> {
    clearTimeout(this.restTimer);
    if (this.context.state === 'suspended') await this.context.resume();
  }

  /** A sound starts: the output stays up until its release(). */
  hold(): void {
    this.holds++;
    void this.resume();
  }

  release(): void {
    this.holds = Math.max(0, this.holds - 1);
    this.rest();
  }

  /** Nothing more is expected for now: suspend after the idle delay, unless a sound comes first. */
  rest(): void {
    const delay = this.options.suspendWhenIdleMs;
    clearTimeout(this.restTimer);
    if (delay === undefined || this.holds > 0) return;
    this.restTimer = setTimeout(() => {
      if (this.holds === 0 && this.context.state === 'running') void this.context.suspend();
    }, delay);
  }

  get canSelectDevice(): boolean {
    return 'setSinkId' in this.context;
  }

  /** Plays on another device ('' = system default); rejects with an OutputDeviceError. */
  async setSinkId(deviceId: string): Promise<void> {
    if (!this.canSelectDevice) {
      throw new OutputDeviceError(
        'unsupported',
        'This runtime cannot choose the output device (no AudioContext.setSinkId); audio plays on the default device.',
      );
    }
    try {
      await (this.context as unknown as SinkSelectable).setSinkId(deviceId);
    } catch (error) {
      throw classifyOutputDeviceError(error, deviceId);
    }
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

function glide(node: GainNode, value: number): number {
  const target = Math.min(1, Math.max(0, value));
  node.gain.setTargetAtTime(target, node.context.currentTime, 0.005);
  return target;
}
