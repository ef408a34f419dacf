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

/** What a handle belongs to: it resumes that conversation, with that model, on that server, and nothing else. */
export interface HandleScope {
  conversationId: string;
  model: string;
  /** The Live endpoint's base URL ('default' for Google's own). */
  endpoint: string;
}

export interface HandleStore {
  load(scope: HandleScope): StoredHandle | undefined;
  save(saved: { handle: StoredHandle; scope: HandleScope } | undefined): void;
}

export function sameScope(a: HandleScope, b: HandleScope): boolean {
  return a.conversationId === b.conversationId && a.model === b.model && a.endpoint === b.endpoint;
}

export interface SessionEvents extends Omit<LiveEvents, 'resumptionHandle' | 'closed'> {
  /** The connection ended without us closing it. */
  lost(code: number, reason: string): void;
  /** The handle was refused as expired: this session starts afresh, seeded with `seed()`. */
  handleExpired(seededTurns: number): void;
}

export interface LiveSessionOptions {
  apiKey: () => ApiKeySource | undefined;
  /**
   * Read at each connect, so a changed model or endpoint applies from the next session; it waits
   * while the user is asked whether the endpoint's host may have the key.
   */
  endpoint: () => Promise<LiveEndpoint>;
  model: () => string;
  /** The conversation the next connection continues (its handle is saved under it). */
  conversationId: () => string;
  config: (resumptionHandle: string | undefined) => LiveConnectConfig;
  events: SessionEvents;
  handles: HandleStore;
  /** Recent turns to give a fresh session when the old one cannot be resumed. */
  seed: () => Content[];
  /** A server that accepts the socket but never completes the setup is treated as a dropped connection. */
  setupTimeoutMs?: number;
  /** Saving a handle failed (disk full, read-only): the conversation goes on, only a restart cannot resume it. */
  warn?: (message: string) => void;
  now?: () => number;
}

const defaultSetupTimeoutMs = 10_000;

/**
 * Owns at most one Live connection: connects lazily on first need (several
 * callers share one attempt), resumes the conversation with the latest
 * handle (persisted, with its conversation, model and server), and starts
 * afresh from a summary when the handle has expired.
 *
 * Each connection is a generation of its own: once closed (to be replaced,
 * renewed or dropped), nothing it still sends reaches the conversation (see
 * LiveConnection.close). Each also belongs to the conversation that was current when
 * it opened: after `forgetConversation`, its handles are never kept.
 */
export class LiveSession {
  private current: LiveConnection | undefined;
  private connecting: Promise<LiveConnection> | undefined;
  private handle: { handle: StoredHandle; scope: HandleScope; geminiSession?: number } | undefined;
  /** Numbers the Gemini sessions: a connection resumed from a handle of this run carries on its number. */
  private geminiSessions = 0;
  /** Counts forgotten conversations: a connection opened before the latest forget saves no handle. */
  private conversationEpoch = 0;
  /** A turn completed and the handle that includes it has not come yet. */
  private handlePending = false;
  private handleWaiters: (() => void)[] = [];
  private readonly now: () => number;

  constructor(private readonly options: LiveSessionOptions) {
    this.now = options.now ?? Date.now;
  }

  get connection(): LiveConnection | undefined {
    return this.current;
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

  /**
   * The next connection starts a new conversation instead of resuming this
   * one, and the connection open now (which may still finish a reply) can no
   * longer save a handle.
   */
  forgetConversation(): void {
    this.conversationEpoch++;
    this.handle = undefined;
    this.saveHandle(undefined);
  }

  /** Ends the connection on purpose: no `lost` event follows, nor anything else it sends. */
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

  private scope(endpoint: LiveEndpoint): HandleScope {
    return {
      conversationId: this.options.conversationId(),
      model: this.options.model(),
      endpoint: endpoint.baseUrl ?? 'default',
    };
  }

  /** The handle that resumes this conversation here, if any: kept in memory, or saved by an earlier run. */
  private handleFor(scope: HandleScope): string | undefined {
    if (this.handle && sameScope(this.handle.scope, scope)) return this.handle.handle.handle;
    const saved = this.options.handles.load(scope);
    this.handle = saved ? { handle: saved, scope } : undefined;
    return saved?.handle;
  }

  private async open(): Promise<LiveConnection> {
    const endpoint = await this.options.endpoint();
    const scope = this.scope(endpoint);
    const handle = this.handleFor(scope);
    try {
      return await this.openWith(handle, scope, endpoint);
    } catch (error) {
      if (!handle || !(error instanceof LiveConnectError) || !isExpiredHandle(error)) throw error;
      this.forgetConversation();
      const connection = await this.openWith(undefined, scope, endpoint);
      const turns = this.options.seed();
      if (turns.length > 0) connection.seed(turns);
      this.options.events.handleExpired(turns.length);
      return connection;
    }
  }

  private async openWith(
    handle: string | undefined,
    scope: HandleScope,
    endpoint: LiveEndpoint,
  ): Promise<LiveConnection> {
    const source = this.options.apiKey();
    if (!source) throw new Error('No Gemini API key is set.');
    const { events } = this.options;
    const epoch = this.conversationEpoch;
    const geminiSession =
      (handle !== undefined && this.handle?.handle.handle === handle ? this.handle.geminiSession : undefined) ??
      ++this.geminiSessions;
    // The SDK may report a close before open() resolves; the holder is empty then.
    const opened: { connection?: LiveConnection } = {};
    const connection = await LiveConnection.open(
      {
        apiKey: source.key,
        endpoint,
        model: scope.model,
        config: this.options.config(handle),
        setupTimeoutMs: this.options.setupTimeoutMs ?? defaultSetupTimeoutMs,
        geminiSession,
      },
      {
        ...events,
        turnComplete: (usage) => {
          this.handlePending = true;
          events.turnComplete(usage);
        },
        resumptionHandle: (newHandle) => {
          // A handle of a forgotten conversation must never resume it.
          if (epoch === this.conversationEpoch) {
            this.handle = { handle: { handle: newHandle, savedAt: this.now() }, scope, geminiSession };
            this.saveHandle({ handle: this.handle.handle, scope });
          }
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

  /** A handle that cannot be saved only costs resuming after a restart: say so, and carry on. */
  private saveHandle(saved: { handle: StoredHandle; scope: HandleScope } | undefined): void {
    try {
      this.options.handles.save(saved);
    } catch (error) {
      this.options.warn?.(
        `The session could not be saved (${error instanceof Error ? error.message : String(error)}); the conversation goes on, but a restart will not resume it.`,
      );
    }
  }
}

function isExpiredHandle(error: LiveConnectError): boolean {
  return error.code !== undefined && classifyClose(error.code, error.message) === 'handle-expired';
}
