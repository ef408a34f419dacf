import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { expect } from '../harness/expect';
import { invokeChannels } from '../../shared/ipc/channels';
import { Harness } from '../harness/harness';

describe('transcript window', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  describe('without an API key', () => {
    beforeEach(async () => {
      harness = await Harness.start();
    });

    it('shows the app version, "no API key" and the hotkey, fetched over IPC', async () => {
      const page = await harness.page('transcript');
      await expect(page.getByTestId('connection-state')).toHaveText('no API key');
      await expect(page.getByTestId('app-version')).toHaveText(`v${harness.appPort.version}`);
      await expect(page.getByTestId('status-detail')).toContainText('GEMINI_API_KEY');
      const expectedHotkey = process.platform === 'darwin' ? '⌃⇧Space' : 'Ctrl + Shift + Space';
      await expect(page.getByTestId('hotkey')).toHaveText(expectedHotkey);
      const served = new Set(
        harness.ipc.log.filter((entry) => entry.direction === 'reply').map((entry) => entry.channel),
      );
      for (const channel of [invokeChannels.getAppInfo, invokeChannels.getSessionStatus, invokeChannels.getHotkey]) {
        assert.ok(served.has(channel), `${channel} was not answered over IPC`);
      }
    });

    it('follows state changes pushed from main', async () => {
      const page = await harness.page('transcript');
      await expect(page.getByTestId('connection-state')).toHaveText('no API key');
      harness.app.status.set({ state: 'connecting', detail: 'Connecting to Gemini…' });
      await expect(page.getByTestId('connection-state')).toHaveText('connecting');
      await expect(page.getByTestId('status-detail')).toHaveText('Connecting to Gemini…');
    });

    it('opens the settings window from its button', async () => {
      const page = await harness.page('transcript');
      await page.getByRole('button', { name: 'Settings…' }).click();
      const settings = await harness.page('settings');
      await expect(settings.getByRole('heading', { name: 'Settings' })).toBeVisible();
      assert.equal(harness.window('settings').visible, true);
    });
  });

  describe('with an API key in the environment', () => {
    beforeEach(async () => {
      harness = await Harness.start({ env: { GEMINI_API_KEY: 'test-key' } });
    });

    it('shows the idle state instead of asking for a key', async () => {
      const page = await harness.page('transcript');
      await expect(page.getByTestId('connection-state')).toHaveText('idle');
    });
  });
});

describe('hotkey without key releases', () => {
  it('keeps running, falls back to toggle, and shows the reason and the fix', async () => {
    // No DISPLAY in this environment: uiohook cannot run, and must not even be tried in-process.
    const harness = await Harness.start({ env: { GEMINI_API_KEY: 'test-key' } });
    try {
      const page = await harness.page('transcript');
      await expect(page.getByTestId('hotkey-problem')).toContainText('There is no X display');
      await expect(page.getByTestId('hotkey-problem')).toContainText('Until then the hotkey toggles');
      await expect(page.getByTestId('hotkey')).toHaveText(/Space/);
      await expect(page.getByTestId('screen-hotkey')).toHaveText(/Alt/);
      assert.deepEqual([...harness.shortcuts.registered.keys()], ['Control+Shift+Space', 'Control+Alt+Shift+Space']);
      assert.equal((await page.evaluate(() => window.parley.getHotkey())).ok, true);
    } finally {
      await harness.close();
    }
  });
});
