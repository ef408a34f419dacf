import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchApp } from '../lib/bench-app';
import type { Recording } from '../lib/recording';
import { talk, toneReply, untilReplied } from '../lib/talk';
import { analyzeTurn, type TurnFigures } from '../lib/turn-analysis';

/** Long enough to be cut by the barge-in whatever the cushion. */
const cutReplyMs = 3000;
/** How long the reply plays before the barge-in. */
const playBeforeBargeInMs = 250;

/**
 * `cycles` pairs of turns on a connected session, the emulator answering at
 * once: turn A (held 500 ms) gets a long reply, which turn B (held 400 ms)
 * cuts 250 ms after it became audible; B's short reply plays to its end.
 * Every turn gives the key, wire, capture and reply figures; each A its
 * barge-in. The first turn only connects the session and is not counted.
 */
export async function measureTurns(
  app: BenchApp,
  recording: Recording,
  cycles: number,
): Promise<{ turns: TurnFigures[]; excluded: string[] }> {
  const connecting = await talk(app, recording, { holdMs: 400, reply: toneReply(300) });
  await untilReplied(app, connecting);
  const measured: number[] = [];
  for (let cycle = 0; cycle < cycles; cycle++) {
    measured.push(recording.turns.length);
    await talk(app, recording, { holdMs: 500, reply: toneReply(cutReplyMs) });
    await app.untilState('speaking');
    await sleep(playBeforeBargeInMs);
    measured.push(recording.turns.length);
    const cut = await talk(app, recording, { holdMs: 400, reply: toneReply(400), bargeIn: true });
    await untilReplied(app, cut);
    await recording.take();
  }
  const analyzed: TurnFigures[] = [];
  const excluded: string[] = [];
  for (const index of measured) {
    try {
      analyzed.push(analyzeTurn(recording, recording.turns[index]!, index, recording.turns[index + 1]));
    } catch (error) {
      excluded.push(`turn ${index}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // A turn that cannot be read (a reply that stalled just as the barge-in came) is left out and said so;
  // more than one in ten means the bench no longer measures what it says.
  if (excluded.length > measured.length / 10) throw new Error(`turns left out: ${excluded.join('; ')}`);
  return { turns: analyzed, excluded };
}
