// One WebSocket: the handshake (key, setup, resumption handle, setupComplete),
// recording of every frame, and closing with the service's codes.
import type { RawData, WebSocket } from 'ws';
import { concatPcm, type PcmAudio } from '../support/audio';
import { classifyClientMessage, parseJsonFrame, type ClientMessage } from './client-messages';
import { Conversation, type ResumptionStore, type Turn } from './conversation';
import { credentialAccepted, type Endpoint } from './endpoint';
import type { ModelTable } from './models';
import type { Pacing } from './pacing';
import { CloseCode, fitCloseReason, ProtocolError, Reason } from './protocol-error';
import type { Direction, FrameOf, FrameRecorder } from './recorder';
import type { Scenario } from './scenario';
import { LiveSession, type ConnectionLifetime } from './session';
import { validateSetup, type SessionConfig } from './setup';
import type { ClientFrame, ServerMessage } from './wire';

/** What every connection of one emulator shares. */
export interface EmulatorState {
  apiKeys: ReadonlySet<string>;
  models: ModelTable;
  recorder: FrameRecorder;
  resumption: ResumptionStore;
  scenario: () => Scenario;
  pacing: () => Pacing;
  lifetime: ConnectionLifetime | undefined;
  log: (line: string) => void;
}

export interface ConnectionClose {
  code: number;
  reason: string;
  /** performance.now() when the connection ended. */
  t: number;
  /** 'server': a close frame from the emulator; 'drop': the emulator cut the socket; 'client': the client closed. */
  by: 'server' | 'drop' | 'client';
}

/** A connection as tests see it. */
export interface ConnectionInfo {
  readonly id: number;
  /** The request path and query as received, e.g. "//ws/google.ai....BidiGenerateContent?key=test-key". */
  readonly path: string;
  readonly endpoint: Endpoint;
  readonly openedAt: number;
  readonly closed: ConnectionClose | undefined;
  /** The setup frame's `setup` object as received. */
  readonly setup: Record<string, unknown> | undefined;
  /** The settings the session runs with, once setup was accepted. */
  readonly config: SessionConfig | undefined;
  /** The conversation id, shared by connections that resume it; sent as setupComplete.sessionId. */
  readonly sessionId: string | undefined;
  /** The handle this connection resumed from. */
  readonly resumedFrom: string | undefined;
  frames<D extends Direction | undefined = undefined>(direction?: D): FrameOf<D>[];
  /** Turns taken on this connection. */
  turns(): readonly Turn[];
  /** The whole conversation, turns of resumed connections first. */
  conversation(): readonly Turn[];
  /** The audio of each user turn on this connection, as received. */
  userAudio(): PcmAudio[];
  /** All reply audio sent on this connection, 24 kHz. */
  replyAudio(): Int16Array;
  waitForClose(timeoutMs?: number): Promise<ConnectionClose>;
}

type Phase = 'awaitingSetup' | 'settingUp' | 'live' | 'closed';

export class EmulatorConnection implements ConnectionInfo {
  readonly openedAt = performance.now();
  closed: ConnectionClose | undefined;
  setup: Record<string, unknown> | undefined;
  config: SessionConfig | undefined;
  resumedFrom: string | undefined;
  private conversationState: Conversation | undefined;
  private session: LiveSession | undefined;
  private phase: Phase = 'awaitingSetup';
  /** Frames that arrive while setupComplete is delayed wait for it, so it stays the first answer. */
  private readonly backlog: ClientMessage[] = [];
  private setupTimer: NodeJS.Timeout | undefined;
  private readonly closeWaiters: ((close: ConnectionClose) => void)[] = [];

  constructor(
    readonly id: number,
    readonly path: string,
    readonly endpoint: Endpoint,
    private readonly ws: WebSocket,
    private readonly state: EmulatorState,
  ) {
    ws.on('message', (data) => this.onFrame(data));
    ws.on('close', (code, reason) => this.ended({ code, reason: reason.toString(), by: 'client' }));
    // Protocol-level errors (bad frames) are followed by 'close'; nothing else to do.
    ws.on('error', () => undefined);
  }

  get sessionId(): string | undefined {
    return this.conversationState?.id;
  }

  frames<D extends Direction | undefined = undefined>(direction?: D): FrameOf<D>[] {
    return this.state.recorder.list<D>({ connectionId: this.id, direction });
  }

  turns(): readonly Turn[] {
    return this.session?.turns ?? [];
  }

  conversation(): readonly Turn[] {
    return this.conversationState?.turns ?? [];
  }

  userAudio(): PcmAudio[] {
    return this.turns()
      .filter((turn) => turn.input.source === 'audio')
      .map((turn) => turn.input.audio);
  }

