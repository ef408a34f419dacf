import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultSettings, type AppSettings } from '../../electron/main/settings/defaults';
import { settingsViewOf } from '../../electron/main/settings/settings-view';
import { trayView, type TrayMenuItem } from '../../electron/main/tray/tray-menu';
import type { ConnectionState, SessionStatus } from '../../shared/types';

const hotkey = {
  accelerator: 'Control+Shift+Space',
  mode: 'hold' as const,
  effectiveMode: 'hold' as const,
  keyReleases: true,
};
const idle: SessionStatus = { state: 'idle', detail: 'Ready.' };
const view = (status = idle, settings: AppSettings = defaultSettings) =>
  trayView({ status, hotkey, settings: settingsViewOf(settings, { launchAtLoginSupported: true }) });

function find(items: readonly TrayMenuItem[], label: string): TrayMenuItem | undefined {
  for (const item of items) {
    if ('label' in item && item.label === label) return item;
    if (item.kind === 'submenu') {
      const inner = find(item.items, label);
      if (inner) return inner;
    }
  }
  return undefined;
}
const checkedIn = (items: readonly TrayMenuItem[], submenu: string) => {
  const menu = find(items, submenu);
  return menu?.kind === 'submenu'
    ? menu.items.filter((i) => i.kind === 'choice' && i.checked).map((i) => 'label' in i && i.label)
    : [];
};

describe('trayView', () => {
  it('derives icon and state line from every state', () => {
    const icons: Record<ConnectionState, string> = {
      'no-api-key': 'error',
      idle: 'idle',
      connecting: 'busy',
      listening: 'busy',
      thinking: 'busy',
      speaking: 'busy',
      error: 'error',
    };
    for (const [state, icon] of Object.entries(icons)) {
      const tray = view({ state: state as ConnectionState, detail: 'd' });
      assert.equal(tray.icon, icon, state);
      assert.match(tray.menu[0]?.kind === 'label' ? tray.menu[0].label : '', /^Parley — /);
    }
  });

  it('offers Talk (Stop talking while listening; not without a key), the windows and Quit', () => {
    const actions = (items: readonly TrayMenuItem[]) =>
      items.flatMap((i) => (i.kind === 'action' ? [`${i.label}${i.enabled === false ? ' (off)' : ''}`] : []));
    assert.deepEqual(actions(view().menu), ['Talk', 'Open transcript', 'Settings…', 'Quit Parley']);
    assert.equal(actions(view({ state: 'listening', detail: '' }).menu)[0], 'Stop talking');
    assert.equal(actions(view({ state: 'no-api-key', detail: '' }).menu)[0], 'Talk (off)');
    assert.equal(view().tooltip, 'Parley — idle\nReady.\nHotkey: Control+Shift+Space (hold)');
  });

  it('shows the current model, voice, reply format and mode as checked choices', () => {
    const menu = view(idle, {
      ...defaultSettings,
      voiceName: 'Puck',
      hotkey: { ...defaultSettings.hotkey, mode: 'hybrid' },
    }).menu;
    assert.deepEqual(checkedIn(menu, 'Model'), ['gemini-3.8-live']);
    assert.deepEqual(checkedIn(menu, 'Voice'), ['Puck']);
    assert.deepEqual(checkedIn(menu, 'Respond with'), ['Audio']);
    assert.deepEqual(checkedIn(menu, 'Push-to-talk mode'), ['Hold, or tap for hands-free']);
  });

  it('greys out Text replies where the model only speaks, and keeps a custom model visible', () => {
    const text = find(view().menu, 'Text');
    assert.equal(text?.kind === 'choice' && text.enabled, false);
    const custom = view(idle, { ...defaultSettings, model: 'my-tuned-live-model' }).menu;
    assert.deepEqual(checkedIn(custom, 'Model'), ['my-tuned-live-model']);
  });

  it('offers Launch at login as a checkbox, greyed out where the OS does not support it', () => {
    const item = (supported: boolean, on: boolean) =>
      find(
        trayView({
          status: idle,
          hotkey,
          settings: settingsViewOf({ ...defaultSettings, launchAtLogin: on }, { launchAtLoginSupported: supported }),
        }).menu,
        'Launch at login',
      );
    assert.deepEqual(item(true, true), {
      kind: 'toggle',
      id: 'launch-at-login',
      label: 'Launch at login',
      checked: true,
      enabled: true,
    });
    const unsupported = item(false, false);
    assert.equal(unsupported?.kind === 'toggle' && unsupported.enabled, false);
  });

  it('says why the hotkey only toggles, and how to fix it', () => {
    const problem = { reason: 'No X display.', fix: 'Start Parley from your desktop.' };
    const tray = trayView({
      status: idle,
      hotkey: { ...hotkey, effectiveMode: 'toggle', keyReleases: false, problem },
      settings: settingsViewOf(defaultSettings, { launchAtLoginSupported: true }),
    });
    assert.match(
      tray.tooltip,
      /Hotkey: Control\+Shift\+Space \(toggle\)\nNo X display\.\nStart Parley from your desktop\.$/,
    );
  });
});
