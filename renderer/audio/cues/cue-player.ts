import type { AudioOutput } from '../playback/audio-output';
import { synthesizeCue, type CueKind } from './cue-sounds';

export type { CueKind } from './cue-sounds';

/** Short interface sounds, played through the output's master gain like the replies. */
export class CuePlayer {
  /** When false, play() does nothing. */
  enabled = true;
  private readonly buffers = new Map<CueKind, AudioBuffer>();

  constructor(private readonly output: AudioOutput) {}

  play(kind: CueKind): void {
    if (!this.enabled) return;
    this.output.hold();
    const source = new AudioBufferSourceNode(this.output.context, { buffer: this.buffer(kind) });
    source.connect(this.output.master);
    source.onended = () => {
      source.disconnect();
      this.output.release();
    };
    source.start();
  }

  /** Synthesised on first use and kept: a cue should cost nothing at a key press. */
  private buffer(kind: CueKind): AudioBuffer {
    let buffer = this.buffers.get(kind);
    if (!buffer) {
      const { context } = this.output;
      const samples = synthesizeCue(kind, context.sampleRate);
      buffer = new AudioBuffer({ length: samples.length, sampleRate: context.sampleRate, numberOfChannels: 1 });
      buffer.copyToChannel(samples, 0);
      this.buffers.set(kind, buffer);
    }
    return buffer;
  }
}
