import { messageOf } from '../../../shared/error-message';
import { classifyClose, explainFatalClose } from '../live/close-reasons';
import { LiveConnectError, type LiveConnection } from '../live/live-connection';
import type { LiveSession } from '../live/live-session';
import { backoffDelay, defaultBackoff, type BackoffOptions } from './backoff';

/** How long a renewal between turns waits for the handle that covers the last turn. */
/** How long a move between turns waits for the handle that includes the last turn. */
export const handleWaitMs = 1000;

/** What the conversation needs to know while the connection comes and goes. */
export interface KeeperListener {
  /** The connection is gone with something under way; a new one is being sought. */
  interrupted(reason: string): void;
  /** An attempt failed; attempt `attempt` follows after a pause. */
  reconnecting(attempt: number, reason: string): void;
  /** A new connection replaced a lost one: send again what was in flight. */
  reconnected(connection: LiveConnection): void;
  /** No connection after every attempt, or one that retrying cannot fix: what is in flight is not delivered. */
  failed(message: string, retryable: boolean): void;
  /**
   * A move to a new connection between turns is over: done, or given up with
   * `problem` (the next press tries again). Whatever it said while retrying
   * ("reconnecting…") no longer holds.
   */
  renewed(problem?: string): void;
}

export interface KeeperState {
  /** A turn or a reply is under way: a lost connection must be recovered now, not on the next press. */
  inFlight(): boolean;
  /** The user is talking (the microphone is open): a connection about to end cannot wait for the reply. */
  capturing(): boolean;
}

export interface ConnectionKeeperOptions {
  session: LiveSession;
  state: KeeperState;
  listener: KeeperListener;
  model: () => string;
  backoff?: BackoffOptions;
  /** Leaves this much of goAway's notice unused, so the switch is done before the server cuts the line. */
  goAwayMarginMs?: number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  random?: () => number;
}

/**
 * Keeps the Live connection alive for the conversation: connects with
 * retries (exponential backoff with jitter, capped), recovers a connection
 * lost mid-turn, and moves to a fresh connection when the server announces
 * its end (goAway) — between turns when one comes in time, otherwise at once.
 */
