import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from '../harness/expect';
import type { SessionTuning } from '../../electron/main/session/session-tuning';
import type { SettingsChanges } from '../../electron/main/settings/profiles';
import { eventChannels, sendChannels } from '../../shared/ipc/channels';
import type { TranscriptEntry } from '../../shared/types';
import type { ScenarioInput } from '../emulator/scenario';
import type { EmulatorOptions } from '../emulator/server';
import { Conversation } from '../harness/conversation';

/**
 * Seconds, not minutes: every fault here resolves (or gives up) quickly. A
 * setup or a reply's next message takes milliseconds; 5 s only tells a server
 * that never sends them from a busy machine (where a tighter bound injects
 * faults of its own). The tests of those two faults tighten them.
 */
const quick: Partial<SessionTuning> = {
  backoff: { baseMs: 50, capMs: 400, attempts: 6 },
  setupTimeoutMs: 5000,
  replyTimeoutMs: 5000,
  goAwayMarginMs: 1500,
};

interface Outcome {
  entries: TranscriptEntry[];
  /** Per user turn, whether the conversation on the last connection holds exactly the audio captured. */
  audioIntact: boolean[];
  /** Where each turn's audio differs, for the failure message. */
  audioDiffs: string[];
  connections: number;
}

const totals = { injected: 0, recovered: 0, entriesLost: 0, duplicated: 0 };
after(() => {
  console.log(
    `fault matrix: ${totals.injected} faults injected, ${totals.recovered} recovered, ` +
      `${totals.entriesLost} entries lost, ${totals.duplicated} duplicated`,
  );
});

/** Holds the hotkey for `holdMs` while the fake microphone speaks, then waits for the turn to settle. */
async function talkOnce(talk: Conversation, holdMs = 1200): Promise<void> {
  await talk.keyDown();
  await sleep(holdMs);
  await talk.keyUp();
  await settled(talk);
}

async function settled(talk: Conversation, timeout = 20_000): Promise<void> {
  await expect
    .poll(
      () => {
        const streaming = talk.harness.app.transcript.all().some((entry) => entry.state === 'streaming');
        return !streaming && ['idle', 'error'].includes(talk.harness.app.status.current.state);
      },
      { timeout },
    )
    .toBe(true);
}

/** What the user ends up with, and whether each turn's audio reached the conversation whole and once. */
function outcome(talk: Conversation): Outcome {
  const entries = talk.harness.app.transcript.all();
  const captured = new Map<number, Buffer[]>();
  for (const record of talk.harness.ipc.log) {
    if (record.channel !== sendChannels.captureFrame) continue;
    const { turnId, pcm } = record.payload as { turnId: number; pcm: Uint8Array };
    captured.set(turnId, [...(captured.get(turnId) ?? []), Buffer.from(pcm)]);
  }
  const heard = talk.emulator
    .connection()
    .conversation()
    .filter((turn) => turn.input.source === 'audio')
    .map((turn) =>
      Buffer.from(
        turn.input.audio.samples.buffer,
        turn.input.audio.samples.byteOffset,
        turn.input.audio.samples.byteLength,
      ),
    );
  const turnIds = [...captured.keys()].sort((a, b) => a - b);
  const audioIntact = turnIds.map((turnId, i) => heard[i]?.equals(Buffer.concat(captured.get(turnId)!)) ?? false);
  const audioDiffs = turnIds.map((turnId, i) => difference(heard[i], Buffer.concat(captured.get(turnId)!)));
  return { entries, audioIntact, audioDiffs, connections: talk.emulator.connections().length };
}

function difference(heard: Buffer | undefined, captured: Buffer): string {
  if (!heard) return `never heard (${captured.length} bytes captured)`;
  let same = 0;
  while (same < Math.min(heard.length, captured.length) && heard[same] === captured[same]) same++;
  return `${heard.length} bytes heard, ${captured.length} captured, first difference at byte ${same}`;
}

