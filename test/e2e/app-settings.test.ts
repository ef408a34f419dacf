import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { expect } from '../harness/expect';
import type { Page } from 'playwright-core';
import type { SettingsChanges } from '../../electron/main/settings/profiles';
import { eventChannels } from '../../shared/ipc/channels';
import type { AudioSetup } from '../../shared/types';
import { startEmulator, type Emulator } from '../emulator/server';
import { Harness } from '../harness/harness';
import { tapLevels, wallClock } from '../harness/output-tap';

const saved = (harness: Harness) =>
  JSON.parse(readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;

/** The devices main last told the audio renderer to use. */
const lastAudioSetup = (harness: Harness) =>
  harness.ipc.log.findLast((r) => r.direction === 'event' && r.channel === eventChannels.audioSetupChanged)
    ?.payload as AudioSetup;

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const darkBackground = 'rgb(28, 28, 30)';
const lightBackground = 'rgb(250, 250, 250)';

/** Parley pointed at the emulator, typing instead of talking: no key hook or microphone needed. */
async function startTyping(settings: SettingsChanges = {}): Promise<{ harness: Harness; emulator: Emulator }> {
  const emulator = await startEmulator({ pacing: { mode: 'realtime' } });
  const harness = await Harness.start({
    env: { PARLEY_LIVE_URL: emulator.url, GEMINI_API_KEY: 'test-key' },
    settings: { cues: false, ...settings },
  });
  return { harness, emulator };
}

/** Types a message and waits for the whole spoken reply; returns the loudest block heard meanwhile. */
async function typeAndHear(harness: Harness, text: string): Promise<number> {
  const since = wallClock();
  const transcript = await harness.page('transcript');
  const replies = await transcript.getByTestId('entry-model').count();
  await transcript.getByLabel('Message').fill(text);
  await transcript.getByRole('button', { name: 'Send' }).click();
  await expect(transcript.getByTestId('entry-model')).toHaveCount(replies + 1, { timeout: 10_000 });
  await expect.poll(() => harness.app.status.current.state, { timeout: 10_000 }).toBe('idle');
  const levels = await tapLevels(await harness.page('audio'), since);
  return Math.max(0, ...levels.map((level) => level.rms));
}

describe('app settings: theme, volume, mute, devices, new conversation', () => {
  let harness: Harness | undefined;
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await harness?.close();
    await emulator?.close();
    harness = emulator = undefined;
  });

  it('switches every window between light and dark, saved, and starts in the saved theme', async () => {
    harness = await Harness.start({ settings: { theme: 'dark' } });
    assert.deepEqual(harness.appPort.themes, ['dark'], 'applied at start');
    const transcript = await harness.page('transcript');
    assert.equal(await background(transcript), darkBackground);
    const settings = await harness.openSettings();
    await settings.getByRole('radio', { name: 'Light' }).check();
    await expect.poll(() => background(transcript)).toBe(lightBackground);
    assert.equal(await background(settings), lightBackground);
    assert.equal(saved(harness).theme, 'light');
    await settings.getByRole('radio', { name: 'Follow the system' }).check();
    await expect.poll(() => saved(harness!).theme).toBe('system');
    assert.deepEqual(harness.appPort.themes, ['dark', 'light', 'system']);
  });

  it('plays replies at the chosen volume, and not at all when muted from the tray, while the text still arrives', async () => {
    ({ harness, emulator } = await startTyping());
    const full = await typeAndHear(harness, 'How loud is this?');
    assert.ok(full > 0.05, `the reply was heard (rms ${full})`);

    const settings = await harness.openSettings();
    await settings.getByTestId('output-volume').fill('50');
    await expect(settings.getByTestId('volume-value')).toHaveText('50 %');
    await expect.poll(() => saved(harness!).outputVolume).toBe(0.5);
    const half = await typeAndHear(harness, 'How loud is this?');
    assert.ok(Math.abs(half / full - 0.5) < 0.05, `half volume is half as loud (${half} vs ${full})`);

    harness.tray.click('mute-replies');
    await expect.poll(() => harness!.tray.item('mute-replies')).toMatchObject({ checked: true });
    await expect(settings.getByTestId('mute-replies')).toBeChecked();
    const muted = await typeAndHear(harness, 'How loud is this?');
    assert.ok(muted < 0.001, `muted replies are silent (rms ${muted})`);
    const transcript = await harness.page('transcript');
    await expect(transcript.getByTestId('entry-model').last()).toContainText('you said: How loud is this?');
    assert.equal(emulator.connections().length, 1, 'volume and mute never touch the session');
  });

  it('starts a new conversation only after the user confirms: Gemini forgets, the transcript starts empty', async () => {
    ({ harness, emulator } = await startTyping());
    await typeAndHear(harness, 'Remember the number seven.');
    const transcript = await harness.page('transcript');
    await expect(transcript.getByTestId('entry-model')).toHaveCount(1);

    harness.appPort.confirmAnswer = false;
    harness.tray.click('new-conversation');
    await expect.poll(() => harness!.appPort.confirmations.length).toBe(1);
    assert.match(harness.appPort.confirmations[0]!.detail, /forgets everything said so far/);
    assert.equal(emulator.connection(0).closed, undefined, 'declined: nothing happens');
    await expect(transcript.getByTestId('entry-user')).toHaveCount(1);

    harness.appPort.confirmAnswer = true;
    harness.tray.click('new-conversation');
    await expect(transcript.getByTestId('entry-user')).toHaveCount(0);
    await expect(transcript.getByText('The conversation will appear here.')).toBeVisible();
    await emulator.connection(0).waitForClose(5_000);
    await typeAndHear(harness, 'What number did I say?');
    assert.equal(emulator.connections().length, 2);
    const setup = emulator.connection(1).setup as { sessionResumption?: { handle?: string } };
    assert.ok(setup.sessionResumption, 'still asks to be resumable');
    assert.equal(setup.sessionResumption.handle, undefined, 'but does not resume the old conversation');
    await expect(transcript.getByTestId('entry-user')).toHaveCount(1);
  });

  it('shows the transcript window on a reply when asked to, without taking the focus', async () => {
    ({ harness, emulator } = await startTyping());
    const window = harness.window('transcript');
    window.requestClose();
    await typeAndHear(harness, 'Stay hidden.');
    assert.equal(window.visible, false, 'off by default');
    await harness.app.updateSettings({ showTranscriptOnReply: true });
    window.requestClose();
    window.focused = false;
    await typeAndHear(harness, 'Now show yourself.');
    assert.equal(window.visible, true);
    assert.equal(window.focused, false, 'the focus stays where the user is typing');
  });

  it('lists the real microphones and speakers, falls back to the default when the chosen one is unplugged, and says so', async () => {
    harness = await Harness.start();
    const settings = await harness.openSettings();
    const inputs = settings.getByTestId('input-device').locator('option');
    // Chromium's fake capture devices, as enumerateDevices reports them once microphone access is granted.
    await expect.poll(() => inputs.count()).toBeGreaterThan(1);
    const labels = await inputs.allTextContents();
    assert.equal(labels[0], 'System default');
    const chosenLabel = labels[1]!;
    const chosenId = await inputs.nth(1).getAttribute('value');
    await settings.getByTestId('input-device').selectOption(chosenId!);
    await expect.poll(() => (saved(harness!).capture as { deviceId?: string }).deviceId).toBe(chosenId);
    assert.deepEqual(harness.tray.item(`microphone:${chosenId}`), {
      kind: 'choice',
      id: `microphone:${chosenId}`,
      label: chosenLabel,
      checked: true,
    });

    // The user unplugs it: the OS stops listing it and Chromium fires devicechange.
    const audio = await harness.page('audio');
    await audio.evaluate((gone) => {
      const enumerate = navigator.mediaDevices.enumerateDevices.bind(navigator.mediaDevices);
      navigator.mediaDevices.enumerateDevices = async () => (await enumerate()).filter((d) => d.deviceId !== gone);
      navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    }, chosenId);
    const note = `${chosenLabel} is not connected: Parley uses the system default microphone until it is back.`;
    await expect(settings.getByTestId('input-device-note')).toHaveText(note);
    await expect(settings.getByTestId('input-device')).toHaveValue(chosenId!);
    await expect(settings.getByTestId('input-device').locator('option:checked')).toHaveText('Microphone not connected');
    // Beside what the state line said already (no key has been set in this test).
    await expect.poll(() => harness!.app.status.current.detail).toContain(note);
    assert.equal(lastAudioSetup(harness).capture.deviceId, undefined, 'the audio renderer is told to use the default');
    assert.equal((saved(harness).capture as { deviceId?: string }).deviceId, chosenId, 'the choice is kept');

    // Plugged back in: used again, and the note goes.
    await audio.evaluate(() => {
      delete (navigator.mediaDevices as { enumerateDevices?: unknown }).enumerateDevices;
      navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    });
    await expect(settings.getByTestId('input-device-note')).toBeHidden();
    await expect.poll(() => harness!.app.status.current.detail).toContain(`${chosenLabel} is connected again.`);
    assert.doesNotMatch(harness.app.status.current.detail, /is not connected/, 'the newer notice replaced the older');
    await expect.poll(() => lastAudioSetup(harness!).capture.deviceId).toBe(chosenId);
  });

  it('refuses idle minutes out of range with a clear message, and saves a valid number', async () => {
    harness = await Harness.start();
    const settings = await harness.openSettings();
    const before = readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8');
    await settings.getByTestId('idle-minutes').fill('-3');
    await settings.getByTestId('idle-minutes').press('Tab');
    await expect(settings.getByTestId('settings-error')).toContainText('idleDisconnectMinutes');
    assert.equal(readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8'), before);
    await settings.getByTestId('idle-minutes').fill('25');
    await settings.getByTestId('idle-minutes').press('Tab');
    await expect.poll(() => saved(harness!).idleDisconnectMinutes).toBe(25);
    await expect(settings.getByTestId('settings-error')).toBeHidden();
  });

  it('sends sessions to the endpoint set in Settings, refuses what is not a URL, and shows when the environment pins it', async () => {
    emulator = await startEmulator({ pacing: { mode: 'fast' } });
    harness = await Harness.start({ env: { GEMINI_API_KEY: 'test-key' }, settings: { cues: false } });
    const settings = await harness.openSettings();
    await expect(settings.getByTestId('connection-note')).toContainText(
      'API version v1beta, the one gemini-3.8-live needs',
    );
    await settings.getByTestId('endpoint-input').fill('emulator on my laptop');
    await settings.getByTestId('endpoint-input').press('Tab');
    await expect(settings.getByTestId('settings-error')).toContainText('liveEndpoint: a URL starting with https://');
    await settings.getByTestId('endpoint-input').fill(emulator.url);
    await settings.getByTestId('endpoint-input').press('Tab');
    await expect.poll(() => saved(harness!).liveEndpoint).toBe(emulator.url);
    await typeAndHear(harness, 'Are you there?');
    assert.equal(emulator.connections().length, 1, 'the session went to the configured endpoint');
    await harness.close();

    harness = await Harness.start({ env: { PARLEY_LIVE_URL: 'http://127.0.0.1:9', GEMINI_API_KEY: 'test-key' } });
    const pinned = await harness.openSettings();
    await expect(pinned.getByTestId('endpoint-input')).toBeDisabled();
    await expect(pinned.getByTestId('connection-note')).toContainText(
      'Set by PARLEY_LIVE_URL in the environment: http://127.0.0.1:9',
    );
  });
});
