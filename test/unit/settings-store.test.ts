import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { defaultSettings } from '../../electron/main/settings/defaults';
import { SettingsStore } from '../../electron/main/settings/settings-store';
import { confSettingsFile } from '../harness/settings-file';
import { projectRoot } from '../harness/paths';
import { lockableFolder, smallDisk, type DiskFault } from '../support/disk-faults';

const fresh = () => mkdtempSync(join(tmpdir(), 'parley-settings-'));
const at = () => new Date('2026-11-21T10:00:00Z');

describe('SettingsStore', () => {
  it('starts from the defaults and writes them, versioned', () => {
    const dir = fresh();
    const store = new SettingsStore(confSettingsFile(dir), at);
    assert.deepEqual(store.settings, defaultSettings);
    assert.equal(store.recovery, undefined);
    const written = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(written.version, 4);
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
    assert.deepEqual(reopened.settings.hotkey, { accelerator: 'F9', mode: 'hybrid' });
  });

  it('refuses an invalid change and leaves the file as it was', () => {
    const dir = fresh();
    const store = new SettingsStore(confSettingsFile(dir));
    const before = readFileSync(join(dir, 'settings.json'), 'utf8');
    const result = store.update({ maxTurnMs: -5, hotkey: { accelerator: '', mode: 'hold' } });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', /hotkey\.accelerator: .*maxTurnMs: /);
    assert.equal(readFileSync(join(dir, 'settings.json'), 'utf8'), before);
    assert.deepEqual(store.settings, defaultSettings);
  });

  it('migrates a version 1 file: every setting kept, the new ones at their defaults, written back as version 3', () => {
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
      assert.deepEqual(store.settings[key as keyof typeof store.settings], value, key);
    }
    assert.equal(store.settings.outputVolume, defaultSettings.outputVolume);
    assert.equal(store.settings.theme, 'system');
    assert.equal(store.settings.muteReplies, false);
    assert.equal(store.settings.idleDisconnectMinutes, defaultSettings.idleDisconnectMinutes);
    assert.equal(store.settings.showTranscriptOnReply, false);
    const written = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(written.version, 4);
    assert.equal(new SettingsStore(confSettingsFile(dir)).settings.hotkey.accelerator, 'Alt+F9');
  });

  it('migrates a version 2 file: every setting kept, tools at their defaults (no Google Search), written back as version 4', () => {
    const dir = fresh();
    copyFileSync(join(projectRoot, 'test/fixtures/settings/v2.json'), join(dir, 'settings.json'));
    const store = new SettingsStore(confSettingsFile(dir));
    assert.equal(store.recovery, undefined);
    assert.deepEqual(store.settings.hotkey, { accelerator: 'Alt+F9', mode: 'toggle' });
    assert.equal(store.settings.outputVolume, 0.6);
    assert.equal(store.settings.theme, 'dark');
    assert.equal(store.settings.idleDisconnectMinutes, 30);
    assert.equal(store.settings.muteReplies, true);
    assert.deepEqual(store.settings.tools, defaultSettings.tools);
    assert.equal(store.settings.tools.googleSearch, false);
    const written = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(written.version, 4);
  });

  it('migrates a version 3 file: every setting kept, screen sharing at its default (on, with its own hotkey), written back as version 4', () => {
    const dir = fresh();
    copyFileSync(join(projectRoot, 'test/fixtures/settings/v3.json'), join(dir, 'settings.json'));
    const store = new SettingsStore(confSettingsFile(dir));
    assert.equal(store.recovery, undefined);
    assert.equal(store.settings.tools.googleSearch, true);
    assert.deepEqual(store.settings.tools.permissions, { open_url: 'always', copy_to_clipboard: 'off' });
    assert.equal(store.settings.tools.limits.callTimeoutSeconds, 30);
    assert.deepEqual(store.settings.screen, {
      enabled: true,
      accelerator: 'Control+Alt+Shift+Space',
      target: 'display',
    });
    const written = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(written.version, 4);
  });

  it('reads a version 4 file as written by this version', () => {
    const dir = fresh();
    copyFileSync(join(projectRoot, 'test/fixtures/settings/v4.json'), join(dir, 'settings.json'));
    const store = new SettingsStore(confSettingsFile(dir));
    assert.equal(store.recovery, undefined);
    assert.deepEqual(store.settings.screen, { enabled: false, accelerator: 'Alt+F10', target: 'window' });
    assert.equal(store.settings.hotkey.accelerator, 'Alt+F9');
  });

  it('keeps a file from a newer Parley as a backup and says why, instead of guessing at it', () => {
    const dir = fresh();
    const newer = JSON.stringify({ ...defaultSettings, version: 5, somethingNew: true });
    writeFileSync(join(dir, 'settings.json'), newer);
    const store = new SettingsStore(confSettingsFile(dir), at);
    assert.deepEqual(store.settings, defaultSettings);
    assert.match(store.recovery?.reason ?? '', /newer Parley \(settings version 5/);
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
    assert.match(store.recovery?.reason ?? '', /expected a settings version from 1 to 4, got none/);
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