/** One user entry and one answered model entry per turn, nothing doubled, nothing left half-done. */
function assertWholeConversation(result: Outcome, turns: number): void {
  const per = (role: 'user' | 'model') => result.entries.filter((entry) => entry.role === role);
  const lost = Math.max(0, turns - per('user').length) + Math.max(0, turns - per('model').length);
  const duplicated =
    per('user').length -
    new Set(per('user').map((e) => e.turnId)).size +
    (per('model').length - new Set(per('model').map((e) => e.turnId)).size);
  totals.entriesLost += lost;
  totals.duplicated += duplicated;
  assert.equal(lost, 0, `entries lost: ${JSON.stringify(result.entries)}`);
  assert.equal(duplicated, 0, 'entries duplicated');
  for (const entry of result.entries) assert.equal(entry.state, 'done', `${entry.role} ${entry.turnId}: ${entry.note}`);
  for (const entry of per('model')) assert.match(entry.text, /heard/, 'each reply arrived');
  assert.deepEqual(
    result.audioIntact,
    Array(turns).fill(true),
    `every frame of every turn, once, in order: ${result.audioDiffs.join('; ')}`,
  );
}

describe('session faults: recovery, or one clear error', () => {
  let talk: Conversation | undefined;
  const start = async (
    scenario: ScenarioInput,
    more: {
      emulator?: EmulatorOptions;
      settings?: SettingsChanges;
      apiKey?: string;
      tuning?: Partial<SessionTuning>;
    } = {},
  ) => {
    talk = await Conversation.start({
      emulator: { pacing: { mode: 'fast' }, scenario, ...more.emulator },
      settings: more.settings,
      apiKey: more.apiKey,
      tuning: { ...quick, ...more.tuning },
    });
    totals.injected++;
    return talk;
  };
  const recovered = (t: Conversation, turns: number) => {
    assertWholeConversation(outcome(t), turns);
    totals.recovered++;
  };
  afterEach(async () => {
    await talk?.close();
    talk = undefined;
  });

  it('drop mid-user-turn: reconnects, resumes, and sends the whole turn again', async () => {
    const t = await start({ turns: [{ events: [{ at: 'midTurn', type: 'drop', connection: 0 }] }] });
    await talkOnce(t);
    assert.equal(t.emulator.connections().length, 2);
    recovered(t, 1);
  });

  it('drop mid-reply: the turn is sent again and the reply starts over, once in the transcript', async () => {
    const t = await start({ turns: [{ events: [{ at: 'midReply', type: 'drop', connection: 0 }] }] });
    await talkOnce(t);
    recovered(t, 1);
  });

  it('drop between turns: the next press reconnects and the conversation carries on', async () => {
    const t = await start({ turns: [{ events: [{ at: 'afterReply', type: 'drop', connection: 0 }] }] });
    await talkOnce(t);
    assert.equal((await t.emulator.connection(0).waitForClose()).by, 'drop');
    assert.equal(t.harness.app.status.current.state, 'idle', 'nothing was under way: no alarm, no reconnect loop');
    assert.equal(t.emulator.connections().length, 1, 'no socket held open between turns');
    await talkOnce(t);
    const setup = t.emulator.connection(1).setup as { sessionResumption?: { handle?: string } };
    assert.ok(setup.sessionResumption?.handle, 'resumed with the handle');
    recovered(t, 2);
  });

  it('goAway mid-turn: moves to a new connection before the deadline, the turn goes on unnoticed', async () => {
    // The move starts 0.5 s after the notice, as with 2 s left and a 1.5 s margin, and has 3.5 s to finish.
    const t = await start(
      { turns: [{ events: [{ at: 'midTurn', type: 'goAway', timeLeftMs: 4000, connection: 0 }] }] },
      { tuning: { goAwayMarginMs: 3500 } },
    );
    await talkOnce(t, 2200);
    const first = await t.emulator.connection(0).waitForClose();
    assert.equal(first.by, 'client', 'Parley left before the server cut the line');
    recovered(t, 1);
  });

  it('goAway between turns: reconnects at once with the handle, before the deadline', async () => {
    const t = await start({
      turns: [{ events: [{ at: 'afterReply', type: 'goAway', timeLeftMs: 3000, connection: 0 }] }],
    });
    await talkOnce(t);
    await expect.poll(() => t.emulator.connections().length).toBe(2);
    assert.equal((await t.emulator.connection(0).waitForClose()).by, 'client');
    await talkOnce(t);
    recovered(t, 2);
  });

  it('1011 at the goAway deadline mid-reply: recovered like a drop', async () => {
    const t = await start(
      { turns: [{ events: [{ at: 'turnEnd', type: 'goAway', timeLeftMs: 300, connection: 0 }] }] },
      { emulator: { pacing: { mode: 'realtime' } } },
    );
    await talkOnce(t);
    assert.equal((await t.emulator.connection(0).waitForClose()).code, 1011);
    recovered(t, 1);
  });

  it('1007 bad key: no retry loop, one clear error pointing to Settings, the tray shows it', async () => {
    const t = await start({}, { emulator: { apiKeys: ['the-right-key'] }, apiKey: 'a-wrong-key' });
    await talkOnce(t);
    assert.equal(t.emulator.connections().length, 1, 'tried once');
    assert.match(t.harness.app.status.current.detail, /refused.*Check the API key in Settings/s);
    assert.equal(t.harness.tray.icon, 'error');
    const user = t.harness.app.transcript.all().find((entry) => entry.role === 'user');
    assert.equal(user?.state, 'failed');
    assert.equal(user?.retry, true, 'kept for Retry once the key is fixed');
    totals.recovered++; // the expected outcome: a clear error, nothing lost
  });

  it('1008 unknown model: no retry loop, says to choose another model', async () => {
    const t = await start({}, { settings: { model: 'gemini-0.1-retired-live' } });
    await talkOnce(t);
    assert.equal(t.emulator.connections().length, 1);
    assert.match(
      t.harness.app.status.current.detail,
      /gemini-0\.1-retired-live is not available.*Choose another model/s,
    );
    totals.recovered++;
  });

  it('setup never completes: gives up after the attempts, keeps the turn, and Retry delivers it', async () => {
    // Every attempt times out anyway, so a tight bound costs nothing here.
    const t = await start({ setupCompleteDelayMs: 60_000 }, { tuning: { setupTimeoutMs: 700 } });
    await talkOnce(t);
    assert.equal(t.emulator.connections().length, quick.backoff!.attempts);
    assert.match(t.harness.app.status.current.detail, /did not complete the session setup/);
    t.emulator.loadScenario({});
    const transcript = await t.harness.page('transcript');
    await transcript.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => t.harness.app.transcript.all().map((e) => e.state)).toEqual(['done', 'done']);
    recovered(t, 1);
  });

  it('server silent mid-reply: the line is declared dead, the turn sent again and answered', async () => {
    const t = await start(
      { turns: [{ events: [{ at: 'midReply', type: 'stopAnswering', connection: 0 }] }] },
      { tuning: { replyTimeoutMs: 2000 } },
    );
    await talkOnce(t);
    assert.equal(t.emulator.connections().length, 2);
    recovered(t, 1);
  });

  it('five drops in a row: reconnects each time and delivers the turn on the sixth connection', async () => {
    const drops = [0, 1, 2, 3, 4].map((connection) => ({ at: 'midTurn' as const, type: 'drop' as const, connection }));
    const t = await start({ turns: [{ events: drops }] });
    await talkOnce(t);
    assert.equal(t.emulator.connections().length, 6);
    recovered(t, 1);
    totals.injected += 4;
    totals.recovered += 4;
  });

  it('handle expired: a new session seeded with the recent turns, and the transcript says so', async () => {
    const t = await start(
      { turns: [{ events: [{ at: 'afterReply', type: 'drop', connection: 0 }] }] },
      { emulator: { handleTtlMs: 300 } },
    );
    await talkOnce(t);
    await sleep(500);
    await talkOnce(t);
    const last = t.emulator.connection();
    const setup = last.setup as { sessionResumption?: { handle?: string } };
    assert.equal(setup.sessionResumption?.handle, undefined, 'started afresh');
    assert.match(last.conversation()[0]?.input.text ?? '', /Recap: .*heard/s, 'seeded with the recent turns');
    const second = t.harness.app.transcript.all().filter((entry) => entry.role === 'user')[1];
    assert.match(second?.note ?? '', /no longer had this conversation/);
    const entries = t.harness.app.transcript.all();
    assert.equal(entries.length, 4);
    assert.ok(entries.every((entry) => entry.state === 'done'));
    totals.recovered++;
  });

  it('tells the user it is reconnecting, with the attempt, in the state line and the tray', async () => {
    const drops = [0, 1].map((connection) => ({ at: 'midTurn' as const, type: 'drop' as const, connection }));
    const t = await start({ turns: [{ events: drops }] });
    await talkOnce(t);
    const states = t.harness.ipc.log
      .filter((record) => record.channel === eventChannels.sessionStatusChanged)
      .map((record) => (record.payload as { detail: string }).detail);
    assert.ok(
      states.some((detail) =>
        /^Connection lost \(the connection closed \(1006.*Reconnecting… \(attempt 1 of 6\)$/.test(detail),
      ),
      states.join('\n'),
    );
    assert.ok(t.harness.tray.stateLines.includes('Parley — reconnecting…'), t.harness.tray.stateLines.join(', '));
    recovered(t, 1);
    totals.injected += 1;
    totals.recovered += 1;
  });
});

/** Types a message in the transcript window and sends it, as the user would. */
async function typeMessage(talk: Conversation, text: string): Promise<void> {
  const transcript = await talk.harness.page('transcript');
  await transcript.getByLabel('Message').fill(text);
  await transcript.getByRole('button', { name: 'Send' }).click();
}

/** Holds the hotkey while the fake microphone speaks, without waiting for anything after. */
async function holdKey(talk: Conversation, holdMs = 1200): Promise<void> {
  await talk.keyDown();
  await sleep(holdMs);
  await talk.keyUp();
}

const stateOf = (talk: Conversation) => talk.harness.app.status.current.state;
const entriesOf = (talk: Conversation) =>
  talk.harness.app.transcript.all().map((entry) => `${entry.role}:${entry.state}`);

describe('session faults while the user acts: presses, messages and Retry land mid-fault', () => {
  let talk: Conversation | undefined;
  /** Slow setups (the fault keeps the line busy for seconds), and a silent server declared dead well inside a test. */
  const patient: Partial<SessionTuning> = { ...quick, setupTimeoutMs: 10_000, replyTimeoutMs: 15_000 };
  const start = async (
    scenario: ScenarioInput,
    more: { tuning?: Partial<SessionTuning>; settings?: SettingsChanges } = {},
  ) => {
    talk = await Conversation.start({
      emulator: { pacing: { mode: 'fast' }, scenario },
      tuning: more.tuning ?? patient,
      settings: more.settings,
    });
    totals.injected++;
    return talk;
  };
  afterEach(async () => {
    await talk?.close();
    talk = undefined;
  });

  it('a press during a reconnect: the new reply is heard at once, the turn is not sent twice', async () => {
    // Every setup takes 3 s: the reconnect after the drop is slow enough to press into.
    const t = await start({
      setupCompleteDelayMs: 3000,
      turns: [{ events: [{ at: 'midReply', type: 'drop', connection: 0 }] }],
    });
    await holdKey(t);
    // The new connection is open and its setup still 3 s away: the press lands during the reconnect.
    await expect.poll(() => t.emulator.connections().length, { timeout: 30_000 }).toBe(2);
    await holdKey(t);
    await settled(t, 40_000);
    assert.equal(t.emulator.connections().length, 2, 'one reconnect, and no resend after a silent spell');
    const [, second] = t.emulator
      .connection(1)
      .conversation()
      .filter((turn) => turn.input.source === 'audio');
    assert.ok(second, 'the second turn reached Gemini on the new connection');
    assert.deepEqual(entriesOf(t), ['user:done', 'model:interrupted', 'user:done', 'model:done']);
    assert.match(t.harness.app.transcript.all()[3]!.text, /heard/);
    assert.equal(stateOf(t), 'idle');
    totals.recovered++;
  });

  it('a message typed while connecting, then a press: both reach Gemini in order, nothing is lost', async () => {
    const t = await start({ setupCompleteDelayMs: 2500 });
    await typeMessage(t, 'Remember the number seven.');
    await holdKey(t);
    await settled(t, 40_000);
    const heard = t.emulator.connection().conversation();
    assert.deepEqual(
      heard.map((turn) => turn.input.source),
      ['text', 'audio'],
    );
    assert.equal(heard[0]?.input.text, 'Remember the number seven.');
    assert.deepEqual(entriesOf(t), ['user:done', 'user:done', 'model:done']);
    totals.recovered++;
  });

  it('a second press while connecting: both turns go out once the session is ready, and the second is answered', async () => {
    const t = await start({ setupCompleteDelayMs: 3000 });
    await holdKey(t, 800);
    // A release and a press at once would look like X11 auto-repeat; people leave a moment between.
    await sleep(300);
    await holdKey(t, 800);
    await settled(t, 40_000);
    assert.equal(t.emulator.connection().conversation().length, 2);
    assert.deepEqual(entriesOf(t), ['user:done', 'user:done', 'model:done']);
    totals.recovered++;
  });

  it('Retry, then a press while the connection is still being made: the retried turn is not lost', async () => {
    const twoTries = { ...quick, setupTimeoutMs: 5000, backoff: { baseMs: 50, capMs: 100, attempts: 2 } };
    const t = await start({ setupCompleteDelayMs: 60_000 }, { tuning: twoTries });
    await holdKey(t);
    await settled(t, 40_000);
    assert.equal(stateOf(t), 'error');
    // Now the setup completes, but slowly enough to press while it is under way.
    t.emulator.loadScenario({ setupCompleteDelayMs: 2500 });
    const transcript = await t.harness.page('transcript');
    await transcript.getByRole('button', { name: 'Retry' }).click();
    await holdKey(t);
    await settled(t, 40_000);
    assert.equal(t.emulator.connection().conversation().length, 2, 'the retried turn and the new one');
    assert.deepEqual(entriesOf(t), ['user:done', 'user:done', 'model:done']);
    totals.recovered++;
  });

  it('a press during a goAway move between turns: the turn goes to the new connection, and "reconnecting" clears', async () => {
    // Every setup takes 2.5 s: the move to a new connection is slow enough to press into.
    const t = await start({
      setupCompleteDelayMs: 2500,
      turns: [{ events: [{ at: 'afterReply', type: 'goAway', timeLeftMs: 20_000, connection: 0 }] }],
    });
    await holdKey(t);
    await expect.poll(() => t.emulator.connections().length, { timeout: 30_000 }).toBe(2);
    await holdKey(t);
    await settled(t, 40_000);
    assert.equal(t.emulator.connections().length, 2);
    assert.equal(t.emulator.connection(1).turns().length, 1, 'the second turn went to the new connection');
    assert.deepEqual(entriesOf(t), ['user:done', 'model:done', 'user:done', 'model:done']);
    assert.equal(stateOf(t), 'idle');
    totals.recovered++;
  });

  it('two quick settings changes: the hotkey still starts exactly one turn per press', async () => {
    const t = await start({});
    await Promise.all([
      t.harness.app.updateSettings({ maxTurnMs: 120_000 }),
      t.harness.app.updateSettings({ maxTurnMs: 180_000 }),
    ]);
    await holdKey(t);
    await settled(t, 40_000);
    assert.equal(t.emulator.connection().conversation().length, 1);
    assert.deepEqual(entriesOf(t), ['user:done', 'model:done']);
    totals.recovered++;
  });

  it('a settings change during a hands-free turn ends it: the microphone stops and the turn is answered', async () => {
    const t = await start({});
    t.harness.tray.click('talk');
    await expect.poll(() => stateOf(t), { timeout: 20_000 }).toBe('listening');
    await sleep(800);
    await t.harness.app.updateSettings({ maxTurnMs: 120_000 });
    await settled(t, 40_000);
    const stops = t.harness.ipc.log.filter((record) => record.channel === eventChannels.captureStop);
    assert.equal(stops.length, 1, 'the microphone was told to stop');
    assert.deepEqual(entriesOf(t), ['user:done', 'model:done']);
    totals.recovered++;
  });

  it('toggle mode, microphone refused: once allowed, the next tap starts a turn', async () => {
    await talk?.close();
    talk = await Conversation.start({
      emulator: { pacing: { mode: 'fast' } },
      tuning: patient,
      settings: { hotkey: { accelerator: 'Control+Shift+Space', mode: 'toggle' } },
      microphonePermission: 'denied',
    });
    totals.injected++;
    const t = talk;
    await t.keyDown();
    await t.keyUp();
    await expect.poll(() => stateOf(t), { timeout: 20_000 }).toBe('error');
    await t.harness.grantMicrophone();
    await t.keyDown();
    await t.keyUp();
    await expect.poll(() => stateOf(t), { timeout: 20_000 }).toBe('listening');
    await sleep(1000);
    await t.keyDown();
    await t.keyUp();
    await settled(t, 40_000);
    assert.deepEqual(entriesOf(t), ['user:failed', 'user:done', 'model:done']);
    totals.recovered++;
  });
});
