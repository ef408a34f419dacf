// What each Live model accepts, after the model table in
// ../shared/docs/live-protocol.md. Tests may add or replace entries through
// `startEmulator({ models })`, e.g. to revive a retired TEXT-capable model.

export type ResponseModality = 'AUDIO' | 'TEXT';

export type FunctionBehavior = 'BLOCKING' | 'NON_BLOCKING';

/**
 * Which `realtimeInput.video` frames a turn takes: 'none' (the model takes no video: a frame is
 * refused with 1007), 'sinceLastTurn' (all video sent since the previous turn, whatever
 * `turnCoverage` says), 'byTurnCoverage' (only frames sent during the activity, unless
 * `turnCoverage` is TURN_INCLUDES_ALL_INPUT or TURN_INCLUDES_AUDIO_ACTIVITY_AND_ALL_VIDEO).
 */
export type VideoInput = 'none' | 'sinceLastTurn' | 'byTurnCoverage';

/** Where a setup field exists: nowhere, only on `v1alpha`, or on every API version. */
export type Availability = 'never' | 'v1alpha' | 'always';

export interface ModelCapabilities {
  name: string;
  /** Shut down: the service answers 1008 "not found". */
  retired: boolean;
  responseModalities: readonly ResponseModality[];
  /** 'budget': thinkingBudget/includeThoughts; 'level': thinkingLevel/includeThoughts. */
  thinking: 'none' | 'budget' | 'level';
  thinkingLevels: readonly string[];
  affectiveDialog: Availability;
  proactivity: Availability;
  /** Proactive audio cannot be switched off (`proactiveAudio: false` is an error). */
  proactiveAudioAlwaysOn: boolean;
  /** The setup may carry a `systemInstruction` (else it is an unknown name). */
  systemInstruction: boolean;
  translation: boolean;
  /** `clientContent` is accepted after realtime input has started. */
  clientContentMidSession: boolean;
  /** `clientContent` with `turnComplete: true` cuts off a generation in progress. */
  clientContentInterrupts: boolean;
  /**
   * Which function calls the model makes: 'none' (the model takes no tools at all: a `tools` field
   * is an unknown name), 'blocking' (synchronous calls, `behavior` accepted and ignored),
   * 'nonBlocking' (`behavior: BLOCKING` is refused) or 'both' (`behavior` chooses).
   */
  functionCalls: 'none' | 'blocking' | 'nonBlocking' | 'both';
  /** How a call behaves when its declaration names no `behavior`. */
  defaultFunctionBehavior: FunctionBehavior;
  googleSearch: boolean;
  /** `googleSearch` and function declarations may be declared in one setup (see SEARCH_WITH_FUNCTIONS_REFUSED). */
  searchWithFunctions: boolean;
  /** How often the model calls a tool again after an empty result before it gives up. */
  recallsOnEmptyResult: number;
  video: VideoInput;
  voices: readonly string[];
  contextWindowTokens: number;
}

export const NATIVE_AUDIO_VOICES: readonly string[] = (
  'Zephyr Puck Charon Kore Fenrir Leda Orus Aoede Callirrhoe Autonoe Enceladus Iapetus Umbriel Algieba Despina ' +
  'Erinome Algenib Rasalgethi Laomedeia Achernar Alnilam Schedar Gacrux Pulcherrima Achird Zubenelgenubi ' +
  'Vindemiatrix Sadachbia Sadaltager Sulafat'
).split(' ');

export const HALF_CASCADE_VOICES: readonly string[] = [
  'Puck',
  'Charon',
  'Kore',
  'Fenrir',
  'Aoede',
  'Leda',
  'Orus',
  'Zephyr',
];

const nativeAudio: Omit<ModelCapabilities, 'name'> = {
  retired: false,
  responseModalities: ['AUDIO'],
  thinking: 'none',
  thinkingLevels: [],
  affectiveDialog: 'never',
  proactivity: 'never',
  proactiveAudioAlwaysOn: false,
  systemInstruction: true,
  translation: false,
  clientContentMidSession: true,
  clientContentInterrupts: false,
  functionCalls: 'both',
  defaultFunctionBehavior: 'BLOCKING',
  googleSearch: true,
  searchWithFunctions: true,
  recallsOnEmptyResult: 0,
  // The reference says how 3.1 and 3.8 take video; the SDK's TurnCoverage documents the rest.
  video: 'byTurnCoverage',
  voices: NATIVE_AUDIO_VOICES,
  contextWindowTokens: 128_000,
};

