import { defaultBackoff, type BackoffOptions } from './backoff';

/** How patient Parley is with the network; tests shorten these to run fault scenarios quickly. */
export interface SessionTuning {
  backoff: BackoffOptions;
  /** A server that accepts the socket but never completes the setup counts as a drop after this. */
  setupTimeoutMs: number;
  /** Silence while a reply is due longer than this means the line is dead (thinking models can pause). */
  replyTimeoutMs: number;
  /** The switch to a new connection after goAway is done this long before the server's deadline. */
  goAwayMarginMs: number;
  /** A tool call waiting for the user's approval this long counts as denied. */
  approvalTimeoutMs: number;
}

export const defaultSessionTuning: SessionTuning = {
  backoff: defaultBackoff,
  setupTimeoutMs: 10_000,
  replyTimeoutMs: 20_000,
  goAwayMarginMs: 1_500,
  approvalTimeoutMs: 60_000,
};
