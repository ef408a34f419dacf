import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { HotkeyService } from '../../electron/main/hotkey/hotkey-service';
import { nodeTrial, probeKeyHook } from '../../electron/main/hotkey/key-hook-probe';
import { startUiohook } from '../../electron/main/hotkey/uiohook-source';
import type { HotkeyStatus } from '../../shared/types';
import { builtKeyHookTrial } from '../harness/paths';
import { startXvfb, xdotool, xdotoolTogether, type XDisplay } from '../harness/xvfb';

// The trial the app ships (out/main/key-hook-trial.js), run as a Node child.
const runTrial = nodeTrial(process.execPath, builtKeyHookTrial);
const probeOn = (env: Record<string, string | undefined>, platform = 'linux') =>
  probeKeyHook({ platform, env, runTrial });

describe('key hook probe', () => {
  it('explains a missing display without trying the hook', async () => {
    const result = await probeOn({});
    assert.equal(result.available, false);
    assert.match(!result.available ? result.reason : '', /no X display/);
    const wayland = await probeOn({ WAYLAND_DISPLAY: 'wayland-0' });
    assert.match(!wayland.available ? wayland.reason : '', /Wayland session has no XWayland/);
  });

  it('explains missing Accessibility access on macOS', async () => {
    const result = await probeKeyHook({
      platform: 'darwin',
      env: {},
      runTrial,
      accessibilityTrusted: () => false,
    });
    assert.match(!result.available ? result.fix : '', /Privacy & Security → Accessibility/);
  });

  it('survives a display without RECORD and says so', async () => {
    const xvfb = await startXvfb({ record: false });
    try {
      const result = await probeOn({ ...process.env, DISPLAY: xvfb.display });
      assert.equal(result.available, false);
      assert.match(!result.available ? result.reason : '', /RECORD extension/);
    } finally {
      await xvfb.stop();
    }
  });

  it('survives a display that does not exist', async () => {
    const result = await probeOn({ ...process.env, DISPLAY: ':4242' });
    assert.equal(result.available, false);
  });
});

describe('hotkey from real X key events', () => {
  let xvfb: XDisplay;
  const saved = process.env.DISPLAY;
  before(async () => {
    xvfb = await startXvfb();
    // uiohook opens the display named in this process's environment.
    process.env.DISPLAY = xvfb.display;
  });
  // The X server outlives these tests (see XDisplay.stop): uiohook stays connected to it.
  after(() => {
    process.env.DISPLAY = saved;
  });

  async function listen(mode: 'hold' | 'toggle', accelerator = 'Control+Shift+Space') {
    const turns: string[] = [];
    const registered: string[] = [];
    const service = new HotkeyService({
      probe: () => probeOn({ ...process.env }),
      startKeySource: startUiohook,
      shortcuts: { register: (a) => (registered.push(a), true), unregisterAll: () => undefined },
      turns: { turnStarted: () => turns.push('start'), turnEnded: (_at, reason) => turns.push(`end:${reason}`) },
      now: () => performance.now(),
    });
    const status: HotkeyStatus = await service.start([{ profile: 'assistant', look: false, accelerator, mode }]);
    return { service, status, turns, registered };
  }

  /** Waits for the turns to come: a key event takes milliseconds; 10 s only tells a lost one from a busy machine. */
  async function waitFor(turns: string[], count: number): Promise<void> {
    for (let waited = 0; turns.length < count && waited < 10_000; waited += 10) await sleep(10);
  }

  it('starts a turn when the chord goes down and ends it when a key goes up', async () => {
    const { service, status, turns, registered } = await listen('hold');
    try {
      assert.deepEqual(
        { keyReleases: status.keyReleases, problem: status.problem },
        { keyReleases: true, problem: undefined },
      );
      assert.deepEqual(registered, [], 'no global shortcut while key releases are visible');
      await xdotool(xvfb.display, 'keydown', 'ctrl+shift+space');
      await waitFor(turns, 1);
      assert.deepEqual(turns, ['start']);
      await xdotool(xvfb.display, 'keyup', 'space');
      await waitFor(turns, 2);
      assert.deepEqual(turns, ['start', 'end:released']);
    } finally {
      await xdotool(xvfb.display, 'keyup', 'ctrl+shift+space');
      service.dispose();
    }
  });

  it('keeps the turn through X auto-repeat while the key is held', async () => {
    const { service, turns } = await listen('hold', 'F9');
    try {
      await xdotool(xvfb.display, 'keydown', 'F9');
      await waitFor(turns, 1);
      // What X11 auto-repeat produces while a key is held: release and press back to back.
      // Back to back, as X11 auto-repeat makes them: xdotool would otherwise wait 12 ms after each key.
      for (let i = 0; i < 5; i++)
        await xdotoolTogether(xvfb.display, 'keyup', '--delay', '0', 'F9', 'keydown', '--delay', '0', 'F9');
      await sleep(150);
      assert.deepEqual(turns, ['start']);
      await xdotool(xvfb.display, 'keyup', 'F9');
      await waitFor(turns, 2);
      assert.deepEqual(turns, ['start', 'end:released']);
    } finally {
      service.dispose();
    }
  });

  it('toggles with taps', async () => {
    const { service, turns } = await listen('toggle', 'F9');
    try {
      await xdotool(xvfb.display, 'key', 'F9');
      await waitFor(turns, 1);
      await sleep(100);
      assert.deepEqual(turns, ['start']);
      await xdotool(xvfb.display, 'key', 'F9');
      await waitFor(turns, 2);
      assert.deepEqual(turns, ['start', 'end:tapped']);
    } finally {
      service.dispose();
    }
  });
});
