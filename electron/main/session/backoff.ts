export interface BackoffOptions {
  /** The first wait. */
  baseMs: number;
  /** No wait is longer than this. */
  capMs: number;
  /** Attempts before giving up and asking the user. */
  attempts: number;
}

/** Quick enough that a blink of Wi-Fi costs about a second, patient enough to ride out a minute-long outage. */
export const defaultBackoff: BackoffOptions = { baseMs: 250, capMs: 10_000, attempts: 8 };

/**
 * The wait before reconnect attempt `attempt` (1-based): exponential, capped,
 * with "equal jitter" (half fixed, half random) so that many clients dropped
 * together do not come back in lockstep, yet none retries at once.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
