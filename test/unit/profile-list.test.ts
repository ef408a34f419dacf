import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hotkeyContextFor } from '../../electron/main/hotkey/hotkey-setting';
import { interpreterModel } from '../../electron/main/live/model-capabilities';
import { defaultProfile, defaultSettings } from '../../electron/main/settings/defaults';
import { profileHandlers } from '../../electron/main/settings/profile-handlers';
import { maxProfiles, newProfile, renamed, withoutProfile } from '../../electron/main/settings/profile-list';
import { withChanges, type SettingsChanges } from '../../electron/main/settings/profiles';
import { Settings, type Profile, type SettingsView } from '../../shared/settings';

const linux = hotkeyContextFor('linux', false);
const coder: Profile = {
  ...defaultProfile,
  id: 'p-c0de00',
  name: 'Coder',
  hotkey: { accelerator: 'Control+Shift+F1', mode: 'hold' },
  screen: { ...defaultProfile.screen, accelerator: 'Control+Alt+Shift+F1' },
};

describe('a new profile', () => {
  it('from the Assistant template: a free name, a new id, and the first hotkeys no profile uses', () => {
    const added = newProfile([defaultProfile, coder], { template: 'assistant' }, linux, 'en-GB');
    assert.equal(added.name, 'Assistant 2');
    assert.match(added.id, /^p-[0-9a-f]{6}$/);
    assert.deepEqual(
      [added.hotkey.accelerator, added.screen.accelerator],
      ['Control+Shift+F2', 'Control+Alt+Shift+F2'],
      'F1 is Coder’s',
    );
    assert.equal(Settings.safeParse({ ...defaultSettings, profiles: [defaultProfile, coder, added] }).success, true);
  });

  it('from the Interpreter template: the model that interprets, into French for an English speaker, no screen', () => {
    const english = newProfile([defaultProfile], { template: 'interpreter' }, linux, 'en-US');
    assert.equal(english.name, 'Interpreter');
    assert.equal(english.model, interpreterModel);
    assert.deepEqual(english.translation, { targetLanguageCode: 'fr', echoTargetLanguage: false });
    assert.equal(english.screen.enabled, false);
    assert.equal(
      newProfile([defaultProfile], { template: 'interpreter' }, linux, 'fr-FR').translation.targetLanguageCode,
      'en',
    );
  });

  it('as a copy: everything of the original but its id, name and hotkeys', () => {
    const copied = newProfile([defaultProfile, coder], { duplicate: 'p-c0de00' }, linux, 'en');
    assert.equal(copied.name, 'Coder 2');
    assert.notEqual(copied.id, coder.id);
    const { id: _a, name: _b, hotkey, screen, ...rest } = copied;
    const { id: _c, name: _d, hotkey: originalHotkey, screen: originalScreen, ...original } = coder;
    assert.deepEqual(rest, original);
    assert.equal(hotkey.mode, originalHotkey.mode);
    assert.notEqual(hotkey.accelerator, originalHotkey.accelerator);
    assert.equal(screen.enabled, originalScreen.enabled);
  });

  it(`refuses a copy of a profile that is gone, and a ${maxProfiles + 1}th profile`, () => {
    assert.throws(() => newProfile([defaultProfile], { duplicate: 'p-gone00' }, linux, 'en'), /no longer exists/);
    const full = Array.from({ length: maxProfiles }, (_, i) => ({ ...defaultProfile, id: `p-${i}`, name: `P${i}` }));
    assert.throws(() => newProfile(full, { template: 'assistant' }, linux, 'en'), /at most 12 profiles/);
  });
});

describe('renaming and deleting', () => {
  it('renames one profile, and never deletes the last one', () => {
    assert.deepEqual(
      renamed([defaultProfile, coder], 'p-c0de00', '  Rust helper ').map(({ name }) => name),
      ['Assistant', 'Rust helper'],
    );
    assert.deepEqual(
      withoutProfile([defaultProfile, coder], 'assistant').map(({ id }) => id),
      ['p-c0de00'],
    );
    assert.throws(() => withoutProfile([defaultProfile], 'assistant'), /last profile cannot be deleted/);
  });
});

describe("the settings window's profile requests", () => {
  /** The handlers over settings kept here, as main keeps them, with the user's answer to the question. */
  function rig(answer: boolean) {
    let settings = withChanges(defaultSettings, { profiles: [defaultProfile, coder] });
    let shown = 'assistant';
    const asked: string[] = [];
    const view = () => ({ profile: shown, profiles: settings.profiles }) as unknown as SettingsView;
    const handlers = profileHandlers({
      current: () => settings,
      apply: (changes: SettingsChanges) => {
        settings = withChanges(settings, changes);
        return Promise.resolve(view());
      },
      show: (id) => {
        shown = id;
        return view();
      },
      confirm: (question) => {
        asked.push(question.message);
        return Promise.resolve(answer);
      },
      hotkeyContext: linux,
    });
    return { handlers, asked, settings: () => settings, shown: () => shown };
  }
  const sender = {} as never;

  it('shows a new profile at once', async () => {
    const { handlers, settings, shown } = rig(true);
    await handlers.addProfile({ template: 'interpreter' }, sender);
    assert.equal(settings().profiles.length, 3);
    assert.equal(shown(), settings().profiles[2]!.id);
  });

  it('deletes a profile only once the user says so, naming it', async () => {
    const no = rig(false);
    await no.handlers.deleteProfile({ id: 'p-c0de00' }, sender);
    assert.deepEqual(no.asked, ['Delete the profile “Coder”?']);
    assert.equal(no.settings().profiles.length, 2, 'nothing deleted');
    const yes = rig(true);
    await yes.handlers.deleteProfile({ id: 'p-c0de00' }, sender);
    assert.deepEqual(
      yes.settings().profiles.map(({ id }) => id),
      ['assistant'],
    );
    await assert.rejects(async () => yes.handlers.deleteProfile({ id: 'assistant' }, sender), /last profile/);
    assert.equal(yes.asked.length, 1, 'the last profile is refused before anything is asked');
  });
});
