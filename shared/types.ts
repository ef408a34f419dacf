import { z } from 'zod';

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
  'listening',
  'thinking',
  'speaking',
  'error',
]);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const SessionStatus = z.object({
  state: ConnectionState,
  /** A sentence for the user: what is happening, or what to do about it. */
  detail: z.string(),
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

/** The hotkey as it actually works on this machine, and what to do if it cannot fully. */
export const HotkeyStatus = Hotkey.extend({
  effectiveMode: PushToTalkMode,
  /** False where only key presses reach Parley (the global-shortcut fallback). */
  keyReleases: z.boolean(),
  problem: z.object({ reason: z.string(), fix: z.string() }).optional(),
});
export type HotkeyStatus = z.infer<typeof HotkeyStatus>;

export const WindowKind = z.enum(['audio', 'transcript', 'settings']);
export type WindowKind = z.infer<typeof WindowKind>;

/** Only the visible windows can be opened on request; the audio renderer is always there. */
export const OpenWindowRequest = z.object({ window: z.enum(['transcript', 'settings']) }).strict();
export type OpenWindowRequest = z.infer<typeof OpenWindowRequest>;
