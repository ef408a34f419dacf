import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from '../harness/expect';
import type { Page } from 'playwright-core';
import { Conversation } from '../harness/conversation';
import { Harness } from '../harness/harness';

async function enterKey(page: Page, key: string): Promise<void> {
  await page.getByTestId('key-input').fill(key);
  await page.getByRole('button', { name: 'Check and save' }).click();
}

describe('API key in settings', () => {
  let talk: Conversation | undefined;
  let harness: Harness | undefined;
  afterEach(async () => {
    await talk?.close();
    await harness?.close();
    talk = harness = undefined;
  });

  it('checks a pasted key with a real connect, stores only its ciphertext, and then talks with it', async () => {
    talk = await Conversation.start({ noApiKey: true });
    const keyFile = join(talk.harness.userDataDir, 'api-key.bin');
    const transcript = await talk.harness.page('transcript');
    await expect(transcript.getByTestId('connection-state')).toHaveText('no API key');
    const page = await talk.harness.openSettings();
    await expect(page.getByTestId('key-status')).toHaveText('No API key yet.');

    await enterKey(page, 'not-the-key');
    await expect(page.getByTestId('key-problem')).toContainText('Gemini refused this key');
    assert.equal(existsSync(keyFile), false, 'a refused key is not stored');

    await enterKey(page, 'test-key');
    await expect(page.getByTestId('key-status')).toHaveText('Set · …-key');
    await expect(page.getByTestId('key-input')).toHaveValue('');
    assert.ok(existsSync(keyFile));
    assert.equal(readFileSync(keyFile).includes('test-key'), false, 'encrypted at rest');
    await expect(transcript.getByTestId('connection-state')).toHaveText('idle');

    await talk.keyDown();
    await sleep(800);
    await talk.keyUp();
    await expect(transcript.getByTestId('entry-model').last()).toContainText('heard', { timeout: 10_000 });

    const toRenderers = talk.harness.ipc.log.filter(
      (entry) => entry.direction !== 'invoke' && entry.direction !== 'send',
    );
    const leaked = toRenderers.filter((entry) => JSON.stringify(entry.payload).includes('test-key'));
    assert.deepEqual(leaked, [], 'the key never travels to a renderer');
  });

  it('asks before storing where there is no keyring (basic_text)', async () => {
    talk = await Conversation.start({ noApiKey: true, secretBackend: 'basic_text' });
    const page = await talk.harness.openSettings();
    await enterKey(page, 'test-key');
    await expect(page.getByTestId('key-problem')).toContainText('only be obfuscated');
    assert.equal(existsSync(join(talk.harness.userDataDir, 'api-key.bin')), false);
    await page.getByTestId('allow-weak').check();
    await enterKey(page, 'test-key');
    await expect(page.getByTestId('key-status')).toHaveText('Set · …-key');
  });

  it('shows a key from the environment as such, overriding the stored one', async () => {
    harness = await Harness.start({ env: { GEMINI_API_KEY: 'env-key-1234' } });
    const page = await harness.openSettings();
    await expect(page.getByTestId('key-status')).toContainText('Set from GEMINI_API_KEY in the environment · …1234');
  });
});
