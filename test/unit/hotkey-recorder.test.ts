import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAccelerator } from '../../electron/main/hotkey/accelerator';
import { canonicalAccelerator, checkHotkey } from '../../electron/main/hotkey/hotkey-check';
import { HotkeyService } from '../../electron/main/hotkey/hotkey-service';
import { keycodes } from '../../electron/main/hotkey/keycodes';
import type { KeySourceListener } from '../../electron/main/hotkey/uiohook-source';
import type { HotkeySeen } from '../../shared/hotkey-check';
import { keyName, recordKeyDown, type KeyPress } from '../../renderer/settings/keyboard-accelerator';

const press = (code: string, held: Partial<Omit<KeyPress, 'code'>> = {}): KeyPress => ({
  code,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  ...held,
});

describe('the recorder reads key presses', () => {
  it('names keys by position, as Electron accelerators do', () => {
    const cases: [string, string][] = [
      ['KeyA', 'A'],
      ['KeyZ', 'Z'],
      ['Digit0', '0'],
      ['Digit7', '7'],
      ['F1', 'F1'],
      ['F12', 'F12'],
      ['F24', 'F24'],
      ['Space', 'Space'],
      ['ArrowUp', 'Up'],
      ['ArrowLeft', 'Left'],
      ['Numpad3', 'num3'],
      ['NumpadMultiply', 'nummult'],
      ['Semicolon', ';'],
      ['Backslash', '\\'],
      ['Quote', "'"],
      ['CapsLock', 'Capslock'],
      ['PrintScreen', 'PrintScreen'],
    ];
    for (const [code, name] of cases) assert.equal(keyName(code), name, code);
    // The number pad's Enter is its own key to the hook, and Electron has no name for it.
    for (const code of [
      'NumpadEnter',
      'F25',
      'F0',
      'IntlBackslash',
      'MediaPlayPause',
      'KeyAA',
      'toString',
      'constructor',
    ]) {
      assert.equal(keyName(code), undefined, code);
    }
  });

  it('keeps recording while only modifiers are down, and ends on the first other key', () => {
    assert.deepEqual(recordKeyDown(press('ControlLeft', { ctrlKey: true })), {
      kind: 'modifiers',
      modifiers: ['Control'],
    });
    assert.deepEqual(recordKeyDown(press('ShiftRight', { ctrlKey: true, shiftKey: true })), {
      kind: 'modifiers',
      modifiers: ['Control', 'Shift'],
    });
    assert.deepEqual(recordKeyDown(press('MetaLeft', { metaKey: true })), { kind: 'modifiers', modifiers: ['Super'] });
    assert.deepEqual(recordKeyDown(press('Space', { shiftKey: true, ctrlKey: true })), {
      kind: 'chord',
      modifiers: ['Control', 'Shift'],
      accelerator: 'Control+Shift+Space',
    });
    assert.deepEqual(recordKeyDown(press('KeyK', { metaKey: true, altKey: true })), {
      kind: 'chord',
      modifiers: ['Alt', 'Super'],
      accelerator: 'Alt+Super+K',
    });
    assert.deepEqual(recordKeyDown(press('IntlBackslash', { ctrlKey: true })), {
      kind: 'unsupported',
      modifiers: ['Control'],
      code: 'IntlBackslash',
    });
  });

  it('records only accelerators main can check and watch, with the same key', () => {
    const codes = [
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').map((letter) => `Key${letter}`),
      ...Array.from({ length: 10 }, (_, i) => `Digit${i}`),
      ...Array.from({ length: 10 }, (_, i) => `Numpad${i}`),
      ...Array.from({ length: 24 }, (_, i) => `F${i + 1}`),
      ...['Space', 'Tab', 'Enter', 'Backspace', 'Delete', 'Insert', 'Home', 'End', 'PageUp', 'PageDown', 'Escape'],
      ...['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Semicolon', 'Equal', 'Comma', 'Minus', 'Period'],
      ...['Slash', 'Backquote', 'BracketLeft', 'Backslash', 'BracketRight', 'Quote', 'NumpadDecimal', 'NumpadAdd'],
      ...['NumpadSubtract', 'NumpadMultiply', 'NumpadDivide', 'CapsLock', 'NumLock', 'ScrollLock', 'PrintScreen'],
    ];
    for (const code of codes) {
      const recorded = recordKeyDown(press(code, { ctrlKey: true, altKey: true }));
      assert.equal(recorded.kind, 'chord', code);
      if (recorded.kind !== 'chord') continue;
      const result = canonicalAccelerator(recorded.accelerator, 'linux');
      assert.ok(result.ok, `${code} → ${recorded.accelerator}: ${!result.ok ? result.error : ''}`);
      // The same physical key as the hook reports it: uiohook names keys after the DOM codes.
      const parsed = parseAccelerator(result.accelerator, keycodes);
      const scanCode = keycodes[code.replace(/^Key|^Digit/, '')];
      assert.ok(scanCode !== undefined, code);
      assert.deepEqual(parsed.ok && parsed.chord.at(-1), [scanCode], code);
      assert.equal(checkHotkey(recorded.accelerator, { platform: 'linux' }).accelerator, result.accelerator);
    }
  });
});

