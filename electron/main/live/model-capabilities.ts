// Which session settings each Live model takes, after the model table in
// shared/docs/live-protocol.md. The service closes a session (1007) whose
// setup carries a field the model or API version lacks, so the setup builder
// sends a setting only where this table accepts it, and Settings disables
// the other controls with the reason given here.
import type { SessionSettings, ThinkingLevel } from './session-settings';

/** The settings a model may lack; each is one control in Settings. */
export type Feature =
  | 'responseModality'
  | 'voiceName'
  | 'languageCode'
  | 'systemInstruction'
  | 'inputTranscription'
  | 'outputTranscription'
  | 'affectiveDialog'
  | 'proactiveAudio'
  | 'thinkingBudget'
  | 'thinkingLevel'
  | 'includeThoughts'
  | 'mediaResolution'
  | 'contextCompression'
  | 'translation';

export type Control = Feature | 'compressionTriggerTokens';

/** A feature the model takes, on every API version or only on `v1alpha`, or lacks and why. */
export type Support =
  | { readonly supported: true; readonly apiVersion?: 'v1alpha' }
  | { readonly supported: false; readonly reason: string };

/**
 * What a model does with tools: whether it waits for a function's result (`blocking`) or goes on
 * talking while it runs (`nonBlocking`), whether it takes Google Search, and whether it takes
 * Google Search and functions in the same session (Google's 2026 documents say the current models
 * refuse that; older clients sent both to 2.5).
 */
export interface ToolSupport {
  readonly calls: 'blocking' | 'nonBlocking' | 'none';
  readonly googleSearch: boolean;
  readonly searchWithFunctions: boolean;
}

export interface ModelCapabilities {
  readonly name: string;
  readonly tools: ToolSupport;
  /** Whether the model takes pictures (`realtimeInput.video`); one that does not closes the session on the first. */
  readonly video: boolean;
  /** Why the model is no longer offered, when the service has shut it down. */
  readonly retired?: string;
  /** `responseModality` supported means TEXT may be chosen; AUDIO always may. */
  readonly features: Readonly<Record<Feature, Support>>;
  readonly voices: readonly string[];
  /** Empty unless the model takes `thinkingLevel`. */
  readonly thinkingLevels: readonly ThinkingLevel[];
}

export interface ControlState {
  enabled: boolean;
  /** Why the control is disabled, or why its current value is not sent. */
  reason?: string;
}

export const nativeAudioVoices: readonly string[] = (
  'Zephyr Puck Charon Kore Fenrir Leda Orus Aoede Callirrhoe Autonoe Enceladus Iapetus Umbriel Algieba Despina ' +
  'Erinome Algenib Rasalgethi Laomedeia Achernar Alnilam Schedar Gacrux Pulcherrima Achird Zubenelgenubi ' +
  'Vindemiatrix Sadachbia Sadaltager Sulafat'
).split(' ');

export const halfCascadeVoices: readonly string[] = 'Puck Charon Kore Fenrir Aoede Leda Orus Zephyr'.split(' ');

const accepted: Support = { supported: true };
const acceptedOnV1alpha: Support = { supported: true, apiVersion: 'v1alpha' };
const refused = (reason: string): Support => ({ supported: false, reason });

/** Fields of the setup every Live model that converses knows (the interpreter lacks most). */
const universal = {
  voiceName: accepted,
  systemInstruction: accepted,
  inputTranscription: accepted,
  outputTranscription: accepted,
  mediaResolution: accepted,
  contextCompression: accepted,
} as const;

const current: ToolSupport = { calls: 'nonBlocking', googleSearch: true, searchWithFunctions: false };

/** The model that interprets: the Interpreter template's. */
export const interpreterModel = 'gemini-3.5-live-translate-preview';
const gemini35Translate = interpreterModel;
const notAnInterpreter = refused(`Only ${gemini35Translate} interprets`);

function nativeAudioModel(
  name: string,
  features: Partial<Record<Feature, Support>>,
  thinkingLevels: readonly ThinkingLevel[] = [],
  tools: ToolSupport = current,
): ModelCapabilities {
  return {
    name,
    tools,
    video: true,
    features: {
      ...universal,
      translation: notAnInterpreter,
      responseModality: refused(`${name} always answers in audio; use output transcription for text`),
      languageCode: refused(`${name} picks the language from the conversation`),
      affectiveDialog: refused(`${name} has no affective dialog`),
      proactiveAudio: refused(`${name} has no proactive audio`),
      thinkingBudget: refused(`${name} does not think`),
      thinkingLevel: refused(`${name} does not think`),
      includeThoughts: refused(`${name} does not think`),
      ...features,
    },
    voices: nativeAudioVoices,
    thinkingLevels,
  };
}