  replyAudio(): Int16Array {
    return concatPcm(this.turns().map((turn) => turn.reply?.audio ?? new Int16Array(0)));
  }

  waitForClose(timeoutMs = 5000): Promise<ConnectionClose> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`connection ${this.id} still open after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.closeWaiters.push((close) => {
        clearTimeout(timer);
        resolve(close);
      });
    });
  }

  send(message: ServerMessage): void {
    if (this.phase === 'closed' || this.ws.readyState !== this.ws.OPEN) return;
    // The service sends its JSON in binary frames; clients that expect text frames break on it.
    this.ws.send(Buffer.from(JSON.stringify(message)));
    this.state.recorder.sent(this.id, message);
  }

  close(code: number, reason: string): void {
    if (this.phase === 'closed') return;
    this.ended({ code, reason, by: 'server' });
    this.ws.close(code, fitCloseReason(reason));
  }

  drop(): void {
    if (this.phase === 'closed') return;
    this.ended({ code: 1006, reason: '', by: 'drop' });
    this.ws.terminate();
  }

  private onFrame(data: RawData): void {
    // After the emulator closed, frames still in flight from the client are ignored.
    if (this.phase === 'closed') return;
    try {
      this.dispatch(this.readFrame(rawText(data)));
    } catch (error) {
      this.fail(error);
    }
  }

  /** Records the frame (parsed, or raw when it is not JSON) and classifies it. */
  private readFrame(text: string): ClientMessage {
    let json: Record<string, unknown>;
    try {
      json = parseJsonFrame(text);
    } catch (error) {
      this.state.recorder.received(this.id, undefined, text);
      throw error;
    }
    this.state.recorder.received(this.id, json as ClientFrame);
    return classifyClientMessage(json);
  }

  private dispatch(message: ClientMessage): void {
    if (this.phase === 'settingUp') this.backlog.push(message);
    else if (this.phase === 'live') this.session!.handle(message);
    else if (message.kind === 'setup') this.beginSession(message.setup);
    // The first frame must be the setup.
    else throw new ProtocolError(CloseCode.invalidPayload, Reason.invalidArgument);
  }

  private beginSession(setup: unknown): void {
    this.phase = 'settingUp';
    this.setup = setup as Record<string, unknown>;
    if (!credentialAccepted(this.endpoint, this.state.apiKeys)) {
      throw new ProtocolError(CloseCode.invalidPayload, Reason.invalidKey);
    }
    const config = validateSetup(setup, this.state.models, this.endpoint.apiVersion);
    this.config = config;
    this.conversationState = this.conversationFor(config);
    this.session = new LiveSession({
      connectionId: this.id,
      config,
      conversation: this.conversationState,
      resumption: this.state.resumption,
      scenario: this.state.scenario,
      pacing: this.state.pacing,
      lifetime: this.state.lifetime,
      io: this,
      log: (line) => this.state.log(`connection ${this.id}: ${line}`),
    });
    this.state.log(`connection ${this.id}: ${config.model.name} on ${this.endpoint.apiVersion}`);
    const delay = this.state.scenario().setupCompleteDelayMs;
    if (delay > 0) this.setupTimer = setTimeout(() => this.goLive(), delay);
    else this.goLive();
  }

  private conversationFor(config: SessionConfig): Conversation {
    const handle = config.resumption?.handle;
    if (handle === undefined) return new Conversation();
    const resumed = this.state.resumption.resume(handle);
    if (!resumed) throw new ProtocolError(CloseCode.policyViolation, Reason.sessionNotFound);
    this.resumedFrom = handle;
    return resumed;
  }

  private goLive(): void {
    if (this.phase === 'closed') return;
    this.send({ setupComplete: { sessionId: this.conversationState!.id } });
    this.phase = 'live';
    this.session!.start();
    try {
      for (const message of this.backlog.splice(0)) if (this.phase === 'live') this.session!.handle(message);
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    if (error instanceof ProtocolError) return this.close(error.code, error.reason);
    // An emulator bug: make it loud in the test output, and close like a service fault.
    console.error('emulator:', error);
    this.close(CloseCode.internalError, Reason.internalError);
  }

  private ended(close: Omit<ConnectionClose, 't'>): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    clearTimeout(this.setupTimer);
    this.session?.stop();
    this.closed = { ...close, t: performance.now() };
    this.state.log(
      `connection ${this.id}: closed ${close.code} by ${close.by}${close.reason ? ` (${close.reason})` : ''}`,
    );
    for (const waiter of this.closeWaiters.splice(0)) waiter(this.closed);
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');
}
