import type { LiveServerMessage } from '@google/genai';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tone } from '../support/audio';
import { connectError, connectLive, isTurnComplete, MANUAL_VAD, sendTurn, type LiveProbe } from './live-probe';
import { openRaw } from './raw-client';
import { startEmulator, type Emulator } from './server';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ pacing: { mode: 'fast' } });
});
after(() => emulator.close());

const resumable = (handle?: string) => ({ ...MANUAL_VAD, sessionResumption: handle === undefined ? {} : { handle } });
const isUpdate = (message: LiveServerMessage) => message.sessionResumptionUpdate !== undefined;

function latestHandle(probe: LiveProbe): string {
  const handles = probe.messages.flatMap((m) => m.sessionResumptionUpdate?.newHandle ?? []);
  assert.ok(handles.length > 0, 'no handle yet');
  return handles.at(-1)!;
}

async function takeTurn(probe: LiveProbe, ms: number): Promise<void> {
  sendTurn(probe.session, tone(16_000, 300, ms));
  await probe.next(isTurnComplete);
  await probe.next((m) => m.sessionResumptionUpdate?.resumable === true);
}

describe('session resumption', () => {
  it('sends handles only between turns, and resumable:false while generating', async () => {
    const probe = await connectLive(emulator.url, { config: resumable() });
    await probe.next(isUpdate);
    sendTurn(probe.session, tone(16_000, 300, 300));
    await probe.next(isTurnComplete);
    await probe.next((m) => m.sessionResumptionUpdate?.resumable === true);

    const kinds = probe.messages.map((m) =>
      m.sessionResumptionUpdate
        ? m.sessionResumptionUpdate.newHandle
          ? 'handle'
          : 'busy'
        : m.serverContent?.turnComplete
          ? 'turnComplete'
          : m.setupComplete
            ? 'setupComplete'
            : 'content',
    );
    assert.deepEqual(
      kinds.filter((kind) => kind !== 'content'),
      ['setupComplete', 'handle', 'busy', 'turnComplete', 'handle'],
    );
    const busy = probe.messages.find((m) => m.sessionResumptionUpdate && !m.sessionResumptionUpdate.newHandle);
    assert.deepEqual(busy?.sessionResumptionUpdate, { resumable: false });
    // The busy update precedes all of the turn's content.
    assert.equal(kinds.indexOf('busy'), kinds.indexOf('content') - 1);
    probe.session.close();
  });

  it('resumes a 3-turn conversation dropped by the emulator, with all 3 turns in its history', async () => {
    await emulator.loadScenario({ turns: [{}, {}, { events: [{ at: 'afterReply', type: 'drop' }] }] });
    const first = await connectLive(emulator.url, { config: resumable() });
    await takeTurn(first, 200);
    await takeTurn(first, 300);
    sendTurn(first.session, tone(16_000, 300, 400));
    assert.equal((await first.closed).code, 1006);
    const handle = latestHandle(first);
    const dropped = emulator.connection();

    const history = emulator.history(handle);
    assert.deepEqual(
      history?.map((turn) => [turn.index, turn.input.transcript, turn.reply?.interrupted]),
      [
        [0, 'heard 0.20 s of audio', false],
        [1, 'heard 0.30 s of audio', false],
        [2, 'heard 0.40 s of audio', false],
      ],
    );

    await emulator.loadScenario({});
    const second = await connectLive(emulator.url, { config: resumable(handle) });
    const resumed = emulator.connection();
    assert.equal(resumed.resumedFrom, handle);
    assert.equal(resumed.sessionId, dropped.sessionId);
    assert.equal(second.session.setupComplete?.sessionId, dropped.sessionId);
    assert.equal(resumed.conversation().length, 3);

    await takeTurn(second, 500);
    assert.deepEqual(
      resumed.conversation().map((turn) => [turn.index, turn.connectionId]),
      [
        [0, dropped.id],
        [1, dropped.id],
        [2, dropped.id],
        [3, resumed.id],
      ],
    );
    assert.equal(emulator.history(latestHandle(second))?.length, 4);
    assert.equal(emulator.history(handle)?.length, 3, 'older handles keep their own history');
    second.session.close();
  });

  it('counts the resumed context in the prompt tokens', async () => {
    const first = await connectLive(emulator.url, { config: resumable() });
    await takeTurn(first, 1000);
    first.session.close();
    const second = await connectLive(emulator.url, { config: resumable(latestHandle(first)) });
    sendTurn(second.session, tone(16_000, 300, 500));
    const complete = await second.next(isTurnComplete);
    assert.equal(complete.usageMetadata?.promptTokenCount, 32 + 32 + 16);
    second.session.close();
  });

  it('refuses an unknown handle with 1008', async () => {
    const error = await connectError(emulator.url, { config: resumable('not-a-handle') });
    assert.equal(
      error.message,
      'Live connection closed before setup completed (code 1008): BidiGenerateContent session not found',
    );
  });

  it('refuses an expired handle with 1008', async () => {
    const shortLived = await startEmulator({ handleTtlMs: 50 });
    try {
      const probe = await connectLive(shortLived.url, { config: resumable() });
      const handle = (await probe.next(isUpdate)).sessionResumptionUpdate?.newHandle ?? '';
      probe.session.close();
      await new Promise((resolve) => setTimeout(resolve, 80));
      const error = await connectError(shortLived.url, { config: resumable(handle) });
      assert.match(error.message, /\(code 1008\): BidiGenerateContent session not found$/);
      assert.equal(shortLived.history(handle)?.length, 0, 'the history stays inspectable');
    } finally {
      await shortLived.close();
    }
  });

  it('does not know transparent resumption, which the SDK allows on Vertex AI only', async () => {
    const client = await openRaw(emulator.url);
    client.send({ setup: { model: 'models/gemini-3.8-live', sessionResumption: { transparent: true } } });
    const close = await client.closed;
    assert.equal(close.code, 1007);
    assert.match(close.reason, /Unknown name "transparent" at 'setup\.session_resumption'/);
  });
});