// Half-cascade models were shut down in December 2025. They stay in the table
// so that a name typed in by hand (for a proxy or the emulator) gets their real
// capabilities, and so that TEXT replies and language codes have a home.
function halfCascadeModel(name: string): ModelCapabilities {
  const noNativeAudio = refused(`${name} is a half-cascade model without native-audio features`);
  return {
    name,
    tools: { calls: 'blocking', googleSearch: true, searchWithFunctions: true },
    video: true,
    retired: `${name} was shut down in December 2025`,
    features: {
      ...universal,
      translation: notAnInterpreter,
      responseModality: accepted,
      languageCode: accepted,
      affectiveDialog: noNativeAudio,
      proactiveAudio: noNativeAudio,
      thinkingBudget: refused(`${name} does not think`),
      thinkingLevel: refused(`${name} does not think`),
      includeThoughts: refused(`${name} does not think`),
    },
    voices: halfCascadeVoices,
    thinkingLevels: [],
  };
}

// An interpreter: it turns what the user says into speech in the target language, and does nothing
// else. Documented (live-protocol.md, "Live translation"): translationConfig, audio replies and both
// transcriptions; no tools, no system instruction. The rest is not documented for it, and a field
// the service refuses closes every session (1007), so Parley sends none of it. How it takes manual
// activity detection is an assumption too: see test/emulator/README.md, Translation.
function translateModel(name: string): ModelCapabilities {
  const onlyInterprets = (what: string) => refused(`${name} only interprets: ${what}`);
  const undocumented = refused(`Not documented for ${name}, and a setting the model refused would end every session`);
  return {
    name,
    tools: { calls: 'none', googleSearch: false, searchWithFunctions: false },
    video: false,
    features: {
      translation: accepted,
      inputTranscription: accepted,
      outputTranscription: accepted,
      responseModality: refused(`${name} always answers in audio; use output transcription for text`),
      systemInstruction: onlyInterprets('it takes no system instruction'),
      languageCode: refused(`${name} speaks the target language chosen for interpreting`),
      voiceName: undocumented,
      affectiveDialog: onlyInterprets('it has no affective dialog'),
      proactiveAudio: onlyInterprets('it has no proactive audio'),
      thinkingBudget: refused(`${name} does not think`),
      thinkingLevel: refused(`${name} does not think`),
      includeThoughts: refused(`${name} does not think`),
      mediaResolution: refused(`${name} takes no pictures`),
      contextCompression: undocumented,
    },
    voices: [],
    thinkingLevels: [],
  };
}

const gemini38 = 'gemini-3.8-live';
const gemini38Thinking = 'gemini-3.8-live-extended-thinking';
const gemini31 = 'gemini-3.1-flash-live-preview';
const gemini25NativeAudio = 'gemini-2.5-flash-native-audio-preview-12-2025';

const gemini38Family = {
  affectiveDialog: refused(`Affective dialog was removed from ${gemini38}`),
  // Sending `proactiveAudio: false` is an error, and `true` changes nothing.
  proactiveAudio: refused(`Proactive audio is always on for ${gemini38}`),
};

export const modelTable: readonly ModelCapabilities[] = [
  nativeAudioModel(gemini38, {
    ...gemini38Family,
    thinkingBudget: refused(`${gemini38} does not think; ${gemini38Thinking} does`),
    thinkingLevel: refused(`${gemini38} does not think; ${gemini38Thinking} does`),
    includeThoughts: refused(`${gemini38} does not think; ${gemini38Thinking} does`),
  }),
  nativeAudioModel(
    gemini38Thinking,
    {
      ...gemini38Family,
      thinkingBudget: refused(`${gemini38Thinking} takes a thinking level, not a budget`),
      thinkingLevel: accepted,
      includeThoughts: accepted,
    },
    ['LOW', 'MEDIUM', 'HIGH'],
  ),
  nativeAudioModel(
    gemini31,
    {
      thinkingBudget: refused(`${gemini31} takes a thinking level, not a budget`),
      thinkingLevel: accepted,
      includeThoughts: accepted,
    },
    ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'],
    // The model waits for every result.
    { ...current, calls: 'blocking' },
  ),
  nativeAudioModel(
    gemini25NativeAudio,
    {
      affectiveDialog: acceptedOnV1alpha,
      proactiveAudio: acceptedOnV1alpha,
      thinkingBudget: accepted,
      thinkingLevel: refused(`${gemini25NativeAudio} takes a thinking budget, not a level`),
      includeThoughts: accepted,
    },
    [],
    // Functions block unless declared otherwise; Parley declares none otherwise.
    { calls: 'blocking', googleSearch: true, searchWithFunctions: true },
  ),
  translateModel(gemini35Translate),
  halfCascadeModel('gemini-live-2.5-flash-preview'),
  halfCascadeModel('gemini-2.0-flash-live-001'),
];

/** The models Settings offers; any other name may be typed in. */
export const offeredModels: readonly string[] = modelTable.filter((model) => !model.retired).map((model) => model.name);

export function capabilitiesOf(model: string): ModelCapabilities {
  return modelTable.find((entry) => entry.name === model) ?? unknownModel(model);
}

