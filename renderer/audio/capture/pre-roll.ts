import type { PcmFrame } from './frame-assembler';

/** The newest frames up to a fixed count, so speech just before the key press is not lost. */
export class PreRoll {
  private frames: PcmFrame[] = [];

  constructor(private readonly capacity: number) {}

  push(frame: PcmFrame): void {
    this.frames.push(frame);
    if (this.frames.length > this.capacity) this.frames.shift();
  }

  /** The kept frames, oldest first; the buffer is empty afterwards. */
  take(): PcmFrame[] {
    const frames = this.frames;
    this.frames = [];
    return frames;
  }
}
