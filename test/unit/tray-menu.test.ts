import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultProfile, defaultSettings, type AppSettings } from '../../electron/main/settings/defaults';
import { withChanges } from '../../electron/main/settings/profiles';
import { settingsViewOf } from '../../electron/main/settings/settings-view';
import type { TrayMenuItem } from '../../electron/main/tray/tray-items';
import { trayView } from '../../electron/main/tray/tray-menu';
import type { ConnectionState, HotkeyBindingStatus, HotkeyStatus, SessionStatus } from '../../shared/types';
import { projectRoot } from '../harness/paths';

const talk: HotkeyBindingStatus = {
  profile: 'assistant',
  look: false,
  accelerator: 'Control+Shift+Space',
  mode: 'hold',
  effectiveMode: 'hold',
};
const hotkey: HotkeyStatus = { keyReleases: true, bindings: [talk] };
const idle: SessionStatus = { state: 'idle', detail: 'Ready.' };
const view = (status = idle, settings: AppSettings = defaultSettings) =>
  trayView({ status, hotkey, settings: settingsViewOf(settings, 'assistant', { launchAtLoginSupported: true }) });

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
      connecting: 'connecting',
      reconnecting: 'connecting',
      listening: 'listening',
      thinking: 'thinking',
      speaking: 'speaking',
      error: 'error',
    };
    for (const [state, icon] of Object.entries(icons)) {
      const tray = view({ state: state as ConnectionState, detail: 'd' });
      assert.equal(tray.icon, icon, state);
      const png = readFileSync(join(projectRoot, 'resources', `tray-${tray.icon}.png`));
      assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG', `${icon} is a PNG`);
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [32, 32], `${icon} is 32×32`);
      assert.match(tray.menu[0]?.kind === 'label' ? tray.menu[0].label : '', /^Parley — /);
    }
  });

  it('shows an eye, and says so, while the screen is seen', () => {
    const tray = view({ state: 'listening', detail: 'Listening…', seeingScreen: true });
    assert.equal(tray.icon, 'seeing');
    assert.match(tray.tooltip, /^Parley — listening, seeing the screen\n/);
    const drawing = (icon: string) =>
      readFileSync(join(projectRoot, 'resources', `tray-${icon}.png`)).toString('base64');
    assert.notEqual(drawing('seeing'), drawing('listening'));
    assert.equal(view({ state: 'listening', detail: 'Listening…' }).icon, 'listening');
  });

  it('draws every state differently', () => {
    const states: ConnectionState[] = ['idle', 'connecting', 'listening', 'thinking', 'speaking', 'error'];
    const drawings = states.map((state) =>
      readFileSync(join(projectRoot, 'resources', `tray-${view({ state, detail: '' }).icon}.png`)).toString('base64'),
    );
    assert.equal(new Set(drawings).size, states.length);
  });

  it('offers Talk (Stop talking while listening; not without a key), the windows and Quit', () => {
    const actions = (items: readonly TrayMenuItem[]) =>
      items.flatMap((i) => (i.kind === 'action' ? [`${i.label}${i.enabled === false ? ' (off)' : ''}`] : []));
    assert.deepEqual(actions(view().menu), [
      'Talk',
      'Open transcript',
      'Settings…',
      'New conversation…',
      'Quit Parley',
    ]);
    assert.equal(actions(view({ state: 'listening', detail: '' }).menu)[0], 'Stop talking');
    assert.equal(actions(view({ state: 'no-api-key', detail: '' }).menu)[0], 'Talk (off)');
    assert.equal(view().tooltip, 'Parley — idle\nReady.\nHotkey: Control+Shift+Space (hold)');
  });

  it('shows the current model, voice, reply format and mode as checked choices', () => {
    const menu = view(
      idle,
      withChanges(defaultSettings, { voiceName: 'Puck', hotkey: { ...defaultProfile.hotkey, mode: 'hybrid' } }),
    ).menu;
    assert.deepEqual(checkedIn(menu, 'Model'), ['gemini-3.8-live']);
    assert.deepEqual(checkedIn(menu, 'Voice'), ['Puck']);
    assert.deepEqual(checkedIn(menu, 'Respond with'), ['Audio']);
    assert.deepEqual(checkedIn(menu, 'Push-to-talk mode'), ['Hold, or tap for hands-free']);
  });

  it('with several profiles: a Profiles submenu with the one shown checked, its choices, and every hotkey by profile', () => {
    const coder = {
      ...defaultProfile,
      id: 'p-c0de00',
      name: 'Coder',
      voiceName: 'Charon',
      hotkey: { accelerator: 'Control+Shift+F1', mode: 'toggle' as const },
    };
    const settings = withChanges(defaultSettings, { profiles: [defaultProfile, coder] });
    const coderTalk: HotkeyBindingStatus = {
      ...talk,
      profile: 'p-c0de00',
      accelerator: 'Control+Shift+F1',
      mode: 'toggle',
      effectiveMode: 'toggle',
    };
    const tray = trayView({
      status: idle,
      hotkey: { keyReleases: true, bindings: [talk, coderTalk] },
      settings: settingsViewOf(settings, 'p-c0de00', { launchAtLoginSupported: true }),
    });
    assert.deepEqual(checkedIn(tray.menu, 'Profiles'), ['Coder']);
    const assistantChoice = find(tray.menu, 'Assistant');
    assert.equal(assistantChoice?.kind === 'choice' && assistantChoice.id, 'profile:assistant');
    assert.deepEqual(checkedIn(tray.menu, 'Voice'), ['Charon'], "the choices are the shown profile's");
    assert.match(tray.tooltip, /\nAssistant: Control\+Shift\+Space \(hold\)\nCoder: Control\+Shift\+F1 \(toggle\)$/);
    assert.equal(find(view().menu, 'Profiles'), undefined, 'no submenu while there is one profile');
  });

  it('greys out Text replies where the model only speaks, and keeps a custom model visible', () => {
    const text = find(view().menu, 'Text');
    assert.equal(text?.kind === 'choice' && text.enabled, false);
    const custom = view(idle, withChanges(defaultSettings, { model: 'my-tuned-live-model' })).menu;
    assert.deepEqual(checkedIn(custom, 'Model'), ['my-tuned-live-model']);
  });

  it('offers Launch at login as a checkbox, greyed out where the OS does not support it', () => {
    const item = (supported: boolean, on: boolean) =>
      find(
        trayView({
          status: idle,
          hotkey,
          settings: settingsViewOf({ ...defaultSettings, launchAtLogin: on }, 'assistant', {
            launchAtLoginSupported: supported,
          }),
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
      hotkey: { keyReleases: false, problem, bindings: [{ ...talk, effectiveMode: 'toggle' }] },
      settings: settingsViewOf(defaultSettings, 'assistant', { launchAtLoginSupported: true }),
    });
    assert.match(
      tray.tooltip,
      /Hotkey: Control\+Shift\+Space \(toggle\)\nNo X display\.\nStart Parley from your desktop\.$/,
    );
  });

  it('lists the menu in the order users look for things', () => {
    const top = view().menu.flatMap((item) => ('label' in item ? [item.label] : ['—']));
    assert.deepEqual(top, [
      'Parley — idle',
      'Talk',
      '—',
      'Open transcript',
      'Settings…',
      '—',
      'Model',
      'Voice',
      'Respond with',
      'Push-to-talk mode',
      'Microphone',
      '—',
      'Mute replies',
      'New conversation…',
      '—',
      'Launch at login',
      'Quit Parley',
    ]);
  });

  it('shows Mute replies as a checkbox that follows the setting', () => {
    const muted = (on: boolean) => find(view(idle, { ...defaultSettings, muteReplies: on }).menu, 'Mute replies');
    assert.deepEqual(muted(true), { kind: 'toggle', id: 'mute-replies', label: 'Mute replies', checked: true });
    assert.deepEqual(muted(false), { kind: 'toggle', id: 'mute-replies', label: 'Mute replies', checked: false });
  });

  it('lists the microphones plugged in, checks the chosen one, and says when it is missing', () => {
    const devices = {
      inputs: [
        { deviceId: 'usb', label: 'USB Microphone' },
        { deviceId: 'built-in', label: '' },
      ],
      outputs: [],
    };
    const menuWith = (deviceId: string | undefined, notes = {}) =>
      trayView({
        status: idle,
        hotkey,
        settings: settingsViewOf(
          { ...defaultSettings, capture: { ...defaultSettings.capture, deviceId } },
          'assistant',
          { launchAtLoginSupported: true },
          undefined,
          {
            devices,
            deviceNotes: notes,
            connection: { endpointFrom: 'default', apiVersion: 'v1beta', apiVersionFrom: 'model' },
            tools: [],
            memory: [],
            mcp: { file: '', servers: [], problems: [] },
          },
        ),
      }).menu;
    const microphones = (menu: TrayMenuItem[]) => {
      const sub = find(menu, 'Microphone');
      return sub?.kind === 'submenu'
        ? sub.items.map((i) => ('label' in i ? `${i.label}${'checked' in i && i.checked ? ' ✓' : ''}` : '—'))
        : [];
    };
    assert.deepEqual(microphones(menuWith(undefined)), ['System default ✓', 'USB Microphone', 'Microphone 2']);
    assert.deepEqual(microphones(menuWith('usb')), ['System default', 'USB Microphone ✓', 'Microphone 2']);
    assert.deepEqual(find(menuWith('usb'), 'USB Microphone'), {
      kind: 'choice',
      id: 'microphone:usb',
      label: 'USB Microphone',
      checked: true,
    });
    const gone = 'Headset is not connected: Parley uses the system default microphone until it is back.';
    assert.deepEqual(microphones(menuWith('headset', { input: gone })), [
      'System default',
      'USB Microphone',
      'Microphone 2',
      gone,
    ]);
  });
});
