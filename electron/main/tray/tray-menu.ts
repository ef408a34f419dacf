import { hotkeyBinding } from '../../../shared/hotkey-status';
import { connectionStateLabels } from '../../../shared/labels';
import type { SettingsView } from '../../../shared/settings';
import type { HotkeyStatus, PushToTalkMode, SessionStatus } from '../../../shared/types';
import type { TrayIconName } from '../ports';
import type { TrayAction, TrayMenuItem } from './tray-items';

export interface TrayView {
  icon: TrayIconName;
  tooltip: string;
  menu: TrayMenuItem[];
}

export interface TrayState {
  status: SessionStatus;
  hotkey: HotkeyStatus;
  settings: SettingsView;
}

const modeLabels: Record<PushToTalkMode, string> = {
  hold: 'Hold to talk',
  toggle: 'Tap to start and stop',
  hybrid: 'Hold, or tap for hands-free',
};

/** The whole tray, derived from state: rebuilt on every change, never patched. */
export function trayView({ status, hotkey, settings: view }: TrayState): TrayView {
  const state = connectionStateLabels[status.state];
  const { settings } = view;
  const talking = status.state === 'listening';
  const canTalk = status.state !== 'no-api-key';
  return {
    icon: iconFor(status),
    tooltip: [
      `Parley — ${state}${status.seeingScreen ? ', seeing the screen' : ''}`,
      status.detail,
      ...hotkeyLines(hotkey, view.profiles),
    ].join('\n'),
    menu: [
      { kind: 'label', label: `Parley — ${state}` },
      { kind: 'action', id: 'talk', label: talking ? 'Stop talking' : 'Talk', enabled: canTalk },
      { kind: 'separator' },
      { kind: 'action', id: 'open-transcript', label: 'Open transcript' },
      { kind: 'action', id: 'open-settings', label: 'Settings…' },
      { kind: 'separator' },
      ...profileMenu(view),
      submenu('Model', withCurrent(view.models, settings.model), (model) => `model:${model}`, settings.model),
      voiceMenu(view),
      modalityMenu(view),
      modeMenu(view),
      microphoneMenu(view),
      { kind: 'separator' },
      { kind: 'toggle', id: 'mute-replies', label: 'Mute replies', checked: settings.muteReplies },
      { kind: 'action', id: 'new-conversation', label: 'New conversation…' },
      { kind: 'separator' },
      {
        kind: 'toggle',
        id: 'launch-at-login',
        label: 'Launch at login',
        checked: settings.launchAtLogin,
        enabled: view.controls.launchAtLogin?.enabled ?? true,
      },
      { kind: 'action', id: 'quit', label: 'Quit Parley' },
    ],
  };
}

/** Each hotkey and what stops it, the problem that affects them all first; each profile's by its name when there are several. */
function hotkeyLines(hotkey: HotkeyStatus, profiles: SettingsView['profiles']): string[] {
  if (profiles.length === 1) {
    const talk = hotkeyBinding(hotkey, false);
    const screen = hotkeyBinding(hotkey, true);
    return [
      ...(talk ? [`Hotkey: ${talk.accelerator} (${talk.effectiveMode})`] : []),
      ...problemLines(hotkey.problem),
      ...problemLines(talk?.problem),
      ...(screen ? [`Screen hotkey: ${screen.accelerator}`] : []),
      ...problemLines(screen?.problem),
    ];
  }
  const nameOf = (id: string) => profiles.find((profile) => profile.id === id)?.name ?? id;
  return [
    ...problemLines(hotkey.problem),
    ...hotkey.bindings.flatMap((binding) => [
      binding.look
        ? `${nameOf(binding.profile)}, with the screen: ${binding.accelerator}`
        : `${nameOf(binding.profile)}: ${binding.accelerator} (${binding.effectiveMode})`,
      ...problemLines(binding.problem),
    ]),
  ];
}

/** With several profiles: which one Talk, the choices below and the transcript window are about. */
function profileMenu(view: SettingsView): TrayMenuItem[] {
  if (view.profiles.length === 1) return [];
  const items = view.profiles.map((profile): TrayMenuItem => ({
    kind: 'choice',
    id: `profile:${profile.id}`,
    label: profile.name,
    checked: profile.id === view.profile,
  }));
  return [{ kind: 'submenu', label: 'Profiles', items }];
}

function problemLines(problem: HotkeyStatus['problem']): string[] {
  return problem ? [problem.reason, problem.fix] : [];
}

function voiceMenu({ settings, voices, controls }: SettingsView): TrayMenuItem {
  return {
    kind: 'submenu',
    label: 'Voice',
    enabled: controls.voiceName?.enabled ?? true,
    items: [
      { kind: 'choice', id: 'voice:', label: "The model's default", checked: settings.voiceName === undefined },
      ...voices.map((voice): TrayMenuItem => ({
        kind: 'choice',
        id: `voice:${voice}`,
        label: voice,
        checked: settings.voiceName === voice,
      })),
    ],
  };
}

function modalityMenu({ settings, controls }: SettingsView): TrayMenuItem {
  return {
    kind: 'submenu',
    label: 'Respond with',
    items: [
      { kind: 'choice', id: 'modality:AUDIO', label: 'Audio', checked: settings.responseModality === 'AUDIO' },
      {
        kind: 'choice',
        id: 'modality:TEXT',
        label: 'Text',
        checked: settings.responseModality === 'TEXT',
        enabled: controls.responseModality?.enabled ?? true,
      },
    ],
  };
}

function modeMenu({ settings }: SettingsView): TrayMenuItem {
  return {
    kind: 'submenu',
    label: 'Push-to-talk mode',
    items: (Object.keys(modeLabels) as PushToTalkMode[]).map((mode) => ({
      kind: 'choice',
      id: `mode:${mode}`,
      label: modeLabels[mode],
      checked: settings.hotkey.mode === mode,
    })),
  };
}

/** The microphones plugged in now; a chosen one that is missing stays listed, marked as such. */
function microphoneMenu({ settings, devices, deviceNotes }: SettingsView): TrayMenuItem {
  const chosen = settings.capture.deviceId;
  return {
    kind: 'submenu',
    label: 'Microphone',
    items: [
      { kind: 'choice', id: 'microphone:', label: 'System default', checked: chosen === undefined },
      ...devices.inputs.map((device, index): TrayMenuItem => ({
        kind: 'choice',
        id: `microphone:${device.deviceId}`,
        label: device.label || `Microphone ${index + 1}`,
        checked: device.deviceId === chosen,
      })),
      ...(deviceNotes.input ? [{ kind: 'label', label: deviceNotes.input } as const] : []),
    ],
  };
}

/** A custom model name typed in Settings stays visible in the menu. */
function withCurrent(models: readonly string[], current: string): string[] {
  return models.includes(current) ? [...models] : [...models, current];
}

function submenu(label: string, values: string[], id: (value: string) => TrayAction, current: string): TrayMenuItem {
  return {
    kind: 'submenu',
    label,
    items: values.map((value) => ({ kind: 'choice', id: id(value), label: value, checked: value === current })),
  };
}

function iconFor(status: SessionStatus): TrayIconName {
  if (status.seeingScreen) return 'seeing';
  // Without a key nothing works until the user acts: the same call to action as an error.
  if (status.state === 'no-api-key') return 'error';
  return status.state === 'reconnecting' ? 'connecting' : status.state;
}
