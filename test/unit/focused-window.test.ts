import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  focusedWindowFinder,
  focusedWindowSupport,
  type FocusedWindowFinder,
} from '../../electron/main/screen/focused-window';
import { startXvfb, type XDisplay } from '../harness/xvfb';

const run = promisify(execFile);

/** What a window manager does when a window gets the focus: _NET_ACTIVE_WINDOW on the root window. */
async function focus(display: string, xid: number): Promise<void> {
  const args = ['-display', display, '-root', '-f', '_NET_ACTIVE_WINDOW', '32x', '-set', '_NET_ACTIVE_WINDOW'];
  await run('xprop', [...args, `0x${xid.toString(16)}`]);
}

describe('which window has the focus', () => {
  it('is known on an X11 desktop only, and where it is not, Settings can say why', () => {
    assert.deepEqual(focusedWindowSupport('linux', { DISPLAY: ':0' }), { enabled: true });
    assert.match(
      (focusedWindowSupport('linux', { DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0' }) as { reason: string }).reason,
      /On Wayland no program may know which window has the focus/,
    );
    assert.match((focusedWindowSupport('win32', {}) as { reason: string }).reason, /on Windows yet/);
    assert.match((focusedWindowSupport('darwin', {}) as { reason: string }).reason, /on macOS yet/);
    assert.match((focusedWindowSupport('linux', {}) as { reason: string }).reason, /no X display/);
  });

  describe('on an X server (Xvfb)', () => {
    let x: XDisplay;
    /** Held open throughout: an X server resets when its last client leaves, and its atoms go with it. */
    let keeper: FocusedWindowFinder;
    before(async () => {
      x = await startXvfb({ record: false });
      keeper = focusedWindowFinder('linux', { DISPLAY: x.display }, () => []);
      await keeper.find();
    });
    after(async () => {
      keeper.close();
      await x.stop();
    });

    it("reads the window manager's focused window as Chromium's capture source id, each time afresh", async () => {
      const finder = focusedWindowFinder('linux', { DISPLAY: x.display }, () => []);
      try {
        assert.deepEqual(await finder.find(), { unavailable: 'no window has the focus' });
        await focus(x.display, 0x400007);
        assert.deepEqual(await finder.find(), { sourceId: `window:${0x400007}:0` });
        await focus(x.display, 0x600012);
        assert.deepEqual(await finder.find(), { sourceId: `window:${0x600012}:0` });
      } finally {
        finder.close();
      }
    });

    it("never names one of Parley's own windows", async () => {
      await focus(x.display, 0x800001);
      const finder = focusedWindowFinder('linux', { DISPLAY: x.display }, () => [`window:${0x800001}:0`]);
      try {
        assert.deepEqual(await finder.find(), { unavailable: "Parley's own window had the focus" });
      } finally {
        finder.close();
      }
    });

    it('says why when the X server cannot be reached', async () => {
      const finder = focusedWindowFinder('linux', { DISPLAY: ':4242' }, () => []);
      try {
        await assert.rejects(finder.find());
      } finally {
        finder.close();
      }
    });
  });
});
