import {
  ActivityHandling,
  MediaResolution,
  Modality,
  ThinkingLevel,
  type ContextWindowCompressionConfig,
  type LiveConnectConfig,
  type SpeechConfig,
  type ThinkingConfig,
  type TranslationConfig,
} from '@google/genai';
import { apiVersionFor, controlStates, sendsFeature, type Feature } from './model-capabilities';
import type { SessionSettings } from './session-settings';

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
  if (sends('translation')) config.translationConfig = translation(settings);
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

/** The SDK moves it into the setup's generationConfig. */
function translation({ translation }: SessionSettings): TranslationConfig {
  const { targetLanguageCode, echoTargetLanguage } = translation;
  return { targetLanguageCode, echoTargetLanguage };
}

/** Token counts are int64, which travel as strings; the window shrinks to half the trigger. */
function compression({ triggerTokens }: SessionSettings['contextCompression']): ContextWindowCompressionConfig {
  const trigger = Math.round(triggerTokens);
  return { triggerTokens: String(trigger), slidingWindow: { targetTokens: String(Math.floor(trigger / 2)) } };
}
