// The session settings on their own: the setup builder (live-config.ts) and the model table
// (model-capabilities.ts) both read them, and neither needs to import the other for it.

import type { Translation } from '../../../shared/settings';

export type ResponseModality = 'AUDIO' | 'TEXT';
export type ThinkingLevel = 'MINIMAL' | 'LOW' | 'MEDIUM' | 'HIGH';

/** What the user chooses for a Live session; the model decides which of it reaches the wire. */
export interface SessionSettings {
  responseModality: ResponseModality;
  /** Unset: the model's default voice. */
  voiceName?: string;
  /** BCP-47, e.g. "de-DE"; unset: the model picks. */
  languageCode?: string;
  /** '' for none. */
  systemInstruction: string;
  inputTranscription: boolean;
  outputTranscription: boolean;
  affectiveDialog: boolean;
  proactiveAudio: boolean;
  /** Both may be kept; each model takes the one it understands. Unset: the model's default. */
  thinking: { budget?: number; level?: ThinkingLevel; includeThoughts?: boolean };
  /** Unset: the model's default. */
  mediaResolution?: 'MEDIA_RESOLUTION_LOW' | 'MEDIA_RESOLUTION_MEDIUM' | 'MEDIA_RESOLUTION_HIGH';
  contextCompression: { enabled: boolean; triggerTokens: number };
  /** What an interpreter model speaks into; sent only to a model that interprets. */
  translation: Translation;
}

export const defaultModel = 'gemini-3.8-live';

/** Every session setting, so a change to any of them can renew the session; the type keeps the list complete. */
const sessionSettingKeys: Record<keyof SessionSettings, true> = {
  responseModality: true,
  voiceName: true,
  languageCode: true,
  systemInstruction: true,
  inputTranscription: true,
  outputTranscription: true,
  affectiveDialog: true,
  proactiveAudio: true,
  thinking: true,
  mediaResolution: true,
  contextCompression: true,
  translation: true,
};
export const sessionKeys: readonly string[] = Object.keys(sessionSettingKeys);

export const defaultSessionSettings: SessionSettings = {
  responseModality: 'AUDIO',
  systemInstruction: '',
  inputTranscription: true,
  outputTranscription: true,
  affectiveDialog: false,
  proactiveAudio: false,
  thinking: {},
  // Without compression an audio session ends after about 15 minutes; a fifth
  // of the smallest (32k) context window leaves room for long turns.
  contextCompression: { enabled: true, triggerTokens: 25_600 },
  // Into English, silent when the speaker already speaks it; the interpreter's template picks another.
  translation: { targetLanguageCode: 'en', echoTargetLanguage: false },
};

/** Why context compression is on whatever its own setting says while screen sharing is on. */
export const compressionForScreen =
  'On while screen sharing is on: without it, a session with pictures of the screen ends after about 2 minutes';

/** The session settings in force: screen sharing keeps context compression on (see compressionForScreen). */
export function effectiveSessionSettings<T extends SessionSettings & { screen: { enabled: boolean } }>(settings: T): T {
  if (!settings.screen.enabled || settings.contextCompression.enabled) return settings;
  return { ...settings, contextCompression: { ...settings.contextCompression, enabled: true } };
}
