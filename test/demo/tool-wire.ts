import WebSocket from 'ws';

/** A function call as main's Live socket handed it over. */
export interface WireCall {
  /** performance.now() when the `toolCall` frame reached main. */
  at: number;
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** An answer as main put it on the wire. */
export interface WireResponse {
  /** performance.now() when main sent the `toolResponse` frame. */
  at: number;
  id: string;
  name: string;
  response: { output?: unknown; error?: unknown };
}

export interface ToolWire {
  calls: WireCall[];
  responses: WireResponse[];
  /** The function names each session's setup declared, and whether it asked for Google Search. */
  setups: { functions: string[]; googleSearch: boolean }[];
  /** Puts the sockets back as they were. */
  stop(): void;
}

/**
 * The tool traffic of this process's Live client, observed on the `ws` sockets from outside the
 * app (a demo and bench probe; Parley knows nothing of it): a `toolCall` when ws hands main the
 * frame, a `toolResponse` when main sends it. Only the frames' top-level fields tell them apart
 * from the in-process emulator's own traffic: a server never receives a `toolCall` nor sends a
 * `toolResponse`.
 */
export function watchToolWire(): ToolWire {
  const wire: ToolWire = { calls: [], responses: [], setups: [], stop: () => undefined };
  const { send, emit } = WebSocket.prototype;
  WebSocket.prototype.send = function (this: WebSocket, data: unknown, ...rest: unknown[]) {
    recordSent(wire, frameText(data));
    return (send as (...args: unknown[]) => void).call(this, data, ...rest);
  } as typeof send;
  WebSocket.prototype.emit = function (this: WebSocket, event: string | symbol, ...args: unknown[]) {
    if (event === 'message') recordReceived(wire, frameText(args[0]));
    return emit.call(this, event, ...args);
  };
  wire.stop = () => {
    WebSocket.prototype.send = send;
    WebSocket.prototype.emit = emit;
  };
  return wire;
}

interface ClientFrame {
  setup?: { tools?: { functionDeclarations?: { name: string }[]; googleSearch?: unknown }[] };
  toolResponse?: { functionResponses?: Omit<WireResponse, 'at'>[] };
}

function recordSent(wire: ToolWire, text: string): void {
  const at = performance.now();
  // Audio frames are most of the traffic: parse only what can be a setup or an answer.
  if (!text.includes('"toolResponse"') && !text.includes('"setup"')) return;
  const frame = parse<ClientFrame>(text);
  for (const response of frame?.toolResponse?.functionResponses ?? []) wire.responses.push({ at, ...response });
  const tools = frame?.setup?.tools;
  if (frame?.setup) {
    wire.setups.push({
      functions: (tools ?? []).flatMap((tool) => tool.functionDeclarations ?? []).map((f) => f.name),
      googleSearch: (tools ?? []).some((tool) => tool.googleSearch !== undefined),
    });
  }
}

function recordReceived(wire: ToolWire, text: string): void {
  const at = performance.now();
  if (!text.includes('"toolCall"')) return;
  const frame = parse<{ toolCall?: { functionCalls?: Omit<WireCall, 'at'>[] } }>(text);
  for (const call of frame?.toolCall?.functionCalls ?? []) wire.calls.push({ at, ...call, args: call.args ?? {} });
}

function frameText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return '';
}

function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
