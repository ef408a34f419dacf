import type { CaptureOptions, Hotkey } from '../../shared/types';
import { defaultPushToTalk } from './hotkey/push-to-talk';
import { defaultModel } from './live/live-config';

/** What the user can configure; persisted and edited in Settings with issue 4/6. */
export interface AppSettings {
  hotkey: Hotkey;
  maxTurnMs: number;
  capture: CaptureOptions;
  cues: boolean;
  warmMicrophone: boolean;
  outputDeviceId: string | undefined;
  model: string;
  responseModality: 'AUDIO' | 'TEXT';
  voiceName: string | undefined;
}

/**
 * Ctrl+Shift+Space: on every common layout, clashes with no system-wide
 * shortcut on Windows, macOS, GNOME or KDE, and is easy to hold with one hand.
 */
const defaultHotkey: Hotkey = { accelerator: 'Control+Shift+Space', mode: 'hold' };

export const defaultSettings: AppSettings = {
  hotkey: defaultHotkey,
  maxTurnMs: defaultPushToTalk.maxTurnMs,
  capture: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  cues: true,
  // Off by default: the microphone is open only while the user talks.
  warmMicrophone: false,
  outputDeviceId: undefined,
  model: defaultModel,
  responseModality: 'AUDIO',
  voiceName: undefined,
};
