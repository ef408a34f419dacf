import { z } from 'zod';
import { Grounding, ToolCallInfo } from './tools';
import { captureFrameMaxBytes } from './capture-frame';
import { windowKinds } from './windows';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** What the user sees as "the state" in the tray and the transcript header. */
export const ConnectionState = z.enum([
  'no-api-key',
  'idle',
  'connecting',
  /** The connection was lost with a turn under way; the detail says which attempt this is. */
  'reconnecting',
  'listening',
  'thinking',
  'speaking',
  'error',
]);
export type ConnectionState = z.infer<typeof ConnectionState>;

/** A profile as other things name it: its id, and its name (when a conversation started, or now). */
export const ProfileRef = z.object({ id: z.string().min(1), name: z.string() });
export type ProfileRef = z.infer<typeof ProfileRef>;

export const SessionStatus = z.object({
  state: ConnectionState,
  /** A sentence for the user: what is happening, or what to do about it. */
  detail: z.string(),
  /** Set while pictures of the screen are being taken or sent, so the user always knows. */
  seeingScreen: z.literal(true).optional(),
  /** The profile this state is about: the one the user used or chose last. */
  profile: ProfileRef.optional(),
  /** Every profile, each with its own live conversation, in the order Settings lists them. */
  profiles: z.array(ProfileRef).optional(),
});
export type SessionStatus = z.infer<typeof SessionStatus>;

export const PushToTalkMode = z.enum(['hold', 'toggle', 'hybrid']);
export type PushToTalkMode = z.infer<typeof PushToTalkMode>;

export const Hotkey = z.object({
  /** Electron accelerator syntax, e.g. "Control+Shift+Space". */
  accelerator: z.string(),
  mode: PushToTalkMode,
});
export type Hotkey = z.infer<typeof Hotkey>;

const HotkeyProblem = z.object({ reason: z.string(), fix: z.string() });

/**
 * One hotkey as it works: a profile's push to talk, or its screen hotkey (`look`: a turn that
 * also shows Gemini the screen), with the mode it really has here and the problem that stops it.
 */
export const HotkeyBindingStatus = Hotkey.extend({
  profile: z.string(),
  look: z.boolean(),
  effectiveMode: PushToTalkMode,
  problem: HotkeyProblem.optional(),
});
export type HotkeyBindingStatus = z.infer<typeof HotkeyBindingStatus>;

/** The hotkeys as they actually work on this machine, and what to do if they cannot fully. */
export const HotkeyStatus = z.object({
  /** False where only key presses reach Parley (no key hook here: every hotkey is a global shortcut). */
  keyReleases: z.boolean(),
  /** What affects every hotkey: why there is no key hook here. */
  problem: HotkeyProblem.optional(),
  bindings: z.array(HotkeyBindingStatus),
});
export type HotkeyStatus = z.infer<typeof HotkeyStatus>;

export const WindowKind = z.enum(windowKinds);
export type WindowKind = z.infer<typeof WindowKind>;

/** Only the visible windows can be opened on request; the audio renderer is always there. */
export const OpenWindowRequest = z.object({ window: z.enum(['transcript', 'settings']) }).strict();
export type OpenWindowRequest = z.infer<typeof OpenWindowRequest>;

/** PCM16 little-endian mono audio, as bytes; IPC carries it as a typed array, never base64. */
export const PcmBytes = z
  .custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes')
  .refine((bytes) => bytes.byteLength % 2 === 0, 'odd byte count');

export const CaptureOptions = z.object({
  deviceId: z.string().max(512).optional(),
  echoCancellation: z.boolean(),
  noiseSuppression: z.boolean(),
  autoGainControl: z.boolean(),
});
export type CaptureOptions = z.infer<typeof CaptureOptions>;

/** How the audio renderer keeps the microphone between turns. */
export const AudioSetup = z.object({
  capture: CaptureOptions,
  /** Keep the stream open with a ~300 ms pre-roll, so not even the first syllable is lost. */
  warmMicrophone: z.boolean(),
  /** Where replies play; undefined is the system default. */
  outputDeviceId: z.string().max(512).optional(),
  /** Gain of the replies, 0 to 1; cues are not affected. */
  repliesVolume: z.number().min(0).max(1),
});
export type AudioSetup = z.infer<typeof AudioSetup>;

