import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { SenderGuard } from '../../electron/main/ipc/sender-guard';
import type { WindowHandle, WindowPort, WindowSpec } from '../../electron/main/ports';
import { captureExclusionFor, type CaptureExclusion } from '../../electron/main/windows/capture-exclusion';
import { WindowManager } from '../../electron/main/windows/window-manager';
import { WindowStateStore } from '../../electron/main/windows/window-state';
import type { WindowKind } from '../../shared/types';
import { confFile } from '../harness/settings-file';

/** A window as Electron keeps it: shown or hidden, closed by the user or destroyed, its page loaded or not. */
class FakeWindow implements WindowHandle {
  visible = false;
  destroyed = false;
  protectedFromCapture = false;
  /** Shown again without taking the focus. */
  shownInactive = 0;
  private closeRequested: () => boolean = () => true;
  private readonly closed: (() => void)[] = [];
  private readonly loadFailures: ((reason: string) => void)[] = [];

  constructor(
    readonly webContentsId: number,
    readonly kind: WindowKind,
  ) {}

  show = () => void (this.visible = true);
  showInactive = () => void ((this.visible = true), this.shownInactive++);
  setContentProtection = (enabled: boolean) => void (this.protectedFromCapture = enabled);
  mediaSourceId = () => `window:${this.webContentsId}:0`;
  hide = () => void (this.visible = false);
  isVisible = () => this.visible;
  isDestroyed = () => this.destroyed;
  send = () => undefined;
  onBoundsChanged = () => undefined;
  onCloseRequested = (listener: () => boolean) => void (this.closeRequested = listener);
  onClosed = (listener: () => void) => void this.closed.push(listener);
  onLoadFailed = (listener: (reason: string) => void) => void this.loadFailures.push(listener);

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.closed.forEach((listener) => listener());
  }

  /** The user (or the system, at logoff) closes it; false when Parley kept it. */
  close(): boolean {
    if (!this.closeRequested()) return false;
    this.destroy();
    return true;
  }

  failToLoad(reason: string): void {
    this.loadFailures.forEach((listener) => listener(reason));
  }
}

class FakeWindows implements WindowPort {
  readonly created: FakeWindow[] = [];

  create(spec: WindowSpec): FakeWindow {
    const window = new FakeWindow(this.created.length + 1, spec.kind);
    this.created.push(window);
    return window;
  }

  displays() {
    return [{ x: 0, y: 0, width: 1440, height: 900 }];
  }

  of(kind: WindowKind): FakeWindow[] {
    return this.created.filter((window) => window.kind === kind);
  }
}

function rig(exclusion?: CaptureExclusion) {
  const port = new FakeWindows();
  const told: string[] = [];
  const logged: string[] = [];
  const manager = new WindowManager(
    port,
    new SenderGuard('app://parley'),
    new WindowStateStore(confFile(mkdtempSync(join(tmpdir(), 'parley-windows-')), 'window-state').open()),
    { warn: (message) => logged.push(message), tell: (message) => told.push(message) },
    exclusion,
  );
  return { port, manager, told, logged };
}

describe('WindowManager', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('keeps its windows out of screen captures: protected on Windows, hidden for the capture on Linux, both on macOS', () => {
    assert.deepEqual(captureExclusionFor('win32'), { protect: true, hide: false });
    assert.deepEqual(captureExclusionFor('darwin'), { protect: true, hide: true });
    assert.deepEqual(captureExclusionFor('linux'), { protect: false, hide: true });

    const windows = rig(captureExclusionFor('win32'));
    windows.manager.show('transcript');
    windows.manager.ensure('audio');
    assert.ok(
      windows.port.created.every((window) => window.protectedFromCapture),
      'every window, the hidden one too',
    );
    windows.manager.hideFromCapture()();
    assert.equal(windows.port.of('transcript')[0]!.visible, true, 'protected windows need not hide');

    const linux = rig(captureExclusionFor('linux'));
    linux.manager.show('transcript');
    linux.manager.show('settings');
    linux.manager.ensure('audio');
    linux.manager.show('settings').hide();
    const showAgain = linux.manager.hideFromCapture();
    assert.ok(
      linux.port.created.every((window) => !window.visible),
      'nothing of Parley is on screen during the capture',
    );
    assert.ok(linux.port.created.every((window) => !window.protectedFromCapture));
    showAgain();
    const [transcript] = linux.port.of('transcript');
    assert.equal(transcript!.visible, true, 'shown again after it');
    assert.equal(transcript!.shownInactive, 1, 'without taking the focus');
    assert.equal(linux.port.of('settings')[0]!.visible, false, 'a window the user had closed stays closed');
    assert.equal(linux.port.of('audio')[0]!.visible, false, 'the audio window is never shown');
  });

  it('says when a window could not load, and opening it again loads a fresh one', () => {
    const { port, manager, told, logged } = rig();
    manager.show('transcript');
    port.of('transcript')[0]!.failToLoad('ERR_CONNECTION_REFUSED');
    assert.deepEqual(told, ['The transcript window could not load (ERR_CONNECTION_REFUSED). Open it again to retry.']);
    assert.deepEqual(logged, ['the transcript window could not load: ERR_CONNECTION_REFUSED']);

    manager.show('transcript');
    const [failed, fresh] = port.of('transcript');
    assert.equal(failed?.destroyed, true, 'the blank window goes');
    assert.equal(fresh?.visible, true, 'a new one is shown');
    manager.show('transcript');
    assert.equal(port.of('transcript').length, 2, 'one that loaded is kept');
  });

  it('tries the audio page again by itself after a failed load, waiting longer each time', () => {
    const { port, manager, told } = rig();
    manager.ensure('audio');
    port.of('audio')[0]!.failToLoad('ERR_FILE_NOT_FOUND');
    assert.match(told[0] ?? '', /audio page could not load \(ERR_FILE_NOT_FOUND\), so it can neither listen nor speak/);
    mock.timers.tick(999);
    assert.equal(port.of('audio').length, 1, 'not at once, which would spin on a broken install');
    mock.timers.tick(1);
    assert.equal(port.of('audio').length, 2);
    assert.equal(port.of('audio')[0]!.destroyed, true);
    port.of('audio')[1]!.failToLoad('ERR_FILE_NOT_FOUND');
    mock.timers.tick(1999);
    assert.equal(port.of('audio').length, 2);
    mock.timers.tick(1);
    assert.equal(port.of('audio').length, 3);
  });

  it('ignores the failed load of a window already replaced or closed', () => {
    const { port, manager, told } = rig();
    manager.show('settings');
    port.of('settings')[0]!.failToLoad('ERR_ABORTED');
    manager.show('settings');
    port.of('settings')[0]!.failToLoad('ERR_ABORTED');
    assert.equal(told.length, 1);
  });

  it('once Parley ends, lets its windows close instead of hiding them, and brings none back', () => {
    const { port, manager, told } = rig();
    manager.ensure('audio');
    manager.show('transcript');
    const transcript = port.of('transcript')[0]!;
    assert.equal(transcript.close(), false, 'while Parley runs, closing only hides it');
    assert.equal(transcript.visible, false);
    port.of('audio')[0]!.failToLoad('ERR_FAILED');

    manager.destroyAll();
    assert.ok(
      port.created.every((window) => window.destroyed),
      'every window closes',
    );
    assert.equal(transcript.close(), true, 'a close the system asks for is no longer refused');
    mock.timers.tick(10 * 60_000);
    assert.equal(port.of('audio').length, 1, 'the audio window is neither brought back nor tried again');
    assert.equal(told.length, 1);
  });
});
