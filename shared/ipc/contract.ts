import { z } from 'zod';
import type { EventName, InvokeName, SendName } from './channels';
import {
  AppInfo,
  AudioSetup,
  CaptureEnded,
  CaptureFailed,
  CaptureFrame,
  CaptureStart,
  CaptureStarted,
  CaptureStop,
  Cue,
  HotkeyStatus,
  InputLevel,
  MediaDeviceList,
  OpenWindowRequest,
  OutputDeviceFailed,
  PlaybackChunk,
  PlaybackState,
  RetryTurnRequest,
  SendTextRequest,
  SessionStatus,
  TranscriptEntry,
} from '../types';
import { HotkeyCheck, HotkeyCheckRequest, HotkeyRecording, HotkeySeen } from '../hotkey-check';
import {
  ConversationRequest,
  ConversationSummary,
  ConversationView,
  CopyEntryRequest,
  DeleteResult,
  ExportResult,
  NewConversationResult,
  PictureBytes,
  PictureRequest,
  SearchRequest,
  SearchResult,
} from '../conversations';
import { ScreenClose, ScreenFailed, ScreenFrame, ScreenGrab, ScreenOpen } from '../screen-frame';
import { McpServerDraft, MemoryNotes, OpenLinkRequest, ToolApproval } from '../tools';
import {
  CredentialsView,
  McpEditResult,
  McpImportResult,
  McpServerEnabled,
  McpServerName,
  SetApiKeyRequest,
  SetApiKeyResult,
  SettingsPatch,
  SettingsView,
  AddProfileRequest,
  ProfileRequest,
  RenameProfileRequest,
} from '../settings';

/** Request and response schema of every invoke channel. `z.undefined()` means "no payload". */
export const invokeContract = {
  getAppInfo: { request: z.undefined(), response: AppInfo },
  getSessionStatus: { request: z.undefined(), response: SessionStatus },
  /** The transcript window's profile switcher: that profile's conversation and state are shown, and Settings edits it. */
  selectProfile: { request: ProfileRequest, response: SessionStatus },
  getHotkey: { request: z.undefined(), response: HotkeyStatus },
  checkHotkey: { request: HotkeyCheckRequest, response: HotkeyCheck },
  getTranscript: { request: z.undefined(), response: z.array(TranscriptEntry) },
  getAudioSetup: { request: z.undefined(), response: AudioSetup },
  getSettings: { request: z.undefined(), response: SettingsView },
  updateSettings: { request: SettingsPatch, response: SettingsView },
  showProfile: { request: ProfileRequest, response: SettingsView },
  addProfile: { request: AddProfileRequest, response: SettingsView },
  renameProfile: { request: RenameProfileRequest, response: SettingsView },
  deleteProfile: { request: ProfileRequest, response: SettingsView },
  getCredentials: { request: z.undefined(), response: CredentialsView },
  setApiKey: { request: SetApiKeyRequest, response: SetApiKeyResult },
  clearApiKey: { request: z.undefined(), response: CredentialsView },
  sendText: { request: SendTextRequest, response: z.null() },
  retryTurn: { request: RetryTurnRequest, response: z.null() },
  openWindow: { request: OpenWindowRequest, response: z.null() },
  newConversation: { request: z.undefined(), response: NewConversationResult },
  listConversations: { request: z.undefined(), response: z.array(ConversationSummary) },
  getConversation: { request: ConversationRequest, response: ConversationView },
  searchConversations: { request: SearchRequest, response: SearchResult },
  copyEntry: { request: CopyEntryRequest, response: z.null() },
  exportConversation: { request: ConversationRequest, response: ExportResult },
  deleteConversation: { request: ConversationRequest, response: DeleteResult },
  getPicture: { request: PictureRequest, response: PictureBytes },
  answerToolCall: { request: ToolApproval, response: z.null() },
  openLink: { request: OpenLinkRequest, response: z.null() },
  setMemory: { request: MemoryNotes, response: SettingsView },
  saveMcpServer: { request: McpServerDraft, response: McpEditResult },
  removeMcpServer: { request: McpServerName, response: McpEditResult },
  setMcpServerEnabled: { request: McpServerEnabled, response: McpEditResult },
  importMcpServers: { request: z.undefined(), response: McpImportResult },
} satisfies Record<InvokeName, { request: z.ZodType; response: z.ZodType }>;

/** Payload schema of every renderer → main notification. */
export const sendContract = {
  hotkeyRecording: HotkeyRecording,
  captureFrame: CaptureFrame,
  captureStarted: CaptureStarted,
  captureEnded: CaptureEnded,
  captureFailed: CaptureFailed,
  inputLevel: InputLevel,
  playbackState: PlaybackState,
  outputDeviceFailed: OutputDeviceFailed,
  mediaDevices: MediaDeviceList,
  screenFrame: ScreenFrame,
  screenFailed: ScreenFailed,
} satisfies Record<SendName, z.ZodType>;

/** Payload schema of every main → renderer event. */
export const eventContract = {
  sessionStatusChanged: SessionStatus,
  hotkeyChanged: HotkeyStatus,
  hotkeySeen: HotkeySeen,
  transcriptEntry: TranscriptEntry,
  conversationStarted: z.null(),
  inputLevelChanged: InputLevel,
  audioSetupChanged: AudioSetup,
  settingsChanged: SettingsView,
  credentialsChanged: CredentialsView,
  captureStart: CaptureStart,
  captureStop: CaptureStop,
  playbackChunk: PlaybackChunk,
  playbackFlush: z.null(),
  playbackEndOfReply: z.null(),
  playCue: Cue,
  screenOpen: ScreenOpen,
  screenGrab: ScreenGrab,
  screenClose: ScreenClose,
} satisfies Record<EventName, z.ZodType>;

export type InvokeContract = typeof invokeContract;
export type InvokeRequest<K extends InvokeName> = z.infer<InvokeContract[K]['request']>;
export type InvokeResponse<K extends InvokeName> = z.infer<InvokeContract[K]['response']>;
export type SendPayload<K extends SendName> = z.infer<(typeof sendContract)[K]>;
export type EventPayload<K extends EventName> = z.infer<(typeof eventContract)[K]>;