/** A microphone or speaker as the audio renderer sees it. */
export const MediaDevice = z.object({ deviceId: z.string().min(1).max(512), label: z.string().max(300) });
export type MediaDevice = z.infer<typeof MediaDevice>;

/** The devices present right now, reported at start and whenever they change. */
export const MediaDeviceList = z.object({
  inputs: z.array(MediaDevice).max(64),
  outputs: z.array(MediaDevice).max(64),
});
export type MediaDeviceList = z.infer<typeof MediaDeviceList>;

const TurnId = z.number().int().nonnegative();

export const CaptureStart = z.object({ turnId: TurnId, options: CaptureOptions, cue: z.boolean() });
export type CaptureStart = z.infer<typeof CaptureStart>;
export const CaptureStop = z.object({ turnId: TurnId });

/** One 20 ms frame of 16 kHz microphone audio (a turn's last frame may be shorter). */
export const CaptureFrame = z.object({
  turnId: TurnId,
  pcm: PcmBytes.refine((b) => b.byteLength <= captureFrameMaxBytes, 'frame too long'),
});
export type CaptureFrame = z.infer<typeof CaptureFrame>;
export const CaptureStarted = z.object({ turnId: TurnId });
/** Sent strictly after the turn's last frame. */
export const CaptureEnded = z.object({ turnId: TurnId, frames: z.number().int().nonnegative() });
export const CaptureFailureKind = z.enum(['permission-denied', 'no-device', 'failed']);
export const CaptureFailed = z.object({ turnId: TurnId, kind: CaptureFailureKind, message: z.string().max(2000) });
export type CaptureFailed = z.infer<typeof CaptureFailed>;
export const OutputDeviceFailed = z.object({ deviceId: z.string().max(512), message: z.string().max(2000) });
export const InputLevel = z.object({ level: z.number().min(0).max(1) });
export const PlaybackState = z.object({ playing: z.boolean(), underruns: z.number().int().nonnegative() });
export type PlaybackState = z.infer<typeof PlaybackState>;

/** 24 kHz reply audio on its way to the speakers. */
export const PlaybackChunk = z.object({ pcm: PcmBytes });
/** The end-of-turn sound; the "ready" sound is the audio renderer's own, when the microphone opens. */
export const Cue = z.object({ cue: z.enum(['stop']) });

export const Usage = z.object({
  promptTokens: z.number(),
  responseTokens: z.number(),
  totalTokens: z.number(),
  /** What the pictures of the screen in the prompt cost (part of promptTokens), when there were any. */
  imageTokens: z.number().optional(),
});
export type Usage = z.infer<typeof Usage>;

/** A picture of the screen Gemini was sent, kept with the conversation (a JPEG file next to it). */
export const ScreenPicture = z.object({
  /** Its file name in the conversation's picture folder; nothing else can name a path. */
  file: z.string().regex(/^\d{13}-[0-9a-f]{6}\.jpg$/, 'not a picture file name'),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type ScreenPicture = z.infer<typeof ScreenPicture>;

/** One side of one turn, as the transcript window shows it. */
export const TranscriptEntry = z.object({
  id: z.number().int(),
  turnId: z.number().int(),
  /** A tool entry is one call of a tool Gemini made during the turn. */
  role: z.enum(['user', 'model', 'tool']),
  text: z.string(),
  at: z.number(),
  state: z.enum(['streaming', 'done', 'interrupted', 'failed']),
  usage: Usage.optional(),
  note: z.string().optional(),
  /** A turn that was not delivered and can be sent again with its same audio or text. */
  retry: z.boolean().optional(),
  tool: ToolCallInfo.optional(),
  /** A reply grounded in Google Search: what it searched for and the pages it used. */
  grounding: Grounding.optional(),
  /** The pictures of the screen sent with the user's words, in order: exactly what Gemini saw. */
  pictures: z.array(ScreenPicture).max(2000).optional(),
  /** The language its words are in (BCP-47), when the service says: an interpreter's two sides differ. */
  language: z.string().max(35).optional(),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;

export const RetryTurnRequest = z.object({ turnId: z.number().int().nonnegative() }).strict();

export const SendTextRequest = z.object({ text: z.string().trim().min(1).max(10_000) }).strict();
