import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { DisplayMediaPort, IpcSender, ScreenSource } from '../../electron/main/ports';
import { ScreenTurns, type FocusedWindow } from '../../electron/main/screen/screen-turns';
import { blocksPicture, encodeJpeg } from '../support/pictures';

const audioPage: IpcSender = { webContentsId: 3, frameUrl: 'app://parley/audio.html', isMainFrame: true };
const transcriptPage: IpcSender = { webContentsId: 4, frameUrl: 'app://parley/transcript.html', isMainFrame: true };

const jpegOf = (width: number, height: number) =>
  new Uint8Array(
    encodeJpeg(
      blocksPicture(width, height, 2, [
        [200, 40, 40],
        [40, 70, 200],
      ]),
    ),
  );

/** ScreenTurns with a display-media port and a renderer that log what happens. */
interface RigOptions {
  screens?: ScreenSource[];
  pointer?: string;
  permissionProblem?: string;
  systemPicker?: boolean;
  /** Show the focused window: this one (listed for capture unless `unlisted`), or why it cannot be. */
  focused?: FocusedWindow;
  unlisted?: boolean;
  /** Screen sharing off in Settings. */
  off?: boolean;
  /** The focus read, when the test decides when it completes. */
  reading?: Promise<FocusedWindow>;
}

function rig(options: RigOptions = {}) {
  const log: string[] = [];
  let answer: ((from: IpcSender) => Promise<string | undefined>) | undefined;
  const displayMedia: DisplayMediaPort = {
    onRequest: (next) => (answer = next),
    screens: () =>
      Promise.resolve(
        options.screens ?? [
          { id: 'screen:1:0', name: 'Left', displayId: '1' },
          { id: 'screen:2:0', name: 'Right', displayId: '2' },
        ],
      ),
    pointerDisplayId: () => options.pointer,
    permissionProblem: () => options.permissionProblem,
    systemPicker: options.systemPicker ?? false,
    windows: () =>
      Promise.resolve(
        options.focused && 'sourceId' in options.focused && !options.unlisted
          ? [{ id: options.focused.sourceId, name: 'Editor' }]
          : [],
      ),
  };
  const grabs: { turnId: number; grabId: number }[] = [];
  const screen = new ScreenTurns({
    displayMedia,
    allowed: () => !options.off,
    fromAudioWindow: (sender) => sender.webContentsId === audioPage.webContentsId,
    resolution: () => 'MEDIA_RESOLUTION_LOW',
    renderer: {
      open: (turnId) => log.push(`open${turnId}`),
      grab: (turnId, grabId) => (grabs.push({ turnId, grabId }), log.push(`grab${turnId}`)),
      close: (turnId) => log.push(`close${turnId}`),
    },
    deliver: (turnId, frame) => log.push(`deliver${turnId}:${frame.width}x${frame.height}`),
    failed: (turnId, reason) => log.push(`failed${turnId}:${reason}`),
    seeing: (on) => log.push(on ? 'seeing' : 'not seeing'),
    tell: (message) => log.push(`tell:${message}`),
    target: () => (options.focused ? 'window' : 'display'),
    focusedWindow: () => (log.push('read focus'), options.reading ?? Promise.resolve(options.focused!)),
    noteOnTurn: (turnId, note) => log.push(`note${turnId}:${note}`),
    hideOwnWindows: () => (log.push('hide windows'), () => log.push('show windows')),
    warn: (message) => log.push(`warn:${message}`),
    // The mocked clock, so a test decides when a second has passed.
    clock: {
      now: () => Date.now(),
      setTimeout: (run, ms) => setTimeout(run, ms),
      clearTimeout: (handle) => clearTimeout(handle as number),
    },
  });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { log, screen, grabs, request: (from: IpcSender) => answer!(from), settle };
}

