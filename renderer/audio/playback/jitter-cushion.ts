import { parleyPipeline } from '../pipeline-parameters';

/**
 * How long a reply's audio waits before it starts (and after an underrun,
 * before it resumes): the margin for late chunks. It doubles after each
 * underrun, up to a cap, and shrinks back a step after each reply that played
 * without one, so one bad moment does not cost latency forever.
 */
export class JitterCushion {
  private current: number;

  constructor(
    private readonly initialMs = parleyPipeline.initialCushionMs,
    private readonly maxMs = 240,
    private readonly relaxStepMs = 10,
  ) {
    this.current = initialMs;
  }

  get milliseconds(): number {
    return this.current;
  }

  afterUnderrun(): void {
    this.current = Math.min(this.maxMs, this.current * 2);
  }

  afterSmoothReply(): void {
    this.current = Math.max(this.initialMs, this.current - this.relaxStepMs);
  }
}
