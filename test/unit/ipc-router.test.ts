import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { registerInvokeHandlers, type InvokeHandlers } from '../../electron/main/ipc/router';
import { SenderGuard } from '../../electron/main/ipc/sender-guard';
import { invokeChannels } from '../../shared/ipc/channels';
import { RecordingIpc, RecordingLog } from '../harness/test-ports';

const sender = { webContentsId: 1, frameUrl: 'app://parley/transcript.html', isMainFrame: true };

function setup(overrides: Partial<InvokeHandlers> = {}) {
  const ipc = new RecordingIpc();
  const log = new RecordingLog();
  const guard = new SenderGuard('app://parley');
  guard.trust(1);
  // Only these channels are called here; every other one must not be reached.
  const unused = () => {
    throw new Error('not used in this test');
  };
  const handlers = {
    ...Object.fromEntries(Object.keys(invokeChannels).map((name) => [name, unused])),
    getAppInfo: () => ({ name: 'Parley', version: '1.0.0', platform: 'linux' }),
    getHotkey: () => ({ accelerator: 'F9', mode: 'hold', effectiveMode: 'hold', keyReleases: true }),
    openWindow: () => null,
    ...overrides,
  } as InvokeHandlers;
  const unregister = registerInvokeHandlers(ipc, guard, handlers, log);
  return { ipc, log, unregister };
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
      value: { accelerator: 'F9', mode: 'hold', effectiveMode: 'hold', keyReleases: true },
    });
  });

  it('removes every handler it registered', async () => {
    const { ipc, unregister } = setup();
    unregister();
    await assert.rejects(ipc.invoke(invokeChannels.getAppInfo, sender, undefined), /No handler registered/);
  });
});