describe('ScreenTurns', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'] }));
  afterEach(() => mock.timers.reset());

  it('opens the capture at the start, grabs at once, checks the frame and delivers it; then one a second; none after close', async () => {
    const { log, screen, grabs, settle } = rig();
    screen.open(1);
    await settle();
    assert.deepEqual(
      log,
      ['seeing', 'hide windows', 'open1', 'grab1'],
      "Parley's windows hide before the capture opens",
    );
    screen.frame({ turnId: 1, grabId: grabs[0]!.grabId, jpeg: jpegOf(768, 432), width: 768, height: 432 });
    await settle();
    assert.equal(log.at(-1), 'deliver1:768x432');
    mock.timers.tick(999);
    assert.equal(grabs.length, 1, 'not before a second has passed');
    mock.timers.tick(1);
    assert.equal(grabs.length, 2);
    screen.close(1);
    screen.frame({ turnId: 1, grabId: grabs[1]!.grabId, jpeg: jpegOf(768, 432), width: 768, height: 432 });
    await settle();
    assert.deepEqual(log.slice(-4), ['close1', 'show windows', 'not seeing', log.at(-1)!]);
    assert.match(log.at(-1)!, /^warn:dropped a screen frame/);
    assert.equal(log.filter((line) => line.startsWith('deliver')).length, 1);
  });

  it('refuses a frame that is not what it claims; the turn goes on without the screen, said once', async () => {
    const { log, screen, grabs, settle } = rig();
    screen.open(1);
    await settle();
    screen.frame({ turnId: 1, grabId: grabs[0]!.grabId, jpeg: jpegOf(768, 432), width: 700, height: 432 });
    await settle();
    assert.ok(!log.some((line) => line.startsWith('deliver')));
    const failures = log.filter((line) => line.startsWith('failed1:'));
    assert.equal(failures.length, 1);
    assert.match(failures[0]!, /The screen frame was refused: it is 768×432, not 700×432/);
    mock.timers.tick(5000);
    assert.equal(grabs.length, 1, 'no more grabs in that turn');
    assert.equal(log.filter((line) => line === 'not seeing').length, 1, 'the state line stops saying it sees');
  });

  it('grants getDisplayMedia only to the audio window, only while a screen turn is open, the display under the pointer', async () => {
    const { screen, request } = rig({ pointer: '2' });
    assert.equal(await request(audioPage), undefined, 'no screen turn open');
    screen.open(1);
    assert.equal(await request(transcriptPage), undefined, 'not the audio window');
    assert.equal(await request(audioPage), 'screen:2:0');
    screen.close(1);
    assert.equal(await request(audioPage), undefined, 'the turn is over');
  });

  it('takes the first screen where the system cannot say which display the pointer is on', async () => {
    const { screen, request } = rig({ screens: [{ id: 'screen:picked', name: 'Entire screen' }] });
    screen.open(1);
    assert.equal(await request(audioPage), 'screen:picked');
  });

  it('a capture refused for want of permission tells the user what to do, in its own words', async () => {
    const problem = 'macOS has not allowed Parley to record the screen. Allow it in System Settings.';
    const { log, screen, request, settle } = rig({ permissionProblem: problem });
    screen.open(1);
    assert.equal(await request(audioPage), undefined);
    screen.failure({ turnId: 1, kind: 'refused', message: 'Permission denied' });
    await settle();
    assert.deepEqual(
      log.filter((line) => line.startsWith('failed')),
      [`failed1:Voice only: Gemini did not see the screen. ${problem}`],
    );
  });

  it('a capture the user refused (the system picker cancelled) says so and how to try again', async () => {
    const { log, screen, settle } = rig();
    screen.open(1);
    await settle();
    screen.failure({ turnId: 1, kind: 'refused', message: 'Permission denied' });
    await settle();
    assert.match(
      log.find((line) => line.startsWith('failed1:')) ?? '',
      /refused or cancelled \(Permission denied\)\. Allow it when your system asks next time/,
    );
  });

  it('a failure report of another turn changes nothing', async () => {
    const { log, screen, settle } = rig();
    screen.open(2);
    screen.failure({ turnId: 1, kind: 'failed', message: 'gone' });
    await settle();
    assert.ok(!log.some((line) => line.startsWith('failed')));
  });

  it('a look takes one frame and closes the capture at once', async () => {
    const { log, screen, grabs, settle } = rig();
    const looked = screen.look(4, new AbortController().signal);
    await settle();
    screen.frame({ turnId: 4, grabId: grabs[0]!.grabId, jpeg: jpegOf(768, 432), width: 768, height: 432 });
    const frame = await looked;
    assert.deepEqual([frame.width, frame.height], [768, 432]);
    await settle();
    assert.deepEqual(log, ['seeing', 'hide windows', 'open4', 'grab4', 'close4', 'show windows', 'not seeing']);
  });

  it('a look cancelled while it waits closes the capture and gives nothing', async () => {
    const { log, screen, settle } = rig();
    const cancel = new AbortController();
    const looked = screen.look(4, cancel.signal);
    await settle();
    cancel.abort();
    await assert.rejects(looked, /the turn is over/);
    assert.deepEqual(log.slice(-3), ['close4', 'show windows', 'not seeing']);
  });

  it('a look the capture refused says why', async () => {
    const { screen, settle } = rig({ permissionProblem: 'Screen Recording is not allowed.' });
    const looked = screen.look(4, new AbortController().signal);
    await settle();
    screen.failure({ turnId: 4, kind: 'refused', message: 'Permission denied' });
    await assert.rejects(looked, /Screen sharing was refused or cancelled/);
  });

  it("explains the system's screen picker before it first appears, once a run", async () => {
    const { log, screen, request } = rig({
      systemPicker: true,
      screens: [{ id: 'screen:picked', name: 'Entire screen' }],
    });
    screen.open(1);
    assert.equal(await request(audioPage), 'screen:picked');
    screen.close(1);
    screen.open(2);
    await request(audioPage);
    const told = log.filter((line) => line.startsWith('tell:'));
    assert.equal(told.length, 1);
    assert.match(
      told[0]!,
      /Your desktop now asks which screen Gemini may see\. Parley keeps your choice until it quits/,
    );
  });

  it('shows the focused window when the user chose it, read before Parley hides its own windows', async () => {
    let focusRead: (focused: FocusedWindow) => void = () => undefined;
    const reading = new Promise<FocusedWindow>((resolve) => (focusRead = resolve));
    const { log, screen, request, settle } = rig({ focused: { sourceId: 'window:4194311:0' }, reading });
    screen.open(1);
    await settle();
    assert.deepEqual(log, ['seeing', 'read focus'], 'hiding moves the focus: nothing hides or opens before it is read');
    focusRead({ sourceId: 'window:4194311:0' });
    await settle();
    assert.deepEqual(log.slice(2, 4), ['hide windows', 'open1']);
    assert.equal(await request(audioPage), 'window:4194311:0');
    assert.ok(!log.some((line) => line.startsWith('note')));
  });

  it('shows the display under the pointer when the focused window cannot be, and the turn says why', async () => {
    const own = rig({ pointer: '2', focused: { unavailable: "Parley's own window had the focus" } });
    own.screen.open(1);
    assert.equal(await own.request(audioPage), 'screen:2:0');
    assert.deepEqual(
      own.log.filter((line) => line.startsWith('note')),
      ["note1:Gemini saw the display under the pointer, not the focused window: Parley's own window had the focus."],
    );

    const unlisted = rig({ pointer: '1', focused: { sourceId: 'window:9:0' }, unlisted: true });
    unlisted.screen.open(1);
    assert.equal(await unlisted.request(audioPage), 'screen:1:0');
    assert.match(unlisted.log.find((line) => line.startsWith('note')) ?? '', /does not list the focused window/);
  });

  it('captures nothing while screen sharing is off, whatever asks: a turn, a look, or a page', async () => {
    const { log, screen, request } = rig({ off: true });
    screen.open(1);
    await assert.rejects(screen.look(2, new AbortController().signal), /Screen sharing is off in Settings/);
    assert.equal(await request(audioPage), undefined);
    assert.ok(!log.some((line) => /^(open|grab|seeing)/.test(line)), log.join(', '));
  });

  it("a look during the user's own screen turn leaves that turn alone", async () => {
    const { log, screen, settle } = rig();
    screen.open(1);
    await settle();
    await assert.rejects(screen.look(2, new AbortController().signal), /showing the screen in this turn already/);
    assert.ok(!log.includes('close1'));
  });

  it('a grab the renderer never answers fails with the reason, and the turn goes on with voice only', async () => {
    const { log, screen, settle } = rig();
    screen.open(1);
    await settle();
    mock.timers.tick(5000);
    await settle();
    assert.match(
      log.find((line) => line.startsWith('failed1:')) ?? '',
      /Voice only: .*The screen capture did not answer\./,
    );
    assert.ok(
      log.includes('close1') && log.includes('show windows'),
      'the capture and the windows need not wait for the release',
    );
  });
});
