/**
 * Every IPC channel name in Parley, and the only place they are spelled, with
 * the windows that may use each. Kept free of schema code so the sandboxed
 * preload stays tiny.
 */
import type { WindowKind } from '../types';

/** Renderer → main calls that answer. */
export const invokeChannels = {
  getAppInfo: 'app:get-info',
  getSessionStatus: 'session:get-status',
  selectProfile: 'session:select-profile',
  getHotkey: 'hotkey:get',
  checkHotkey: 'hotkey:check',
  getTranscript: 'transcript:get',
  getAudioSetup: 'audio:get-setup',
  getSettings: 'settings:get',
  updateSettings: 'settings:update',
  showProfile: 'settings:show-profile',
  addProfile: 'settings:add-profile',
  renameProfile: 'settings:rename-profile',
  deleteProfile: 'settings:delete-profile',
  getCredentials: 'credentials:get',
  setApiKey: 'credentials:set-api-key',
  clearApiKey: 'credentials:clear-api-key',
  sendText: 'conversation:send-text',
  retryTurn: 'conversation:retry-turn',
  openWindow: 'window:open',
  newConversation: 'conversation:new',
  listConversations: 'history:list',
  getConversation: 'history:get',
  searchConversations: 'history:search',
  copyEntry: 'history:copy-entry',
  exportConversation: 'history:export',
  deleteConversation: 'history:delete',
  getPicture: 'history:get-picture',
  answerToolCall: 'tools:answer-call',
  openLink: 'tools:open-link',
  setMemory: 'tools:set-memory',
  saveMcpServer: 'tools:save-mcp-server',
  removeMcpServer: 'tools:remove-mcp-server',
  setMcpServerEnabled: 'tools:enable-mcp-server',
  importMcpServers: 'tools:import-mcp-servers',
} as const;

/** Renderer → main notifications (the audio renderer's reports, the hotkey recorder's state). */
export const sendChannels = {
  hotkeyRecording: 'hotkey:recording',
  captureFrame: 'capture:frame',
  captureStarted: 'capture:started',
  captureEnded: 'capture:ended',
  captureFailed: 'capture:failed',
  inputLevel: 'capture:level',
  playbackState: 'playback:state',
  outputDeviceFailed: 'playback:output-device-failed',
  mediaDevices: 'audio:devices',
  screenFrame: 'screen:frame',
  screenFailed: 'screen:failed',
} as const;

/** Main → renderer notifications. */
export const eventChannels = {
  sessionStatusChanged: 'session:status-changed',
  hotkeyChanged: 'hotkey:changed',
  hotkeySeen: 'hotkey:seen',
  transcriptEntry: 'transcript:entry',
  conversationStarted: 'conversation:started',
  inputLevelChanged: 'capture:level-changed',
  audioSetupChanged: 'audio:setup-changed',
  settingsChanged: 'settings:changed',
  credentialsChanged: 'credentials:changed',
  captureStart: 'capture:start',
  captureStop: 'capture:stop',
  playbackChunk: 'playback:chunk',
  playbackFlush: 'playback:flush',
  playbackEndOfReply: 'playback:end-of-reply',
  playCue: 'playback:cue',
  screenOpen: 'screen:open',
  screenGrab: 'screen:grab',
  screenClose: 'screen:close',
} as const;

export type InvokeName = keyof typeof invokeChannels;
export type SendName = keyof typeof sendChannels;
export type EventName = keyof typeof eventChannels;

type Windows = readonly WindowKind[];
const visible = ['transcript', 'settings'] as const satisfies Windows;

/**
 * Least privilege: the windows whose page uses each invoke channel; main refuses it from any
 * other (ipc/router.ts). The transcript window renders model text, so it gets nothing that changes
 * the key or the settings. A channel that acts for the user, such as approving a tool call
 * ([3/7]), names only the window that shows the request.
 */
export const invokeWindows = {
  getAppInfo: visible,
  getSessionStatus: visible,
  selectProfile: ['transcript'],
  getHotkey: visible,
  checkHotkey: ['settings'],
  getTranscript: ['transcript'],
  getAudioSetup: ['audio'],
  getSettings: ['settings'],
  updateSettings: ['settings'],
  showProfile: ['settings'],
  addProfile: ['settings'],
  renameProfile: ['settings'],
  deleteProfile: ['settings'],
  getCredentials: ['settings'],
  setApiKey: ['settings'],
  clearApiKey: ['settings'],
  sendText: ['transcript'],
  retryTurn: ['transcript'],
  openWindow: ['transcript'],
  newConversation: ['transcript'],
  listConversations: ['transcript'],
  getConversation: ['transcript'],
  searchConversations: ['transcript'],
  copyEntry: ['transcript'],
  exportConversation: ['transcript'],
  deleteConversation: ['transcript'],
  getPicture: ['transcript'],
  answerToolCall: ['transcript'],
  openLink: ['transcript'],
  setMemory: ['settings'],
  saveMcpServer: ['settings'],
  removeMcpServer: ['settings'],
  setMcpServerEnabled: ['settings'],
  importMcpServers: ['settings'],
} as const satisfies Record<InvokeName, Windows>;

/** The windows that may send each notification: capture, screen and playback reports come from the audio renderer only. */
export const sendWindows = {
  hotkeyRecording: ['settings'],
  captureFrame: ['audio'],
  captureStarted: ['audio'],
  captureEnded: ['audio'],
  captureFailed: ['audio'],
  inputLevel: ['audio'],
  playbackState: ['audio'],
  outputDeviceFailed: ['audio'],
  mediaDevices: ['audio'],
  screenFrame: ['audio'],
  screenFailed: ['audio'],
} as const satisfies Record<SendName, Windows>;

/**
 * The windows that receive each main → renderer event: a page hears only what it shows or
 * plays. Transcript text and the microphone's level never reach the settings window.
 */
export const eventWindows = {
  sessionStatusChanged: visible,
  hotkeyChanged: visible,
  hotkeySeen: ['settings'],
  transcriptEntry: ['transcript'],
  conversationStarted: ['transcript'],
  inputLevelChanged: ['transcript'],
  audioSetupChanged: ['audio'],
  settingsChanged: ['settings'],
  credentialsChanged: ['settings'],
  captureStart: ['audio'],
  captureStop: ['audio'],
  playbackChunk: ['audio'],
  playbackFlush: ['audio'],
  playbackEndOfReply: ['audio'],
  playCue: ['audio'],
  screenOpen: ['audio'],
  screenGrab: ['audio'],
  screenClose: ['audio'],
} as const satisfies Record<EventName, Windows>;
