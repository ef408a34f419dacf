import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, describe, it } from 'node:test';
import { expect } from '../harness/expect';
import { startEmulator, type Emulator } from '../emulator/server';
import { Harness } from '../harness/harness';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const turns = 200;

/** Main's heap after a full collection: what the app keeps, not what it has yet to free. */
function settledHeapMb(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe('a long conversation', () => {
  let harness: Harness | undefined;
  let emulator: Emulator | undefined;
  after(async () => {
    await harness?.close();
    await emulator?.close();
  });

  it(`keeps one conversation through ${turns} turns and a goAway every 0.6 s, in flat memory`, async (t) => {
    emulator = await startEmulator({
      pacing: { mode: 'fast' },
      // Time-compressed: every connection ends after 0.6 s, announced 0.3 s before, so the
      // conversation moves to a new connection every few turns.
      connectionLifetime: { ms: 600, goAwayNoticeMs: 300 },
      // Text answers without audio, so the run is about sessions, not about playing sound.
      scenario: { turns: Array.from({ length: turns + 10 }, () => ({ reply: { audio: 'none' as const } })) },
    });
    harness = await Harness.start({
      env: { PARLEY_LIVE_URL: emulator.url, GEMINI_API_KEY: 'test-key' },
      settings: { cues: false },
      tuning: { backoff: { baseMs: 50, capMs: 400, attempts: 6 } },
    });
    const transcript = await harness.page('transcript');
    const app = harness.app;
    const answered = () => app.transcript.all().filter((e) => e.role === 'model' && e.state === 'done').length;
    let heapAtWarmUp = 0;
    const started = performance.now();
    for (let turn = 1; turn <= turns; turn++) {
      await transcript.evaluate((text) => window.parley.sendText({ text }), `turn ${turn}`);
      await expect.poll(answered, { timeout: 10_000, intervals: [5, 10, 20] }).toBe(turn);
      if (turn === 50) heapAtWarmUp = settledHeapMb();
    }
    const elapsedS = (performance.now() - started) / 1000;
    const heapAtEnd = settledHeapMb();

    const connections = emulator.connections().length;
    const goAways = emulator
      .connections()
      .filter((connection) => connection.frames('out').some((frame) => 'goAway' in (frame.message as object))).length;
    const conversation = emulator.connection().conversation();
    t.diagnostic(
      `${turns} turns in ${elapsedS.toFixed(1)} s over ${connections} connections; ` +
        `main heap ${heapAtWarmUp.toFixed(1)} MB after 50 turns, ${heapAtEnd.toFixed(1)} MB after ${turns}`,
    );
    // Every goAway moved the conversation to a new connection (the last one may have come as the run ended).
    assert.ok(
      connections === goAways || connections === goAways + 1,
      `a new connection every goAway (${connections} connections, ${goAways} goAways)`,
    );
    assert.ok(goAways >= 10, `the conversation crossed many goAways (${goAways})`);
    assert.deepEqual(
      conversation.map((turn) => turn.input.text),
      Array.from({ length: turns }, (_, i) => `turn ${i + 1}`),
      'the last connection holds the whole conversation, each turn once, in order',
    );
    const entries = app.transcript.all();
    assert.equal(entries.length, 2 * turns);
    assert.ok(entries.every((entry) => entry.state === 'done'));
    // The transcript itself grows (a few hundred bytes a turn); anything leaking per turn or per connection
    // (listeners, sockets, buffers) would show as megabytes over 150 turns and ~40 connections.
    assert.ok(heapAtEnd - heapAtWarmUp < 8, `main heap grew ${(heapAtEnd - heapAtWarmUp).toFixed(1)} MB`);
  });
});
