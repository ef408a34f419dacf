import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  eventChannels,
  eventWindows,
  invokeChannels,
  invokeWindows,
  sendChannels,
  sendWindows,
  type InvokeName,
} from '../../shared/ipc/channels';
import { WindowKind } from '../../shared/types';
import { invokeContract } from '../../shared/ipc/contract';
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

/** What a compromised renderer can do without `window.parley`: raw IPC on any channel (the harness's ipcRenderer). */
const raw = {
  invoke: (page: Page, channel: string, payload?: unknown): Promise<IpcResult<unknown>> =>
    page.evaluate(
      ([name, arg]) =>
        (
          window as unknown as { __parleyIpcInvoke: (c: string, p: unknown) => Promise<IpcResult<unknown>> }
        ).__parleyIpcInvoke(name, arg),
      [channel, payload] as const,
    ),
  send: (page: Page, channel: string, payload: unknown): Promise<void> =>
    page.evaluate(
      ([name, arg]) =>
        (window as unknown as { __parleyIpcSend: (sends: unknown[][]) => Promise<void> }).__parleyIpcSend([
          [name, arg],
        ]),
      [channel, payload] as const,
    ),
};

describe('IPC boundary', () => {
  let harness: Harness;
  let transcript: Page;
  before(async () => {
    harness = await Harness.start();
    transcript = await harness.page('transcript');
  });
  after(() => harness.close());

  it('exposes to each page, as named methods, the calls its window may make and its events, and no ipcRenderer', async () => {
    harness.app.windows.show('settings');
    for (const kind of WindowKind.options) {
      const page = await harness.page(kind);
      const exposed = await page.evaluate(() => Object.keys(window.parley).sort());
      const mayUse = (windows: readonly WindowKind[]) => windows.includes(kind);
      const expected = [
        ...Object.entries(invokeWindows).flatMap(([name, windows]) => (mayUse(windows) ? [name] : [])),
        ...Object.entries(sendWindows).flatMap(([name, windows]) => (mayUse(windows) ? [name] : [])),
        ...Object.entries(eventWindows).flatMap(([name, windows]) =>
          mayUse(windows) ? [eventMethodName(name as never)] : [],
        ),
      ];
      assert.deepEqual(exposed, expected.sort(), kind);
    }
    const leaks = await transcript.evaluate(() => ({
      ipcRenderer: 'ipcRenderer' in window,
      require: typeof (window as unknown as { require?: unknown }).require,
      frozen: Object.isFrozen(window.parley),
    }));
    assert.deepEqual(leaks, { ipcRenderer: false, require: 'undefined', frozen: true });
  });

  it('sends the transcript only to the transcript window, and settings only to the settings window', async () => {
    harness.app.windows.show('settings');
    const settings = await harness.page('settings');
    const since = harness.ipc.log.length;
    harness.app.transcript.begin(990, 'user', 'words only the transcript window may see');
    await harness.app.updateSettings({ muteReplies: true });
    await harness.app.updateSettings({ muteReplies: false });
    const events = harness.ipc.log.slice(since).filter((record) => record.direction === 'event');
    const to = (window: WindowKind) => events.filter((e) => e.window === window).map((e) => e.channel);
    assert.ok(to('transcript').includes(eventChannels.transcriptEntry), 'the transcript window shows it');
    assert.ok(to('settings').includes(eventChannels.settingsChanged), 'the settings window shows the change');
    assert.ok(!to('settings').includes(eventChannels.transcriptEntry), 'no transcript text in the settings window');
    assert.ok(!to('transcript').includes(eventChannels.settingsChanged), 'the transcript window needs no settings');
    assert.ok(
      !to('audio').some((channel) => channel !== eventChannels.audioSetupChanged),
      'the audio page: audio only',
    );
    const listens = await settings.evaluate(() => 'onTranscriptEntry' in window.parley);
    assert.equal(listens, false, 'the settings page cannot even listen for transcript entries');
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
    assert.deepEqual(await received, [{ ...harness.app.status.current, state: 'error', detail: 'Test error' }]);
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

  describe('per-window capabilities (every channel from every window: ipc-fuzz.test.ts)', () => {
    const settingsFile = () => readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8');
    // A well-formed 20 ms frame; bytes cross the harness's bridge as base64.
    const frame = { turnId: 0, pcm: { __bytes: btoa(String.fromCharCode(...new Uint8Array(640))) } };

    it('the transcript window, which shows model text, cannot change the key or the settings, add an MCP server, feed the microphone or pause the hotkey', async () => {
      const settingsBefore = settingsFile();
      const calls: [InvokeName, unknown][] = [
        ['setApiKey', { key: 'AIzaSyAttackerChosenKey0000000000000000' }],
        ['clearApiKey', undefined],
        ['updateSettings', { theme: 'dark', liveEndpoint: 'http://attacker.example' }],
        // A server is a command Parley runs: from this window, it would run whatever the model wrote.
        [
          'saveMcpServer',
          { transport: 'stdio', name: 'x', enabled: true, command: 'sh', args: ['-c', 'touch /tmp/owned'], env: [] },
        ],
        ['importMcpServers', undefined],
      ];
      for (const [name, payload] of calls) {
        assert.ok(invokeContract[name].request.safeParse(payload).success, `a well-formed ${name}`);
        const result = await raw.invoke(transcript, invokeChannels[name], payload);
        assert.equal(result.ok ? undefined : result.error.code, 'forbidden-sender', name);
      }
      await raw.send(transcript, sendChannels.captureFrame, frame);
      await raw.send(transcript, sendChannels.hotkeyRecording, { active: true });
      const refused = ['setApiKey', 'clearApiKey', 'updateSettings', 'saveMcpServer', 'importMcpServers'];
      for (const name of [...refused, 'captureFrame', 'hotkeyRecording']) {
        assert.ok(
          harness.log.warnings.includes(`refused ${name} from the transcript window, which may not use it`),
          name,
        );
      }
      assert.equal(settingsFile(), settingsBefore);
      assert.deepEqual(
        harness.appPort.themes.filter((theme) => theme === 'dark'),
        [],
      );
      assert.equal(existsSync(join(harness.userDataDir, 'api-key.bin')), false);
      assert.equal(existsSync(join(harness.userDataDir, 'mcp.json')), false);
      assert.equal(harness.openDialog.asked.length, 0);
    });

    it('the settings window may change the settings and pause the hotkey, but not feed the microphone', async () => {
      harness.app.windows.show('settings');
      const settings = await harness.page('settings');
      const result = await raw.invoke(settings, invokeChannels.updateSettings, { theme: 'dark' });
      assert.equal(result.ok, true);
      assert.ok(harness.appPort.themes.includes('dark'));
      const warningsBefore = harness.log.warnings.length;
      await raw.send(settings, sendChannels.hotkeyRecording, { active: true });
      await raw.send(settings, sendChannels.hotkeyRecording, { active: false });
      await raw.send(settings, sendChannels.captureFrame, frame);
      assert.deepEqual(harness.log.warnings.slice(warningsBefore), [
        'refused captureFrame from the settings window, which may not use it',
      ]);
    });
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
