// Test helper: a bare WebSocket client, for what the SDK never sends (frames
// before setup, single-slash paths) and for checking frame types.
import WebSocket from 'ws';
import type { CloseInfo } from './live-probe';

export const LIVE_PATH = '/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent';

export interface RawFrame {
  json: Record<string, unknown>;
  binary: boolean;
}

export interface RawClient {
  ws: WebSocket;
  frames: RawFrame[];
  closed: Promise<CloseInfo>;
  send(message: unknown): void;
}

export async function openRaw(url: string, pathAndQuery = `${LIVE_PATH}?key=test-key`): Promise<RawClient> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + pathAndQuery);
  const frames: RawFrame[] = [];
  ws.on('message', (data, binary) => frames.push({ json: JSON.parse(String(data)), binary }));
  const closed = new Promise<CloseInfo>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    closed,
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
  };
}

export const SETUP = {
  setup: { model: 'models/gemini-3.8-live', realtimeInputConfig: { automaticActivityDetection: { disabled: true } } },
};
