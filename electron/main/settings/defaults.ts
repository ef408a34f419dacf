import { assistantProfile } from '../../../shared/conversations';
import type { Hotkey } from '../../../shared/types';
import { defaultPushToTalk } from '../hotkey/push-to-talk';
import { defaultModel, defaultSessionSettings } from '../live/session-settings';
import type { Profile, ProfileFields, Settings } from '../../../shared/settings';

/** What the user can configure; persisted in the settings file (see shared/settings.ts). */
export type AppSettings = Settings;

/**
 * Ctrl+Shift+Space: on every common layout, clashes with no system-wide
 * shortcut on Windows, macOS, GNOME or KDE, and is easy to hold with one hand.
 */
const defaultHotkey: Hotkey = { accelerator: 'Control+Shift+Space', mode: 'hold' };

/** What a new profile starts from, the first one included. */
export const defaultProfileFields: ProfileFields = {
  hotkey: defaultHotkey,
  model: defaultModel,
  ...defaultSessionSettings,
  tools: {
    // Off until the user turns it on: a search sends their words to Google Search too.
    googleSearch: false,
    permissions: {},
    allowedDescriptions: {},
    // A minute covers a slow web request or an MCP server starting; a 32 KB result is about 8,000 tokens.
    limits: { callTimeoutSeconds: 60, resultMaxKb: 32, maxConcurrentCalls: 4 },
  },
  // On, because nothing is seen until the user holds this hotkey or allows a look_at_screen call.
  // The push-to-talk hotkey plus Alt: easy to remember, types nothing on any layout, and taken
  // by no system on Windows, macOS, GNOME or KDE.
  screen: { enabled: true, accelerator: 'Control+Alt+Shift+Space', target: 'display' },
};

/** The profile every user has first; earlier versions' settings become it. */
export const defaultProfile: Profile = { ...assistantProfile, ...defaultProfileFields };

export const defaultSettings: AppSettings = {
  maxTurnMs: defaultPushToTalk.maxTurnMs,
  capture: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  cues: true,
  launchAtLogin: false,
  // Off by default: the microphone is open only while the user talks.
  warmMicrophone: false,
  outputVolume: 1,
  muteReplies: false,
  theme: 'system',
  // Long enough to keep the context through a pause in thought, short enough not to hold a socket all day.
  idleDisconnectMinutes: 10,
  // Parley is a tray app: replies are heard, and the transcript opens only when asked.
  showTranscriptOnReply: false,
  profiles: [defaultProfile],
};
