/** A distribution as the tables report it. */
export interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentiles: every reported value is one that was measured. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('no samples to summarize');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { n: sorted.length, p50: rank(50), p95: rank(95), max: sorted.at(-1)! };
}

export const median = (values: readonly number[]): number => summarize(values).p50;
