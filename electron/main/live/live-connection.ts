import {
  FunctionResponseScheduling,
  GoogleGenAI,
  type Content,
  type GroundingMetadata,
  type LiveConnectConfig,
  type LiveServerMessage,
  type Session,
  type UsageMetadata,
} from '@google/genai';
import type { Grounding } from '../../../shared/tools';
import type { LiveEndpoint } from './live-endpoint';

/** A function Gemini calls, as it asked: its arguments are untrusted until checked against the tool's schema. */
export interface RequestedCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** The answer to one call. */
export interface CallAnswer {
  id: string;
  name: string;
  response: { output: unknown } | { error: string };
  /** Only for calls the model did not wait for. */
  scheduling?: 'SILENT' | 'WHEN_IDLE';
}

export interface LiveEvents {
  /** Any message at all (thoughts, handles, usage…): the server is alive. */
  serverActivity(): void;
  audio(pcm24k: Buffer): void;
  /** `language`: BCP-47, when the service says which language the words are in. */
  inputTranscript(text: string, finished: boolean, language?: string): void;
  outputTranscript(text: string, finished: boolean, language?: string): void;
  text(text: string): void;
  interrupted(): void;
  generationComplete(): void;
  turnComplete(usage: UsageMetadata | undefined): void;
  toolCall(calls: RequestedCall[]): void;
  /** Calls Gemini no longer wants (the user interrupted it). */
  toolCallCancellation(ids: string[]): void;
  /** What a Google Search behind the reply looked for and found. */
  grounding(grounding: Grounding): void;
  resumptionHandle(handle: string): void;
  goAway(timeLeftMs: number | undefined): void;
  closed(code: number, reason: string): void;
}

export interface OpenOptions {
  apiKey: string;
  endpoint: LiveEndpoint;
  model: string;
  config: LiveConnectConfig;
  /** Give up on a server that never completes the setup (the SDK would wait forever). */
  setupTimeoutMs?: number;
  /** Which Gemini session this connection carries on: the same number for one resumed from a handle. */
  geminiSession?: number;
}

/** A failed connect, with the close code that says whether retrying can help. */
export class LiveConnectError extends Error {
  constructor(
    message: string,
    readonly code: number | undefined,
  ) {
    super(message);
  }
}

const inputAudioMime = 'audio/pcm;rate=16000';

/**
 * A thin wrapper over one SDK Live session: typed sends for a push-to-talk
 * turn, and one event per field of every server message (a single message
 * can carry several, e.g. the end of a turn and its usage).
 */
export class LiveConnection {
  private constructor(
    private readonly session: Session,
    private readonly delivery: { open: boolean },
    /** Connections with the same number carry on one Gemini session, which remembers its calls. */
    readonly geminiSession: number,
  ) {}

  /** Resolves after `setupComplete`; rejects with a LiveConnectError otherwise. */
  static async open(options: OpenOptions, events: LiveEvents): Promise<LiveConnection> {
    const ai = new GoogleGenAI({
      apiKey: options.apiKey,
      httpOptions: { apiVersion: options.endpoint.apiVersion, baseUrl: options.endpoint.baseUrl },
    });
    const abandon = socketCloser(ai);
    // Cleared by close(): what the server still sends on a connection we left belongs to nobody.
    const delivery = { open: true };
    const connecting = ai.live.connect({
      model: options.model,
      config: options.config,
      callbacks: {
        onmessage: (message) => {
          if (delivery.open) dispatch(message, events);
        },
        onclose: (event) => events.closed(event.code, event.reason),
        onerror: () => undefined,
      },
    });
    try {
      const session = await withSetupTimeout(connecting, options.setupTimeoutMs, abandon);
      return new LiveConnection(session, delivery, options.geminiSession ?? 0);
    } catch (error) {
      throw toConnectError(error);
    }
  }

  activityStart(): void {
    this.session.sendRealtimeInput({ activityStart: {} });
  }

  /** 16 kHz PCM16 mono; base64 happens here, in main, never in a renderer. */
  audio(pcm16k: Uint8Array): void {
    this.session.sendRealtimeInput({
      audio: {
        data: Buffer.from(pcm16k.buffer, pcm16k.byteOffset, pcm16k.byteLength).toString('base64'),
        mimeType: inputAudioMime,
      },
    });
  }

