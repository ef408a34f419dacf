/**
 * Runs on the audio rendering thread: the reply's PCM lives in a ring buffer
 * here, so flush() empties it at the next render quantum and nothing stays
 * scheduled elsewhere. Loaded with `audioWorklet.addModule` from its own
 * same-origin file (the CSP allows no blob: or inline code).
 */
import { parleyPipeline } from '../pipeline-parameters';
import { JitterCushion } from './jitter-cushion';
import type { PlayerCommand, PlayerEvent, PlayerProcessorOptions } from './playback-protocol';
import { playerProcessorName } from './playback-protocol';
import { Playout } from './playout';
import { SampleRing } from './sample-ring';

// The AudioWorkletGlobalScope, which TypeScript's DOM library does not describe.
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(
  name: string,
  processor: new (options?: { processorOptions?: PlayerProcessorOptions }) => AudioWorkletProcessor,
): void;

/** Room for 10 s before the ring has to grow. */
const initialRingSeconds = 10;

class PlayerProcessor extends AudioWorkletProcessor {
  private readonly cushion: JitterCushion;
  private readonly playout: Playout;
  private closed = false;

  constructor(options?: { processorOptions?: PlayerProcessorOptions }) {
    super();
    const parameters = options?.processorOptions ?? parleyPipeline;
    this.cushion = new JitterCushion(parameters.initialCushionMs);
    this.playout = new Playout(
      sampleRate,
      new SampleRing(sampleRate * initialRingSeconds),
      this.cushion,
      (event) => this.send({ type: 'playing', playing: event === 'started' }),
      parameters,
    );
    this.port.onmessage = (event: MessageEvent<PlayerCommand>) => this.command(event.data);
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const channel = outputs[0]?.[0];
    if (channel) this.playout.render(channel);
    return !this.closed;
  }

  private command(command: PlayerCommand): void {
    switch (command.type) {
      case 'chunk':
        this.playout.append(pcm16ToFloat(command.pcm));
        break;
      case 'end-of-reply':
        this.playout.endOfReply();
        break;
      case 'flush':
        this.playout.flush();
        break;
      case 'stats':
        this.send({
          type: 'stats',
          underruns: this.playout.underruns,
          cushionMs: this.cushion.milliseconds,
          bufferedMs: this.playout.bufferedMs,
        });
        break;
      case 'close':
        this.closed = true;
        break;
    }
  }

  private send(event: PlayerEvent): void {
    this.port.postMessage(event);
  }
}

/** Little-endian like every host Parley runs on; an odd trailing byte is not a sample and is dropped. */
function pcm16ToFloat(pcm: ArrayBuffer): Float32Array {
  const samples = new Int16Array(pcm, 0, pcm.byteLength >> 1);
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

registerProcessor(playerProcessorName, PlayerProcessor);
