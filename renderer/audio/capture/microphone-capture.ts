import { parleyPipeline } from '../pipeline-parameters';
import { CaptureGraph } from './capture-graph';
import { CaptureError } from './capture-error';
import {
  openMicrophoneStream,
  resolveCaptureOptions,
  sameMicrophone,
  type CaptureOptions,
  type ResolvedCaptureOptions,
} from './microphone-stream';

export type FrameListener = (frame: ArrayBuffer, captureTime: number) => void;
export type LevelListener = (rms: number) => void;
export type CaptureErrorListener = (error: CaptureError) => void;

/** Long enough for a slow device to wake up, short enough that a dead one is reported. */
const firstAudioTimeoutMs = 3000;
const stopTimeoutMs = 1000;

interface OpenMicrophone {
  options: ResolvedCaptureOptions;
  stream: MediaStream;
  source: AudioNode;
}

/**
 * The microphone as 16 kHz PCM16 mono, in frames of `frameSamples` (Parley's
 * are 20 ms, 640 bytes; the last frame of a turn may be shorter). Calls are
 * serialised, so a key released while the microphone is still opening simply
 * stops after it opened.
 */
export class MicrophoneCapture {
  private readonly frameListeners = new Set<FrameListener>();
  private readonly levelListeners = new Set<LevelListener>();
  private readonly errorListeners = new Set<CaptureErrorListener>();
  private graph: Promise<CaptureGraph> | undefined;
  private microphone: OpenMicrophone | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private keepWarm = false;
  private live = false;
  private liveSince: number | undefined;

  constructor(private readonly frameSamples = parleyPipeline.captureFrameSamples) {}

  /** Every frame of a turn, in order, as a transferable buffer; `captureTime` is performance.now() ms. */
  onFrame(listener: FrameListener): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  /** The input level (RMS, 0..1) every 50 ms while a turn is live. */
  onLevel(listener: LevelListener): () => void {
    this.levelListeners.add(listener);
    return () => this.levelListeners.delete(listener);
  }

  /** Problems after start() resolved, such as the microphone being unplugged. */
  onError(listener: CaptureErrorListener): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  get state(): 'closed' | 'warm' | 'live' {
    if (this.live) return 'live';
    return this.microphone ? 'warm' : 'closed';
  }

  /** performance.now() ms when the device delivered the current turn's first live audio. */
  get startedAt(): number | undefined {
    return this.liveSince;
  }

  /**
   * Builds the audio engine ahead of the first turn without opening the
   * microphone, so the first press is as quick as the ones after it.
   */
  prepare(): Promise<void> {
    return this.serialize(async () => {
      const graph = await this.requireGraph();
      if (!this.microphone) await graph.suspend();
    });
  }

  /**
   * Opens the microphone ahead of a turn and keeps the last 300 ms, which the
   * next start() sends first. Stays warm across turns until release().
   */
  warm(options: CaptureOptions = {}): Promise<void> {
    return this.serialize(async () => {
      this.keepWarm = true;
      if (this.live) return;
      const graph = await this.open(resolveCaptureOptions(options));
      graph.send({ type: 'warm' });
    });
  }

  /**
   * Starts a turn. Resolves once the device delivers audio (see startedAt), the
   * moment to play a "ready" cue; rejects with a CaptureError.
   */
  start(options: CaptureOptions = {}): Promise<void> {
    return this.serialize(async () => {
      if (this.live) return;
      const graph = await this.open(resolveCaptureOptions(options));
      try {
        const { time } = await graph.request({ type: 'start' }, 'live', firstAudioTimeoutMs);
        this.live = true;
        this.liveSince = graph.toPerformanceTime(time);
      } catch (error) {
        graph.send({ type: this.keepWarm ? 'warm' : 'idle' });
        if (!this.keepWarm) this.closeMicrophone();
        throw error;
      }
    });
  }

  /**
   * Ends the turn. Resolves with the turn's frame count after its last frame
   * (the partial one included) reached the frame listeners, so an end-of-turn
   * mark sent now follows every frame.
   */
  stop(): Promise<number> {
    return this.serialize(async () => {
      if (!this.live) return 0;
      const graph = await this.requireGraph();
      this.live = false;
      const next = this.keepWarm ? 'warm' : 'idle';
      try {
        const { frames } = await graph.request({ type: 'stop', next }, 'stopped', stopTimeoutMs);
        return frames;
      } finally {
        if (!this.keepWarm) {
          this.closeMicrophone();
          await graph.suspend();
        }
      }
    });
  }

  /** Leaves warm mode and frees the microphone (after the current turn, if one is live). */
  release(): Promise<void> {
    return this.serialize(async () => {
      this.keepWarm = false;
      if (this.live || !this.microphone) return;
      const graph = await this.requireGraph();
      graph.send({ type: 'idle' });
      this.closeMicrophone();
      await graph.suspend();
    });
  }

  /** Frees the microphone and the audio engine; the capture can be used again afterwards. */
  close(): Promise<void> {
    return this.serialize(async () => {
      this.keepWarm = false;
      this.live = false;
      this.closeMicrophone();
      const graph = this.graph;
      this.graph = undefined;
      await graph?.then(
        (built) => built.close(),
        () => undefined,
      );
    });
  }

  private async open(options: ResolvedCaptureOptions): Promise<CaptureGraph> {
    if (this.microphone && sameMicrophone(this.microphone.options, options)) return this.requireGraph();
    this.closeMicrophone();
    // Both are slow on a cold start, and independent.
    const opening = openMicrophoneStream(options);
    const graph = await this.requireGraph().catch((error: unknown) => {
      void opening.then(stopTracks, () => undefined);
      throw error;
    });
    const stream = await opening;
    const source = await graph.attach(stream);
    this.microphone = { options, stream, source };
    for (const track of stream.getAudioTracks()) track.onended = () => this.onTrackEnded(stream);
    return graph;
  }

  private requireGraph(): Promise<CaptureGraph> {
    if (this.graph) return this.graph;
    const graph = CaptureGraph.create(
      {
        frame: (pcm, captureTime) => this.frameListeners.forEach((listener) => listener(pcm, captureTime)),
        level: (rms) => this.levelListeners.forEach((listener) => listener(rms)),
      },
      this.frameSamples,
    );
    // A failed build is not kept: the next call tries again.
    graph.catch(() => {
      if (this.graph === graph) this.graph = undefined;
    });
    this.graph = graph;
    return graph;
  }

  private onTrackEnded(stream: MediaStream): void {
    if (this.microphone?.stream !== stream) return;
    this.closeMicrophone();
    const error = new CaptureError('no-device', 'The microphone was disconnected.');
    this.errorListeners.forEach((listener) => listener(error));
  }

  private closeMicrophone(): void {
    if (!this.microphone) return;
    this.microphone.source.disconnect();
    stopTracks(this.microphone.stream);
    this.microphone = undefined;
  }

  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}
