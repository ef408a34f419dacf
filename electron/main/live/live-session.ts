import type { LiveConnectConfig } from '@google/genai';
import type { ApiKeySource } from '../credentials/api-key';
import { LiveConnection, type LiveEvents } from './live-connection';
import type { LiveEndpoint } from './live-endpoint';

export interface LiveSessionOptions {
  apiKey: () => ApiKeySource | undefined;
  /** Read at each connect, so a changed model or endpoint applies from the next session. */
  endpoint: () => LiveEndpoint;
  model: () => string;
  config: (resumptionHandle: string | undefined) => LiveConnectConfig;
  events: Omit<LiveEvents, 'resumptionHandle'>;
}

/**
 * Owns at most one Live connection: connects lazily on first need (several
 * callers share one attempt), forgets it when it closes, and resumes the
 * conversation with the latest handle when it connects again.
 */
export class LiveSession {
  private current: LiveConnection | undefined;
  private connecting: Promise<LiveConnection> | undefined;
  private resumptionHandle: string | undefined;

  constructor(private readonly options: LiveSessionOptions) {}

  get connection(): LiveConnection | undefined {
    return this.current;
  }

  connect(): Promise<LiveConnection> {
    if (this.current) return Promise.resolve(this.current);
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** The next connection starts a new conversation instead of resuming this one. */
  forgetConversation(): void {
    this.resumptionHandle = undefined;
  }

  close(): void {
    this.current?.close();
    this.current = undefined;
  }

  private async open(): Promise<LiveConnection> {
    const source = this.options.apiKey();
    if (!source) throw new Error('No Gemini API key is set.');
    const { events } = this.options;
    // The SDK may report a close before open() resolves; the holder is empty then.
    const opened: { connection?: LiveConnection } = {};
    opened.connection = await LiveConnection.open(
      {
        apiKey: source.key,
        endpoint: this.options.endpoint(),
        model: this.options.model(),
        config: this.options.config(this.resumptionHandle),
      },
      {
        ...events,
        resumptionHandle: (handle) => (this.resumptionHandle = handle),
        closed: (code, reason) => {
          if (opened.connection && this.current === opened.connection) this.current = undefined;
          events.closed(code, reason);
        },
      },
    );
    this.current = opened.connection;
    return opened.connection;
  }
}
