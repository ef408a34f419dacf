import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from '../harness/expect';
import type { Page } from 'playwright-core';
import { SettingsStore } from '../../electron/main/settings/settings-store';
import { parseConversation } from '../../electron/main/transcripts/records';
import { startEmulator, type Emulator } from '../emulator/server';
import { Conversation } from '../harness/conversation';
import { Harness } from '../harness/harness';
import { confSettingsFile } from '../harness/settings-file';
import { writeConversationFile } from '../support/conversation-files';
import { lockableFolder, smallDisk, type DiskFault } from '../support/disk-faults';

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** The texts of every conversation file in the folder, one list per file. */
function savedTexts(dir: string): string[][] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) => parseConversation(readFileSync(join(dir, name))).entries.map((entry) => entry.text));
}

describe('conversations on a failing disk', () => {
  let harness: Harness | undefined;
  let talk: Conversation | undefined;
  let emulator: Emulator | undefined;
  let fault: DiskFault | undefined;
  let userDataDir: string | undefined;
  let chromiumDir: string | undefined;
  afterEach(async () => {
    await harness?.close();
    await talk?.close();
    await emulator?.close();
    // After the app let go of its files, so the folder can be unmounted.
    fault?.release();
    for (const dir of [userDataDir, chromiumDir]) if (dir) rmSync(dir, { recursive: true, force: true });
    harness = talk = emulator = fault = userDataDir = chromiumDir = undefined;
  });

  const conversationsIn = (dir: string) => {
    const conversations = join(dir, 'conversations');
    mkdirSync(conversations, { recursive: true });
    return conversations;
  };

  it('starts on a full disk, says so, takes a typed turn, and saves it once there is room', async (t) => {
    userDataDir = mkdtempSync(join(tmpdir(), 'parley-disk-'));
    const conversations = conversationsIn(userDataDir);
    fault = smallDisk(conversations);
    fault.strike();
    t.diagnostic(`a full disk made by ${fault.how}`);
    emulator = await startEmulator({ pacing: { mode: 'fast' } });
    harness = await Harness.start({
      userDataDir,
      env: { PARLEY_LIVE_URL: emulator.url, GEMINI_API_KEY: 'test-key' },
      settings: { cues: false },
    });
    const page = await harness.page('transcript');
    await expect(page.getByTestId('status-detail')).toHaveText(
      `Conversations cannot be saved: the disk is full (${conversations}). ` +
        'The conversation stays in the window while Parley runs, and is saved as soon as there is room again.',
    );
    assert.ok(harness.tray.menu.length > 0, 'the tray is there');

    await page.getByLabel('Message').fill('Can you hear me?');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByTestId('entry-model')).toHaveText(/you said: Can you hear me\?/, { timeout: 10_000 });
    await expect(page.getByTestId('entry-model')).toHaveAttribute('data-state', 'done', { timeout: 10_000 });
    await expect(page.getByTestId('entry-user')).toContainText('Can you hear me?');
    assert.deepEqual(savedTexts(conversations), [], 'nothing could be written');

    fault.heal();
    // The store tries again each second.
    await expect
      .poll(() => savedTexts(conversations), { timeout: 10_000 })
      .toEqual([['Can you hear me?', 'you said: Can you hear me?']]);
    await expect(page.getByTestId('status-detail')).toHaveText('Conversations are saved again.');
  });

  it('starts on a read-only conversations folder, shows what was saved and the problem, and a spoken turn still works', async (t) => {
    userDataDir = mkdtempSync(join(tmpdir(), 'parley-disk-'));
    const conversations = conversationsIn(userDataDir);
    writeConversationFile(conversations, {
      id: '20261121-090000-0a0b0c',
      startedAt: Date.now() - 60_000,
      turns: 1,
      text: (_n, role) => (role === 'user' ? 'Saved before' : 'Saved answer'),
    });
    fault = lockableFolder(conversations);
    fault.strike();
    t.diagnostic(`a read-only folder made by ${fault.how}`);
    talk = await Conversation.start({
      userDataDir,
      emulator: {
        pacing: { mode: 'fast' },
        scenario: {
          turns: [{ reply: { inputTranscription: 'Are my words kept?', outputTranscription: 'In memory.' } }],
        },
      },
    });
    const app = talk.harness.app;
    const page = await talk.harness.page('transcript');
    await expect(page.getByTestId('status-detail')).toContainText(
      `Conversations cannot be saved: the folder is read-only (${conversations}).`,
    );
    await expect(page.locator('article.entry .text')).toHaveText(['Saved before', 'Saved answer']);

    await talk.keyDown();
    await expect.poll(() => app.status.current.state, { intervals: [20] }).toBe('listening');
    await sleep(600);
    await talk.keyUp();
    await expect(page.getByTestId('entry-model')).toHaveCount(2, { timeout: 10_000 });
    await expect.poll(() => app.status.current.state, { timeout: 10_000 }).toBe('idle');
    await expect(page.locator('article.entry .text')).toHaveText([
      'Saved before',
      'Saved answer',
      'Are my words kept?',
      'In memory.',
    ]);
    assert.deepEqual(savedTexts(conversations), [['Saved before', 'Saved answer']]);

    fault.heal();
    await expect
      .poll(() => savedTexts(conversations), { timeout: 10_000 })
      .toEqual([['Saved before', 'Saved answer', 'Are my words kept?', 'In memory.']]);
  });

  it('starts with the whole user-data folder read-only: says so in the state line and the tray, takes a typed turn, and applies a settings change until it quits', async (t) => {
    userDataDir = mkdtempSync(join(tmpdir(), 'parley-disk-'));
    // Chromium stands in for Electron, whose own profile is not Parley's to save: it stays writable.
    chromiumDir = mkdtempSync(join(tmpdir(), 'parley-chromium-'));
    new SettingsStore(confSettingsFile(userDataDir)).update({ cues: false });
    const settingsBefore = readFileSync(join(userDataDir, 'settings.json'), 'utf8');
    fault = lockableFolder(userDataDir);
    fault.strike();
    t.diagnostic(`a read-only folder made by ${fault.how}`);
    emulator = await startEmulator({ pacing: { mode: 'fast' } });
    harness = await Harness.start({
      userDataDir,
      chromiumDir,
      env: { PARLEY_LIVE_URL: emulator.url, GEMINI_API_KEY: 'test-key' },
    });
    const page = await harness.page('transcript');
    const settingsNote =
      `Settings cannot be saved: the user-data folder is read-only (${userDataDir}). ` +
      'Changes apply until Parley quits.';
    const conversationsNote = `Conversations cannot be saved: the folder is read-only (${join(userDataDir, 'conversations')}).`;
    await expect(page.getByTestId('status-detail')).toContainText(settingsNote);
    await expect(page.getByTestId('status-detail')).toContainText(conversationsNote);
    assert.ok(harness.tray.tooltip.includes(settingsNote), `the tray says so too: ${harness.tray.tooltip}`);
    assert.equal(harness.app.status.current.state, 'idle');

    await page.getByLabel('Message').fill('Can you hear me?');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByTestId('entry-model')).toHaveText(/you said: Can you hear me\?/, { timeout: 10_000 });
    await expect(page.getByTestId('entry-model')).toHaveAttribute('data-state', 'done', { timeout: 10_000 });
    await expect.poll(() => harness!.app.status.current.state, { timeout: 10_000 }).toBe('idle');

    const settings = await harness.openSettings();
    await expect(settings.getByTestId('settings-not-saved')).toHaveText(settingsNote);
    await settings.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(() => background(page)).toBe('rgb(28, 28, 30)');
    await expect(settings.getByRole('radio', { name: 'Dark' })).toBeChecked();
    await expect(settings.getByTestId('settings-error')).toBeHidden();
    await expect(settings.getByTestId('settings-not-saved')).toHaveText(settingsNote);
    assert.equal(readFileSync(join(userDataDir, 'settings.json'), 'utf8'), settingsBefore, 'nothing written');
  });
});
