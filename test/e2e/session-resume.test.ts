import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { expect } from '../harness/expect';
import { startEmulator, type Emulator } from '../emulator/server';
import { Harness } from '../harness/harness';

/** Types a message in the transcript window and waits for Gemini's answer to complete. */
async function type(harness: Harness, text: string): Promise<void> {
  const transcript = await harness.page('transcript');
  const before = harness.app.transcript.all().filter((e) => e.role === 'model' && e.state === 'done').length;
  await transcript.getByLabel('Message').fill(text);
  await transcript.getByRole('button', { name: 'Send' }).click();
  await expect
    .poll(() => harness.app.transcript.all().filter((e) => e.role === 'model' && e.state === 'done').length, {
      timeout: 10_000,
    })
    .toBe(before + 1);
}

describe('a conversation across restarts', () => {
  const userDataDir = mkdtempSync(join(tmpdir(), 'parley-resume-'));
  let emulator: Emulator | undefined;
  let harness: Harness | undefined;
  after(async () => {
    await harness?.close();
    await emulator?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  it('resumes the same Gemini session after Parley restarts, while the handle is valid', async () => {
    emulator = await startEmulator({
      pacing: { mode: 'fast' },
      scenario: { turns: [{ reply: { audio: 'none' } }, { reply: { audio: 'none' } }] },
    });
    const start = () =>
      Harness.start({ userDataDir, env: { PARLEY_LIVE_URL: emulator!.url, GEMINI_API_KEY: 'test-key' } });
    harness = await start();
    await type(harness, 'Remember the number seven.');
    await harness.close();

    harness = await start();
    await type(harness, 'Which number did I say?');
    const resumed = emulator.connection(1);
    const setup = resumed.setup as { sessionResumption?: { handle?: string } };
    assert.ok(setup.sessionResumption?.handle, 'the second run resumed with the saved handle');
    assert.deepEqual(
      resumed.conversation().map((turn) => turn.input.text),
      ['Remember the number seven.', 'Which number did I say?'],
      'Gemini has both turns, one from each run',
    );
  });

  /** Sends a message and returns as soon as Gemini's reply to it has started streaming. */
  async function sendAndAwaitReplyStart(h: Harness, text: string): Promise<void> {
    const transcript = await h.page('transcript');
    await transcript.getByLabel('Message').fill(text);
    await transcript.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => h.app.transcript.all().some((e) => e.role === 'model' && e.state === 'streaming' && e.text), {
        timeout: 10_000,
      })
      .toBe(true);
  }

  /** What the latest connection started from, and what Gemini holds of the conversation there. */
  function latestSession(em: Emulator) {
    const connection = em.connection();
    const setup = connection.setup as { model?: string; sessionResumption?: { handle?: string } };
    return {
      model: setup.model,
      resumed: Boolean(setup.sessionResumption?.handle),
      turns: connection.conversation().map((turn) => turn.input.text),
    };
  }

  /** Replies long enough (4 s of speech, at the real pace) to act in the middle of one. */
  const longReplies = {
    turns: [0, 1, 2, 3].map(() => ({ reply: { audio: { tone: { frequencyHz: 440, durationMs: 4000 } } } })),
  };

  /**
   * Parley mid-reply (a long one, at the real pace), `act` done to it then, a new question once
   * the old connection is gone, then a restart and one more question.
   */
  async function actMidReplyThenRestart(act: (h: Harness) => Promise<void>) {
    const dir = mkdtempSync(join(tmpdir(), 'parley-mid-reply-'));
    const em = await startEmulator({ pacing: { mode: 'realtime' }, scenario: longReplies });
    const start = () =>
      Harness.start({ userDataDir: dir, env: { PARLEY_LIVE_URL: em.url, GEMINI_API_KEY: 'test-key' } });
    let h = await start();
    try {
      await sendAndAwaitReplyStart(h, 'Remember the number seven.');
      await act(h);
      // The old connection finishes (or is cut); nothing it still sends may become the new session's.
      await em.connection(0).waitForClose();
      await type(h, 'Which number did I say?');
      const afterAct = latestSession(em);
      await h.close();
      h = await start();
      await type(h, 'And now?');
      return { afterAct, afterRestart: latestSession(em) };
    } finally {
      await h.close();
      await em.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('New conversation mid-reply, then a restart: Gemini never hears the old conversation again', async () => {
    const { afterAct, afterRestart } = await actMidReplyThenRestart(async (h) => {
      h.tray.click('new-conversation');
      await expect.poll(() => h.app.transcript.all().length).toBe(0);
    });
    assert.deepEqual(afterAct, { model: 'models/gemini-3.8-live', resumed: false, turns: ['Which number did I say?'] });
    assert.deepEqual(afterRestart.turns, ['Which number did I say?', 'And now?'], 'the new conversation resumed');
  });

  it('a model change mid-reply, then a restart: no handle of one model is ever offered to another', async () => {
    const { afterAct, afterRestart } = await actMidReplyThenRestart(async (h) => {
      await h.app.updateSettings({ model: 'gemini-3.1-flash-live-preview' });
      await expect.poll(() => h.app.status.current.state, { timeout: 15_000 }).toBe('idle');
    });
    const newModel = 'models/gemini-3.1-flash-live-preview';
    assert.deepEqual(afterAct, { model: newModel, resumed: false, turns: ['Which number did I say?'] });
    assert.deepEqual(afterRestart, {
      model: newModel,
      resumed: true,
      turns: ['Which number did I say?', 'And now?'],
    });
  });
});

describe('a session renewed for a changed setting', () => {
  let emulator: Emulator | undefined;
  let harness: Harness | undefined;
  after(async () => {
    await harness?.close();
    await emulator?.close();
  });

  it('waits for the end of the reply and its handle, so Gemini still has that reply', async () => {
    emulator = await startEmulator({ pacing: { mode: 'fast' } });
    harness = await Harness.start({ env: { PARLEY_LIVE_URL: emulator.url, GEMINI_API_KEY: 'test-key' } });
    const transcript = await harness.page('transcript');
    await transcript.getByLabel('Message').fill('Remember the number seven.');
    await transcript.getByRole('button', { name: 'Send' }).click();
    await harness.app.updateSettings({ voiceName: 'Puck' });
    await expect.poll(() => harness!.app.status.current.state, { timeout: 10_000 }).toBe('idle');
    await type(harness, 'Which number did I say?');
    const renewed = emulator.connection(1);
    assert.match(JSON.stringify(renewed.setup), /"voiceName":"Puck"/, 'the new session has the new voice');
    assert.deepEqual(
      renewed.conversation().map((turn) => turn.input.text),
      ['Remember the number seven.', 'Which number did I say?'],
      'it resumed from the handle that includes the first turn',
    );
  });
});
