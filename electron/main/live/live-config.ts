import { ActivityHandling, Modality, type LiveConnectConfig } from '@google/genai';

export interface SessionOptions {
  responseModality: 'AUDIO' | 'TEXT';
  voiceName?: string;
  resumptionHandle?: string;
}

export const defaultModel = 'gemini-3.8-live';

/**
 * Push-to-talk session setup: the hotkey, not the server, decides when the
 * user speaks (automatic activity detection off), pressing it cuts a reply
 * short, both sides are transcribed, and the session can be resumed.
 */
export function buildLiveConfig(options: SessionOptions): LiveConnectConfig {
  const config: LiveConnectConfig = {
    responseModalities: [options.responseModality === 'TEXT' ? Modality.TEXT : Modality.AUDIO],
    realtimeInputConfig: {
      automaticActivityDetection: { disabled: true },
      activityHandling: ActivityHandling.START_OF_ACTIVITY_INTERRUPTS,
    },
    inputAudioTranscription: {},
    sessionResumption: options.resumptionHandle ? { handle: options.resumptionHandle } : {},
  };
  if (options.responseModality === 'AUDIO') config.outputAudioTranscription = {};
  if (options.voiceName)
    config.speechConfig = { voiceConfig: { prebuiltVoiceConfig: { voiceName: options.voiceName } } };
  return config;
}
