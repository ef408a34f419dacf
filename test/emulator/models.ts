// What each Live model accepts, after the model table in
// ../shared/docs/live-protocol.md. Tests may add or replace entries through
// `startEmulator({ models })`, e.g. to revive a retired TEXT-capable model.

export type ResponseModality = 'AUDIO' | 'TEXT';

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
  translation: boolean;
  /** `clientContent` is accepted after realtime input has started. */
  clientContentMidSession: boolean;
  /** `clientContent` with `turnComplete: true` cuts off a generation in progress. */
  clientContentInterrupts: boolean;
  /** Function declarations may not ask for `behavior: BLOCKING`. */
  asyncFunctionCallsOnly: boolean;
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
  translation: false,
  clientContentMidSession: true,
  clientContentInterrupts: false,
  asyncFunctionCallsOnly: false,
  voices: NATIVE_AUDIO_VOICES,
  contextWindowTokens: 128_000,
};

const live38: Omit<ModelCapabilities, 'name'> = {
  ...nativeAudio,
  proactivity: 'always',
  proactiveAudioAlwaysOn: true,
  clientContentInterrupts: true,
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
    asyncFunctionCallsOnly: true,
  },
  {
    ...nativeAudio,
    name: 'gemini-3.1-flash-live-preview',
    thinking: 'level',
    thinkingLevels: ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'],
    // The legacy preview takes clientContent only to seed history before realtime input.
    clientContentMidSession: false,
  },
  { ...nativeAudio, name: 'gemini-3.5-live-translate-preview', translation: true },
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
