import type { Page } from 'playwright-core';

/**
 * A probe on the capture worklet's port: what it told the page, with the
 * audio-clock time of each frame's first sample. Audio-clock times do not
 * stretch when a busy machine delays the page, so tests can tell from them
 * the order of frames and which came from the pre-roll.
 * Test instrumentation injected by the harness; the app knows nothing of it.
 */
export const captureTapScript = `(() => {
  const events = [];
  const Native = AudioWorkletNode;
  window.AudioWorkletNode = class extends Native {
    constructor(context, name, options) {
      super(context, name, options);
      if (name !== 'parley-capture') return;
      this.port.addEventListener('message', ({ data }) => {
        const at = performance.timeOrigin + performance.now();
        if (data.type === 'frame') events.push({ type: 'frame', time: data.time, bytes: data.pcm.byteLength, at });
        else if (data.type === 'live') events.push({ type: 'live', time: data.time, at });
        else if (data.type === 'stopped') events.push({ type: 'stopped', at });
      });
    }
  };
  window.__parleyCaptureTap = { events: () => events };
})();`;

interface TapEvent {
  type: 'frame' | 'live' | 'stopped';
  time?: number;
  bytes?: number;
  /** When the page got it, epoch ms (see wallClock). */
  at: number;
}

export interface CapturedTurn {
  /** Audio-clock seconds when the turn went live. */
  liveTime: number;
  /** When the worklet confirmed the end of the turn to the page, epoch ms (see wallClock). */
  stoppedAt?: number;
  /** Every frame the worklet emitted in the turn, pre-roll first, with its first sample's audio-clock time. */
  frames: { time: number; bytes: number }[];
}

/** The capture worklet's turns so far, in order (a turn still live has no end yet). */
export async function capturedTurns(audioPage: Page): Promise<CapturedTurn[]> {
  const events = await audioPage.evaluate(() =>
    (window as unknown as { __parleyCaptureTap: { events(): TapEvent[] } }).__parleyCaptureTap.events(),
  );
  const turns: CapturedTurn[] = [];
  let turn: CapturedTurn | undefined;
  for (const event of events) {
    if (event.type === 'live') turns.push((turn = { liveTime: event.time!, frames: [] }));
    else if (event.type === 'stopped') {
      if (turn) turn.stoppedAt = event.at;
      turn = undefined;
    } else turn?.frames.push({ time: event.time!, bytes: event.bytes! });
  }
  return turns;
}

/**
 * Whether each frame starts no earlier than where the one before ended, on the
 * audio clock: in capture order, nothing doubled. Later is allowed: on a busy
 * machine Chromium's fake microphone can deliver nothing for a few render
 * quanta, and the worklet has nothing to frame then (whether Parley lost a
 * frame is for frame counts to say).
 */
export function inCaptureOrder(frames: readonly { time: number; bytes: number }[], sampleRate = 16000): boolean {
  return frames.every(
    (frame, i) => i === 0 || frame.time - frames[i - 1]!.time >= frames[i - 1]!.bytes / 2 / sampleRate - 1e-6,
  );
}