  /** One picture of the screen, a JPEG already checked by main (screen/frame-check.ts). */
  video(jpeg: Uint8Array): void {
    this.session.sendRealtimeInput({
      video: {
        data: Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength).toString('base64'),
        mimeType: 'image/jpeg',
      },
    });
  }

  activityEnd(): void {
    this.session.sendRealtimeInput({ activityEnd: {} });
  }

  text(text: string): void {
    this.session.sendRealtimeInput({ text });
  }

  /** `scheduling` sits beside the response, never inside it (inside, the reply is spoken twice). */
  toolResponse(answers: readonly CallAnswer[]): void {
    this.session.sendToolResponse({
      functionResponses: answers.map(({ id, name, response, scheduling }) => ({
        id,
        name,
        response,
        ...(scheduling ? { scheduling: FunctionResponseScheduling[scheduling] } : {}),
      })),
    });
  }

  /** Earlier turns as context for a fresh session, without asking for a reply. */
  seed(turns: Content[]): void {
    this.session.sendClientContent({ turns, turnComplete: false });
  }

  /** Ends the connection; from now on no message it receives is reported. */
  close(): void {
    this.delivery.open = false;
    this.session.close();
  }
}

function dispatch(message: LiveServerMessage, events: LiveEvents): void {
  events.serverActivity();
  const content = message.serverContent;
  if (content?.interrupted) events.interrupted();
  if (content?.inputTranscription?.text !== undefined) {
    const { text, finished, languageCode } = content.inputTranscription;
    events.inputTranscript(text, finished ?? false, languageCode);
  }
  for (const part of content?.modelTurn?.parts ?? []) {
    if (part.inlineData?.data && part.inlineData.mimeType?.startsWith('audio/pcm')) {
      events.audio(Buffer.from(part.inlineData.data, 'base64'));
    } else if (part.text !== undefined && !part.thought) {
      events.text(part.text);
    }
  }
  if (content?.outputTranscription?.text !== undefined) {
    const { text, finished, languageCode } = content.outputTranscription;
    events.outputTranscript(text, finished ?? false, languageCode);
  }
  if (content?.groundingMetadata) events.grounding(groundingOf(content.groundingMetadata));
  if (content?.generationComplete) events.generationComplete();
  if (content?.turnComplete) events.turnComplete(message.usageMetadata);
  const calls = message.toolCall?.functionCalls;
  if (calls?.length) {
    events.toolCall(
      calls.map((call, i) => ({ id: call.id ?? `call-${i}`, name: call.name ?? '', args: call.args ?? {} })),
    );
  }
  const cancelled = message.toolCallCancellation?.ids;
  if (cancelled?.length) events.toolCallCancellation(cancelled);
  const resumption = message.sessionResumptionUpdate;
  if (resumption?.resumable && resumption.newHandle) events.resumptionHandle(resumption.newHandle);
  if (message.goAway) events.goAway(parseDurationMs(message.goAway.timeLeft));
}

function groundingOf(metadata: GroundingMetadata): Grounding {
  return {
    queries: metadata.webSearchQueries ?? [],
    sources: (metadata.groundingChunks ?? []).flatMap(({ web }) =>
      web?.uri ? [{ title: web.title ?? web.domain ?? web.uri, uri: web.uri }] : [],
    ),
  };
}

/** "50s" / "1.5s" (protobuf Duration as JSON) → milliseconds. */
export function parseDurationMs(duration: string | undefined): number | undefined {
  const match = duration?.match(/^(\d+(?:\.\d+)?)s$/);
  return match?.[1] ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** Setup that never completes counts as a dropped connection (1006), and its socket is closed at once. */
async function withSetupTimeout(
  connecting: Promise<Session>,
  timeoutMs: number | undefined,
  abandon: () => void,
): Promise<Session> {
  if (timeoutMs === undefined) return connecting;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abandon();
      void connecting.then((late) => late.close()).catch(() => undefined);
      reject(
        new LiveConnectError(
          `Gemini did not complete the session setup within ${timeoutMs / 1000} s (code 1006)`,
          1006,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([connecting, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface SocketFactory {
  create(...args: unknown[]): { close(): void };
}

/**
 * A way to close the socket of a connect still waiting for its setup. The SDK
 * offers none (its connect cannot be aborted), so this watches the one socket
 * this client's factory makes; a test proves the socket really closes, so an
 * SDK that changes this fails loudly rather than leaking sockets.
 */
function socketCloser(ai: GoogleGenAI): () => void {
  const live = ai.live as unknown as { webSocketFactory?: SocketFactory };
  const factory = live.webSocketFactory;
  if (typeof factory?.create !== 'function') return () => undefined;
  let socket: { close(): void } | undefined;
  live.webSocketFactory = Object.assign(Object.create(factory) as SocketFactory, {
    create: (...args: unknown[]) => (socket = factory.create(...args)),
  });
  return () => {
    try {
      socket?.close();
    } catch {
      // Not connected yet: nothing is open to close.
    }
  };
}

function toConnectError(error: unknown): LiveConnectError {
  if (error instanceof LiveConnectError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = message.match(/\(code (\d+)\)/)?.[1];
  return new LiveConnectError(message, code ? Number(code) : undefined);
}
