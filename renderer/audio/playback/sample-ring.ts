/**
 * A FIFO of float samples in one circular buffer. It grows (doubling) rather
 * than drop audio: a reply arrives faster than real time and may be long.
 */
export class SampleRing {
  private buffer: Float32Array;
  private readIndex = 0;
  private size = 0;

  constructor(initialCapacity: number) {
    this.buffer = new Float32Array(initialCapacity);
  }

  get length(): number {
    return this.size;
  }

  write(samples: Float32Array): void {
    if (this.size + samples.length > this.buffer.length) this.grow(this.size + samples.length);
    const writeIndex = (this.readIndex + this.size) % this.buffer.length;
    const firstPart = Math.min(samples.length, this.buffer.length - writeIndex);
    this.buffer.set(samples.subarray(0, firstPart), writeIndex);
    this.buffer.set(samples.subarray(firstPart), 0);
    this.size += samples.length;
  }

  /** Moves up to `into.length` samples into `into`; returns how many. */
  read(into: Float32Array): number {
    const count = Math.min(into.length, this.size);
    const firstPart = Math.min(count, this.buffer.length - this.readIndex);
    into.set(this.buffer.subarray(this.readIndex, this.readIndex + firstPart));
    into.set(this.buffer.subarray(0, count - firstPart), firstPart);
    this.readIndex = (this.readIndex + count) % this.buffer.length;
    this.size -= count;
    return count;
  }

  /** Keeps only the oldest `count` samples. */
  truncate(count: number): void {
    this.size = Math.min(this.size, count);
  }

  clear(): void {
    this.readIndex = 0;
    this.size = 0;
  }

  private grow(needed: number): void {
    const grown = new Float32Array(Math.max(needed, this.buffer.length * 2));
    const kept = this.size;
    this.read(grown.subarray(0, kept));
    this.buffer = grown;
    this.readIndex = 0;
    this.size = kept;
  }
}
