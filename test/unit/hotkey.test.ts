import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { keycodes } from '../../electron/main/hotkey/keycodes';
import { parseAccelerator, type ChordKey } from '../../electron/main/hotkey/accelerator';
import { ChordTracker } from '../../electron/main/hotkey/chord-tracker';
import { withChanges } from '../../electron/main/settings/profiles';
import { bindingsOf } from '../../electron/main/hotkey/hotkey-feature';
import { HotkeyService, type HotkeyBinding } from '../../electron/main/hotkey/hotkey-service';
import { defaultProfile, defaultSettings } from '../../electron/main/settings/defaults';
import { PushToTalk, type TurnEndReason, type TurnStart } from '../../electron/main/hotkey/push-to-talk';
import type { KeySourceListener } from '../../electron/main/hotkey/uiohook-source';
import type { PushToTalkMode } from '../../shared/types';

const K = keycodes as Record<
  | 'Ctrl'
  | 'CtrlRight'
  | 'Shift'
  | 'ShiftRight'
  | 'Alt'
  | 'AltRight'
  | 'Meta'
  | 'MetaRight'
  | 'Space'
  | 'F1'
  | 'F9'
  | 'Escape'
  | 'A',
  number
>;

describe('parseAccelerator', () => {
  it('maps modifiers to both sides and keys to scan codes', () => {
    assert.deepEqual(parseAccelerator('Control+Shift+Space', K), {
      ok: true,
      chord: [[K.Ctrl, K.CtrlRight], [K.Shift, K.ShiftRight], [K.Space]],
    });
    assert.deepEqual(parseAccelerator('CommandOrControl+Alt+f9', K), {
      ok: true,
      chord: [[K.Ctrl, K.CtrlRight], [K.Alt, K.AltRight], [K.F9]],
    });
    assert.deepEqual(parseAccelerator('Super+Esc', K), { ok: true, chord: [[K.Meta, K.MetaRight], [K.Escape]] });
  });

  it('explains what it cannot watch', () => {
    assert.deepEqual(parseAccelerator('Control+Hyper', K), {
      ok: false,
      error: '"Hyper" is not a key Parley can watch',
    });
    assert.equal(parseAccelerator('Control++', K).ok, false);
    assert.equal(parseAccelerator('', K).ok, false);
  });
});

describe('ChordTracker', () => {
  const chord: ChordKey[] = [[K.Ctrl, K.CtrlRight], [K.Space]];
  let events: string[];
  let tracker: ChordTracker;
  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    events = [];
    tracker = new ChordTracker(chord, {
      pressed: (at) => events.push(`pressed@${at}`),
      released: (at) => events.push(`released@${at}`),
    });
  });
  afterEach(() => mock.timers.reset());

  /** What is already queued runs: the release is believed only after that. */
  const queuedEvents = () => new Promise((resolve) => setImmediate(resolve));

  it('presses when the last key of the chord goes down, releases when any goes up', async () => {
    tracker.keyDown(K.Ctrl, 0);
    assert.deepEqual(events, []);
    tracker.keyDown(K.Space, 10);
    tracker.keyUp(K.Ctrl, 500);
    mock.timers.tick(30);
    await queuedEvents();
    tracker.keyUp(K.Space, 540);
    assert.deepEqual(events, ['pressed@10', 'released@500']);
  });

  it('accepts the right-hand modifier too', () => {
    tracker.keyDown(K.CtrlRight, 0);
    tracker.keyDown(K.Space, 5);
    assert.deepEqual(events, ['pressed@5']);
  });

  it('ignores X11 auto-repeat release/press pairs while the chord is held', async () => {
    tracker.keyDown(K.Ctrl, 0);
    tracker.keyDown(K.Space, 0);
    for (let t = 600; t < 2000; t += 33) {
      tracker.keyUp(K.Space, t);
      mock.timers.tick(1);
      tracker.keyDown(K.Space, t);
    }
    mock.timers.tick(100);
    await queuedEvents();
    assert.deepEqual(events, ['pressed@0']);
    tracker.keyUp(K.Space, 2100);
    mock.timers.tick(30);
    await queuedEvents();
    assert.deepEqual(events, ['pressed@0', 'released@2100']);
  });

  it('counts a press waiting behind a late release timer as auto-repeat, as a busy event loop delivers it', async () => {
    tracker.keyDown(K.Ctrl, 0);
    tracker.keyDown(K.Space, 0);
    tracker.keyUp(K.Space, 600);
    mock.timers.tick(5); // the window is over, but the press of the pair is still queued…
    tracker.keyDown(K.Space, 600); // …and is handled before anything decides the key was let go
    await queuedEvents();
    assert.deepEqual(events, ['pressed@0']);
  });

  it('does not fire on a partial chord or on unrelated keys', async () => {
    tracker.keyDown(K.Space, 0);
    tracker.keyDown(K.A, 1);
    tracker.keyUp(K.Space, 2);
    mock.timers.tick(100);
    await queuedEvents();
    assert.deepEqual(events, []);
  });
});

