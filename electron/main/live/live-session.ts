import type { Content, LiveConnectConfig } from '@google/genai';
import type { ApiKeySource } from '../credentials/api-key';
import { classifyClose } from './close-reasons';
import { LiveConnection, LiveConnectError, type LiveEvents } from './live-connection';
import type { LiveEndpoint } from './live-endpoint';

/** The latest resumption handle, kept so a conversation survives restarts while the handle is valid. */
export interface StoredHandle {
  handle: string;
  savedAt: number;
}

export interface HandleStore {
  load(): StoredHandle | undefined;
  save(handle: StoredHandle | undefined): void;
}

export interface SessionEvents extends Omit<LiveEvents, 'resumptionHandle' | 'closed'> {
  /** The connection ended without us closing it. */
  lost(code: number, reason: string): void;
  /** The handle was refused as expired: this session starts afresh, seeded with `seed()`. */
  handleExpired(seededTurns: number): void;
}

export interface LiveSessionOptions {
  apiKey: () => ApiKeySource | undefined;
  /** Read at each connect, so a changed model or endpoint applies from the next session. */
  endpoint: () => LiveEndpoint;
  model: () => string;
  config: (resumptionHandle: string | undefined) => LiveConnectConfig;
  events: SessionEvents;
  handles: HandleStore;
  /** Recent turns to give a fresh session when the old one cannot be resumed. */
  seed: () => Content[];
  /** A server that accepts the socket but never completes the setup is treated as a dropped connection. */
  setupTimeoutMs?: number;
  now?: () => number;
}

const defaultSetupTimeoutMs = 10_000;

/**
 * Owns at most one Live connection: connects lazily on first need (several
 * callers share one attempt), resumes the conversation with the latest
 * handle (persisted, with its time), and starts afresh from a summary when
 * the handle has expired.
 */
export class LiveSession {
  private current: LiveConnection | undefined;
  private connecting: Promise<LiveConnection> | undefined;
  private handle: StoredHandle | undefined;
  /** A turn completed and the handle that includes it has not come yet. */
  private handlePending = false;
  private handleWaiters: (() => void)[] = [];
  private readonly now: () => number;

  constructor(private readonly options: LiveSessionOptions) {
    this.now = options.now ?? Date.now;
    this.handle = options.handles.load();
  }

  get connection(): LiveConnection | undefined {
    return this.current;
  }

  /** Whether the next connection continues a conversation. */
  get resumable(): boolean {
    return this.handle !== undefined;
  }

  connect(): Promise<LiveConnection> {
    if (this.current) return Promise.resolve(this.current);
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /**
   * Resolves once the latest handle includes every completed turn (the server
   * sends it just after turnComplete), or after `timeoutMs`: resuming from an
   * older one would silently drop the last turn from Gemini's memory.
   */
  handleSettled(timeoutMs: number): Promise<void> {
    if (!this.handlePending) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.handleWaiters.push(() => (clearTimeout(timer), resolve()));
    });
  }

  /** The next connection starts a new conversation instead of resuming this one. */
  forgetConversation(): void {
    this.handle = undefined;
    this.options.handles.save(undefined);
  }

  /** Ends the connection on purpose: no `lost` event follows. */
  close(): void {
    const closing = this.current;
    this.current = undefined;
    this.settleHandle();
    closing?.close();
  }

  private settleHandle(): void {
    this.handlePending = false;
    for (const wake of this.handleWaiters.splice(0)) wake();
  }

  private async open(): Promise<LiveConnection> {
    try {
      return await this.openWith(this.handle?.handle);
    } catch (error) {
      if (!this.handle || !(error instanceof LiveConnectError) || !isExpiredHandle(error)) throw error;
      this.forgetConversation();
      const connection = await this.openWith(undefined);
      const turns = this.options.seed();
      if (turns.length > 0) connection.seed(turns);
      this.options.events.handleExpired(turns.length);
      return connection;
    }
  }

  private async openWith(handle: string | undefined): Promise<LiveConnection> {
    const source = this.options.apiKey();
    if (!source) throw new Error('No Gemini API key is set.');
    const { events } = this.options;
    // The SDK may report a close before open() resolves; the holder is empty then.
    const opened: { connection?: LiveConnection } = {};
    const connection = await LiveConnection.open(
      {
        apiKey: source.key,
        endpoint: this.options.endpoint(),
        model: this.options.model(),
        config: this.options.config(handle),
        setupTimeoutMs: this.options.setupTimeoutMs ?? defaultSetupTimeoutMs,
      },
      {
        ...events,
        turnComplete: (usage) => {
          this.handlePending = true;
          events.turnComplete(usage);
        },
        resumptionHandle: (newHandle) => {
          this.handle = { handle: newHandle, savedAt: this.now() };
          this.options.handles.save(this.handle);
          this.settleHandle();
        },
        closed: (code, reason) => {
          // Closed by us (close() cleared it first) or an attempt that never became current: nobody to tell.
          if (!opened.connection || this.current !== opened.connection) return;
          this.current = undefined;
          this.settleHandle();
          events.lost(code, reason);
        },
      },
    );
    opened.connection = connection;
    this.current = connection;
    return connection;
  }
}

function isExpiredHandle(error: LiveConnectError): boolean {
  return error.code !== undefined && classifyClose(error.code, error.message) === 'handle-expired';
}
