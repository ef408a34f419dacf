import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAccelerator } from '../../electron/main/hotkey/accelerator';
import {
  canonicalAccelerator,
  checkHotkey,
  systemShortcuts,
  windowMenuShortcuts,
  type KnownShortcut,
} from '../../electron/main/hotkey/hotkey-check';
import { keycodes } from '../../electron/main/hotkey/keycodes';
import type { HotkeyCheck } from '../../shared/hotkey-check';

const platforms = ['linux', 'win32', 'darwin'] as const;
const check = (accelerator: string, platform: string, appShortcuts?: readonly KnownShortcut[]) =>
  checkHotkey(accelerator, { platform, appShortcuts: appShortcuts ?? windowMenuShortcuts(platform, false) });
const canonical = (accelerator: string, platform = 'linux') => {
  const result = canonicalAccelerator(accelerator, platform);
  return result.ok ? result.accelerator : `error: ${result.error}`;
};
const errors = (result: HotkeyCheck) => result.problems.filter((p) => p.severity === 'error').map((p) => p.text);
const warnings = (result: HotkeyCheck) => result.problems.filter((p) => p.severity === 'warning').map((p) => p.text);

describe('canonical accelerators', () => {
  it('orders modifiers Control, Alt, Shift, Super, each once, key last', () => {
    assert.equal(canonical('shift+ctrl+space'), 'Control+Shift+Space');
    assert.equal(canonical(' Space + Shift + Control '), 'Control+Shift+Space');
    assert.equal(canonical('Super+Shift+Alt+Control+F9'), 'Control+Alt+Shift+Super+F9');
    assert.equal(canonical('Ctrl+Control+k'), 'Control+K');
    assert.equal(canonical('Option+AltGr+q'), 'Alt+AltGr+Q');
  });

  it('spells the logo key and CommandOrControl the way each platform means them', () => {
    assert.equal(canonical('CmdOrCtrl+Shift+K', 'linux'), 'Control+Shift+K');
    assert.equal(canonical('CommandOrControl+Shift+K', 'win32'), 'Control+Shift+K');
    assert.equal(canonical('CmdOrCtrl+Shift+K', 'darwin'), 'Shift+Command+K');
    assert.equal(canonical('Meta+K', 'linux'), 'Super+K');
    assert.equal(canonical('Cmd+K', 'win32'), 'Super+K');
    assert.equal(canonical('Super+K', 'darwin'), 'Command+K');
  });

  it("uses Electron's key names, from uiohook's or Electron's spelling", () => {
    assert.equal(canonical('Control+ArrowUp'), 'Control+Up');
    assert.equal(canonical('control+up'), 'Control+Up');
    assert.equal(canonical('Control+Esc'), 'Control+Escape');
    assert.equal(canonical('Control+Return'), 'Control+Enter');
    assert.equal(canonical('Control+Semicolon'), 'Control+;');
    assert.equal(canonical('Control+Plus'), 'Control+=');
    assert.equal(canonical('Control+Numpad7'), 'Control+num7');
    assert.equal(canonical('Control+NUMADD'), 'Control+numadd');
    assert.equal(canonical('capslock'), 'Capslock');
    assert.equal(canonical('f13'), 'F13');
  });

  it('gives every key the hook can watch a canonical name that parses to the same scan codes', () => {
    const modifierNames = new Set(['Ctrl', 'CtrlRight', 'Alt', 'AltRight', 'Shift', 'ShiftRight', 'Meta', 'MetaRight']);
    const keyNames = Object.keys(keycodes).filter((name) => !modifierNames.has(name));
    assert.ok(keyNames.length > 100);
    for (const name of keyNames) {
      const input = `Control+Alt+${name}`;
      const result = canonicalAccelerator(input, 'linux');
      assert.ok(result.ok, `${input}: ${!result.ok ? result.error : ''}`);
      assert.deepEqual(parseAccelerator(result.accelerator, keycodes), parseAccelerator(input, keycodes), input);
    }
  });

  it('refuses what is not one key with modifiers', () => {
    assert.match(canonical('Control+Hyper'), /"Hyper" is not a key Parley can watch/);
    assert.match(canonical('Control++'), /empty key/);
    assert.match(canonical(''), /empty key/);
    assert.match(canonical('Control+Shift'), /Ctrl \+ Shift is only modifiers/);
    assert.match(canonical('Super'), /only modifiers/);
    assert.match(canonical('Control+A+B'), /A and B are two keys/);
    // uiohook's right-hand modifier names are not Electron accelerators.
    assert.match(canonical('CtrlRight+K'), /"CtrlRight" is not a key name/);
  });

  it('is not fooled by names of Object.prototype', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'Control+valueOf']) {
      const result = check(name, 'linux');
      assert.equal(result.ok, false, name);
      assert.match(errors(result)[0] ?? '', /not a key/);
    }
  });
});