export class ConnectionKeeper {
  private recovering: Promise<LiveConnection> | undefined;
  private renewal: { deadline: unknown } | undefined;
  /** The wait before the next connect attempt, cut short when Parley closes. */
  private backoffWait: { timer: unknown; done: () => void } | undefined;
  private disposed = false;
  private readonly backoff: BackoffOptions;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: ConnectionKeeperOptions) {
    this.backoff = options.backoff ?? defaultBackoff;
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
  }

  get connection(): LiveConnection | undefined {
    return this.options.session.connection;
  }

  /** The connection, opened (with retries) if needed; rejects only when retrying cannot help or is used up. */
  connect(): Promise<LiveConnection> {
    const current = this.options.session.connection;
    if (current) return Promise.resolve(current);
    this.recovering ??= this.withRetries().finally(() => (this.recovering = undefined));
    return this.recovering;
  }

  /** The session reported its connection gone. */
  lost(code: number, reason: string): void {
    // A renewal waiting for a quiet moment is moot once the line is gone.
    this.cancelRenewal();
    const kind = classifyClose(code, reason);
    if (kind === 'refused' || kind === 'unavailable') {
      this.options.listener.failed(explainFatalClose(kind, reason, this.options.model()), false);
      return;
    }
    // Nothing under way: the next press reconnects (and resumes) on its own.
    if (this.options.state.inFlight()) this.recover(`the connection closed (${code}${reason ? `: ${reason}` : ''})`);
  }

  /**
   * The server answered nothing for too long while a reply was due: treat the
   * line as dead, and move what was under way to a new one unless `recover`
   * is false (the turn has been tried enough; the user decides).
   */
  unresponsive(detail: string, recover = true): void {
    this.cancelRenewal();
    this.options.session.close();
    if (recover) this.recover(detail);
  }

  /** The server will end this connection in `timeLeftMs`: move to a new one before then. */
  goAway(timeLeftMs: number | undefined): void {
    if (this.renewal) return;
    if (!this.options.state.inFlight()) return this.renewNow();
    const margin = Math.min(this.options.goAwayMarginMs ?? 1500, (timeLeftMs ?? 0) / 2);
    const deadline = this.setTimer(() => this.atDeadline(), Math.max(0, (timeLeftMs ?? 0) - margin));
    this.renewal = { deadline };
  }

  /** Between turns: the moment a pending renewal was waiting for. */
  idle(): void {
    if (this.renewal) this.renewNow();
  }

  /** Parley is closing: no more connects, no more waits, nothing more to tell. */
  dispose(): void {
    this.disposed = true;
    this.cancelRenewal();
    if (this.backoffWait) this.clearTimer(this.backoffWait.timer);
    this.backoffWait?.done();
    this.backoffWait = undefined;
  }

  private cancelRenewal(): void {
    if (this.renewal) this.clearTimer(this.renewal.deadline);
    this.renewal = undefined;
  }

  private atDeadline(): void {
    // A reply on its way keeps the old connection to its end; a dropped line is recovered like any other.
    if (this.options.state.capturing()) this.renewNow();
  }

  private renewNow(): void {
    this.cancelRenewal();
    if (this.options.state.inFlight()) {
      this.options.session.close();
      this.recover('moving to a new connection');
      return;
    }
    // Between turns there is time to wait for the handle that includes the last one.
    const renewing = this.options.session.connection;
    void this.options.session.handleSettled(handleWaitMs).then(() => {
      // A turn may have started meanwhile; it takes the connection (and this renewal waits for the next goAway).
      if (this.options.session.connection !== renewing || this.options.state.inFlight()) return;
      this.options.session.close();
      this.connect().then(
        () => this.disposed || this.options.listener.renewed(),
        (error: unknown) => this.disposed || this.options.listener.renewed(this.describe(error)),
      );
    });
  }

  private recover(reason: string): void {
    this.options.listener.interrupted(reason);
    this.connect().then(
      (connection) => this.disposed || this.options.listener.reconnected(connection),
      (error: unknown) => this.disposed || this.options.listener.failed(this.describe(error), isRetryable(error)),
    );
  }

  /** What a failed connect means for the user, and whether trying again later can help. */
  explain(error: unknown): { message: string; retryable: boolean } {
    return { message: this.describe(error), retryable: isRetryable(error) };
  }

  private describe(error: unknown): string {
    if (error instanceof LiveConnectError && error.code !== undefined) {
      const kind = classifyClose(error.code, error.message);
      const reason = error.message.replace(/^.*\(code \d+\):\s*/, '');
      if (kind === 'refused' || kind === 'unavailable') return explainFatalClose(kind, reason, this.options.model());
    }
    return `Could not reach Gemini: ${messageOf(error)}`;
  }

  private async withRetries(): Promise<LiveConnection> {
    for (let attempt = 1; ; attempt++) {
      if (this.disposed) throw new ClosingError();
      try {
        return await this.options.session.connect();
      } catch (error) {
        if (this.disposed) throw new ClosingError();
        if (!isRetryable(error) || attempt >= this.backoff.attempts) throw error;
        const reason = messageOf(error);
        this.options.listener.reconnecting(attempt + 1, reason);
        await new Promise<void>((done) => {
          const timer = this.setTimer(done, backoffDelay(attempt, this.backoff, this.options.random));
          this.backoffWait = { timer, done };
        });
      }
    }
  }
}

/** What a connect under way turns into once Parley closes: nobody is left to tell. */
class ClosingError extends Error {
  constructor() {
    super('Parley is closing.');
  }
}

function isRetryable(error: unknown): boolean {
  if (!(error instanceof LiveConnectError)) return false;
  return error.code === undefined || classifyClose(error.code, error.message) === 'retryable';
}
