import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedFrame } from '../../test/emulator/recorder';
import type { BenchApp } from '../lib/bench-app';
import { wallOf, type Recording } from '../lib/recording';
import { audiblePeak } from '../lib/turn-analysis';

/** Longer than the audio renderer's 3 s rest delay (renderer/audio/main.ts). */
const restedAfterMs = 4000;

const isReplyAudio = (frame: RecordedFrame) =>
  frame.direction === 'out' && frame.message.serverContent?.modelTurn?.parts.some((part) => part.inlineData) === true;

/**
 * The price of letting the output rest: a reply that comes with no key press
 * before it (a typed message, `times` of them, each after the output has
 * rested) waits for the audio thread to resume. First chunk sent → audible, ms.
 */
export async function measureRestedOutput(app: BenchApp, recording: Recording, times: number): Promise<number[]> {
  const transcript = await app.harness.page('transcript');
  const results: number[] = [];
  for (let i = 0; i < times; i++) {
    await sleep(restedAfterMs);
    const from = app.frames().length;
    await transcript.evaluate((text) => window.parley.sendText({ text }), `Rested output ${i}.`);
    const chunk = await app.waitForFrame((frame) => frame.seq >= from && isReplyAudio(frame));
    await app.waitForFrame(
      (frame) => frame.seq >= from && frame.direction === 'out' && frame.message.serverContent?.turnComplete === true,
    );
    await app.untilState('idle');
    await recording.take();
    const heard = recording.output.find((q) => q.at >= wallOf(chunk) && q.peak > audiblePeak);
    if (!heard) throw new Error('the typed turn’s reply was never heard');
    results.push(heard.at - wallOf(chunk));
  }
  return results;
}