describe('checkHotkey', () => {
  it('passes the default hotkey everywhere, without a warning', () => {
    for (const platform of platforms) {
      assert.deepEqual(check('Control+Shift+Space', platform), {
        accelerator: 'Control+Shift+Space',
        ok: true,
        problems: [],
      });
    }
  });

  it('passes chords nothing else uses', () => {
    for (const platform of platforms) {
      for (const accelerator of ['Control+Alt+K', 'F13', 'Control+Shift+F9', 'Scrolllock', 'Control+Alt+Space']) {
        if (platform === 'darwin' && accelerator === 'Control+Alt+Space') continue; // next input source
        const result = check(accelerator, platform);
        assert.equal(result.ok, true, `${accelerator} on ${platform}: ${errors(result).join()}`);
        if (!(platform === 'win32' && accelerator === 'Control+Alt+K')) {
          assert.deepEqual(result.problems, [], `${accelerator} on ${platform}`);
        }
      }
    }
  });

  it('returns the canonical form, which is what gets saved', () => {
    assert.equal(check('shift+ctrl+space', 'linux').accelerator, 'Control+Shift+Space');
    assert.equal(check('  Control+Hyper ', 'linux').accelerator, 'Control+Hyper');
  });

  it('refuses an unparseable accelerator with the reason', () => {
    const result = check('Control+Hyper', 'linux');
    assert.equal(result.ok, false);
    assert.deepEqual(errors(result), ['"Hyper" is not a key Parley can watch.']);
  });

  it('refuses keys that type or edit text unless Control, Alt or Super (⌃/⌘ on a Mac) stops them typing', () => {
    const typing = ['A', 'Shift+A', '5', 'Shift+5', 'Space', 'Shift+Space', ';', 'num5', 'AltGr+Q', 'Shift+AltGr+E'];
    const editing = ['Enter', 'Tab', 'Backspace', 'Delete', 'Escape', 'Up', 'Shift+Left', 'Home', 'PageDown'];
    for (const platform of platforms) {
      for (const accelerator of [...typing, ...editing]) {
        const result = check(accelerator, platform);
        assert.equal(result.ok, false, `${accelerator} on ${platform}`);
        assert.match(
          errors(result)[0] ?? '',
          editing.includes(accelerator) ? /edits text or moves the cursor/ : /types text/,
          `${accelerator} on ${platform}`,
        );
        assert.match(errors(result)[0] ?? '', platform === 'darwin' ? /Add ⌃ Control or ⌘ Command/ : /Add Control/);
      }
    }
  });

  it('treats Option as a typing modifier on a Mac only (⌥E types an accent there)', () => {
    assert.match(errors(check('Alt+E', 'darwin'))[0] ?? '', /⌥E types text/);
    assert.match(errors(check('Alt+Shift+Space', 'darwin'))[0] ?? '', /types text/);
    for (const platform of ['linux', 'win32']) {
      const result = check('Alt+E', platform);
      assert.equal(result.ok, true, platform);
      assert.match(warnings(result)[0] ?? '', /opens menus in many apps/);
    }
  });

  it('refuses what macOS reserves, naming what it does', () => {
    const reserved: [string, RegExp][] = [
      ['Command+Space', /opens Spotlight/],
      ['Super+Space', /opens Spotlight/],
      ['Command+Tab', /switches between apps/],
      ['CmdOrCtrl+Q', /quits the app in front/],
      ['Command+Shift+4', /screenshot/],
      ['Control+Command+Q', /locks the screen/],
      ['Control+Command+Space', /emoji/],
      ['Control+Left', /Space on the left/],
      ['Command+C', /copies in every app/],
      ['Command+Alt+Escape', /Force Quit/],
    ];
    for (const [accelerator, does] of reserved) {
      const result = check(accelerator, 'darwin');
      assert.equal(result.ok, false, accelerator);
      assert.equal(result.problems.length, 1, `${accelerator}: ${JSON.stringify(result.problems)}`);
      assert.match(errors(result)[0] ?? '', does, accelerator);
      assert.match(errors(result)[0] ?? '', /cannot also be the hotkey/);
    }
  });

  it('refuses what Windows reserves', () => {
    const reserved: [string, RegExp][] = [
      ['Super+L', /locks the computer/],
      ['Control+Alt+Delete', /Windows security screen/],
      ['Alt+Tab', /switches between windows/],
      ['Alt+F4', /closes the window in front/],
      ['Control+Shift+Escape', /Task Manager/],
      ['Meta+Shift+S', /screenshot/],
      ['Super+.', /emoji panel/],
      ['Super+3', /taskbar/],
      ['Control+Y', /redoes in every app/],
      ['Control+V', /pastes in every app/],
    ];
    for (const [accelerator, does] of reserved) {
      const result = check(accelerator, 'win32');
      assert.equal(result.ok, false, accelerator);
      assert.match(errors(result)[0] ?? '', does, accelerator);
    }
  });

  it('refuses what GNOME and KDE take, and the text consoles', () => {
    const reserved: [string, RegExp][] = [
      ['Alt+Tab', /switches between windows \(GNOME, KDE\)/],
      ['Alt+F2', /run dialog/],
      ['Super+L', /locks the screen/],
      ['Super+Space', /input source/],
      ['Control+Alt+Delete', /log-out dialog/],
      ['Control+Alt+F3', /text console/],
      ['PrintScreen', /screenshot/],
      ['Alt+Space', /window menu/],
      ['Control+Z', /undoes in every app/],
      ['Control+Shift+Z', /redoes in every app/],
    ];
    for (const [accelerator, does] of reserved) {
      const result = check(accelerator, 'linux');
      assert.equal(result.ok, false, accelerator);
      assert.match(errors(result)[0] ?? '', does, accelerator);
    }
  });

  it('allows, with a warning, what only some desktops, input methods or versions take', () => {
    const cases: [string, string, RegExp][] = [
      ['linux', 'Control+Alt+T', /opens a terminal \(Ubuntu, KDE\); if it does on this computer/],
      ['linux', 'Control+Space', /input method/],
      ['linux', 'Control+Alt+Left', /workspaces/],
      ['darwin', 'Control+Space', /previous input source/],
      ['darwin', 'Command+,', /settings of the app in front/],
      ['win32', 'PrintScreen', /Snipping Tool/],
      ['win32', 'Control+Space', /input method/],
    ];
    for (const [platform, accelerator, does] of cases) {
      const result = check(accelerator, platform);
      assert.equal(result.ok, true, `${accelerator} on ${platform}`);
      assert.match(warnings(result)[0] ?? '', does, `${accelerator} on ${platform}`);
    }
  });

  it('knows which platform reserves what', () => {
    assert.equal(check('Control+Alt+Delete', 'darwin').ok, true);
    assert.equal(check('Control+Alt+F3', 'win32').ok, true);
    assert.equal(check('Command+Space', 'linux').accelerator, 'Super+Space');
    assert.equal(check('Alt+Tab', 'darwin').ok, false, 'typing on a Mac');
    assert.equal(check('Super+L', 'darwin').ok, true, '⌘L is an app command, not reserved');
  });

  it("flags the app's own window shortcuts: Quit is an error, the rest warnings", () => {
    const quit = check('Control+Q', 'linux');
    assert.equal(quit.ok, false);
    assert.deepEqual(errors(quit), [
      'Ctrl + Q quits Parley while one of its windows has focus, so it cannot also be the hotkey.',
    ]);
    // Electron's Quit has no accelerator on Windows.
    assert.equal(check('Control+Q', 'win32').ok, true);
    const reload = check('CmdOrCtrl+R', 'win32');
    assert.equal(reload.ok, true);
    assert.deepEqual(warnings(reload), [
      "Ctrl + R also reloads the window in front while one of Parley's windows has focus.",
    ]);
    assert.match(warnings(check('F11', 'linux'))[0] ?? '', /switches full screen while one of Parley's windows/);
    assert.match(warnings(check('Control+Shift+I', 'linux'))[0] ?? '', /developer tools/);
    assert.match(warnings(check('Alt+Command+I', 'darwin'))[0] ?? '', /developer tools/);
  });

  it('checks an installed build against the menu it really sets: no developer tools or reload, Quit only on macOS', () => {
    const packaged = (accelerator: string, platform: string) =>
      checkHotkey(accelerator, { platform, appShortcuts: windowMenuShortcuts(platform, true) });
    // Windows and Linux have no application menu at all.
    for (const platform of ['linux', 'win32']) {
      assert.deepEqual(windowMenuShortcuts(platform, true), [], platform);
      assert.equal(packaged('Control+Q', platform).ok, true, platform);
      assert.doesNotMatch(warnings(packaged('Control+Shift+I', platform)).join(), /developer tools/, platform);
      assert.doesNotMatch(warnings(packaged('Control+R', platform)).join(), /reloads/, platform);
    }
    // macOS keeps Quit, Hide, Minimise and Close, and nothing for debugging.
    assert.doesNotMatch(warnings(packaged('Alt+Command+I', 'darwin')).join(), /developer tools/);
    assert.match(warnings(packaged('Command+Alt+H', 'darwin'))[0] ?? '', /hides the other apps/);
    const mac = windowMenuShortcuts('darwin', true);
    assert.ok(mac.some((s) => s.accelerator === 'Command+Q' && s.severity === 'error' && /quits Parley/.test(s.does)));
    assert.ok(!mac.some((s) => /developer tools|reloads/.test(s.does)));
  });

  it('says a conflict once: the system meaning wins over the same keys in Parley’s menu', () => {
    const quit = check('Command+Q', 'darwin');
    assert.equal(quit.problems.length, 1);
    assert.match(errors(quit)[0] ?? '', /quits the app in front/);
  });

  it('compares the app shortcuts it is given in canonical form', () => {
    const own: KnownShortcut[] = [
      { accelerator: 'CmdOrCtrl+Shift+T', does: 'opens the transcript', severity: 'error' },
    ];
    assert.match(errors(check('shift+control+t', 'linux', own))[0] ?? '', /opens the transcript/);
    assert.match(errors(check('Shift+Command+T', 'darwin', own))[0] ?? '', /opens the transcript/);
    assert.equal(check('Control+Shift+T', 'darwin', own).ok, true);
    assert.equal(check('Control+Shift+T', 'linux', []).ok, true);
  });

  it("refuses the keys of Parley's other hotkey, naming it, compared in canonical form", () => {
    const otherHotkeys = [{ name: 'Push to talk', accelerator: 'Control+Shift+Space' }];
    const clash = checkHotkey('shift+ctrl+space', { platform: 'linux', otherHotkeys });
    assert.equal(clash.ok, false);
    assert.deepEqual(errors(clash), ['Push to talk already uses Ctrl + Shift + Space.']);
    const mac = checkHotkey('Shift+Control+Space', { platform: 'darwin', otherHotkeys });
    assert.deepEqual(errors(mac), ['Push to talk already uses ⌃⇧Space.']);
    // The other rules still apply, after the clash.
    const both = checkHotkey('Alt+Tab', {
      platform: 'linux',
      otherHotkeys: [{ name: 'Push to talk', accelerator: 'alt+tab' }],
    });
    assert.equal(errors(both)[0], 'Push to talk already uses Alt + Tab.');
    assert.match(errors(both)[1] ?? '', /switches between windows/);
    assert.equal(checkHotkey('Control+Alt+Shift+Space', { platform: 'linux', otherHotkeys }).ok, true);
  });

  it('warns where many apps or keyboards give the keys another meaning', () => {
    assert.match(warnings(check('F5', 'linux'))[0] ?? '', /Apps use F5 on its own/);
    assert.deepEqual(warnings(check('Shift+F5', 'linux')), []);
    assert.deepEqual(warnings(check('F13', 'linux')), []);
    assert.match(warnings(check('Capslock', 'linux'))[0] ?? '', /Caps Lock on or off/);
    assert.match(warnings(check('Control+K', 'linux'))[0] ?? '', /Apps use Ctrl \+ K for their own commands/);
    assert.match(warnings(check('Command+K', 'darwin'))[0] ?? '', /Apps use ⌘ with a letter/);
    assert.match(warnings(check('Control+K', 'darwin'))[0] ?? '', /macOS text fields ⌃K is an editing key/);
    assert.match(warnings(check('Control+Alt+K', 'win32'))[0] ?? '', /Windows treats Ctrl \+ Alt as AltGr/);
    assert.deepEqual(warnings(check('Control+Alt+K', 'linux')), []);
  });

  it('is ok exactly when no problem is an error', () => {
    const samples = ['A', 'F5', 'Control+Q', 'Alt+Tab', 'Control+Alt+T', 'Control+Shift+Space', 'Control+Hyper'];
    for (const platform of platforms) {
      for (const accelerator of samples) {
        const result = check(accelerator, platform);
        assert.equal(result.ok, errors(result).length === 0, `${accelerator} on ${platform}`);
      }
    }
  });

  it('spells every table entry as a valid accelerator (no typo hides a conflict)', () => {
    for (const platform of [...platforms, 'freebsd']) {
      const menus = [...windowMenuShortcuts(platform, false), ...windowMenuShortcuts(platform, true)];
      for (const shortcut of [...systemShortcuts(platform), ...menus]) {
        const result = canonicalAccelerator(shortcut.accelerator, platform);
        assert.ok(result.ok, `${shortcut.accelerator} on ${platform}: ${!result.ok ? result.error : ''}`);
      }
    }
  });
});