describe('PushToTalk', () => {
  let turns: string[];
  let ptt: PushToTalk;
  const start = (mode: PushToTalkMode, maxTurnMs = 300_000) => {
    ptt = new PushToTalk(
      { mode, hybridHoldMs: 300, maxTurnMs },
      {
        turnStarted: (at) => turns.push(`start@${at}`),
        turnEnded: (at, reason: TurnEndReason) => turns.push(`end@${at}:${reason}`),
      },
    );
  };
  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    turns = [];
  });
  afterEach(() => {
    ptt.dispose();
    mock.timers.reset();
  });

  it('hold: talks exactly while the key is down', () => {
    start('hold');
    ptt.pressed(0);
    ptt.released(50);
    ptt.pressed(100);
    ptt.released(2000);
    assert.deepEqual(turns, ['start@0', 'end@50:released', 'start@100', 'end@2000:released']);
  });

  it('toggle: a tap starts, the next tap stops', () => {
    start('toggle');
    ptt.pressed(0);
    ptt.released(80);
    assert.equal(ptt.talking, true);
    ptt.pressed(3000);
    ptt.released(3080);
    assert.deepEqual(turns, ['start@0', 'end@3000:tapped']);
    assert.equal(ptt.talking, false);
  });

  it('hybrid: a long press is push-to-talk, a short tap goes hands-free until the next tap', () => {
    start('hybrid');
    ptt.pressed(0);
    ptt.released(300);
    ptt.pressed(1000);
    ptt.released(1100);
    assert.equal(ptt.talking, true);
    ptt.pressed(5000);
    ptt.released(5400);
    assert.deepEqual(turns, ['start@0', 'end@300:released', 'start@1000', 'end@5000:tapped']);
  });

  it('ends a turn whose key is stuck after the maximum length, and ignores the late release', () => {
    start('hold', 60_000);
    ptt.pressed(0);
    mock.timers.tick(60_000);
    assert.deepEqual(turns, ['start@0', 'end@60000:max-length']);
    ptt.released(90_000);
    assert.deepEqual(turns, ['start@0', 'end@60000:max-length']);
  });

  it('can be stopped from elsewhere', () => {
    start('toggle');
    ptt.pressed(0);
    ptt.stop(10);
    ptt.stop(20);
    assert.deepEqual(turns, ['start@0', 'end@10:tapped']);
  });
});

