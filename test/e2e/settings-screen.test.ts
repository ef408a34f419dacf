import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { expect } from '../harness/expect';
import { Harness } from '../harness/harness';

interface SavedHotkeys {
  hotkey: { accelerator: string; mode: string };
  screen: { enabled: boolean; accelerator: string; target: string };
}
const settingsFile = (harness: Harness) => readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8');
/** The first profile's hotkeys, as saved. */
const saved = (harness: Harness) => (JSON.parse(settingsFile(harness)) as { profiles: SavedHotkeys[] }).profiles[0]!;

/** The Screen section of the settings window, found as a user of a screen reader finds it. */
const screenSection = (page: Page) => page.getByRole('region', { name: 'Screen' });

/** The user presses the screen hotkey's Record button (from the keyboard) and then the keys. */
async function recordScreenKeys(page: Page, keys: string): Promise<void> {
  await page.getByRole('button', { name: 'Record the screen hotkey' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Screen hotkey', { exact: true })).toBeFocused();
  await page.keyboard.press(keys);
}

describe('settings: the screen', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('chooses what Gemini sees: the focused window where the system says which it is, the display otherwise, with the reason', async () => {
    // An X display: the window manager says which window has the focus.
    harness = await Harness.start({ env: { DISPLAY: ':99' } });
    let page = await harness.openSettings();
    const choice = (page: Page, name: string) =>
      screenSection(page).getByRole('group', { name: 'What Gemini sees' }).getByRole('radio', { name });
    await expect(choice(page, 'The display under the mouse pointer')).toBeChecked();
    await choice(page, 'The window that has the focus').check();
    await expect.poll(() => saved(harness!).screen.target).toBe('window');
    await harness.close();

    // Wayland lets no program know: the choice is there, off, and says why.
    harness = await Harness.start({ env: { WAYLAND_DISPLAY: 'wayland-0' } });
    page = await harness.openSettings();
    await expect(choice(page, 'The window that has the focus')).toBeDisabled();
    await expect(page.getByTestId('reason-screenWindow')).toHaveText(
      /On Wayland no program may know which window has the focus/,
    );
    await expect(choice(page, 'The window that has the focus')).toHaveAccessibleDescription(/On Wayland/);
  });

  it('turns screen sharing off and on; while off, the screen hotkey cannot be recorded or tested, and says why', async () => {
    harness = await Harness.start();
    const h = harness;
    const page = await h.openSettings();
    const section = screenSection(page);
    const sharing = section.getByRole('switch', { name: 'Let Gemini see the screen when I ask' });
    const field = page.getByLabel('Screen hotkey', { exact: true });
    const message = page.getByTestId('screen-hotkey-message');
    await expect(sharing).toBeChecked();
    await expect(field).toHaveValue('Ctrl + Alt + Shift + Space');
    await expect(field).toBeEnabled();
    await expect(section).toContainText('Nothing on the screen is seen until you use the screen hotkey');
    await expect(section).toContainText('Each picture sent is shown with its turn in the transcript.');
    await expect(page.getByTestId('screen-hotkey-mode')).toContainText('in its mode (Hold to talk)');

    await sharing.uncheck();
    await expect
      .poll(() => saved(h).screen)
      .toEqual({ enabled: false, accelerator: 'Control+Alt+Shift+Space', target: 'display' });
    await expect(field).toBeDisabled();
    await expect(field).toHaveValue('Ctrl + Alt + Shift + Space');
    await expect(page.getByRole('button', { name: 'Record the screen hotkey' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Test the screen hotkey' })).toBeDisabled();
    await expect(message).toHaveText('Screen sharing is off: turn it on to use or change the screen hotkey.');
    // The push-to-talk recorder is not affected.
    await expect(page.getByRole('button', { name: 'Record', exact: true })).toBeEnabled();

    await sharing.check();
    await expect.poll(() => saved(h).screen.enabled).toBe(true);
    await expect(page.getByRole('button', { name: 'Record the screen hotkey' })).toBeEnabled();
    await expect(message).toHaveText('Press Record, then the keys you want to use.');

    // The screen hotkey follows push to talk's mode, and says so.
    await page.getByRole('radio', { name: 'Tap to start, tap to stop' }).check();
    await expect(page.getByTestId('screen-hotkey-mode')).toContainText('in its mode (Tap to start, tap to stop)');
  });

  it('records a new screen hotkey, saves it in canonical form and shows it; push to talk keeps its keys', async () => {
    harness = await Harness.start();
    const h = harness;
    const page = await h.openSettings();
    const message = page.getByTestId('screen-hotkey-message');
    await recordScreenKeys(page, 'Control+Alt+KeyK');
    await expect(page.getByLabel('Screen hotkey', { exact: true })).toHaveValue('Ctrl + Alt + K');
    await expect(message).toHaveText('Ctrl + Alt + K is free. Save to use it.');
    assert.equal(saved(h).screen.accelerator, 'Control+Alt+Shift+Space', 'nothing saved before Save');

    await page.getByRole('button', { name: 'Save the screen hotkey' }).click();
    await expect(message).toContainText('Saved.');
    await expect(message).toContainText('Press Ctrl + Alt + K once to check that Parley sees');
    assert.deepEqual(saved(h).screen, { enabled: true, accelerator: 'Control+Alt+K', target: 'display' });
    assert.equal(saved(h).hotkey.accelerator, 'Control+Shift+Space');
    await expect(page.getByLabel('Screen hotkey', { exact: true })).toHaveValue('Ctrl + Alt + K');
    await expect(page.getByLabel('Hotkey', { exact: true })).toHaveValue('Ctrl + Shift + Space');

    // A settings window opened afresh shows what was saved.
    await page.reload();
    await expect(page.getByLabel('Screen hotkey', { exact: true })).toHaveValue('Ctrl + Alt + K');
  });

  it("refuses push to talk's keys for the screen hotkey and the other way round, naming the other; nothing is saved", async () => {
    harness = await Harness.start();
    const h = harness;
    const page = await h.openSettings();
    const before = settingsFile(h);

    await recordScreenKeys(page, 'Control+Shift+Space');
    await expect(page.getByLabel('Screen hotkey', { exact: true })).toHaveValue('Ctrl + Shift + Space');
    await expect(page.getByTestId('screen-hotkey-message')).toHaveText(
      'Ctrl + Shift + Space cannot be the screen hotkey.',
    );
    await expect(page.getByTestId('screen-hotkey-problems')).toHaveText(
      'Cannot use: Push to talk already uses Ctrl + Shift + Space.',
    );
    await expect(page.getByRole('button', { name: 'Save the screen hotkey' })).toBeDisabled();

    await page.getByRole('button', { name: 'Record', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Alt+Shift+Space');
    await expect(page.getByTestId('hotkey-message')).toHaveText('Ctrl + Alt + Shift + Space cannot be the hotkey.');
    await expect(page.getByTestId('hotkey-problems')).toHaveText(
      'Cannot use: The screen hotkey already uses Ctrl + Alt + Shift + Space.',
    );
    await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();

    // Main refuses it too, from a window that skips the recorder, and says why.
    const refused = await page.evaluate(() =>
      window.parley.updateSettings({
        screen: { enabled: true, accelerator: 'shift+control+space', target: 'display' },
      }),
    );
    assert.equal(refused.ok, false);
    assert.match(
      !refused.ok ? refused.error.message : '',
      /Settings not changed: screen\.accelerator: Push to talk already uses Ctrl \+ Shift \+ Space\./,
    );
    assert.equal(settingsFile(h), before);
  });

  it('keeps the recorded keys when push to talk took them in the meantime, and says why they were not saved', async () => {
    harness = await Harness.start();
    const h = harness;
    const page = await h.openSettings();
    await recordScreenKeys(page, 'Control+Alt+KeyK');
    await expect(page.getByTestId('screen-hotkey-message')).toHaveText('Ctrl + Alt + K is free. Save to use it.');
    // Another window (or a second settings window) gives push to talk the same keys first.
    const taken = await page.evaluate(() =>
      window.parley.updateSettings({ hotkey: { accelerator: 'Control+Alt+K', mode: 'hold' } }),
    );
    assert.equal(taken.ok, true);
    const before = settingsFile(h);

    await page.getByRole('button', { name: 'Save the screen hotkey' }).click();
    await expect(page.getByTestId('settings-error')).toHaveText(
      'Settings not changed: screen.accelerator: Push to talk already uses Ctrl + Alt + K.',
    );
    await expect(page.getByLabel('Screen hotkey', { exact: true })).toHaveValue('Ctrl + Alt + K');
    await expect(page.getByRole('button', { name: 'Save the screen hotkey' })).toBeVisible();
    assert.equal(settingsFile(h), before);
    assert.equal(saved(h).screen.accelerator, 'Control+Alt+Shift+Space');
  });
});
