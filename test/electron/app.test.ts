/**
 * Parley in the real Electron, black-box through Playwright's Electron driver: what the test
 * harness cannot run, because it stands in for Electron. Its windows, its tray menu, the app://
 * protocol and the permissions each window gets. Run by `npm run test:electron`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Menu } from 'electron';
import type { Page } from 'playwright-core';
import { launchParley, type LaunchedParley } from './parley-app';

/** What a page's getUserMedia resolves to: 'granted', or the error's name and message. */
function mediaRequest(page: Page, constraints: MediaStreamConstraints): Promise<string> {
  return page.evaluate(async (wanted) => {
    try {
      const stream = await navigator.mediaDevices.getUserMedia(wanted);
      stream.getTracks().forEach((track) => track.stop());
      return 'granted';
    } catch (error) {
      return `${(error as DOMException).name}: ${(error as DOMException).message}`;
    }
  }, constraints);
}

/** Refused by Parley's permission handler, not by the operating system's privacy settings. */
function assertRefusedByParley(result: string, what: string): void {
  assert.match(result, /^NotAllowedError\b/, what);
  assert.doesNotMatch(result, /by system/, `${what}: refused by Parley, not only by the system`);
}

describe('Parley in Electron', () => {
  let parley: LaunchedParley;
  before(async () => {
    parley = await launchParley();
    await (await parley.window('transcript')).getByTestId('connection-state').waitFor();
  });
  after(() => parley?.close());

  it('shows the transcript window, keeps the audio window hidden, and puts its icon in the tray', async () => {
    const state = await parley.app.evaluate(({ BrowserWindow }) => ({
      windows: BrowserWindow.getAllWindows().map((w) => ({ url: w.webContents.getURL(), visible: w.isVisible() })),
      trayAlive: (globalThis as { parleyTray?: { isDestroyed(): boolean } }).parleyTray?.isDestroyed() === false,
    }));
    assert.ok(
      state.windows.some((w) => w.url === 'app://parley/audio.html' && !w.visible),
      `hidden audio window: ${JSON.stringify(state.windows)}`,
    );
    assert.ok(
      state.windows.some((w) => w.url === 'app://parley/transcript.html' && w.visible),
      `visible transcript window: ${JSON.stringify(state.windows)}`,
    );
    assert.ok(state.trayAlive, 'tray icon');
  });

  it('serves its own pages over app://, and answers 404 for any other host', async () => {
    const statuses = await parley.app.evaluate(async ({ net }) => {
      const status = async (url: string) => (await net.fetch(url)).status;
      return {
        ours: await status('app://parley/transcript.html'),
        other: await status('app://other/transcript.html'),
        otherRoot: await status('app://attacker.example/'),
      };
    });
    assert.deepEqual(statuses, { ours: 200, other: 404, otherRoot: 404 });
  });

  it('lets the audio window open the microphone, but not the camera', async () => {
    const audio = await parley.window('audio');
    const microphone = await mediaRequest(audio, { audio: true });
    // A macOS runner's own privacy settings may still say no; Parley's handler must not.
    if (!(process.platform === 'darwin' && /by system/.test(microphone))) assert.equal(microphone, 'granted');
    assertRefusedByParley(await mediaRequest(audio, { video: true }), 'the camera');
    assertRefusedByParley(await mediaRequest(audio, { audio: true, video: true }), 'the microphone with the camera');
  });

  it('gives the transcript window, which shows model text, neither microphone nor camera', async () => {
    const transcript = await parley.window('transcript');
    assertRefusedByParley(await mediaRequest(transcript, { audio: true }), 'the microphone');
    assertRefusedByParley(await mediaRequest(transcript, { video: true }), 'the camera');
  });

  it('keeps every window on its page, even when the page tries to become another of ours', async () => {
    const transcript = await parley.window('transcript');
    for (const target of ['app://parley/audio.html', 'https://example.com/']) {
      await transcript.evaluate((url) => (location.href = url), target);
      // A navigation that was let through would be under way by now; this one is cancelled before it starts.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(transcript.url(), 'app://parley/transcript.html', target);
    }
  });

  it("offers the tray menu's items, and its Settings… opens the settings window", async () => {
    const labels = await parley.app.evaluate(() =>
      ((globalThis as { parleyTrayMenu?: Menu }).parleyTrayMenu?.items ?? []).map((item) => item.label),
    );
    for (const label of [
      'Talk',
      'Open transcript',
      'Settings…',
      'Model',
      'Voice',
      'Mute replies',
      'New conversation…',
      'Launch at login',
      'Quit Parley',
    ]) {
      assert.ok(labels.includes(label), `"${label}" in ${JSON.stringify(labels)}`);
    }
    await parley.app.evaluate(() =>
      (globalThis as { parleyTrayMenu?: Menu }).parleyTrayMenu?.items
        .find((item) => item.label === 'Settings…')
        ?.click(),
    );
    const settings = await parley.window('settings');
    await settings.getByRole('heading', { name: 'Settings' }).waitFor();
    const visible = await parley.app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().some((w) => w.webContents.getURL().endsWith('/settings.html') && w.isVisible()),
    );
    assert.ok(visible, 'the settings window is shown');
  });
});
