import type { Pacing } from '../../test/emulator/pacing';
import type { BenchApp } from '../lib/bench-app';
import { channels, type Recording } from '../lib/recording';
import { talk, toneReply, untilReplied } from '../lib/talk';

export type Delivery = 'smooth' | 'jittered' | 'bursty';

/** How the emulator sends a reply's 40 ms chunks. */
const pacings: Record<Delivery, Partial<Pacing>> = {
  smooth: { mode: 'realtime' },
  // Each chunk up to 40 ms before or after its real-time slot.
  jittered: { mode: 'jittered', jitterMs: 40 },
  // Eight chunks (320 ms) back to back, bursts at the real-time rate.
  bursty: { mode: 'bursty', burstChunks: 8 },
};

export interface UnderrunCount {
  underruns: number;
  replyMinutes: number;
  perMinute: number;
}

/**
 * One reply of `seconds[delivery]` per delivery, counted by the player itself
 * (its running count, which the audio renderer reports to main with every
 * start and end of playback): times it ran dry while the reply went on.
 */
export async function measureUnderruns(
  app: BenchApp,
  recording: Recording,
  seconds: Record<Delivery, number>,
): Promise<Record<Delivery, UnderrunCount>> {
  const emulator = app.emulator!;
  const results: Partial<Record<Delivery, UnderrunCount>> = {};
  for (const delivery of Object.keys(pacings) as Delivery[]) {
    emulator.setPacing({ ...pacings[delivery] });
    const before = underrunsSoFar(recording);
    const marks = await talk(app, recording, { holdMs: 300, reply: toneReply(seconds[delivery] * 1000) });
    await untilReplied(app, marks, seconds[delivery] * 1000 + 20_000);
    await recording.take();
    const replyMinutes = sentReplyMs(recording, marks.framesAtUp) / 60_000;
    if (Math.abs(replyMinutes * 60 - seconds[delivery]) > 0.5) {
      throw new Error(`the ${delivery} reply lasted ${replyMinutes * 60} s, not the ${seconds[delivery]} s scripted`);
    }
    const underruns = underrunsSoFar(recording) - before;
    results[delivery] = { underruns, replyMinutes, perMinute: underruns / replyMinutes };
  }
  emulator.setPacing({ mode: 'realtime' });
  return results as Record<Delivery, UnderrunCount>;
}

/** The player's running count, as last reported to main. */
export function underrunsSoFar(recording: Recording): number {
  const reports = recording.ipcOn(channels.playbackState, 'send');
  return (reports.at(-1)?.payload as { underruns: number } | undefined)?.underruns ?? 0;
}

/** Reply audio the emulator sent after frame `from`, in ms of 24 kHz audio. */
function sentReplyMs(recording: Recording, from: number): number {
  let bytes = 0;
  for (const frame of recording.frames.slice(from)) {
    if (frame.direction !== 'out') continue;
    for (const part of frame.message.serverContent?.modelTurn?.parts ?? []) {
      if (part.inlineData) bytes += Buffer.from(part.inlineData.data, 'base64').length;
    }
    if (frame.message.serverContent?.turnComplete) return (bytes / 2 / 24_000) * 1000;
  }
  throw new Error('the reply never completed');
}