describe('PushToTalk when the turn ends elsewhere', () => {
  it('toggle: after a turn ended without the hotkey, the next tap starts a new one', () => {
    const turns: string[] = [];
    const ptt = new PushToTalk(
      { mode: 'toggle', hybridHoldMs: 300, maxTurnMs: 300_000 },
      { turnStarted: (at) => turns.push(`start@${at}`), turnEnded: (at) => turns.push(`end@${at}`) },
    );
    ptt.pressed(0);
    ptt.released(50);
    ptt.endedElsewhere(); // say, the microphone failed
    ptt.pressed(1000);
    ptt.released(1050);
    assert.deepEqual(turns, ['start@0', 'start@1000'], 'the tap started a turn instead of ending a dead one');
    ptt.dispose();
  });
});

/** A profile's push to talk (`look` false) or its screen hotkey. */
const binding = (accelerator: string, options: Partial<Omit<HotkeyBinding, 'accelerator'>> = {}): HotkeyBinding => ({
  profile: 'assistant',
  look: false,
  mode: 'hold',
  accelerator,
  ...options,
});
/** How the turns read in the tests: "start:coder", or "start:assistant+screen" for a turn that shows the screen. */
const started = (how: TurnStart) => `start:${how.profile}${how.look ? '+screen' : ''}`;

