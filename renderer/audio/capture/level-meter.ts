/** RMS of consecutive windows of samples, on the float scale (full-scale sine ≈ 0.707). */
export class LevelMeter {
  private sumOfSquares = 0;
  private count = 0;

  constructor(
    private readonly windowSamples: number,
    private readonly onLevel: (rms: number) => void,
  ) {}

  push(block: Float32Array): void {
    for (const sample of block) {
      this.sumOfSquares += sample * sample;
      if (++this.count === this.windowSamples) {
        this.onLevel(Math.sqrt(this.sumOfSquares / this.count));
        this.sumOfSquares = 0;
        this.count = 0;
      }
    }
  }

  reset(): void {
    this.sumOfSquares = 0;
    this.count = 0;
  }
}