/**
 * Google Search together with function declarations in one setup. The evidence conflicts: Google's
 * 2026 Live docs and examples (and the Vertex AI docs) say the 3.x models refuse the combination,
 * while older clients sent both to the 2.5 native-audio model. The emulator follows that split:
 * refused (1007 "Request contains an invalid argument.") on 3.8, 3.8 extended thinking and 3.1,
 * accepted on 2.5. This is an assumption, not a confirmed service behaviour.
 */
const SEARCH_WITH_FUNCTIONS_REFUSED = { searchWithFunctions: false } as const;

interface ManualVadTranslation {
  /** Each activity is translated after its activityEnd (false: activityStart/activityEnd close 1007). */
  translatesEachActivity: boolean;
  /** activityStart cuts off a translation in progress (false: the next translation waits for it). */
  activityStartInterrupts: boolean;
}

/**
 * How gemini-3.5-live-translate-preview treats manual activity detection (`automaticActivityDetection.disabled`,
 * `activityStart`/`activityEnd`) is not documented: the reference calls the model a continuous interpreter and
 * says no more. The emulator assumes it behaves like the other models: it answers each activity with its
 * translation after `activityEnd`, and `activityStart` interrupts a translation in progress (under
 * START_OF_ACTIVITY_INTERRUPTS, the default; NO_INTERRUPTION lets it finish). This is an assumption, not a
 * confirmed service behaviour; the session reads only this constant for it, so correct it here.
 */
export const TRANSLATION_UNDER_MANUAL_VAD: ManualVadTranslation = {
  translatesEachActivity: true,
  activityStartInterrupts: true,
};

/** "3.1 and 3.8 take into the turn all video sent since the previous turn". */
const VIDEO_SINCE_LAST_TURN = { video: 'sinceLastTurn' } as const;

/** The doc says 2–5 calls again after an empty result; the emulator takes 3. */
const RECALLS_ON_EMPTY_RESULT_38 = 3;

const live38: Omit<ModelCapabilities, 'name'> = {
  ...nativeAudio,
  ...SEARCH_WITH_FUNCTIONS_REFUSED,
  ...VIDEO_SINCE_LAST_TURN,
  proactivity: 'always',
  proactiveAudioAlwaysOn: true,
  clientContentInterrupts: true,
  defaultFunctionBehavior: 'NON_BLOCKING',
  recallsOnEmptyResult: RECALLS_ON_EMPTY_RESULT_38,
};

const halfCascade: Omit<ModelCapabilities, 'name'> = {
  ...nativeAudio,
  retired: true,
  responseModalities: ['AUDIO', 'TEXT'],
  voices: HALF_CASCADE_VOICES,
  contextWindowTokens: 32_000,
};

export const DEFAULT_MODELS: readonly ModelCapabilities[] = [
  { ...live38, name: 'gemini-3.8-live' },
  {
    ...live38,
    name: 'gemini-3.8-live-extended-thinking',
    thinking: 'level',
    thinkingLevels: ['LOW', 'MEDIUM', 'HIGH'],
    functionCalls: 'nonBlocking',
  },
  {
    ...nativeAudio,
    name: 'gemini-3.1-flash-live-preview',
    thinking: 'level',
    thinkingLevels: ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'],
    // The legacy preview takes clientContent only to seed history before realtime input.
    clientContentMidSession: false,
    functionCalls: 'blocking',
    ...SEARCH_WITH_FUNCTIONS_REFUSED,
    ...VIDEO_SINCE_LAST_TURN,
  },
  {
    ...nativeAudio,
    name: 'gemini-3.5-live-translate-preview',
    // An interpreter: it follows no instruction, only translationConfig.
    systemInstruction: false,
    translation: true,
    functionCalls: 'none',
    googleSearch: false,
    // A speech interpreter: it takes no pictures.
    video: 'none',
  },
  {
    ...nativeAudio,
    name: 'gemini-2.5-flash-native-audio-preview-12-2025',
    thinking: 'budget',
    affectiveDialog: 'v1alpha',
    proactivity: 'v1alpha',
  },
  { ...halfCascade, name: 'gemini-live-2.5-flash-preview' },
  { ...halfCascade, name: 'gemini-2.0-flash-live-001' },
];

export class ModelTable {
  private readonly byName = new Map<string, ModelCapabilities>();

  constructor(entries: readonly ModelCapabilities[]) {
    for (const entry of entries) this.byName.set(entry.name, entry);
  }

  /** Looks up `models/NAME` (the form the SDK sends) or a bare name. */
  find(model: string): ModelCapabilities | undefined {
    return this.byName.get(model.replace(/^models\//, ''));
  }
}
