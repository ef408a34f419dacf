import WebSocket from 'ws';
import { jpegDimensions } from '../../electron/main/screen/frame-check';
import { wallClock } from '../harness/output-tap';

/** A picture of the screen as main put it on the wire. */
export interface WireVideo {
  /** The wall clock (as key events carry it) when main sent the frame. */
  at: number;
  bytes: number;
  width: number;
  height: number;
}

/**
 * The pictures this process's Live client sends (`realtimeInput.video`), observed on the `ws`
 * sockets from outside the app, as test/demo/tool-wire.ts observes tool calls: a demo and bench
 * probe, which Parley knows nothing of. A server never sends `realtimeInput`.
 */
export function watchVideoWire(): { videos: WireVideo[]; stop(): void } {
  const videos: WireVideo[] = [];
  const { send } = WebSocket.prototype;
  WebSocket.prototype.send = function (this: WebSocket, data: unknown, ...rest: unknown[]) {
    const at = wallClock();
    const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : '';
    // Audio frames are most of the traffic: parse only what can be a picture.
    if (text.includes('"video"')) record(videos, at, text);
    return (send as (...args: unknown[]) => void).call(this, data, ...rest);
  } as typeof send;
  return { videos, stop: () => (WebSocket.prototype.send = send) };
}

function record(videos: WireVideo[], at: number, text: string): void {
  let data: string | undefined;
  try {
    data = (JSON.parse(text) as { realtimeInput?: { video?: { data?: string } } }).realtimeInput?.video?.data;
  } catch {
    return;
  }
  if (!data) return;
  const jpeg = Buffer.from(data, 'base64');
  const size = jpegDimensions(jpeg);
  if (typeof size === 'string') return;
  videos.push({ at, bytes: jpeg.length, ...size });
}