describe('HotkeyService while the settings window records or tests', () => {
  async function service(options: { hook: boolean }) {
    const turns: string[] = [];
    const seen: HotkeySeen[] = [];
    let keys: KeySourceListener | undefined;
    const shortcuts = new Map<string, () => void>();
    const hotkey = new HotkeyService({
      probe: async () =>
        options.hook ? { available: true } : { available: false, reason: 'No hook here.', fix: 'Fix it.' },
      startKeySource: async (listener) => ((keys = listener), { stop: () => (keys = undefined) }),
      shortcuts: {
        register: (accelerator, onPress) => (shortcuts.set(accelerator, onPress), true),
        unregisterAll: () => shortcuts.clear(),
      },
      turns: { turnStarted: () => turns.push('start'), turnEnded: (_at, reason) => turns.push(`end:${reason}`) },
      now: () => 0,
    });
    const status = await hotkey.start([{ profile: 'assistant', look: false, accelerator: 'Control+F9', mode: 'hold' }]);
    const chord = {
      down: () => (keys!.keyDown(keycodes.Ctrl!, 0), keys!.keyDown(keycodes.F9!, 0)),
      up: async () => {
        keys!.keyUp(keycodes.F9!, 0);
        keys!.keyUp(keycodes.Ctrl!, 0);
        // The chord tracker waits out X auto-repeat before believing a release, then believes it
        // once the key events already queued have run: a timer, then an immediate.
        await new Promise((resolve) => setTimeout(resolve, 60));
        await new Promise((resolve) => setImmediate(resolve));
      },
    };
    const onSeen = (event: HotkeySeen) => seen.push(event);
    return { hotkey, status, turns, seen, chord, shortcuts, onSeen };
  }

  it('reports presses seen by the key hook instead of starting turns, until resumed', async () => {
    const { hotkey, turns, seen, chord, onSeen } = await service({ hook: true });
    hotkey.pause(onSeen);
    assert.equal(hotkey.paused, true);
    chord.down();
    await chord.up();
    assert.deepEqual(turns, []);
    assert.deepEqual(seen, [{ accelerator: 'Control+F9', keyReleases: true }]);
    hotkey.resume();
    chord.down();
    await chord.up();
    assert.deepEqual(turns, ['start', 'end:released']);
    assert.equal(seen.length, 1);
    hotkey.dispose();
  });

  it('still ends a turn whose press came before the pause', async () => {
    const { hotkey, turns, seen, chord, onSeen } = await service({ hook: true });
    chord.down();
    hotkey.pause(onSeen);
    await chord.up();
    assert.deepEqual(turns, ['start', 'end:released']);
    assert.deepEqual(seen, []);
    hotkey.dispose();
  });

  it('stays paused across a restart with a new hotkey', async () => {
    const { hotkey, turns, seen, onSeen } = await service({ hook: true });
    hotkey.pause(onSeen);
    await hotkey.start([{ profile: 'assistant', look: false, accelerator: 'Alt+F10', mode: 'hold' }]);
    assert.equal(hotkey.paused, true);
    hotkey.resume();
    assert.deepEqual([turns, seen], [[], []]);
    hotkey.dispose();
  });

  it('reports presses of the global-shortcut fallback as seen without releases', async () => {
    const { hotkey, status, turns, seen, shortcuts, onSeen } = await service({ hook: false });
    assert.equal(status.keyReleases, false);
    hotkey.pause(onSeen);
    shortcuts.get('Control+F9')!();
    assert.deepEqual(seen, [{ accelerator: 'Control+F9', keyReleases: false }]);
    assert.deepEqual(turns, []);
    hotkey.resume();
    shortcuts.get('Control+F9')!();
    assert.deepEqual(turns, ['start']);
    hotkey.dispose();
  });
});
