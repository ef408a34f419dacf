// Validates the `setup` frame for the chosen model and API version, and
// reduces it to the settings the session runs with.
import { z } from 'zod';
import type { ApiVersion } from './endpoint';
import type { Availability, ModelCapabilities, ModelTable, ResponseModality } from './models';
import { invalidArgument, modelNotFound, unknownField } from './protocol-error';
import { parseProtoJson } from './proto-json';
import { declaredTools, toolSchema, type DeclaredTools } from './tool-setup';
import { isLanguageTag, type TranslationSettings } from './translation';
import { DEFAULT_MEDIA_RESOLUTION, type MediaResolution } from './video-input';

export type ActivityHandling = 'START_OF_ACTIVITY_INTERRUPTS' | 'NO_INTERRUPTION';
export type TurnCoverage = 'TURN_INCLUDES_ONLY_ACTIVITY' | 'TURN_INCLUDES_ALL_INPUT';

export interface SessionConfig {
  model: ModelCapabilities;
  apiVersion: ApiVersion;
  responseModality: ResponseModality;
  automaticActivityDetection: AutomaticDetectionConfig | undefined;
  activityHandling: ActivityHandling;
  turnCoverage: TurnCoverage;
  inputTranscription: boolean;
  outputTranscription: boolean;
  includeThoughts: boolean;
  resumption: { handle: string | undefined } | undefined;
  compression: { triggerTokens: number; targetTokens: number } | undefined;
  systemInstruction: string;
  tools: DeclaredTools;
  /** What a video frame costs; MEDIUM when the setup does not say. */
  mediaResolution: MediaResolution;
  /** Which video frames a turn takes (see VideoInput in models.ts); 'refused' closes on the first frame. */
  video: 'refused' | 'sinceLastTurn' | 'duringActivity';
  /** What the translate model translates into; undefined on other models. */
  translation: TranslationSettings | undefined;
}

export interface AutomaticDetectionConfig {
  silenceDurationMs: number;
  prefixPaddingMs: number;
  startSensitivity: 'HIGH' | 'LOW';
}

const DEFAULT_SILENCE_MS = 500;
const DEFAULT_PREFIX_PADDING_MS = 20;

export function validateSetup(setup: unknown, models: ModelTable, apiVersion: ApiVersion): SessionConfig {
  if (!isRecord(setup) || typeof setup.model !== 'string') throw invalidArgument();
  const model = models.find(setup.model);
  if (!model || model.retired) throw modelNotFound(setup.model, apiVersion);
  rejectFieldsTheModelLacks(setup, model, apiVersion);
  const parsed = parseProtoJson(setupSchema, setup, ['setup']);
  checkModelRules(parsed, model);
  return sessionConfig(parsed, model, apiVersion);
}

// ---- schema: which field names exist for this model and version ----

const int64 = z.union([z.string().regex(/^-?\d+$/), z.number().int()]);
const loose = z.looseObject({});
const content = z.looseObject({ role: z.string().optional(), parts: z.array(z.looseObject({})).optional() });

const thinkingConfig = z.strictObject({
  includeThoughts: z.boolean().optional(),
  thinkingBudget: z.number().int().optional(),
  thinkingLevel: z.string().optional(),
});

const speechConfig = z.strictObject({
  voiceConfig: z
    .strictObject({
      prebuiltVoiceConfig: z.strictObject({ voiceName: z.string().optional() }).optional(),
      replicatedVoiceConfig: loose.optional(),
      voice: z.string().optional(),
    })
    .optional(),
  languageCode: z.string().optional(),
  multiSpeakerVoiceConfig: loose.optional(),
});

const realtimeInputConfig = z.strictObject({
  automaticActivityDetection: z
    .strictObject({
      disabled: z.boolean().optional(),
      startOfSpeechSensitivity: z
        .enum(['START_SENSITIVITY_UNSPECIFIED', 'START_SENSITIVITY_HIGH', 'START_SENSITIVITY_LOW'])
        .optional(),
      endOfSpeechSensitivity: z
        .enum(['END_SENSITIVITY_UNSPECIFIED', 'END_SENSITIVITY_HIGH', 'END_SENSITIVITY_LOW'])
        .optional(),
      prefixPaddingMs: z.number().int().nonnegative().optional(),
      silenceDurationMs: z.number().int().nonnegative().optional(),
    })
    .optional(),
  activityHandling: z
    .enum(['ACTIVITY_HANDLING_UNSPECIFIED', 'START_OF_ACTIVITY_INTERRUPTS', 'NO_INTERRUPTION'])
    .optional(),
  turnCoverage: z
    .enum([
      'TURN_COVERAGE_UNSPECIFIED',
      'TURN_INCLUDES_ONLY_ACTIVITY',
      'TURN_INCLUDES_ALL_INPUT',
      'TURN_INCLUDES_AUDIO_ACTIVITY_AND_ALL_VIDEO',
    ])
    .optional(),
  interimTranscriptTimestampEnabled: z.boolean().optional(),
});

