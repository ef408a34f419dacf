// Test helper: a real @google/genai Live session against the emulator, with
// every server message kept for assertions.
import { GoogleGenAI, type LiveConnectConfig, type LiveServerMessage, type Session } from '@google/genai';
import { base64ToPcm, concatPcm, pcmToBase64, splitFrames } from '../support/audio';

export interface ConnectOptions {
  model?: string;
  config?: LiveConnectConfig;
  apiKey?: string;
  apiVersion?: string;
}

export interface CloseInfo {
  code: number;
  reason: string;
}

export interface LiveProbe {
  session: Session;
  messages: LiveServerMessage[];
  /** What the SDK's onclose reported. */
  closed: Promise<CloseInfo>;
  /** The next message (after the last one `next` returned) that matches. */
  next(predicate: (message: LiveServerMessage) => boolean, timeoutMs?: number): Promise<LiveServerMessage>;
}

export const MANUAL_VAD: LiveConnectConfig = {
  realtimeInputConfig: { automaticActivityDetection: { disabled: true } },
  inputAudioTranscription: {},
  outputAudioTranscription: {},
};

export function liveClient(url: string, options: ConnectOptions = {}): GoogleGenAI {
  return new GoogleGenAI({
    apiKey: options.apiKey ?? 'test-key',
    httpOptions: { baseUrl: url, apiVersion: options.apiVersion ?? 'v1beta' },
  });
}

export async function connectLive(url: string, options: ConnectOptions = {}): Promise<LiveProbe> {
  const messages: LiveServerMessage[] = [];
  const listeners = new Set<() => void>();
  let reportClose: (close: CloseInfo) => void = () => undefined;
  const closed = new Promise<CloseInfo>((resolve) => (reportClose = resolve));
  const session = await liveClient(url, options).live.connect({
    model: options.model ?? 'gemini-3.8-live',
    config: options.config ?? MANUAL_VAD,
    callbacks: {
      onmessage: (message) => {
        messages.push(message);
        for (const listener of listeners) listener();
      },
      onclose: (event) => reportClose({ code: event.code, reason: event.reason }),
      onerror: () => undefined,
    },
  });
  let cursor = 0;
  const next = (predicate: (message: LiveServerMessage) => boolean, timeoutMs = 5000) =>
    new Promise<LiveServerMessage>((resolve, reject) => {
      const check = () => {
        const index = messages.findIndex((message, i) => i >= cursor && predicate(message));
        if (index === -1) return;
        cursor = index + 1;
        done();
        resolve(messages[index]!);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  return { session, messages, closed, next };
}

/** The error `live.connect()` rejects with; fails if it connects. */
export async function connectError(url: string, options: ConnectOptions = {}): Promise<Error> {
  try {
    const probe = await connectLive(url, options);
    probe.session.close();
  } catch (error) {
    return error as Error;
  }
  throw new Error('live.connect() succeeded');
}

export const isTurnComplete = (message: LiveServerMessage) => message.serverContent?.turnComplete === true;

/** One push-to-talk turn: activityStart, the audio in 20 ms frames, activityEnd. */
export function sendTurn(session: Session, samples: Int16Array, sampleRate = 16_000): void {
  session.sendRealtimeInput({ activityStart: {} });
  sendAudio(session, samples, sampleRate);
  session.sendRealtimeInput({ activityEnd: {} });
}

export function sendAudio(session: Session, samples: Int16Array, sampleRate = 16_000): void {
  for (const frame of splitFrames(samples, sampleRate / 50)) {
    session.sendRealtimeInput({ audio: { data: pcmToBase64(frame), mimeType: `audio/pcm;rate=${sampleRate}` } });
  }
}

/** The 24 kHz audio in these messages, in order. */
export function audioIn(messages: readonly LiveServerMessage[]): Int16Array {
  const chunks = messages.flatMap((message) =>
    (message.serverContent?.modelTurn?.parts ?? []).flatMap((part) =>
      part.inlineData?.data ? [base64ToPcm(part.inlineData.data)] : [],
    ),
  );
  return concatPcm(chunks);
}

export function transcript(
  messages: readonly LiveServerMessage[],
  kind: 'inputTranscription' | 'outputTranscription',
): string {
  return messages.map((message) => message.serverContent?.[kind]?.text ?? '').join('');
}
