import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { expect } from '../harness/expect';
import { Harness } from '../harness/harness';

describe('app shell: windows and tray', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await Harness.start();
  });
  afterEach(() => harness.close());

  it('starts a hidden audio renderer that reaches main, beside the visible transcript', async () => {
    const audio = await harness.page('audio');
    assert.equal(harness.window('audio').visible, false);
    assert.equal(harness.window('transcript').visible, true);
    const setup = await audio.evaluate(() => window.parley.getAudioSetup());
    assert.equal(setup.ok, true);
  });

  it('hides a closed window instead of quitting, and the tray brings it back', async () => {
    await harness.page('transcript');
    const transcript = harness.window('transcript');
    transcript.requestClose();
    assert.equal(transcript.visible, false);
    assert.equal(transcript.isDestroyed(), false);
    assert.equal(harness.appPort.quitRequested, false);
    harness.tray.click('open-transcript');
    assert.equal(transcript.visible, true);
    assert.equal(harness.windowPort.windows.filter((w) => w.spec.kind === 'transcript').length, 1);
  });

  it('shows the state, the hotkey and the right icon in the tray, rebuilt on every change', async () => {
    assert.equal(harness.tray.icon, 'error');
    assert.deepEqual(harness.tray.menu[0], { kind: 'label', label: 'Parley — no API key' });
    await harness.app.hotkeyReady;
    // No display in this test: the hotkey falls back to a toggling global shortcut, and says why.
    assert.match(harness.tray.tooltip, /Hotkey: Control\+Shift\+Space \(toggle\)\nThere is no X display/);
    harness.app.status.set({ state: 'listening', detail: 'Listening…' });
    assert.equal(harness.tray.icon, 'listening');
    assert.deepEqual(harness.tray.menu[0], { kind: 'label', label: 'Parley — listening' });
    assert.match(harness.tray.tooltip, /Listening…/);
  });

  it('opens settings and quits from the tray menu', async () => {
    harness.tray.click('open-settings');
    const settings = await harness.page('settings');
    await expect(settings.getByTestId('connection-state')).toHaveText('no API key');
    assert.equal(harness.window('settings').visible, true);
    harness.tray.click('quit');
    assert.equal(harness.appPort.quitRequested, true);
  });

  it('changes voice and push-to-talk mode from the tray, saved and shown as checked', async () => {
    harness.tray.click('voice:Puck');
    harness.tray.click('mode:hybrid');
    await expect.poll(() => harness.tray.item('voice:Puck')).toMatchObject({ checked: true });
    await expect.poll(() => harness.tray.item('mode:hybrid')).toMatchObject({ checked: true });
    const saved = JSON.parse(readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8')) as {
      profiles: { voiceName: string; hotkey: { mode: string } }[];
    };
    assert.deepEqual([saved.profiles[0]!.voiceName, saved.profiles[0]!.hotkey.mode], ['Puck', 'hybrid']);
    assert.throws(() => harness.tray.click('modality:TEXT'), /disabled/, 'gemini-3.8-live only speaks');
  });

  it('launches at login when asked, from the tray or the settings window', async () => {
    assert.deepEqual(harness.appPort.launchAtLoginCalls, [false], 'the OS is told the saved choice at start');
    harness.tray.click('launch-at-login');
    await expect.poll(() => harness.appPort.launchAtLoginCalls.at(-1)).toBe(true);
    harness.tray.click('open-settings');
    const settings = await harness.page('settings');
    await expect(settings.getByTestId('toggle-launchAtLogin')).toBeChecked();
    await settings.getByTestId('toggle-launchAtLogin').uncheck();
    await expect.poll(() => harness.appPort.launchAtLoginCalls.at(-1)).toBe(false);
  });

  it('shows the transcript when a second instance is launched', async () => {
    harness.window('transcript').requestClose();
    harness.appPort.launchSecondInstance();
    assert.equal(harness.window('transcript').visible, true);
  });

  it('brings the audio renderer back if it dies, and trusts only the new one', async () => {
    const first = harness.window('audio');
    const firstPage = await first.ready;
    first.destroy();
    const second = harness.window('audio');
    assert.notEqual(second, first);
    const setup = await (await second.ready).evaluate(() => window.parley.getAudioSetup());
    assert.equal(setup.ok, true);
    assert.equal(firstPage.isClosed(), true);
  });
});

describe('settings file', () => {
  it('starts from the settings saved in an earlier session', async () => {
    const harness = await Harness.start({ settings: { hotkey: { accelerator: 'Alt+F9', mode: 'hybrid' } } });
    try {
      const page = await harness.page('transcript');
      await expect(page.getByTestId('hotkey')).toHaveText(process.platform === 'darwin' ? '⌥F9' : 'Alt + F9');
      await harness.app.updateSettings({ cues: false });
      const saved = JSON.parse(readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8')) as { cues: boolean };
      assert.equal(saved.cues, false, 'a change is saved at once');
      await assert.rejects(harness.app.updateSettings({ maxTurnMs: -1 }), /Settings not changed: maxTurnMs/);
    } finally {
      await harness.close();
    }
  });

  it('survives a damaged settings file: keeps it as a backup, starts from the defaults, and says so', async () => {
    const harness = await Harness.start({ damagedSettingsFile: '{"version": 1, "hotkey": ' });
    try {
      const page = await harness.page('transcript');
      await expect(page.getByTestId('status-detail')).toContainText('Your settings file could not be read');
      await expect(page.getByTestId('hotkey')).toHaveText(
        process.platform === 'darwin' ? '⌃⇧Space' : 'Ctrl + Shift + Space',
      );
      const backups = readdirSync(harness.userDataDir).filter((name) => name.startsWith('settings.json.broken-'));
      assert.equal(backups.length, 1);
      assert.equal(readFileSync(join(harness.userDataDir, backups[0]!), 'utf8'), '{"version": 1, "hotkey": ');
    } finally {
      await harness.close();
    }
  });
});
