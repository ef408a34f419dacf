import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from '../harness/expect';
import type { Page } from 'playwright-core';
import { eventChannels, sendChannels } from '../../shared/ipc/channels';
import { startEmulator, type Emulator } from '../emulator/server';
import { sharedXDisplay } from '../harness/conversation';
import { Harness } from '../harness/harness';
import { xdotool } from '../harness/xvfb';

const settingsFile = (harness: Harness) => readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8');
const savedHotkey = (harness: Harness) =>
  (JSON.parse(settingsFile(harness)) as { profiles: { hotkey: { accelerator: string } }[] }).profiles[0]!.hotkey
    .accelerator;
/** Turns main started: each opens the microphone in the audio window. */
const turnsStarted = (harness: Harness) =>
  harness.ipc.log.filter((record) => record.direction === 'event' && record.channel === eventChannels.captureStart)
    .length;
/** What the settings window told main about recording (true: push-to-talk paused). */
const pauses = (harness: Harness) =>
  harness.ipc.log
    .filter((record) => record.channel === sendChannels.hotkeyRecording)
    .map((record) => (record.payload as { active: boolean }).active);

/** The user presses Record (from the keyboard) and then the keys, as Chromium delivers them to the page. */
async function recordChord(page: Page, keys: string): Promise<void> {
  await page.getByRole('button', { name: 'Record', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Hotkey', { exact: true })).toBeFocused();
  await expect(page.getByLabel('Hotkey', { exact: true })).toHaveValue('Press the keys…');
  await page.keyboard.press(keys);
}

describe('hotkey recorder', () => {
  let harness: Harness | undefined;
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await harness?.close();
    await emulator?.close();
    harness = emulator = undefined;
  });

  it('records a chord, saves it in canonical form, and confirms that the key hook sees it', async () => {
    const [display, live] = await Promise.all([sharedXDisplay(), startEmulator()]);
    emulator = live;
    harness = await Harness.start({
      env: { DISPLAY: display, PARLEY_LIVE_URL: live.url, GEMINI_API_KEY: 'test-key' },
      settings: { cues: false },
    });
    const h = harness;
    assert.equal((await h.app.hotkeyReady).keyReleases, true, 'the real key hook runs on the Xvfb display');
    const page = await h.openSettings();
    const field = page.getByLabel('Hotkey', { exact: true });
    const message = page.getByTestId('hotkey-message');
    await expect(field).toHaveValue('Ctrl + Shift + Space');

    await page.getByRole('button', { name: 'Record', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(field).toBeFocused();
    await expect(message).toHaveText('Recording: press the keys together. Escape cancels.');
    await expect.poll(() => pauses(h)).toEqual([true]);
    // The old hotkey pressed while recording reaches the hook, but starts no turn.
    await xdotool(display, 'keydown', 'ctrl+shift+space');
    await xdotool(display, 'keyup', 'ctrl+shift+space');
    await expect.poll(() => h.keyEvents.length, { message: 'the hook saw the keys' }).toBeGreaterThanOrEqual(6);
    await sleep(300);
    assert.equal(turnsStarted(h), 0, 'no turn while recording');

    // Modifiers alone keep recording and show what is held.
    await page.keyboard.down('Control');
    await page.keyboard.down('Alt');
    await expect(field).toHaveValue('Ctrl + Alt + …');
    await page.keyboard.press('KeyK');
    await page.keyboard.up('Alt');
    await page.keyboard.up('Control');
    await expect(field).toHaveValue('Ctrl + Alt + K');
    await expect(message).toHaveText('Ctrl + Alt + K is free. Save to use it.');
    assert.equal(savedHotkey(h), 'Control+Shift+Space', 'nothing saved before Save');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(message).toHaveText('Saved. Press Ctrl + Alt + K once to check that Parley sees it.');
    assert.equal(savedHotkey(h), 'Control+Alt+K');
    const transcript = await h.page('transcript');
    await expect(transcript.getByTestId('hotkey')).toHaveText('Ctrl + Alt + K');

    // The test press: seen by the real hook, reported, and not a turn.
    await xdotool(display, 'keydown', 'ctrl+alt+k');
    await xdotool(display, 'keyup', 'ctrl+alt+k');
    await expect(message).toHaveText('Parley saw Ctrl + Alt + K: the hotkey works.');
    assert.equal(turnsStarted(h), 0, 'the test press started no turn');
    assert.deepEqual(pauses(h), [true, false, true, false], 'push-to-talk paused while recording and testing only');

    // From now on the new chord is the push-to-talk hotkey, and the old one does nothing.
    await xdotool(display, 'keydown', 'ctrl+shift+space');
    await xdotool(display, 'keyup', 'ctrl+shift+space');
    await sleep(300);
    assert.equal(turnsStarted(h), 0);
    await xdotool(display, 'keydown', 'ctrl+alt+k');
    await expect.poll(() => turnsStarted(h)).toBe(1);
    await xdotool(display, 'keyup', 'ctrl+alt+k');
    await expect.poll(() => h.app.status.current.state).not.toBe('listening');
  });

  it('shows why a reserved chord cannot be the hotkey, and main refuses to save it', async () => {
    harness = await Harness.start();
    const h = harness;
    const page = await h.openSettings();
    const before = settingsFile(h);
    await recordChord(page, 'Alt+Tab');
    await expect(page.getByLabel('Hotkey', { exact: true })).toHaveValue('Alt + Tab');
    await expect(page.getByTestId('hotkey-message')).toHaveText('Alt + Tab cannot be the hotkey.');
    await expect(page.getByTestId('hotkey-problems')).toContainText(
      'Cannot use: Alt + Tab switches between windows (GNOME, KDE)',
    );
    await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();

    // A key that types is refused too; a warning is shown but allowed.
    await recordChord(page, 'Shift+KeyA');
    await expect(page.getByTestId('hotkey-problems')).toContainText('Shift + A types text');
    await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
    await recordChord(page, 'F5');
    await expect(page.getByTestId('hotkey-problems')).toContainText('Note: Apps use F5 on its own');
    await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeEnabled();

    // Escape cancels: the hotkey in use is shown again and push-to-talk resumes.
    await recordChord(page, 'Escape');
    await expect(page.getByLabel('Hotkey', { exact: true })).toHaveValue('Ctrl + Shift + Space');
    await expect(page.getByTestId('hotkey-message')).toHaveText('Press Record, then the keys you want to use.');
    assert.equal(pauses(h).at(-1), false);

    // Main refuses it even from a window that skips the recorder, and says why; the file is untouched.
    const refused = await page.evaluate(() =>
      window.parley.updateSettings({ hotkey: { accelerator: 'alt+tab', mode: 'hold' } }),
    );
    assert.equal(refused.ok, false);
    assert.match(
      !refused.ok ? refused.error.message : '',
      /Settings not changed: hotkey\.accelerator: Alt \+ Tab switches between windows/,
    );
    assert.equal(settingsFile(h), before);
    // Without the key hook, both hotkeys are global shortcuts, as they were.
    assert.deepEqual([...h.shortcuts.registered.keys()], ['Control+Shift+Space', 'Control+Alt+Shift+Space']);
  });

  it('where the key hook cannot run, says so and that only the press can be seen', async () => {
    // No display: the probe refuses the hook and the global shortcut stands in.
    harness = await Harness.start();
    const h = harness;
    assert.equal((await h.app.hotkeyReady).keyReleases, false);
    const page = await h.openSettings();
    await recordChord(page, 'Control+Alt+KeyK');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const message = page.getByTestId('hotkey-message');
    await expect(message).toContainText('Saved. Parley cannot see key releases here: There is no X display');
    await expect(message).toContainText('Press Ctrl + Alt + K once to check that Parley sees the press.');
    assert.equal(savedHotkey(h), 'Control+Alt+K');
    h.shortcuts.press('Control+Alt+K');
    await expect(message).toHaveText(
      'Parley saw Ctrl + Alt + K pressed, but cannot see it released here, so it toggles: tap to talk, tap again to stop.',
    );
  });
});
