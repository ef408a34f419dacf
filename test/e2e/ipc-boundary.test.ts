import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { eventChannels, invokeChannels, sendChannels } from '../../shared/ipc/channels';
import { eventMethodName } from '../../shared/ipc/api';
import type { IpcResult } from '../../shared/ipc/result';
import { Harness } from '../harness/harness';
import { startRendererServer, type RendererServer } from '../harness/renderer-server';
import { builtRenderer } from '../harness/paths';

/** Calls `window.parley[method]` in the page, bypassing TypeScript the way a compromised renderer would. */
function callParley(page: Page, method: string, payload?: unknown): Promise<IpcResult<unknown>> {
  return page.evaluate(
    ([name, arg]) =>
      (window.parley as unknown as Record<string, (p?: unknown) => Promise<IpcResult<unknown>>>)[name]!(arg),
    [method, payload] as const,
  );
}

describe('IPC boundary', () => {
  let harness: Harness;
  let transcript: Page;
  before(async () => {
    harness = await Harness.start();
    transcript = await harness.page('transcript');
  });
  after(() => harness.close());

  it('exposes exactly the contract as named methods, and no ipcRenderer', async () => {
    const exposed = await transcript.evaluate(() => Object.keys(window.parley).sort());
    const expected = [
      ...Object.keys(invokeChannels),
      ...Object.keys(sendChannels),
      ...Object.keys(eventChannels).map((name) => eventMethodName(name as never)),
    ];
    assert.deepEqual(exposed, expected.sort());
    const leaks = await transcript.evaluate(() => ({
      ipcRenderer: 'ipcRenderer' in window,
      require: typeof (window as unknown as { require?: unknown }).require,
      frozen: Object.isFrozen(window.parley),
    }));
    assert.deepEqual(leaks, { ipcRenderer: false, require: 'undefined', frozen: true });
  });

  it('hands event listeners the payload only, never the IPC event', async () => {
    const received = transcript.evaluate(
      () =>
        new Promise<unknown[]>((resolve) => {
          const stop = window.parley.onSessionStatusChanged((...args: unknown[]) => {
            stop();
            resolve(args);
          });
        }),
    );
    harness.app.status.set({ state: 'error', detail: 'Test error' });
    assert.deepEqual(await received, [{ state: 'error', detail: 'Test error' }]);
  });

  const invalidPayloads: [string, unknown][] = [
    ['an unknown window', { window: 'audio' }],
    ['a missing field', {}],
    ['a wrong type', { window: 42 }],
    ['an extra key', { window: 'settings', __proto__: { polluted: true }, extra: 1 }],
    ['a string instead of an object', 'settings'],
    ['null', null],
  ];
  for (const [what, payload] of invalidPayloads) {
    it(`answers ${what} with a typed invalid-payload error and keeps serving`, async () => {
      const windowsBefore = harness.windowPort.windows.length;
      const result = await callParley(transcript, 'openWindow', payload);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.error.code, 'invalid-payload');
      assert.match(!result.ok ? result.error.message : '', /^openWindow: /);
      assert.equal(harness.windowPort.windows.length, windowsBefore, 'no window may open on a bad payload');
      const info = await callParley(transcript, 'getAppInfo');
      assert.equal(info.ok, true);
    });
  }

  it('rejects a payload on a channel that takes none', async () => {
    const result = await callParley(transcript, 'getHotkey', { accelerator: 'X' });
    assert.deepEqual(result.ok ? undefined : result.error.code, 'invalid-payload');
  });

  describe('foreign senders', () => {
    let otherOrigin: RendererServer;
    before(async () => {
      otherOrigin = await startRendererServer(builtRenderer);
    });
    after(() => otherOrigin.close());

    it('refuses a window main did not create, then still serves its own', async () => {
      const foreign = await harness.windowPort.openForeign(`${harness.rendererOrigin}/transcript.html`);
      const result = await callParley(foreign, 'getAppInfo');
      assert.deepEqual(result.ok ? undefined : result.error.code, 'forbidden-sender');
      assert.ok(harness.log.warnings.some((line) => line.startsWith('refused getAppInfo from foreign sender')));
      await foreign.close();
      assert.equal((await callParley(transcript, 'getAppInfo')).ok, true);
    });

    it('refuses one of our windows once it shows another origin', async () => {
      assert.equal((await callParley(transcript, 'openWindow', { window: 'settings' })).ok, true);
      const settings = await harness.page('settings');
      await settings.goto(`${otherOrigin.origin}/settings.html`);
      const result = await callParley(settings, 'getSessionStatus');
      assert.deepEqual(result.ok ? undefined : result.error.code, 'forbidden-sender');
    });
  });
});
