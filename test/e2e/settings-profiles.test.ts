import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Profile } from '../../shared/settings';
import { expect } from '../harness/expect';
import { Harness } from '../harness/harness';

const savedProfiles = (harness: Harness) =>
  (JSON.parse(readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8')) as { profiles: Profile[] }).profiles;
const profileSelect = (page: Page) => page.getByRole('combobox', { name: 'Profile' });

describe('settings: profiles', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('adds an interpreter, shows it at once with what its model lacks greyed out and why, and saves its target language', async () => {
    harness = await Harness.start();
    const h = harness;
    const page = await h.openSettings();
    await expect(page.getByRole('button', { name: 'Delete…' })).toBeDisabled();
    await expect(page.getByText('The last profile cannot be deleted')).toBeVisible();

    await page.getByRole('button', { name: 'New interpreter' }).click();
    await expect(profileSelect(page)).toHaveValue(/^p-[0-9a-f]{6}$/);
    await expect(profileSelect(page).locator('option:checked')).toHaveText('Interpreter');
    await expect(page.getByTestId('model-select')).toHaveValue('gemini-3.5-live-translate-preview');
    await expect(page.getByLabel('System instruction')).toBeDisabled();
    await expect(page.getByTestId('reason-systemInstruction')).toContainText('only interprets');
    await expect(page.getByTestId('toggle-screen')).toBeDisabled();
    await expect(page.getByTestId('translation-target')).toBeEnabled();
    // Its own hotkey, which no other profile uses.
    await expect(page.getByLabel('Hotkey', { exact: true })).toHaveValue('Ctrl + Shift + F1');

    await page.getByTestId('translation-target').selectOption('de');
    await expect
      .poll(() => savedProfiles(h).find((profile) => profile.name === 'Interpreter')?.translation.targetLanguageCode)
      .toBe('de');
    assert.equal(savedProfiles(h)[0]!.translation.targetLanguageCode, 'en', 'the Assistant is left as it was');

    // Back to the Assistant: its own settings, with the interpreter's block off and why.
    await profileSelect(page).selectOption({ label: 'Assistant' });
    await expect(page.getByLabel('Hotkey', { exact: true })).toHaveValue('Ctrl + Shift + Space');
    await expect(page.getByLabel('System instruction')).toBeEnabled();
    await expect(page.getByTestId('translation-target')).toBeDisabled();
    await expect(page.getByTestId('reason-translation')).toContainText('Only gemini-3.5-live-translate-preview');
  });

  it("refuses another profile's keys in the recorder, naming that profile", async () => {
    harness = await Harness.start();
    const page = await harness.openSettings();
    await page.getByRole('button', { name: 'New assistant' }).click();
    await expect(profileSelect(page).locator('option:checked')).toHaveText('Assistant 2');
    await page.getByRole('button', { name: 'Record', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Shift+Space');
    await expect(page.getByTestId('hotkey-problems')).toHaveText(
      'Cannot use: Assistant already uses Ctrl + Shift + Space.',
    );
    await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  });

  it('duplicates, renames and deletes a profile, asking before it deletes', async () => {
    harness = await Harness.start();
    const h = harness;
    const page = await h.openSettings();
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await expect(profileSelect(page).locator('option:checked')).toHaveText('Assistant 2');

    await page.getByRole('button', { name: 'Rename…' }).click();
    await page.getByTestId('profile-name').fill('Coder');
    await page.getByRole('button', { name: 'Save name' }).click();
    await expect(profileSelect(page).locator('option:checked')).toHaveText('Coder');
    await expect.poll(() => savedProfiles(h).map(({ name }) => name)).toEqual(['Assistant', 'Coder']);

    // A name another profile has is refused, with the reason.
    await page.getByRole('button', { name: 'Rename…' }).click();
    await page.getByTestId('profile-name').fill('assistant');
    await page.getByRole('button', { name: 'Save name' }).click();
    await expect(page.getByTestId('settings-error')).toContainText('another profile is called assistant');

    h.appPort.confirmAnswer = false;
    await page.getByRole('button', { name: 'Delete…' }).click();
    await expect.poll(() => h.appPort.confirmations.length).toBe(1);
    assert.equal(h.appPort.confirmations[0]!.message, 'Delete the profile “Coder”?');
    assert.equal(savedProfiles(h).length, 2, 'kept when the user says no');

    h.appPort.confirmAnswer = true;
    await page.getByRole('button', { name: 'Delete…' }).click();
    await expect.poll(() => savedProfiles(h).map(({ name }) => name)).toEqual(['Assistant']);
    await expect(profileSelect(page).locator('option:checked')).toHaveText('Assistant');
    await expect(page.getByRole('button', { name: 'Delete…' })).toBeDisabled();
  });
});
