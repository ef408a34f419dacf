import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchApp } from '../lib/bench-app';
import type { Recording } from '../lib/recording';
import { talk, toneReply, untilReplied } from '../lib/talk';
import { analyzeTurn, type TurnFigures } from '../lib/turn-analysis';

export type SpeechLostCase = `${'warm' | 'cold'}, ${'connected' | 'disconnected'}`;

/** Longer than the 300 ms pre-roll, so a warm microphone has it full at the next press. */
const betweenTurnsMs = 500;

/**
 * `turns` presses in each of the four cases. Disconnected: a session setting
 * changed while idle makes Parley close the session (it reconnects, resuming,
 * at the next press), as after the idle disconnect.
 */
export async function measureSpeechLost(
  app: BenchApp,
  recording: Recording,
  turns: number,
): Promise<Record<SpeechLostCase, TurnFigures[]>> {
  const results: Partial<Record<SpeechLostCase, TurnFigures[]>> = {};
  let renewals = 0;
  for (const warm of [true, false]) {
    await app.harness.app.updateSettings({ warmMicrophone: warm });
    for (const connected of [true, false]) {
      const figures: TurnFigures[] = [];
      if (connected) await untilReplied(app, await talk(app, recording, { holdMs: 300, reply: toneReply(200) }));
      for (let i = 0; i < turns; i++) {
        if (!connected) await disconnect(app, `bench renewal ${renewals++}`);
        await sleep(betweenTurnsMs);
        const marks = await talk(app, recording, { holdMs: 400, reply: toneReply(200) });
        await untilReplied(app, marks);
        const index = recording.turns.length - 1;
        await recording.take();
        figures.push(analyzeTurn(recording, marks, index));
      }
      results[`${warm ? 'warm' : 'cold'}, ${connected ? 'connected' : 'disconnected'}`] = figures;
    }
  }
  return results as Record<SpeechLostCase, TurnFigures[]>;
}

async function disconnect(app: BenchApp, systemInstruction: string): Promise<void> {
  const connection = app.emulator!.connection();
  await app.harness.app.updateSettings({ systemInstruction });
  await connection.waitForClose();
}
