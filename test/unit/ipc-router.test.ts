import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  registerInvokeHandlers,
  registerSendHandlers,
  type InvokeHandlers,
  type SendHandlers,
} from '../../electron/main/ipc/router';
import { SenderGuard } from '../../electron/main/ipc/sender-guard';
import {
  invokeChannels,
  invokeWindows,
  sendChannels,
  sendWindows,
  type InvokeName,
  type SendName,
} from '../../shared/ipc/channels';
import { WindowKind, type HotkeyStatus } from '../../shared/types';
import { RecordingIpc, RecordingLog } from '../harness/test-ports';

/** One window of each kind, as main created them (web contents 1, 2, 3). */
const senders = Object.fromEntries(
  WindowKind.options.map((kind, index) => [
    kind,
    { webContentsId: index + 1, frameUrl: `app://parley/${kind}.html`, isMainFrame: true },
  ]),
) as Record<WindowKind, { webContentsId: number; frameUrl: string; isMainFrame: boolean }>;
const sender = senders.transcript;
const hotkeyStatus: HotkeyStatus = {
  keyReleases: true,
  bindings: [{ profile: 'assistant', look: false, accelerator: 'F9', mode: 'hold', effectiveMode: 'hold' }],
};

function trustedGuard(): SenderGuard {
  const guard = new SenderGuard('app://parley');
  for (const kind of WindowKind.options) guard.trust(senders[kind].webContentsId, kind);
  return guard;
}

function setup(overrides: Partial<InvokeHandlers> = {}) {
  const ipc = new RecordingIpc();
  const log = new RecordingLog();
  const called: string[] = [];
  // Every handler records that it ran; only these few answer something meaningful.
  const handlers = {
    ...Object.fromEntries(
      Object.keys(invokeChannels).map((name) => [
        name,
        () => {
          called.push(name);
          return null;
        },
      ]),
    ),
    getAppInfo: () => ({ name: 'Parley', version: '1.0.0', platform: 'linux' }),
    getHotkey: () => hotkeyStatus,
    ...overrides,
  } as InvokeHandlers;
  const unregister = registerInvokeHandlers(ipc, trustedGuard(), handlers, log);
  return { ipc, log, called, unregister };
}

describe('registerInvokeHandlers', () => {
  it('turns a handler failure into a typed internal error and keeps serving', async () => {
    const { ipc, log } = setup({
      openWindow: () => {
        throw new Error('window system gone');
      },
    });
    const failed = await ipc.invoke(invokeChannels.openWindow, sender, { window: 'settings' });
    assert.deepEqual(failed, {
      ok: false,
      error: { code: 'internal', message: 'openWindow failed: window system gone' },
    });
    assert.match(log.warnings[0] ?? '', /openWindow failed/);
    assert.deepEqual(await ipc.invoke(invokeChannels.getHotkey, sender, undefined), {
      ok: true,
      value: hotkeyStatus,
    });
  });

  it('refuses a well-formed call from a window whose kind may not use the channel, and logs it', async () => {
    const { ipc, log, called } = setup();
    const result = await ipc.invoke(invokeChannels.setApiKey, senders.transcript, { apiKey: 'AIzaSyTest' });
    assert.deepEqual(result, {
      ok: false,
      error: { code: 'forbidden-sender', message: 'setApiKey is not served to the transcript window' },
    });
    assert.deepEqual(called, []);
    assert.deepEqual(log.warnings, ['refused setApiKey from the transcript window, which may not use it']);
    await ipc.invoke(invokeChannels.clearApiKey, senders.settings, undefined);
    assert.deepEqual(called, ['clearApiKey']);
  });

  it('refuses a window main does not trust, whatever the channel', async () => {
    const { ipc, log } = setup();
    const stranger = { ...sender, webContentsId: 99 };
    const result = (await ipc.invoke(invokeChannels.getAppInfo, stranger, undefined)) as { error?: { code: string } };
    assert.equal(result.error?.code, 'forbidden-sender');
    assert.match(log.warnings[0] ?? '', /^refused getAppInfo from foreign sender 99 at app:\/\/parley\/transcript/);
  });

  it('serves each channel to exactly the window kinds the contract names', async () => {
    const { ipc } = setup();
    for (const name of Object.keys(invokeChannels) as InvokeName[]) {
      for (const kind of WindowKind.options) {
        const result = (await ipc.invoke(invokeChannels[name], senders[kind], undefined)) as {
          error?: { code: string };
        };
        const allowed = (invokeWindows[name] as readonly WindowKind[]).includes(kind);
        assert.equal(result.error?.code !== 'forbidden-sender', allowed, `${name} from the ${kind} window`);
      }
    }
  });

  it('removes every handler it registered', async () => {
    const { ipc, unregister } = setup();
    unregister();
    await assert.rejects(ipc.invoke(invokeChannels.getAppInfo, sender, undefined), /No handler registered/);
  });
});