describe('HotkeyService restarts', () => {
  /** A key hook whose probe answers when the test says, and which counts who listens to it. */
  function slowHook() {
    const listeners = new Set<KeySourceListener>();
    const probes: (() => void)[] = [];
    const turns: string[] = [];
    const service = new HotkeyService({
      probe: () => new Promise((resolve) => probes.push(() => resolve({ available: true }))),
      startKeySource: (listener) => {
        listeners.add(listener);
        return Promise.resolve({ stop: () => listeners.delete(listener) });
      },
      shortcuts: { register: () => true, unregisterAll: () => undefined },
      now: () => 0,
      turns: { turnStarted: () => turns.push('start'), turnEnded: (_at, reason) => turns.push(`end:${reason}`) },
    });
    const press = () => {
      for (const listener of [...listeners]) {
        listener.keyDown(K.Ctrl, 0);
        listener.keyDown(K.Shift, 0);
        listener.keyDown(K.Space, 0);
      }
    };
    const answerProbes = async () => {
      for (let i = 0; i < 5; i++) {
        probes.splice(0).forEach((answer) => answer());
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    return { service, listeners, turns, press, answerProbes };
  }
  const hotkey = binding('Control+Shift+Space');

  it('two quick restarts leave exactly one listener, so a press starts one turn', async () => {
    const { service, listeners, turns, press, answerProbes } = slowHook();
    const first = service.start([hotkey]);
    const second = service.start([{ ...hotkey, mode: 'toggle' }]);
    await answerProbes();
    await Promise.all([first, second]);
    assert.equal(listeners.size, 1);
    press();
    assert.deepEqual(turns, ['start']);
    service.dispose();
  });

  it('a restart during a hands-free turn ends it first, so the microphone does not stay on', async () => {
    const { service, turns, answerProbes } = slowHook();
    const started = service.start([hotkey]);
    await answerProbes();
    await started;
    service.toggleTurn('assistant');
    const restarted = service.start([hotkey]);
    await answerProbes();
    await restarted;
    assert.deepEqual(turns, ['start', 'end:tapped']);
    service.dispose();
  });

  it('a start still probing when the app closes starts nothing', async () => {
    const { service, listeners, answerProbes } = slowHook();
    const started = service.start([hotkey]);
    service.dispose();
    await answerProbes();
    assert.equal((await started).keyReleases, false);
    assert.equal(listeners.size, 0);
  });
});

/** A service listening for `bindings`, with the key hook (unless `keyHook` is false) and global shortcuts at hand. */
async function listening(
  bindings: HotkeyBinding[],
  options: { keyHook?: boolean; register?: (accelerator: string) => boolean } = {},
) {
  let listener: KeySourceListener | undefined;
  const turns: string[] = [];
  const shortcuts = new Map<string, () => void>();
  const service = new HotkeyService({
    probe: () =>
      Promise.resolve(
        options.keyHook === false
          ? { available: false, reason: 'No key hook here.', fix: 'Use X11.' }
          : { available: true },
      ),
    startKeySource: (next) => {
      listener = next;
      return Promise.resolve({ stop: () => (listener = undefined) });
    },
    shortcuts: {
      register: (accelerator, onPress) => {
        if (options.register && !options.register(accelerator)) return false;
        shortcuts.set(accelerator, onPress);
        return true;
      },
      unregisterAll: () => shortcuts.clear(),
    },
    now: () => 0,
    turns: {
      turnStarted: (_at, how) => turns.push(started(how)),
      turnEnded: (_at, reason) => turns.push(`end:${reason}`),
    },
  });
  const status = await service.start(bindings);
  const down = (...keys: number[]) => keys.forEach((key) => listener!.keyDown(key, 0));
  /** Releases keys, then lets the chord trackers believe it (they wait out X auto-repeat). */
  const up = async (...keys: number[]) => {
    keys.forEach((key) => listener!.keyUp(key, 0));
    mock.timers.tick(10);
    await new Promise((resolve) => setImmediate(resolve));
  };
  const tap = async (...keys: number[]) => {
    down(...keys);
    await up(...keys);
  };
  /** A press of a global shortcut, as Electron reports it. */
  const shortcut = (accelerator: string) => shortcuts.get(accelerator)!();
  return { service, status, turns, down, up, tap, shortcut, shortcuts };
}

describe('HotkeyService with a screen hotkey', () => {
  const talk = binding('Control+Shift+Space');
  const screen = binding('Control+Alt+Shift+Space', { look: true });
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('the screen chord starts a turn that shows the screen, and the push-to-talk chord (without Alt) one that does not', async () => {
    const { service, status, turns, down, up } = await listening([talk, screen]);
    assert.deepEqual(status, {
      keyReleases: true,
      bindings: [
        { ...talk, effectiveMode: 'hold' },
        { ...screen, effectiveMode: 'hold' },
      ],
    });
    down(K.Ctrl, K.Alt, K.Shift, K.Space);
    await up(K.Space, K.Alt);
    down(K.Space);
    await up(K.Space, K.Shift, K.Ctrl);
    assert.deepEqual(turns, ['start:assistant+screen', 'end:released', 'start:assistant', 'end:released']);
    service.dispose();
  });

  it('adding Alt to a held push-to-talk chord moves the turn to the screen, one turn at a time', async () => {
    const { service, turns, down, up } = await listening([talk, screen]);
    down(K.Ctrl, K.Shift, K.Space);
    down(K.Alt);
    await up(K.Space, K.Alt, K.Shift, K.Ctrl);
    assert.deepEqual(
      turns,
      ['start:assistant', 'start:assistant+screen', 'end:released'],
      'the first turn is not ended twice',
    );
    service.dispose();
  });

  it('without a screen hotkey, its chord is push to talk with Alt held, as before: a turn that shows nothing', async () => {
    const { service, status, turns, tap } = await listening([talk]);
    assert.equal(status.bindings.length, 1);
    await tap(K.Ctrl, K.Alt, K.Shift, K.Space);
    assert.deepEqual(turns, ['start:assistant', 'end:released']);
    service.dispose();
  });

  it('push to talk still works with a key held that makes no other hotkey (Super)', async () => {
    const { service, turns, tap } = await listening([talk, screen]);
    await tap(K.Meta, K.Ctrl, K.Shift, K.Space);
    assert.deepEqual(turns, ['start:assistant', 'end:released']);
    service.dispose();
  });

  it('without the key hook, both hotkeys are global shortcuts that toggle; one taken elsewhere says so', async () => {
    const { service, status, turns, shortcut } = await listening([talk, screen], {
      keyHook: false,
      register: (accelerator) => accelerator !== screen.accelerator,
    });
    assert.equal(status.keyReleases, false);
    assert.deepEqual(
      status.bindings.map(({ effectiveMode }) => effectiveMode),
      ['toggle', 'toggle'],
    );
    assert.equal(status.bindings[0]!.problem, undefined);
    assert.match(status.bindings[1]!.problem?.reason ?? '', /could not be registered/);
    assert.equal(status.bindings[1]!.problem?.fix, 'Choose another screen hotkey in Settings.');
    shortcut(talk.accelerator);
    shortcut(talk.accelerator);
    assert.deepEqual(turns, ['start:assistant', 'end:tapped']);
    service.dispose();
    const both = await listening([talk, screen], { keyHook: false });
    assert.equal(both.status.bindings[1]!.problem, undefined);
    both.shortcut(screen.accelerator);
    both.shortcut(screen.accelerator);
    assert.deepEqual(both.turns, ['start:assistant+screen', 'end:tapped']);
    both.service.dispose();
  });
});

describe('HotkeyService with several profiles', () => {
  const assistant = binding('Control+Shift+Space');
  const assistantScreen = binding('Control+Alt+Shift+Space', { look: true });
  const coder = binding('Control+Shift+F1', { profile: 'coder', mode: 'toggle' });
  const all = [assistant, assistantScreen, coder];
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it("each chord starts its own profile's turns, a chord that is another plus more keys going to the longer one", async () => {
    const { service, turns, tap } = await listening(all);
    await tap(K.Ctrl, K.Alt, K.Shift, K.Space);
    await tap(K.Ctrl, K.Shift, K.Space);
    await tap(K.Ctrl, K.Shift, K.F1);
    await tap(K.Ctrl, K.Shift, K.F1);
    assert.deepEqual(turns, [
      'start:assistant+screen',
      'end:released',
      'start:assistant',
      'end:released',
      'start:coder',
      'end:tapped',
    ]);
    service.dispose();
  });

  it('each hotkey has its own mode: a hold beside a toggle', async () => {
    const { service, status, turns, tap } = await listening([assistant, coder]);
    assert.deepEqual(
      status.bindings.map(({ profile, effectiveMode }) => `${profile}:${effectiveMode}`),
      ['assistant:hold', 'coder:toggle'],
    );
    await tap(K.Ctrl, K.Shift, K.F1);
    assert.deepEqual(turns, ['start:coder'], 'a tap of the toggle leaves its turn going');
    await tap(K.Ctrl, K.Shift, K.Space);
    assert.deepEqual(turns, ['start:coder', 'start:assistant', 'end:released'], 'the hold ends on its release');
    service.dispose();
  });

  it("a press of another profile's hotkey while one is held ends that turn and starts the other's, once", async () => {
    const { service, turns, down, up, tap } = await listening(all);
    down(K.Ctrl, K.Shift, K.Space);
    down(K.F1);
    await up(K.F1, K.Space);
    assert.deepEqual(turns, ['start:assistant', 'start:coder'], "the assistant's release ends nothing more");
    await tap(K.F1);
    assert.deepEqual(turns, ['start:assistant', 'start:coder', 'end:tapped']);
    await up(K.Shift, K.Ctrl);
    await tap(K.Ctrl, K.Shift, K.Space);
    assert.deepEqual(turns.slice(3), ['start:assistant', 'end:released'], 'the assistant starts afresh');
    service.dispose();
  });

  it('a hotkey the key hook cannot watch becomes a global shortcut on its own, and says why; the others keep the hook', async () => {
    const hyper = binding('Control+Hyper', { profile: 'coder' });
    const { service, status, turns, tap, shortcut, shortcuts } = await listening([assistant, hyper]);
    assert.equal(status.keyReleases, true);
    assert.equal(status.problem, undefined);
    assert.deepEqual(status.bindings[0], { ...assistant, effectiveMode: 'hold' });
    assert.equal(status.bindings[1]!.effectiveMode, 'toggle');
    assert.match(status.bindings[1]!.problem?.reason ?? '', /"Hyper" is not a key Parley can watch/);
    assert.deepEqual([...shortcuts.keys()], ['Control+Hyper'], 'the key hook still watches push to talk');
    shortcut('Control+Hyper');
    await tap(K.Ctrl, K.Shift, K.Space);
    assert.deepEqual(turns, ['start:coder', 'start:assistant', 'end:released']);
    service.dispose();
  });

  it('a hotkey neither the key hook nor a global shortcut can take says both', async () => {
    const hyper = binding('Control+Hyper', { profile: 'coder' });
    const { service, status } = await listening([assistant, hyper], { register: () => false });
    assert.match(
      status.bindings[1]!.problem?.reason ?? '',
      /not a key Parley can watch\. Control\+Hyper could not be registered/,
    );
    assert.equal(status.bindings[0]!.problem, undefined);
    service.dispose();
  });

  it('without the key hook, every hotkey of every profile toggles through a global shortcut, and the status says why', async () => {
    const { service, status, turns, shortcut } = await listening(all, {
      keyHook: false,
      register: (accelerator) => accelerator !== coder.accelerator,
    });
    assert.equal(status.keyReleases, false);
    assert.equal(status.problem?.reason, 'No key hook here.');
    assert.match(status.problem?.fix ?? '', /^Use X11\. Until then the hotkey toggles/);
    assert.deepEqual(
      status.bindings.map(({ effectiveMode }) => effectiveMode),
      ['toggle', 'toggle', 'toggle'],
    );
    assert.deepEqual(
      status.bindings.map(({ problem }) => problem?.fix),
      [undefined, undefined, 'Choose another hotkey in Settings, or use Talk in the tray menu.'],
    );
    shortcut(assistant.accelerator);
    shortcut(assistantScreen.accelerator);
    shortcut(assistantScreen.accelerator);
    assert.deepEqual(turns, ['start:assistant', 'start:assistant+screen', 'end:tapped']);
    service.dispose();
  });

  it("Talk in the tray starts a hands-free turn of the profile asked for, and ends any profile's turn under way", async () => {
    const { service, turns, tap, down, up } = await listening(all);
    service.toggleTurn('assistant');
    await tap(K.Ctrl, K.Shift, K.Alt); // no hotkey: the hands-free turn goes on
    service.toggleTurn('coder');
    assert.deepEqual(turns, ['start:assistant', 'end:tapped'], "the assistant's turn ends; the coder's does not start");
    service.toggleTurn('coder');
    down(K.Ctrl, K.Alt, K.Shift, K.Space);
    service.toggleTurn('assistant');
    await up(K.Space, K.Alt, K.Shift, K.Ctrl);
    service.toggleTurn('nobody');
    assert.deepEqual(turns, ['start:assistant', 'end:tapped', 'start:coder', 'start:assistant+screen', 'end:tapped']);
    service.dispose();
  });
});

describe('the hotkeys of the settings', () => {
  it("are each profile's push to talk, and its screen hotkey in the same mode while it may see the screen", () => {
    const coder = {
      ...defaultProfile,
      id: 'p-c0de00',
      name: 'Coder',
      hotkey: { accelerator: 'Control+Shift+F1', mode: 'toggle' as const },
      screen: { ...defaultProfile.screen, enabled: false },
    };
    const settings = withChanges(
      { ...defaultSettings, profiles: [defaultProfile, coder] },
      { hotkey: { accelerator: 'Control+F9', mode: 'hybrid' } },
    );
    assert.deepEqual(bindingsOf(settings), [
      { profile: 'assistant', look: false, accelerator: 'Control+F9', mode: 'hybrid' },
      { profile: 'assistant', look: true, accelerator: 'Control+Alt+Shift+Space', mode: 'hybrid' },
      { profile: 'p-c0de00', look: false, accelerator: 'Control+Shift+F1', mode: 'toggle' },
    ]);
  });
});
