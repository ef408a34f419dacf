import {
  ActivityHandling,
  MediaResolution,
  Modality,
  ThinkingLevel,
  type ContextWindowCompressionConfig,
  type LiveConnectConfig,
  type SpeechConfig,
  type ThinkingConfig,
} from '@google/genai';
import {
  apiVersionFor,
  controlStates,
  sendsFeature,
  type Feature,
  type ResponseModality,
  type ThinkingLevel as ThinkingLevelName,
} from './model-capabilities';

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
  thinking: { budget?: number; level?: ThinkingLevelName; includeThoughts?: boolean };
  /** Unset: the model's default. */
  mediaResolution?: 'MEDIA_RESOLUTION_LOW' | 'MEDIA_RESOLUTION_MEDIUM' | 'MEDIA_RESOLUTION_HIGH';
  contextCompression: { enabled: boolean; triggerTokens: number };
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
};

export interface ConnectionOptions {
  resumptionHandle?: string;
  /** The version the connection uses; default: apiVersionFor(model, settings). */
  apiVersion?: string;
}

/**
 * Push-to-talk session setup: the hotkey, not the server, decides when the
 * user speaks (automatic activity detection off), pressing it cuts a reply
 * short, and the session can be resumed. Every other setting is sent only
 * when the model takes it, so a setting never closes the session.
 */
export function buildLiveConfig(
  model: string,
  settings: SessionSettings,
  connection: ConnectionOptions = {},
): LiveConnectConfig {
  const states = controlStates(model, settings, connection.apiVersion ?? apiVersionFor(model, settings));
  const sends: Sends = (feature) => sendsFeature(states, feature, settings);
  const config: LiveConnectConfig = {
    responseModalities: [Modality[sends('responseModality') ? settings.responseModality : 'AUDIO']],
    realtimeInputConfig: {
      automaticActivityDetection: { disabled: true },
      activityHandling: ActivityHandling.START_OF_ACTIVITY_INTERRUPTS,
    },
    sessionResumption: connection.resumptionHandle ? { handle: connection.resumptionHandle } : {},
  };
  if (sends('inputTranscription')) config.inputAudioTranscription = {};
  if (sends('outputTranscription')) config.outputAudioTranscription = {};
  if (sends('systemInstruction')) config.systemInstruction = settings.systemInstruction;
  if (sends('voiceName') || sends('languageCode')) config.speechConfig = speechConfig(settings, sends);
  if (sends('thinkingBudget') || sends('thinkingLevel') || sends('includeThoughts')) {
    config.thinkingConfig = thinkingConfig(settings, sends);
  }
  if (sends('affectiveDialog')) config.enableAffectiveDialog = true;
  if (sends('proactiveAudio')) config.proactivity = { proactiveAudio: true };
  if (settings.mediaResolution && sends('mediaResolution')) {
    config.mediaResolution = MediaResolution[settings.mediaResolution];
  }
  if (sends('contextCompression')) config.contextWindowCompression = compression(settings.contextCompression);
  return config;
}

type Sends = (feature: Feature) => boolean;

function speechConfig(settings: SessionSettings, sends: Sends): SpeechConfig {
  const speech: SpeechConfig = {};
  if (sends('voiceName')) speech.voiceConfig = { prebuiltVoiceConfig: { voiceName: settings.voiceName } };
  if (sends('languageCode')) speech.languageCode = settings.languageCode;
  return speech;
}

function thinkingConfig({ thinking }: SessionSettings, sends: Sends): ThinkingConfig {
  const config: ThinkingConfig = {};
  if (sends('thinkingBudget')) config.thinkingBudget = thinking.budget;
  if (thinking.level && sends('thinkingLevel')) config.thinkingLevel = ThinkingLevel[thinking.level];
  if (sends('includeThoughts')) config.includeThoughts = true;
  return config;
}

/** Token counts are int64, which travel as strings; the window shrinks to half the trigger. */
function compression({ triggerTokens }: SessionSettings['contextCompression']): ContextWindowCompressionConfig {
  const trigger = Math.round(triggerTokens);
  return { triggerTokens: String(trigger), slidingWindow: { targetTokens: String(Math.floor(trigger / 2)) } };
}