/** GenerationConfig fields every Live model knows (the SDK's GenerationConfig). */
const generationFields = {
  candidateCount: z.number().int().optional(),
  maxOutputTokens: z.number().int().optional(),
  temperature: z.number().optional(),
  topP: z.number().optional(),
  topK: z.number().optional(),
  presencePenalty: z.number().optional(),
  frequencyPenalty: z.number().optional(),
  seed: z.number().int().optional(),
  responseModalities: z.array(z.enum(['MODALITY_UNSPECIFIED', 'TEXT', 'IMAGE', 'AUDIO', 'VIDEO'])).optional(),
  speechConfig: speechConfig.optional(),
  mediaResolution: z
    .enum(['MEDIA_RESOLUTION_UNSPECIFIED', 'MEDIA_RESOLUTION_LOW', 'MEDIA_RESOLUTION_MEDIUM', 'MEDIA_RESOLUTION_HIGH'])
    .optional(),
  stopSequences: z.array(z.string()).optional(),
  responseMimeType: z.string().optional(),
  responseSchema: z.unknown().optional(),
  responseJsonSchema: z.unknown().optional(),
  responseLogprobs: z.boolean().optional(),
  logprobs: z.number().int().optional(),
  audioTimestamp: z.boolean().optional(),
  routingConfig: z.unknown().optional(),
  modelSelectionConfig: z.unknown().optional(),
  responseFormat: z.unknown().optional(),
  audioTranscriptionConfig: z.unknown().optional(),
  enableEnhancedCivicAnswers: z.boolean().optional(),
};

const setupFields = {
  model: z.string(),
  systemInstruction: content.optional(),
  tools: z.array(toolSchema).optional(),
  realtimeInputConfig: realtimeInputConfig.optional(),
  // `transparent` is Vertex AI only: the SDK refuses it in Gemini API mode.
  sessionResumption: z.strictObject({ handle: z.string().optional() }).optional(),
  contextWindowCompression: z
    .strictObject({
      triggerTokens: int64.optional(),
      slidingWindow: z.strictObject({ targetTokens: int64.optional() }).optional(),
    })
    .optional(),
  inputAudioTranscription: loose.optional(),
  outputAudioTranscription: loose.optional(),
  historyConfig: z.strictObject({ initialHistoryInClientContent: z.boolean().optional() }).optional(),
  avatarConfig: loose.optional(),
  safetySettings: z.array(loose).optional(),
  labels: z.record(z.string(), z.string()).optional(),
};

const setupSchema = z.strictObject({
  ...setupFields,
  generationConfig: z
    .strictObject({
      ...generationFields,
      thinkingConfig: thinkingConfig.optional(),
      enableAffectiveDialog: z.boolean().optional(),
      translationConfig: z
        .strictObject({ targetLanguageCode: z.string().optional(), echoTargetLanguage: z.boolean().optional() })
        .optional(),
    })
    .optional(),
  proactivity: z
    .strictObject({ proactiveAudio: z.boolean().optional(), proactiveVideo: z.boolean().optional() })
    .optional(),
});

type ParsedSetup = z.infer<typeof setupSchema>;

/** Fields this model (or this API version of it) does not have are unknown names to the parser. */
function rejectFieldsTheModelLacks(
  setup: Record<string, unknown>,
  model: ModelCapabilities,
  apiVersion: ApiVersion,
): void {
  const generation = isRecord(setup.generationConfig) ? setup.generationConfig : {};
  const generationFieldAvailable: Record<string, boolean> = {
    thinkingConfig: model.thinking !== 'none',
    enableAffectiveDialog: available(model.affectiveDialog, apiVersion),
    translationConfig: model.translation,
  };
  for (const [name, isAvailable] of Object.entries(generationFieldAvailable)) {
    if (name in generation && !isAvailable) throw unknownField(name, 'setup.generation_config');
  }
  const setupFieldAvailable: Record<string, boolean> = {
    proactivity: available(model.proactivity, apiVersion),
    systemInstruction: model.systemInstruction,
    tools: model.functionCalls !== 'none' || model.googleSearch,
  };
  for (const [name, isAvailable] of Object.entries(setupFieldAvailable)) {
    if (name in setup && !isAvailable) throw unknownField(name, 'setup');
  }
}

function available(availability: Availability, apiVersion: ApiVersion): boolean {
  return availability === 'always' || (availability === 'v1alpha' && apiVersion === 'v1alpha');
}

// ---- values this model refuses ----