describe('registerSendHandlers', () => {
  function setupSends() {
    const ipc = new RecordingIpc();
    const log = new RecordingLog();
    const received: [SendName, WindowKind | undefined][] = [];
    const kindOf = (id: number) => WindowKind.options.find((kind) => senders[kind].webContentsId === id);
    const handlers = Object.fromEntries(
      Object.keys(sendChannels).map((name) => [
        name,
        (_payload: unknown, from: { webContentsId: number }) =>
          received.push([name as SendName, kindOf(from.webContentsId)]),
      ]),
    ) as unknown as SendHandlers;
    registerSendHandlers(ipc, trustedGuard(), handlers, log);
    return { ipc, log, received };
  }

  it('drops and logs a capture frame from the transcript window, and takes it from the audio window', () => {
    const { ipc, log, received } = setupSends();
    const frame = { turnId: 1, pcm: new Uint8Array(640) };
    ipc.send(sendChannels.captureFrame, senders.transcript, frame);
    assert.deepEqual(received, []);
    assert.deepEqual(log.warnings, ['refused captureFrame from the transcript window, which may not use it']);
    ipc.send(sendChannels.captureFrame, senders.audio, frame);
    assert.deepEqual(received, [['captureFrame', 'audio']]);
  });

  it('takes a screen frame from the audio window only, shaped like one: bytes up to 1 MB, sides up to 1280 px', () => {
    const { ipc, log, received } = setupSends();
    const frame = { turnId: 2, grabId: 0, jpeg: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), width: 1024, height: 576 };
    ipc.send(sendChannels.screenFrame, senders.transcript, frame);
    ipc.send(sendChannels.screenFrame, senders.settings, frame);
    assert.deepEqual(received, []);
    const malformed = [
      { ...frame, jpeg: 'ffd8ffd9' },
      { ...frame, jpeg: new Uint8Array() },
      { ...frame, jpeg: new Uint8Array(1024 * 1024 + 1) },
      { ...frame, width: 2560 },
      { ...frame, height: 0 },
      { ...frame, turnId: -1 },
      { ...frame, grabId: undefined },
    ];
    for (const payload of malformed) ipc.send(sendChannels.screenFrame, senders.audio, payload);
    assert.deepEqual(received, [], 'nothing malformed gets through');
    assert.equal(log.warnings.filter((line) => line.startsWith('dropped screenFrame')).length, malformed.length);
    ipc.send(sendChannels.screenFrame, senders.audio, frame);
    assert.deepEqual(received, [['screenFrame', 'audio']]);
    assert.deepEqual(log.warnings.slice(0, 2), [
      'refused screenFrame from the transcript window, which may not use it',
      'refused screenFrame from the settings window, which may not use it',
    ]);
  });

  it('lets through each notification from exactly the window kinds the contract names', () => {
    const { ipc, log } = setupSends();
    for (const name of Object.keys(sendChannels) as SendName[]) {
      for (const kind of WindowKind.options) {
        const before = log.warnings.length;
        ipc.send(sendChannels[name], senders[kind], undefined);
        const refused = log.warnings.slice(before).some((line) => line.startsWith(`refused ${name} `));
        assert.equal(!refused, (sendWindows[name] as readonly WindowKind[]).includes(kind), `${name} from ${kind}`);
      }
    }
  });
});
