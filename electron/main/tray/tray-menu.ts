import { connectionStateLabels } from '../../../shared/labels';
import type { HotkeyStatus, SessionStatus } from '../../../shared/types';
import type { TrayIconName } from '../ports';

export type TrayMenuItem =
  { kind: 'label'; label: string } | { kind: 'separator' } | { kind: 'action'; id: TrayAction; label: string };

export type TrayAction = 'open-transcript' | 'open-settings' | 'quit';

export interface TrayView {
  icon: TrayIconName;
  tooltip: string;
  menu: TrayMenuItem[];
}

/** The whole tray, derived from state: rebuilt on every change, never patched. */
export function trayView(status: SessionStatus, hotkey: HotkeyStatus): TrayView {
  const state = connectionStateLabels[status.state];
  return {
    icon: iconFor(status),
    tooltip: [
      `Parley — ${state}`,
      status.detail,
      `Hotkey: ${hotkey.accelerator} (${hotkey.effectiveMode})`,
      ...(hotkey.problem ? [hotkey.problem.reason, hotkey.problem.fix] : []),
    ].join('\n'),
    menu: [
      { kind: 'label', label: `Parley — ${state}` },
      { kind: 'separator' },
      { kind: 'action', id: 'open-transcript', label: 'Open transcript' },
      { kind: 'action', id: 'open-settings', label: 'Settings…' },
      { kind: 'separator' },
      { kind: 'action', id: 'quit', label: 'Quit Parley' },
    ],
  };
}

function iconFor(status: SessionStatus): TrayIconName {
  switch (status.state) {
    case 'idle':
      return 'idle';
    case 'error':
    case 'no-api-key':
      return 'error';
    default:
      return 'busy';
  }
}
