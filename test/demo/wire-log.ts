import WebSocket from 'ws';

export interface WireEvent {
  at: number;
  kind: 'setup' | 'activityStart' | 'audio' | 'activityEnd' | 'text' | 'other';
  bytes?: number;
  /** An audio frame's PCM, base64 as sent. */
  data?: string;
}

/**
 * What this process's Live client put on the wire, whatever server it talks
 * to: the SDK's `ws` sockets are observed from outside the app (a demo tool's
 * probe; Parley itself knows nothing of it).
 */
export function watchLiveWire(): { sent: WireEvent[]; closeCodes: number[] } {
  const sent: WireEvent[] = [];
  const closeCodes: number[] = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data: unknown, ...rest: unknown[]) {
    sent.push(classify(String(data)));
    return (send as (...args: unknown[]) => void).call(this, data, ...rest);
  } as typeof send;
  const emit = WebSocket.prototype.emit;
  WebSocket.prototype.emit = function (this: WebSocket, event: string | symbol, ...args: unknown[]) {
    if (event === 'close') closeCodes.push(args[0] as number);
    return emit.call(this, event, ...args);
  };
  return { sent, closeCodes };
}

function classify(text: string): WireEvent {
  const at = performance.now();
  try {
    const message = JSON.parse(text) as { setup?: unknown; realtimeInput?: Record<string, { data?: string }> };
    if (message.setup) return { at, kind: 'setup' };
    const input = message.realtimeInput ?? {};
    if (input.audio) {
      const data = input.audio.data ?? '';
      return { at, kind: 'audio', bytes: Buffer.from(data, 'base64').length, data };
    }
    if (input.activityStart) return { at, kind: 'activityStart' };
    if (input.activityEnd) return { at, kind: 'activityEnd' };
    if ('text' in input) return { at, kind: 'text' };
  } catch {
    // Not JSON: counted as other.
  }
  return { at, kind: 'other' };
}
