import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkedHotkeyChange,
  checkHotkeyFor,
  checkRecordedHotkey,
  hotkeyContextFor,
} from '../../electron/main/hotkey/hotkey-setting';
import { defaultProfile, defaultSettings, type AppSettings } from '../../electron/main/settings/defaults';
import { profileSettings, withChanges, type SettingsChanges } from '../../electron/main/settings/profiles';
import type { HotkeyCheck } from '../../shared/hotkey-check';

const linux = hotkeyContextFor('linux', false);
const errors = (result: HotkeyCheck) => result.problems.filter((p) => p.severity === 'error').map((p) => p.text);
/** Push to talk on Ctrl+Shift+Space, the screen hotkey on Ctrl+Alt+Shift+Space, screen sharing on. */
const current: AppSettings = defaultSettings;
const screen = (accelerator: string, enabled = true) => ({
  screen: { enabled, accelerator, target: 'display' as const },
});
const talk = (accelerator: string) => ({ hotkey: { accelerator, mode: 'hold' as const } });
const profiles = current.profiles;
const talkSlot = { profile: 'assistant', which: 'talk' } as const;
const screenSlot = { profile: 'assistant', which: 'screen' } as const;
/** The settings with a change, as given to the store. */
const edit = (changes: SettingsChanges, from: AppSettings = current) => withChanges(from, changes);
/** The first profile's hotkeys after a checked change. */
const savedHotkeys = (changes: SettingsChanges, from: AppSettings = current) => {
  const saved = profileSettings(edit(checkedHotkeyChange(changes, from, linux), from), 'assistant')!;
  return { talk: saved.hotkey.accelerator, screen: saved.screen.accelerator };
};
/** The reason a change is refused, or '' if it would be saved. */
const refusal = (changes: SettingsChanges, from: AppSettings = current) => {
  try {
    checkedHotkeyChange(changes, from, linux);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('the two hotkeys', () => {
  it('are different by default, and each default passes every check, without a warning', () => {
    for (const platform of ['linux', 'win32', 'darwin']) {
      const context = hotkeyContextFor(platform, false);
      assert.deepEqual(
        checkHotkeyFor(talkSlot, defaultProfile.hotkey.accelerator, profiles, context).problems,
        [],
        platform,
      );
      assert.deepEqual(
        checkHotkeyFor(screenSlot, defaultProfile.screen.accelerator, profiles, context).problems,
        [],
        platform,
      );
    }
  });

  it("refuses, for either hotkey, the other one's keys, naming it", () => {
    assert.deepEqual(errors(checkHotkeyFor(screenSlot, 'Shift+Control+Space', profiles, linux)), [
      'Push to talk already uses Ctrl + Shift + Space.',
    ]);
    assert.deepEqual(errors(checkHotkeyFor(talkSlot, 'Control+Alt+Shift+Space', profiles, linux)), [
      'The screen hotkey already uses Ctrl + Alt + Shift + Space.',
    ]);
    // Screen sharing off keeps its keys taken: turning it on again must not make one chord of both.
    const off = edit(screen('Control+Alt+Shift+Space', false)).profiles;
    assert.equal(checkHotkeyFor(talkSlot, 'Control+Alt+Shift+Space', off, linux).ok, false);
  });

  it('checks the screen hotkey with every rule of the push-to-talk one', () => {
    for (const accelerator of ['Alt+Tab', 'Shift+A', 'Control+C', 'Control+Q', 'Control+Hyper', 'Control', 'F5']) {
      const asTalk = checkHotkeyFor(talkSlot, accelerator, profiles, linux);
      const asScreen = checkHotkeyFor(screenSlot, accelerator, profiles, linux);
      assert.deepEqual(asScreen, asTalk, accelerator);
    }
  });

  it("answers the recorder for push to talk unless it says it records the screen hotkey (old callers don't)", () => {
    const screenKeys = { accelerator: 'Control+Alt+Shift+Space' };
    assert.match(errors(checkRecordedHotkey(screenKeys, current, linux))[0] ?? '', /^The screen hotkey already uses/);
    assert.match(
      errors(checkRecordedHotkey({ ...screenKeys, for: 'talk' }, current, linux))[0] ?? '',
      /^The screen hotkey/,
    );
    assert.equal(checkRecordedHotkey({ ...screenKeys, for: 'screen' }, current, linux).ok, true);
    const talkKeys = { accelerator: 'Control+Shift+Space', for: 'screen' } as const;
    assert.deepEqual(errors(checkRecordedHotkey(talkKeys, current, linux)), [
      'Push to talk already uses Ctrl + Shift + Space.',
    ]);
  });
});

describe('saving a hotkey', () => {
  it("refuses a screen hotkey on push to talk's keys, and push to talk on the screen hotkey's, with the reason", () => {
    assert.equal(
      refusal(screen('ctrl+shift+space')),
      'Settings not changed: screen.accelerator: Push to talk already uses Ctrl + Shift + Space.',
    );
    assert.equal(
      refusal(talk('Control+Shift+Alt+Space')),
      'Settings not changed: hotkey.accelerator: The screen hotkey already uses Ctrl + Alt + Shift + Space.',
    );
    // Both changed in one patch, to the same keys.
    assert.match(refusal({ ...talk('Control+Alt+K'), ...screen('Control+Alt+K') }), /already uses Ctrl \+ Alt \+ K/);
  });

  it('refuses a screen hotkey that fails a check, as it refuses the push-to-talk one', () => {
    assert.match(
      refusal(screen('alt+tab')),
      /^Settings not changed: screen\.accelerator: Alt \+ Tab switches between windows/,
    );
    assert.match(refusal(screen('Shift+A')), /^Settings not changed: screen\.accelerator: Shift \+ A types text/);
    assert.match(refusal(talk('alt+tab')), /^Settings not changed: hotkey\.accelerator: Alt \+ Tab switches/);
  });

  it('saves new keys in canonical form, and lets the two hotkeys swap keys in one change', () => {
    assert.deepEqual(savedHotkeys(screen('shift+ctrl+alt+k')), {
      talk: 'Control+Shift+Space',
      screen: 'Control+Alt+Shift+K',
    });
    const swapped = { ...talk('Control+Alt+Shift+Space'), ...screen('Control+Shift+Space') };
    assert.deepEqual(savedHotkeys(swapped), { talk: 'Control+Alt+Shift+Space', screen: 'Control+Shift+Space' });
    // A warning is shown in the recorder, and allowed.
    assert.deepEqual(savedHotkeys(screen('F5')), { talk: 'Control+Shift+Space', screen: 'F5' });
  });

  it('never refuses the keys in use: screen sharing turned off, a new mode, even keys saved before these checks', () => {
    assert.equal(refusal(screen('Control+Alt+Shift+Space', false)), '');
    // A file edited by hand can have both on one chord, or a reserved one: its other settings still save.
    const edited = edit({ ...talk('Alt+Tab'), ...screen('Alt+Tab') });
    assert.equal(refusal(screen('Alt+Tab', false), edited), '');
    assert.equal(refusal({ hotkey: { accelerator: 'Alt+Tab', mode: 'toggle' } }, edited), '');
    assert.deepEqual(checkedHotkeyChange({ cues: false }, current, linux), { cues: false });
  });
});

describe("several profiles' hotkeys", () => {
  const coder = {
    ...defaultProfile,
    id: 'p-c0de00',
    name: 'Coder',
    hotkey: { accelerator: 'Control+Shift+F1', mode: 'toggle' as const },
    screen: { ...defaultProfile.screen, accelerator: 'Control+Alt+Shift+F1' },
  };
  const two = edit({ profiles: [defaultProfile, coder] });

  it('refuses keys another profile uses, in the recorder and on save, naming that profile', () => {
    assert.deepEqual(
      errors(checkRecordedHotkey({ accelerator: 'Control+Shift+Space', profile: 'p-c0de00' }, two, linux)),
      ['Assistant already uses Ctrl + Shift + Space.'],
    );
    assert.deepEqual(
      errors(
        checkRecordedHotkey({ accelerator: 'Control+Alt+Shift+F1', profile: 'assistant', for: 'screen' }, two, linux),
      ),
      ["Coder's screen hotkey already uses Ctrl + Alt + Shift + F1."],
    );
    assert.equal(
      refusal({ profile: 'p-c0de00', ...talk('Control+Shift+Space') }, two),
      'Settings not changed: Coder: hotkey.accelerator: Assistant already uses Ctrl + Shift + Space.',
    );
    // A new profile that arrives with another's keys is refused too, so nothing of it is saved.
    const copy = { ...coder, id: 'p-c0de01', name: 'Coder 2' };
    assert.match(
      refusal({ profiles: [defaultProfile, coder, copy] }, two),
      /Coder 2: hotkey\.accelerator: Coder already uses/,
    );
  });

  it("lets two profiles swap their keys in one change, and keeps each profile's own", () => {
    const swapped = two.profiles.map((profile) =>
      profile.id === 'assistant'
        ? { ...profile, hotkey: { ...profile.hotkey, accelerator: 'Control+Shift+F1' } }
        : { ...profile, hotkey: { ...profile.hotkey, accelerator: 'Control+Shift+Space' } },
    );
    assert.equal(refusal({ profiles: swapped }, two), '');
    assert.equal(refusal({ profile: 'p-c0de00', ...talk('Control+Shift+F2') }, two), '');
  });
});