// A model Parley does not know gets only what every model above that converses
// accepts: audio replies, the voices every model has (the half-cascade ones are
// a subset of the native-audio ones), transcription, system instruction, media
// resolution and compression. Anything else could close every session. The
// interpreter is left out of that measure: it needs a translation target,
// which only a model known to interpret is sent, so an unknown interpreter
// could not work whatever else Parley left out.
function unknownModel(name: string): ModelCapabilities {
  const unknown = refused(`${name} is not in Parley's model table, so only settings every Live model accepts are sent`);
  return {
    name,
    // The translate model takes no tools at all: an unknown model might be like it.
    tools: { calls: 'none', googleSearch: false, searchWithFunctions: false },
    // Pictures are sent as before the table knew a model without them.
    video: true,
    features: {
      ...universal,
      translation: unknown,
      responseModality: unknown,
      languageCode: unknown,
      affectiveDialog: unknown,
      proactiveAudio: unknown,
      thinkingBudget: unknown,
      thinkingLevel: unknown,
      includeThoughts: unknown,
    },
    voices: halfCascadeVoices,
    thinkingLevels: [],
  };
}

/** Whether a profile's turns and calls may show the screen: sharing on, and a model that takes pictures. */
export function seesScreen({ model, screen }: { model: string; screen: { enabled: boolean } }): boolean {
  return screen.enabled && capabilitiesOf(model).video;
}

/** Whether the settings ask for a feature to be sent; unasked, the model's own default applies. */
const requested: Record<Feature, (settings: SessionSettings) => boolean> = {
  responseModality: (settings) => settings.responseModality !== 'AUDIO',
  voiceName: (settings) => Boolean(settings.voiceName),
  languageCode: (settings) => Boolean(settings.languageCode),
  systemInstruction: (settings) => settings.systemInstruction !== '',
  inputTranscription: (settings) => settings.inputTranscription,
  outputTranscription: (settings) => settings.outputTranscription,
  affectiveDialog: (settings) => settings.affectiveDialog,
  proactiveAudio: (settings) => settings.proactiveAudio,
  thinkingBudget: (settings) => settings.thinking.budget !== undefined,
  thinkingLevel: (settings) => settings.thinking.level !== undefined,
  includeThoughts: (settings) => settings.thinking.includeThoughts === true,
  mediaResolution: (settings) => settings.mediaResolution !== undefined,
  contextCompression: (settings) => settings.contextCompression.enabled,
  // The service requires a target language of an interpreter: always sent where taken.
  translation: () => true,
};

const features = Object.keys(requested) as Feature[];

/**
 * The API version to connect with: `pinned` when given (PARLEY_API_VERSION),
 * else v1alpha if a requested feature exists only there, else v1beta.
 */
export function apiVersionFor(model: string, settings: SessionSettings, pinned?: string): string {
  if (pinned) return pinned;
  const capabilities = capabilitiesOf(model);
  const needsAlpha = features.some((feature) => {
    const support = capabilities.features[feature];
    return support.supported && support.apiVersion === 'v1alpha' && requested[feature](settings);
  });
  return needsAlpha ? 'v1alpha' : 'v1beta';
}

/**
 * Per control: whether the model takes it (on `apiVersion`, if pinned) given
 * the other settings, and why not. The setup builder sends exactly the
 * enabled controls whose value the model accepts.
 */
export function controlStates(
  model: string,
  settings: SessionSettings,
  apiVersion?: string,
): Record<Control, ControlState> {
  const capabilities = capabilitiesOf(model);
  const states = Object.fromEntries(
    features.map((feature) => [feature, featureState(capabilities.features[feature], apiVersion)]),
  ) as Record<Feature, ControlState>;
  if (states.responseModality.enabled && settings.responseModality === 'TEXT') {
    states.outputTranscription = { enabled: false, reason: 'Text replies need no transcription' };
  }
  states.voiceName = valueState(states.voiceName, settings.voiceName, capabilities.voices, model);
  states.thinkingLevel = valueState(states.thinkingLevel, settings.thinking.level, capabilities.thinkingLevels, model);
  const compressionTriggerTokens =
    states.contextCompression.enabled && !settings.contextCompression.enabled
      ? { enabled: false, reason: 'Context compression is off' }
      : states.contextCompression;
  return { ...states, compressionTriggerTokens };
}

/** Whether the setup carries a feature: asked for, its control enabled, and its value one the model has. */
export function sendsFeature(
  states: Record<Control, ControlState>,
  feature: Feature,
  settings: SessionSettings,
): boolean {
  const state = states[feature];
  return state.enabled && state.reason === undefined && requested[feature](settings);
}

function featureState(support: Support, apiVersion: string | undefined): ControlState {
  if (!support.supported) return { enabled: false, reason: support.reason };
  if (support.apiVersion && apiVersion && apiVersion !== support.apiVersion) {
    return { enabled: false, reason: `Needs API version ${support.apiVersion}, but the connection uses ${apiVersion}` };
  }
  return { enabled: true };
}

/** An enabled control whose current value the model lacks stays enabled, and says the value is not sent. */
function valueState<T extends string>(
  state: ControlState,
  value: T | undefined,
  allowed: readonly T[],
  model: string,
): ControlState {
  if (!state.enabled || !value || allowed.includes(value)) return state;
  return { enabled: true, reason: `${model} has no ${value}; its default is used` };
}
