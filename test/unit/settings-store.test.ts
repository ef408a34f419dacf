import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { defaultSettings } from '../../electron/main/settings/defaults';
import { profileSettings } from '../../electron/main/settings/profiles';
import { SettingsStore } from '../../electron/main/settings/settings-store';
import { confSettingsFile } from '../harness/settings-file';
import { projectRoot } from '../harness/paths';
import { lockableFolder, smallDisk, type DiskFault } from '../support/disk-faults';

const fresh = () => mkdtempSync(join(tmpdir(), 'parley-settings-'));
const at = () => new Date('2026-11-21T10:00:00Z');
/** The first profile's settings with the global ones: what a version 4 file held. */
const firstOf = (store: SettingsStore) => profileSettings(store.settings, 'assistant')!;

describe('SettingsStore', () => {
  it('starts from the defaults and writes them, versioned', () => {
    const dir = fresh();
    const store = new SettingsStore(confSettingsFile(dir), at);
    assert.deepEqual(store.settings, defaultSettings);
    assert.equal(store.recovery, undefined);
    const written = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(written.version, 5);
  });

  it('keeps a change across restarts', () => {
    const dir = fresh();
    const result = new SettingsStore(confSettingsFile(dir)).update({
      cues: false,
      hotkey: { accelerator: 'F9', mode: 'hybrid' },
    });
    assert.equal(result.ok, true);
    const reopened = new SettingsStore(confSettingsFile(dir));
    assert.equal(reopened.settings.cues, false);
    assert.deepEqual(firstOf(reopened).hotkey, { accelerator: 'F9', mode: 'hybrid' });
  });

  it('refuses an invalid change and leaves the file as it was', () => {
    const dir = fresh();
    const store = new SettingsStore(confSettingsFile(dir));
    const before = readFileSync(join(dir, 'settings.json'), 'utf8');
    const result = store.update({ maxTurnMs: -5, hotkey: { accelerator: '', mode: 'hold' } });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', /maxTurnMs: .*profiles\.0\.hotkey\.accelerator: /);
    assert.equal(readFileSync(join(dir, 'settings.json'), 'utf8'), before);
    assert.deepEqual(store.settings, defaultSettings);
  });

  it('migrates a version 1 file: every setting kept, the new ones at their defaults, written back as version 5', () => {
    const dir = fresh();
    copyFileSync(join(projectRoot, 'test/fixtures/settings/v1.json'), join(dir, 'settings.json'));
    const store = new SettingsStore(confSettingsFile(dir));
    assert.equal(store.recovery, undefined);
    const v1 = JSON.parse(readFileSync(join(projectRoot, 'test/fixtures/settings/v1.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const { version: _v1, ...v1Settings } = v1;
    for (const [key, value] of Object.entries(v1Settings)) {
      assert.deepEqual(firstOf(store)[key as keyof ReturnType<typeof firstOf>], value, key);
    }
    assert.equal(store.settings.outputVolume, defaultSettings.outputVolume);
    assert.equal(store.settings.theme, 'system');
    assert.equal(store.settings.muteReplies, false);
    assert.equal(store.settings.idleDisconnectMinutes, defaultSettings.idleDisconnectMinutes);
    assert.equal(store.settings.showTranscriptOnReply, false);
    const written = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(written.version, 5);
    assert.equal(firstOf(new SettingsStore(confSettingsFile(dir))).hotkey.accelerator, 'Alt+F9');
  });

  it('migrates a version 2 file: every setting kept, tools at their defaults (no Google Search), written back as version 5', () => {
    const dir = fresh();
    copyFileSync(join(projectRoot, 'test/fixtures/settings/v2.json'), join(dir, 'settings.json'));
    const store = new SettingsStore(confSettingsFile(dir));
    assert.equal(store.recovery, undefined);
    assert.deepEqual(firstOf(store).hotkey, { accelerator: 'Alt+F9', mode: 'toggle' });
    assert.equal(store.settings.outputVolume, 0.6);
    assert.equal(store.settings.theme, 'dark');
    assert.equal(store.settings.idleDisconnectMinutes, 30);
    assert.equal(store.settings.muteReplies, true);
    assert.deepEqual(firstOf(store).tools, defaultSettings.profiles[0]!.tools);
    assert.equal(firstOf(store).tools.googleSearch, false);
    const written = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(written.version, 5);
  });

  it('migrates a version 3 file: every setting kept, screen sharing at its default (on, with its own hotkey), written back as version 5', () => {
    const dir = fresh();
    copyFileSync(join(projectRoot, 'test/fixtures/settings/v3.json'), join(dir, 'settings.json'));
    const store = new SettingsStore(confSettingsFile(dir));
    assert.equal(store.recovery, undefined);
    assert.equal(firstOf(store).tools.googleSearch, true);
    assert.deepEqual(firstOf(store).tools.permissions, { open_url: 'always', copy_to_clipboard: 'off' });
    assert.equal(firstOf(store).tools.limits.callTimeoutSeconds, 30);
    assert.deepEqual(firstOf(store).screen, {
      enabled: true,
      accelerator: 'Control+Alt+Shift+Space',
      target: 'display',
    });
    const written = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(written.version, 5);
  });

  it('migrates a version 4 file: its hotkeys, model, voice, instructions, tools and screen become the Assistant profile, the rest stays global', () => {
    const dir = fresh();
    copyFileSync(join(projectRoot, 'test/fixtures/settings/v4.json'), join(dir, 'settings.json'));
    const store = new SettingsStore(confSettingsFile(dir));
    assert.equal(store.recovery, undefined);
    const v4 = JSON.parse(readFileSync(join(projectRoot, 'test/fixtures/settings/v4.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const { version: _v4, ...v4Settings } = v4;
    assert.deepEqual(
      store.settings.profiles.map(({ id, name }) => ({ id, name })),
      [{ id: 'assistant', name: 'Assistant' }],
    );
    const assistant = firstOf(store);
    for (const [key, value] of Object.entries(v4Settings)) {
      assert.deepEqual(assistant[key as keyof typeof assistant], value, key);
    }
    assert.deepEqual(assistant.translation, { targetLanguageCode: 'en', echoTargetLanguage: false });
    assert.equal(store.settings.outputVolume, 0.6, 'global settings stay at the top');
    assert.equal('hotkey' in store.settings, false, 'profile settings live in the profile only');
    const written = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(written.version, 5);
  });

  it('reads a version 5 file as written by this version: two profiles, each with its own settings', () => {
    const dir = fresh();
    copyFileSync(join(projectRoot, 'test/fixtures/settings/v5.json'), join(dir, 'settings.json'));
    const store = new SettingsStore(confSettingsFile(dir));
    assert.equal(store.recovery, undefined);
    assert.deepEqual(
      store.settings.profiles.map(({ name }) => name),
      ['Assistant', 'Interpreter'],
    );
    assert.equal(firstOf(store).hotkey.accelerator, 'Alt+F9');
    const interpreter = profileSettings(store.settings, 'p-3fa9c1')!;
    assert.equal(interpreter.model, 'gemini-3.5-live-translate-preview');
    assert.deepEqual(interpreter.translation, { targetLanguageCode: 'fr', echoTargetLanguage: true });
    assert.equal(interpreter.outputVolume, 0.6, 'every profile sees the global settings');
  });

  it('changes the profile a change names, and refuses two profiles with one name', () => {
    const dir = fresh();
    copyFileSync(join(projectRoot, 'test/fixtures/settings/v5.json'), join(dir, 'settings.json'));
    const store = new SettingsStore(confSettingsFile(dir));
    assert.equal(store.update({ profile: 'p-3fa9c1', voiceName: 'Aoede', cues: true }).ok, true);
    assert.equal(profileSettings(store.settings, 'p-3fa9c1')!.voiceName, 'Aoede');
    assert.equal(firstOf(store).voiceName, 'Kore', 'the other profile keeps its voice');
    assert.equal(store.settings.cues, true);
    const renamed = store.settings.profiles.map((profile) => ({ ...profile, name: 'assistant' }));
    const refused = store.update({ profiles: renamed });
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.error : '', /another profile is called assistant/);
    const missing = store.update({ profile: 'p-gone', voiceName: 'Puck' });
    assert.match(!missing.ok ? missing.error : '', /no profile p-gone/);
  });

  it('keeps a file from a newer Parley as a backup and says why, instead of guessing at it', () => {
    const dir = fresh();
    const newer = JSON.stringify({ ...defaultSettings, version: 6, somethingNew: true });
    writeFileSync(join(dir, 'settings.json'), newer);
    const store = new SettingsStore(confSettingsFile(dir), at);
    assert.deepEqual(store.settings, defaultSettings);
    assert.match(store.recovery?.reason ?? '', /newer Parley \(settings version 6/);
    assert.equal(readFileSync(store.recovery!.backupPath!, 'utf8'), newer);
  });

  it('backs up a version 1 file that is not valid version 1', () => {
    const dir = fresh();
    const v1 = JSON.parse(readFileSync(join(projectRoot, 'test/fixtures/settings/v1.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...v1, maxTurnMs: 'long' }));
    const store = new SettingsStore(confSettingsFile(dir), at);
    assert.deepEqual(store.settings, defaultSettings);
    assert.match(store.recovery?.reason ?? '', /maxTurnMs/);
  });

  it('backs up a file without a version', () => {
    const dir = fresh();
    const { version: _v, ...unversioned } = { ...defaultSettings, version: 2 };
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(unversioned));
    const store = new SettingsStore(confSettingsFile(dir), at);
    assert.match(store.recovery?.reason ?? '', /expected a settings version from 1 to 5, got none/);
  });

  it('backs up a file that is not JSON, restores the defaults and says so once', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'settings.json'), '{"version": 1, "cues": fal');
    const store = new SettingsStore(confSettingsFile(dir), at);
    assert.deepEqual(store.settings, defaultSettings);
    assert.match(store.recovery?.reason ?? '', /not valid JSON/);
    assert.equal(readFileSync(store.recovery!.backupPath!, 'utf8'), '{"version": 1, "cues": fal');
    assert.equal(new SettingsStore(confSettingsFile(dir)).recovery, undefined, 'told once');
  });

  it('backs up a file with settings that make no sense, and restores the defaults', () => {
    const dir = fresh();
    const broken = JSON.stringify({ version: 2, ...defaultSettings, hotkey: { accelerator: 42, mode: 'sideways' } });
    writeFileSync(join(dir, 'settings.json'), broken);
    const store = new SettingsStore(confSettingsFile(dir), at);
    assert.deepEqual(store.settings, defaultSettings);
    assert.match(store.recovery?.reason ?? '', /hotkey\.accelerator/);
    assert.equal(readFileSync(store.recovery!.backupPath!, 'utf8'), broken);
    assert.deepEqual(readdirSync(dir).sort(), ['settings.json', 'settings.json.broken-2026-11-21T10-00-00-000Z']);
  });
});

describe('SettingsStore on a failing disk', () => {
  let fault: DiskFault | undefined;
  afterEach(() => {
    fault?.release();
    fault = undefined;
  });

  const onDisk = (dir: string) =>
    JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;

  it('starts on a read-only folder from what it could read, applies a change in memory, and saves once it can', (t) => {
    const dir = fresh();
    new SettingsStore(confSettingsFile(dir)).update({ cues: false });
    fault = lockableFolder(dir);
    fault.strike();
    t.diagnostic(`a read-only folder made by ${fault.how}`);

    const store = new SettingsStore(confSettingsFile(dir));
    assert.equal(store.settings.cues, false, 'what was saved is read');
    assert.equal(store.saveProblem, `the user-data folder is read-only (${dir})`);
    const changed = store.update({ outputVolume: 0.3 });
    assert.deepEqual(changed.ok && [changed.saved, changed.settings.outputVolume], [false, 0.3]);
    assert.equal(store.settings.outputVolume, 0.3, 'in force for this run');
    assert.equal(onDisk(dir).outputVolume, defaultSettings.outputVolume, 'the file is as it was');
    assert.deepEqual(readdirSync(dir), ['settings.json']);

    fault.heal();
    const again = store.update({ theme: 'dark' });
    assert.equal(again.ok && again.saved, true);
    assert.equal(store.saveProblem, undefined);
    assert.deepEqual([onDisk(dir).outputVolume, onDisk(dir).theme, onDisk(dir).cues], [0.3, 'dark', false]);
  });

  it('starts on the defaults in an empty read-only folder', (t) => {
    const dir = fresh();
    fault = lockableFolder(dir);
    fault.strike();
    t.diagnostic(`a read-only folder made by ${fault.how}`);
    const store = new SettingsStore(confSettingsFile(dir));
    assert.deepEqual(store.settings, defaultSettings);
    assert.equal(store.saveProblem, `the user-data folder is read-only (${dir})`);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('leaves a broken file as it was in a read-only folder, and says so', (t) => {
    const dir = fresh();
    writeFileSync(join(dir, 'settings.json'), '{"cues": fal');
    fault = lockableFolder(dir);
    fault.strike();
    t.diagnostic(`a read-only folder made by ${fault.how}`);
    const store = new SettingsStore(confSettingsFile(dir), at);
    assert.deepEqual(store.settings, defaultSettings);
    assert.ok(store.recovery, 'said');
    assert.equal(store.recovery.backupPath, undefined, 'no backup could be made');
    assert.match(store.recovery?.reason ?? '', /not valid JSON/);
    assert.equal(readFileSync(join(dir, 'settings.json'), 'utf8'), '{"cues": fal');
  });

  it('on a full disk keeps the saved file whole, applies a change in memory, and saves once there is room', (t) => {
    const dir = fresh();
    fault = smallDisk(dir);
    t.diagnostic(`a full disk made by ${fault.how}`);
    new SettingsStore(confSettingsFile(dir)).update({ cues: false });
    fault.strike();

    const store = new SettingsStore(confSettingsFile(dir));
    assert.equal(store.settings.cues, false);
    assert.equal(store.saveProblem, `the disk is full (${dir})`);
    const changed = store.update({ muteReplies: true });
    assert.deepEqual(changed.ok && [changed.saved, changed.settings.muteReplies], [false, true]);
    assert.equal(store.settings.muteReplies, true);
    assert.deepEqual([onDisk(dir).muteReplies, onDisk(dir).cues], [false, false], 'the old file, whole');

    fault.heal();
    const again = store.update({ muteReplies: true });
    assert.equal(again.ok && again.saved, true);
    assert.equal(store.saveProblem, undefined);
    assert.equal(onDisk(dir).muteReplies, true);
  });
});
