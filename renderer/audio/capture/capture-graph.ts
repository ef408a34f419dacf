import captureWorkletUrl from './capture-worklet.ts?worker&url';
import { CaptureError } from './capture-error';
import {
  captureProcessorName,
  type CaptureCommand,
  type CaptureEvent,
  type CaptureProcessorOptions,
} from './capture-protocol';

/** The Live API's input rate; the AudioContext resamples the device to it. */
export const captureSampleRate = 16000;

type ReplyType = 'live' | 'stopped';
type Reply<T extends ReplyType> = Extract<CaptureEvent, { type: T }>;

export interface CaptureGraphHandlers {
  /** `captureTime`: performance.now() milliseconds of the frame's first sample. */
  frame(pcm: ArrayBuffer, captureTime: number): void;
  level(rms: number): void;
}

/**
 * The AudioContext and capture worklet, built once and reused by every turn
 * so a key press only has to open (or reuse) the microphone stream.
 */
export class CaptureGraph {
  private readonly waiters = new Map<ReplyType, (event: CaptureEvent) => void>();
  private clock = { contextTime: 0, performanceTime: 0 };

  private constructor(
    private readonly context: AudioContext,
    private readonly node: AudioWorkletNode,
    private readonly handlers: CaptureGraphHandlers,
  ) {
    node.port.onmessage = (event: MessageEvent<CaptureEvent>) => this.receive(event.data);
  }

  static async create(handlers: CaptureGraphHandlers, frameSamples: number): Promise<CaptureGraph> {
    const context = new AudioContext(captureContextOptions);
    try {
      await context.audioWorklet.addModule(captureWorkletUrl);
      // No outputs: Chromium renders such a node even though nothing pulls it to a speaker.
      const node = new AudioWorkletNode(context, captureProcessorName, {
        numberOfInputs: 1,
        numberOfOutputs: 0,
        channelCount: 1,
        channelCountMode: 'explicit',
        processorOptions: { frameSamples } satisfies CaptureProcessorOptions,
      });
      return new CaptureGraph(context, node, handlers);
    } catch (error) {
      void context.close();
      throw new CaptureError('failed', `The audio capture engine could not start (${String(error)}).`);
    }
  }

  /** Feeds a microphone stream into the worklet; disconnect the returned node to detach it. */
  async attach(stream: MediaStream): Promise<AudioNode> {
    const source = this.context.createMediaStreamSource(stream);
    source.connect(this.node);
    if (this.context.state !== 'running') await this.context.resume();
    return source;
  }

  /** Stops the audio thread while no microphone is attached; attach() resumes it. */
  async suspend(): Promise<void> {
    if (this.context.state === 'running') await this.context.suspend();
  }

  send(command: CaptureCommand): void {
    this.node.port.postMessage(command);
  }

  /** Sends a command and waits for the worklet's reply, so the caller knows it took effect. */
  request<T extends ReplyType>(command: CaptureCommand, reply: T, timeoutMs: number): Promise<Reply<T>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(reply);
        reject(new CaptureError('failed', `The microphone did not respond (no "${reply}" within ${timeoutMs} ms).`));
      }, timeoutMs);
      this.waiters.set(reply, (event) => {
        clearTimeout(timer);
        resolve(event as Reply<T>);
      });
      this.send(command);
    });
  }

  /** Audio-clock seconds → performance.now() milliseconds, on the clock mapping of the current turn. */
  toPerformanceTime(contextTime: number): number {
    return this.clock.performanceTime + (contextTime - this.clock.contextTime) * 1000;
  }

  async close(): Promise<void> {
    this.send({ type: 'close' });
    this.node.disconnect();
    await this.context.close();
  }

  private receive(event: CaptureEvent): void {
    switch (event.type) {
      case 'frame':
        this.handlers.frame(event.pcm, this.toPerformanceTime(event.time));
        break;
      case 'level':
        this.handlers.level(event.rms);
        break;
      case 'live':
        this.syncClock(event.time);
        this.resolveWaiter(event);
        break;
      case 'stopped':
        this.resolveWaiter(event);
        break;
    }
  }

  /**
   * Maps the audio clock to performance.now() once per turn, at the "live"
   * message: late by its delivery (a few ms) but never early, and the frames'
   * times stay exactly 20 ms apart, where mapping each frame would add jitter.
   * (Reading context.currentTime per message is off by tens of ms, either way.)
   */
  private syncClock(contextTime: number): void {
    this.clock = { contextTime, performanceTime: performance.now() };
  }

  private resolveWaiter(event: Reply<ReplyType>): void {
    this.waiters.get(event.type)?.(event);
    this.waiters.delete(event.type);
  }
}

/** `sinkId: { type: 'none' }` runs the context without opening an output device it would never use. */
const captureContextOptions = {
  sampleRate: captureSampleRate,
  latencyHint: 'interactive',
  sinkId: { type: 'none' },
} as AudioContextOptions;
