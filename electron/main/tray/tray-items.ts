// The tray menu's vocabulary, shared by the tray port (ports.ts) and the menu built from state
// (tray-menu.ts) without either importing the other.
import type { PushToTalkMode } from '../../../shared/types';

/** What a menu item does when picked; choices carry their value after the colon. */
export type TrayAction =
  | 'talk'
  | 'open-transcript'
  | 'open-settings'
  | 'quit'
  | 'launch-at-login'
  | 'mute-replies'
  | 'new-conversation'
  | `microphone:${string}`
  | `model:${string}`
  | `voice:${string}`
  | `modality:${'AUDIO' | 'TEXT'}`
  | `mode:${PushToTalkMode}`
  | `profile:${string}`;

export type TrayMenuItem =
  | { kind: 'label'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; id: TrayAction; label: string; enabled?: boolean }
  | { kind: 'choice'; id: TrayAction; label: string; checked: boolean; enabled?: boolean }
  /** On or off by itself (a checkbox), where a choice is one of its siblings. */
  | { kind: 'toggle'; id: TrayAction; label: string; checked: boolean; enabled?: boolean }
  | { kind: 'submenu'; label: string; items: TrayMenuItem[]; enabled?: boolean };
