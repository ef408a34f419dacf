import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedFrame } from '../../test/emulator/recorder';
import type { BenchApp, TurnScript } from './bench-app';
import { wallClock } from './clock';
import type { Recording, TurnMarks } from './recording';

export interface TalkOptions {
  holdMs: number;
  reply: TurnScript;
  /** Pressed while a reply plays. */
  bargeIn?: boolean;
}

/** A reply the bench hears: a tone, loud from its first samples (speech would start with silence). */
export function toneReply(durationMs: number): TurnScript {
  return { reply: { audio: { tone: { frequencyHz: 440, durationMs, amplitude: 0.5 } } } };
}

/** Holds the hotkey for `holdMs` with the reply scripted, and notes the turn in the recording. */
export async function talk(app: BenchApp, recording: Recording, options: TalkOptions): Promise<TurnMarks> {
  const framesAtDown = app.frames().length;
  const downInvokedAt = await app.keyDown();
  await app.scriptNextTurn(options.reply);
  await sleep(Math.max(0, downInvokedAt + options.holdMs - wallClock()));
  const framesAtUp = app.frames().length;
  const upInvokedAt = await app.keyUp();
  const marks = { downInvokedAt, upInvokedAt, framesAtDown, framesAtUp, bargeIn: options.bargeIn ?? false };
  recording.turns.push(marks);
  return marks;
}

/** Waits for the turn's reply to be complete on the wire and Parley to be idle again. */
export async function untilReplied(app: BenchApp, marks: TurnMarks, timeoutMs = 20_000): Promise<void> {
  const complete = (frame: RecordedFrame) =>
    frame.seq >= marks.framesAtUp && frame.direction === 'out' && frame.message.serverContent?.turnComplete === true;
  await app.waitForFrame(complete, timeoutMs);
  await app.untilState('idle');
}
