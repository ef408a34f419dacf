/** One block of PCM16 mono and the audio-clock time (seconds) of its first sample. */
export interface PcmFrame {
  pcm: ArrayBuffer;
  time: number;
}

/**
 * Cuts float audio blocks (the worklet's 128-sample render quanta) into
 * fixed-size PCM16 frames. Each frame gets its own buffer so it can be
 * transferred to the main thread without copying.
 */
export class FrameAssembler {
  private frame: Int16Array<ArrayBuffer>;
  private filled = 0;
  private frameTime = 0;

  constructor(
    private readonly frameSamples: number,
    private readonly sampleRate: number,
    private readonly onFrame: (frame: PcmFrame) => void,
  ) {
    this.frame = new Int16Array(frameSamples);
  }

  push(block: Float32Array, blockTime: number): void {
    for (let i = 0; i < block.length; i++) {
      if (this.filled === 0) this.frameTime = blockTime + i / this.sampleRate;
      this.frame[this.filled++] = toInt16(block[i]!);
      if (this.filled === this.frameSamples) this.emit(this.frame.buffer);
    }
  }

  /** Emits the partial frame, if any, with its real samples only: no zero padding reaches the model. */
  flush(): void {
    if (this.filled > 0) this.emit(this.frame.buffer.slice(0, this.filled * 2));
  }

  /** Forgets the partial frame, so a new turn never starts with audio from an older one. */
  reset(): void {
    this.filled = 0;
  }

  private emit(pcm: ArrayBuffer): void {
    this.onFrame({ pcm, time: this.frameTime });
    this.frame = new Int16Array(this.frameSamples);
    this.filled = 0;
  }
}

/** The inverse of `int16 / 32768`, clamped: a clipping microphone must not wrap around. */
export function toInt16(sample: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(sample * 32768)));
}
