import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SenderGuard } from '../../electron/main/ipc/sender-guard';
import type { WindowHandle, WindowPort, WindowSpec } from '../../electron/main/ports';
import { WindowManager } from '../../electron/main/windows/window-manager';
import { placeOnScreen, WindowStateStore, type WindowBounds } from '../../electron/main/windows/window-state';
import { confFile } from '../harness/settings-file';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const monitorOnTheRight = { x: 1440, y: 0, width: 2560, height: 1440 };

/** A window port that remembers what it was asked to create, and lets the test play the user moving windows. */
class FakeWindows implements WindowPort {
  readonly created: WindowSpec[] = [];
  readonly moveListeners = new Map<string, (bounds: WindowBounds) => void>();
  constructor(public screens = [laptop]) {}

  create(spec: WindowSpec): WindowHandle {
    this.created.push(spec);
    return {
      webContentsId: this.created.length,
      show: () => undefined,
      showInactive: () => undefined,
      isVisible: () => false,
      setContentProtection: () => undefined,
      mediaSourceId: () => 'window:1:0',
      hide: () => undefined,
      isDestroyed: () => false,
      destroy: () => undefined,
      send: () => undefined,
      onCloseRequested: () => undefined,
      onClosed: () => undefined,
      onLoadFailed: () => undefined,
      onBoundsChanged: (listener) => this.moveListeners.set(spec.kind, listener),
    };
  }

  displays() {
    return this.screens;
  }
}

function runApp(dir: string, screens = [laptop]) {
  const port = new FakeWindows(screens);
  const manager = new WindowManager(
    port,
    new SenderGuard('app://parley'),
    new WindowStateStore(confFile(dir, 'window-state').open()),
    { warn: () => undefined, tell: () => undefined },
  );
  return { port, manager };
}

describe('window places', () => {
  it('reopens the transcript and settings windows where the user left them, after a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-windows-'));
    const first = runApp(dir);
    first.manager.show('transcript');
    first.manager.show('settings');
    assert.equal(first.port.created[0]?.bounds, undefined, 'first run: the OS places it');
    first.port.moveListeners.get('transcript')!({ x: 900, y: 100, width: 500, height: 700 });
    first.port.moveListeners.get('settings')!({ x: 40, y: 60, width: 600, height: 720 });

    const second = runApp(dir);
    second.manager.show('transcript');
    second.manager.show('settings');
    second.manager.ensure('audio');
    const bounds = Object.fromEntries(second.port.created.map((spec) => [spec.kind, spec.bounds]));
    assert.deepEqual(bounds, {
      transcript: { x: 900, y: 100, width: 500, height: 700 },
      settings: { x: 40, y: 60, width: 600, height: 720 },
      audio: undefined,
    });
  });

  it('opens at the default place when the display it was on is gone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-windows-'));
    const docked = runApp(dir, [laptop, monitorOnTheRight]);
    docked.manager.show('transcript');
    docked.port.moveListeners.get('transcript')!({ x: 2000, y: 200, width: 800, height: 900 });
    const undocked = runApp(dir, [laptop]);
    undocked.manager.show('transcript');
    assert.equal(undocked.port.created[0]?.bounds, undefined);
  });

  it('ignores a damaged window-state file instead of failing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-windows-'));
    writeFileSync(join(dir, 'window-state.json'), JSON.stringify({ transcript: { x: 'left', width: -4 } }));
    const app = runApp(dir);
    app.manager.show('transcript');
    assert.equal(app.port.created[0]?.bounds, undefined);
    app.port.moveListeners.get('transcript')!({ x: 10, y: 10, width: 400, height: 500 });
    const stored = JSON.parse(readFileSync(join(dir, 'window-state.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(stored.transcript, { x: 10, y: 10, width: 400, height: 500 });
  });
});

describe('placeOnScreen', () => {
  it('keeps a window whose title bar can be grabbed on some display, shrunk to fit it', () => {
    assert.deepEqual(placeOnScreen({ x: 1400, y: 0, width: 600, height: 400 }, [laptop, monitorOnTheRight]), {
      x: 1400,
      y: 0,
      width: 600,
      height: 400,
    });
    assert.deepEqual(placeOnScreen({ x: 0, y: 0, width: 3000, height: 2000 }, [laptop]), {
      x: 0,
      y: 0,
      width: 1440,
      height: 900,
    });
  });

  it('drops a window that is off every display, or only a sliver on one, or whose title bar is above it', () => {
    assert.equal(placeOnScreen({ x: 5000, y: 0, width: 600, height: 400 }, [laptop]), undefined);
    assert.equal(placeOnScreen({ x: 1390, y: 0, width: 600, height: 400 }, [laptop]), undefined, '50 px only');
    assert.equal(placeOnScreen({ x: 100, y: -30, width: 600, height: 400 }, [laptop]), undefined);
    assert.equal(placeOnScreen(undefined, [laptop]), undefined);
  });
});
