/**
 * Runs on the audio rendering thread: turns microphone blocks into PCM16
 * frames (20 ms unless told otherwise), a pre-roll while warm, and levels
 * while live. Loaded with `audioWorklet.addModule` from its own same-origin
 * file (the CSP allows no blob: or inline code).
 */
import { parleyPipeline } from '../pipeline-parameters';
import type { CaptureCommand, CaptureEvent, CaptureMode, CaptureProcessorOptions } from './capture-protocol';
import { captureProcessorName } from './capture-protocol';
import { FrameAssembler, type PcmFrame } from './frame-assembler';
import { LevelMeter } from './level-meter';
import { PreRoll } from './pre-roll';

// The AudioWorkletGlobalScope, which TypeScript's DOM library does not describe.
declare const sampleRate: number;
declare const currentTime: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(
  name: string,
  processor: new (options?: { processorOptions?: CaptureProcessorOptions }) => AudioWorkletProcessor,
): void;

const preRollMs = 300;
const levelMs = 50;

class CaptureProcessor extends AudioWorkletProcessor {
  private mode: CaptureMode = 'idle';
  private closed = false;
  private liveFrames = 0;
  private announceLive = false;
  private readonly frames: FrameAssembler;
  private readonly preRoll: PreRoll;
  private readonly level = new LevelMeter((sampleRate * levelMs) / 1000, (rms) => this.send({ type: 'level', rms }));

  constructor(options?: { processorOptions?: CaptureProcessorOptions }) {
    super();
    const frameSamples = options?.processorOptions?.frameSamples ?? parleyPipeline.captureFrameSamples;
    this.frames = new FrameAssembler(frameSamples, sampleRate, (frame) => this.onFrame(frame));
    // At least the pre-roll's length, in whole frames.
    this.preRoll = new PreRoll(Math.ceil((preRollMs * sampleRate) / 1000 / frameSamples));
    this.port.onmessage = (event: MessageEvent<CaptureCommand>) => this.command(event.data);
  }

  process(inputs: Float32Array[][]): boolean {
    // No channel yet means the device has not delivered audio since the source was connected.
    const samples = inputs[0]?.[0];
    if (samples && this.mode !== 'idle') {
      if (this.announceLive) this.goLive();
      this.frames.push(samples, currentTime);
      if (this.mode === 'live') this.level.push(samples);
    }
    return !this.closed;
  }

  private command(command: CaptureCommand): void {
    switch (command.type) {
      case 'warm':
        this.enter('warm');
        break;
      case 'start':
        this.mode = 'live';
        this.liveFrames = 0;
        this.announceLive = true;
        break;
      case 'stop':
        this.frames.flush();
        this.send({ type: 'stopped', frames: this.liveFrames });
        this.enter(command.next);
        break;
      case 'idle':
        this.enter('idle');
        break;
      case 'close':
        this.closed = true;
        break;
    }
  }

  /** Announced at the first block the device delivers, so "capture started" means audio is really flowing. */
  private goLive(): void {
    this.announceLive = false;
    this.level.reset();
    this.send({ type: 'live', time: currentTime });
    for (const frame of this.preRoll.take()) this.emit(frame);
  }

  private enter(mode: 'warm' | 'idle'): void {
    this.mode = mode;
    this.announceLive = false;
    this.frames.reset();
    this.preRoll.take();
  }

  private onFrame(frame: PcmFrame): void {
    if (this.mode === 'live') this.emit(frame);
    else this.preRoll.push(frame);
  }

  private emit(frame: PcmFrame): void {
    this.liveFrames++;
    this.send({ type: 'frame', pcm: frame.pcm, time: frame.time }, [frame.pcm]);
  }

  private send(event: CaptureEvent, transfer: Transferable[] = []): void {
    this.port.postMessage(event, transfer);
  }
}

registerProcessor(captureProcessorName, CaptureProcessor);
