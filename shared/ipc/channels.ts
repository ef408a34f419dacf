/**
 * Every IPC channel name in Parley, and the only place they are spelled.
 * Kept free of schema code so the sandboxed preload stays tiny.
 */
export const invokeChannels = {
  getAppInfo: 'app:get-info',
  getSessionStatus: 'session:get-status',
  getHotkey: 'hotkey:get',
  openWindow: 'window:open',
} as const;

/** Main → renderer notifications. */
export const eventChannels = {
  sessionStatusChanged: 'session:status-changed',
} as const;

export type InvokeName = keyof typeof invokeChannels;
export type EventName = keyof typeof eventChannels;
