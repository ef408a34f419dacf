// JSON shapes the emulator sends, named as in the SDK's LiveServerMessage
// (node_modules/@google/genai/dist/genai.d.ts), restricted to what it emits.

export interface InlineData {
  mimeType: string;
  data: string;
}

export interface Part {
  text?: string;
  thought?: boolean;
  inlineData?: InlineData;
}

export interface Transcription {
  text: string;
  finished?: boolean;
  /** BCP-47: the translate model's transcriptions say which language they are in. */
  languageCode?: string;
}

export interface ServerContent {
  modelTurn?: { parts: Part[] };
  inputTranscription?: Transcription;
  outputTranscription?: Transcription;
  interrupted?: boolean;
  generationComplete?: boolean;
  turnComplete?: boolean;
  groundingMetadata?: GroundingMetadata;
}

export interface GroundingMetadata {
  webSearchQueries: string[];
  groundingChunks: { web: { uri: string; title: string } }[];
  searchEntryPoint: { renderedContent: string };
}

export interface FunctionCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export interface ModalityTokenCount {
  modality: 'TEXT' | 'AUDIO' | 'IMAGE';
  tokenCount: number;
}

export interface UsageMetadata {
  promptTokenCount: number;
  responseTokenCount: number;
  totalTokenCount: number;
  thoughtsTokenCount?: number;
  promptTokensDetails: ModalityTokenCount[];
  responseTokensDetails: ModalityTokenCount[];
}

export interface SessionResumptionUpdate {
  newHandle?: string;
  resumable: boolean;
}

export interface ServerMessage {
  setupComplete?: { sessionId?: string };
  serverContent?: ServerContent;
  toolCall?: { functionCalls: FunctionCall[] };
  toolCallCancellation?: { ids: string[] };
  usageMetadata?: UsageMetadata;
  goAway?: { timeLeft: string };
  sessionResumptionUpdate?: SessionResumptionUpdate;
}

/** A client frame as received: parsed JSON, not necessarily valid. */
export interface ClientFrame {
  setup?: Record<string, unknown>;
  clientContent?: { turns?: { role?: string; parts?: { text?: string }[] }[]; turnComplete?: boolean };
  realtimeInput?: {
    audio?: InlineData;
    mediaChunks?: InlineData[];
    video?: InlineData;
    text?: string;
    activityStart?: object;
    activityEnd?: object;
    audioStreamEnd?: boolean;
  };
  toolResponse?: {
    functionResponses: {
      id?: string;
      name?: string;
      response?: Record<string, unknown>;
      scheduling?: string;
      willContinue?: boolean;
    }[];
  };
  contextUpdate?: Record<string, unknown>;
}

/** Protobuf Duration in JSON: "50s", "1.500s". */
export function durationString(ms: number): string {
  const seconds = ms / 1000;
  return Number.isInteger(seconds) ? `${seconds}s` : `${seconds.toFixed(3)}s`;
}