function checkModelRules(setup: ParsedSetup, model: ModelCapabilities): void {
  const generation = setup.generationConfig;
  const modalities = generation?.responseModalities ?? ['AUDIO'];
  const modality = modalities[0];
  if (modalities.length !== 1 || !model.responseModalities.some((accepted) => accepted === modality)) {
    throw invalidArgument();
  }
  const thinking = generation?.thinkingConfig;
  if (model.thinking === 'level' && thinking?.thinkingBudget !== undefined) throw invalidArgument();
  if (model.thinking === 'budget' && thinking?.thinkingLevel !== undefined) throw invalidArgument();
  if (thinking?.thinkingLevel !== undefined && !model.thinkingLevels.includes(thinking.thinkingLevel)) {
    throw invalidArgument();
  }
  if (model.proactiveAudioAlwaysOn && setup.proactivity?.proactiveAudio === false) throw invalidArgument();
  const voice = generation?.speechConfig?.voiceConfig?.prebuiltVoiceConfig?.voiceName;
  if (voice !== undefined && !model.voices.includes(voice)) throw invalidArgument();
}

// ---- the settings the session runs with ----

function sessionConfig(setup: ParsedSetup, model: ModelCapabilities, apiVersion: ApiVersion): SessionConfig {
  const realtime = setup.realtimeInputConfig;
  const detection = realtime?.automaticActivityDetection;
  const compression = setup.contextWindowCompression;
  return {
    model,
    apiVersion,
    responseModality: setup.generationConfig?.responseModalities?.[0] === 'TEXT' ? 'TEXT' : 'AUDIO',
    automaticActivityDetection: detection?.disabled
      ? undefined
      : {
          silenceDurationMs: detection?.silenceDurationMs ?? DEFAULT_SILENCE_MS,
          prefixPaddingMs: detection?.prefixPaddingMs ?? DEFAULT_PREFIX_PADDING_MS,
          startSensitivity: detection?.startOfSpeechSensitivity === 'START_SENSITIVITY_LOW' ? 'LOW' : 'HIGH',
        },
    activityHandling:
      realtime?.activityHandling === 'NO_INTERRUPTION' ? 'NO_INTERRUPTION' : 'START_OF_ACTIVITY_INTERRUPTS',
    turnCoverage:
      realtime?.turnCoverage === 'TURN_INCLUDES_ALL_INPUT' ? 'TURN_INCLUDES_ALL_INPUT' : 'TURN_INCLUDES_ONLY_ACTIVITY',
    inputTranscription: setup.inputAudioTranscription !== undefined,
    outputTranscription: setup.outputAudioTranscription !== undefined,
    includeThoughts: setup.generationConfig?.thinkingConfig?.includeThoughts === true,
    resumption: setup.sessionResumption && { handle: setup.sessionResumption.handle },
    compression: compression && compressionWindow(compression, model),
    systemInstruction: textOf(setup.systemInstruction),
    tools: declaredTools(setup.tools ?? [], model),
    mediaResolution: mediaResolution(setup.generationConfig?.mediaResolution),
    video: videoTaken(model, realtime?.turnCoverage),
    translation: translationSettings(setup, model),
  };
}

/** The translate model's target, which the reference says is required and BCP-47; undefined elsewhere. */
function translationSettings(setup: ParsedSetup, model: ModelCapabilities): TranslationSettings | undefined {
  if (!model.translation) return undefined;
  const config = setup.generationConfig?.translationConfig;
  const target = config?.targetLanguageCode;
  if (target === undefined || !isLanguageTag(target)) throw invalidArgument();
  return { targetLanguageCode: target, echoTargetLanguage: config?.echoTargetLanguage ?? false };
}

function mediaResolution(value: string | undefined): MediaResolution {
  const level = value?.replace('MEDIA_RESOLUTION_', '');
  return level === 'LOW' || level === 'MEDIUM' || level === 'HIGH' ? level : DEFAULT_MEDIA_RESOLUTION;
}

function videoTaken(model: ModelCapabilities, turnCoverage: string | undefined): SessionConfig['video'] {
  if (model.video === 'none') return 'refused';
  if (model.video === 'sinceLastTurn') return 'sinceLastTurn';
  const allVideo =
    turnCoverage === 'TURN_INCLUDES_ALL_INPUT' || turnCoverage === 'TURN_INCLUDES_AUDIO_ACTIVITY_AND_ALL_VIDEO';
  return allVideo ? 'sinceLastTurn' : 'duringActivity';
}

function compressionWindow(
  compression: { triggerTokens?: string | number; slidingWindow?: { targetTokens?: string | number } },
  model: ModelCapabilities,
): { triggerTokens: number; targetTokens: number } {
  // Without an explicit trigger the service compresses near the context window's end.
  const triggerTokens = Number(compression.triggerTokens ?? Math.floor(model.contextWindowTokens * 0.8));
  const targetTokens = Number(compression.slidingWindow?.targetTokens ?? Math.floor(triggerTokens / 2));
  return { triggerTokens, targetTokens };
}

export function textOf(value: { parts?: Record<string, unknown>[] } | undefined): string {
  return (value?.parts ?? []).map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
