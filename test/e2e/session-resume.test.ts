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
});
