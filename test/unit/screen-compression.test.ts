import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { liveTarget } from '../../electron/main/live/live-target';
import { defaultSettings, type AppSettings } from '../../electron/main/settings/defaults';
import { profileSettings, withChanges } from '../../electron/main/settings/profiles';
import { settingsViewOf } from '../../electron/main/settings/settings-view';

/** A user who had turned context compression off (settings version 3), now with screen sharing on by default. */
const compressionOff: AppSettings = withChanges(defaultSettings, {
  contextCompression: { enabled: false, triggerTokens: 20_000 },
});

const configOf = (settings: AppSettings) =>
  liveTarget({
    env: {},
    isPackaged: false,
    confirm: () => Promise.resolve(true),
    answered: () => undefined,
    settings: () => settings,
  })
    .forProfile(() => profileSettings(settings, 'assistant')!)
    .config();

describe('context compression while screen sharing is on', () => {
  it('stays on in the session setup: without it a session with pictures ends after about 2 minutes', () => {
    assert.deepEqual(configOf(compressionOff).contextWindowCompression, {
      triggerTokens: '20000',
      slidingWindow: { targetTokens: '10000' },
    });
  });

  it('follows its own setting once screen sharing is off', () => {
    const off = withChanges(compressionOff, { screen: { ...compressionOff.profiles[0]!.screen, enabled: false } });
    assert.equal(configOf(off).contextWindowCompression, undefined);
  });

  it('shows in Settings as on, and not to be changed, with the reason', () => {
    const view = settingsViewOf(compressionOff, 'assistant', { launchAtLoginSupported: true });
    assert.equal(view.settings.contextCompression.enabled, true);
    assert.equal(view.controls.contextCompression?.enabled, false);
    assert.match(
      view.controls.contextCompression?.reason ?? '',
      /screen sharing is on: without it, a session with pictures of the screen ends after about 2 minutes/,
    );
    assert.equal(view.controls.compressionTriggerTokens?.enabled, true, 'its trigger can still be set');
  });
});
