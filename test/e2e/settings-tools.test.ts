import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { Settings } from '../../shared/settings';
import { expect } from '../harness/expect';
import { Harness } from '../harness/harness';

const saved = (harness: Harness) =>
  (JSON.parse(readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8')) as Settings).profiles[0]!.tools;
const memoryFile = (harness: Harness) =>
  (JSON.parse(readFileSync(join(harness.userDataDir, 'memory.json'), 'utf8')) as { notes: string[] }).notes;

describe('Settings → Tools', () => {
  let harness: Harness | undefined;
  let userDataDir: string | undefined;
  afterEach(async () => {
    await harness?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    harness = userDataDir = undefined;
  });

  /** Parley quits and starts again on the same user-data directory: Settings shows what was saved. */
  async function restart(): Promise<void> {
    await harness!.close();
    harness = await Harness.start({ userDataDir });
  }

  it('lists every tool with its description and permission, and saves a change', async () => {
    userDataDir = mkdtempSync(join(tmpdir(), 'parley-tools-'));
    harness = await Harness.start({ userDataDir });
    const page = await harness.openSettings();
    const clipboard = page.getByTestId('tool-copy_to_clipboard');
    await expect(clipboard).toContainText("Puts text on the user's clipboard");
    await expect(page.getByTestId('permission-copy_to_clipboard')).toHaveValue('ask');
    await expect(page.getByTestId('permission-get_current_time')).toHaveValue('always');
    await expect(page.getByLabel('Permission for open_url')).toHaveValue('ask');

    await page.getByTestId('permission-copy_to_clipboard').selectOption({ label: 'Always allow' });
    await page.getByTestId('permission-get_current_time').selectOption({ label: 'Off' });
    await expect
      .poll(() => saved(harness!).permissions)
      .toEqual({ copy_to_clipboard: 'always', get_current_time: 'off' });

    await restart();
    const again = await harness.openSettings();
    await expect(again.getByTestId('permission-copy_to_clipboard')).toHaveValue('always');
    await expect(again.getByTestId('permission-get_current_time')).toHaveValue('off');
  });

  it('checks the limits before saving them, and saves a valid one', async () => {
    harness = await Harness.start();
    const page = await harness.openSettings();
    const timeout = page.getByTestId('limit-callTimeoutSeconds');
    await expect(timeout).toHaveValue('60');
    await timeout.fill('0');
    await timeout.press('Enter');
    await expect(page.getByTestId('limit-problem-callTimeoutSeconds')).toHaveText('A whole number from 1 to 600.');
    await expect(timeout).toHaveAttribute('aria-invalid', 'true');
    assert.equal(saved(harness).limits.callTimeoutSeconds, 60, 'nothing saved');

    await timeout.fill('90');
    await timeout.press('Enter');
    await expect(page.getByTestId('limit-problem-callTimeoutSeconds')).toHaveCount(0);
    await page.getByTestId('limit-maxConcurrentCalls').fill('2');
    await page.getByTestId('limit-maxConcurrentCalls').press('Enter');
    await expect
      .poll(() => saved(harness!).limits)
      .toEqual({ callTimeoutSeconds: 90, resultMaxKb: 32, maxConcurrentCalls: 2 });
  });

  it('says when the model cannot search the web, and when search and tools clash', async () => {
    harness = await Harness.start({ settings: { model: 'gemini-3.8-live' } });
    const page = await harness.openSettings();
    const search = page.getByTestId('toggle-googleSearch');
    await expect(search).toBeEnabled();
    await expect(page.getByTestId('reason-functionTools')).toHaveCount(0);
    await search.check();
    await expect.poll(() => saved(harness!).googleSearch).toBe(true);
    await expect(page.getByTestId('reason-functionTools')).toContainText(
      'gemini-3.8-live cannot search the web and use tools in the same session',
    );

    // A model Parley does not know (typed in for a proxy) is offered no tools at all.
    await harness.close();
    harness = await Harness.start({ settings: { model: 'some-future-model' } });
    const other = await harness.openSettings();
    await expect(other.getByTestId('toggle-googleSearch')).toBeDisabled();
    await expect(other.getByTestId('reason-googleSearch')).toHaveText('some-future-model cannot search the web');
    await expect(other.getByTestId('reason-functionTools')).toHaveText('some-future-model takes no tools');
  });

  it('edits, removes and adds remembered notes, kept in memory.json and shown again after a restart', async () => {
    userDataDir = mkdtempSync(join(tmpdir(), 'parley-memory-'));
    harness = await Harness.start({ userDataDir });
    const page = await harness.openSettings();
    const notes = page.getByTestId('memory-note');
    await expect(notes).toHaveCount(0);
    for (const note of ['I prefer metric units', 'My dog is called Rex', 'I live in Lisbon']) {
      await page.getByLabel('New note').fill(note);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await expect(page.getByLabel('New note')).toHaveValue('');
    }
    await expect(notes).toHaveCount(3);
    await page.getByLabel('Note 2', { exact: true }).fill('My dog is called Max');
    await page.getByLabel('Note 2', { exact: true }).press('Enter');
    await expect
      .poll(() => memoryFile(harness!))
      .toEqual(['I prefer metric units', 'My dog is called Max', 'I live in Lisbon']);
    await page.getByRole('button', { name: 'Remove note 1' }).click();
    await expect.poll(() => memoryFile(harness!)).toEqual(['My dog is called Max', 'I live in Lisbon']);

    // Past the size cap: main refuses, says why, and nothing is lost.
    await page.getByLabel('Note 1', { exact: true }).fill('x'.repeat(1000));
    await page.getByLabel('Note 1', { exact: true }).press('Enter');
    for (let i = 0; i < 4; i++) {
      await page.getByLabel('New note').fill(`${i}`.repeat(1000));
      await page.getByRole('button', { name: 'Add', exact: true }).click();
    }
    await expect(page.getByTestId('memory-error')).toContainText('longer than the 4000 characters');
    assert.equal(memoryFile(harness).length, 4, 'the notes that fit are kept');

    await restart();
    const again = await harness.openSettings();
    await expect(again.getByTestId('memory-note')).toHaveCount(4);
    await expect(again.getByLabel('Note 2', { exact: true })).toHaveValue('I live in Lisbon');
  });
});
