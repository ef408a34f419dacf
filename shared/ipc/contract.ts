import { z } from 'zod';
import type { EventName, InvokeName } from './channels';
import { AppInfo, Hotkey, OpenWindowRequest, SessionStatus } from '../types';

/** Request and response schema of every invoke channel. `z.undefined()` means "no payload". */
export const invokeContract = {
  getAppInfo: { request: z.undefined(), response: AppInfo },
  getSessionStatus: { request: z.undefined(), response: SessionStatus },
  getHotkey: { request: z.undefined(), response: Hotkey },
  openWindow: { request: OpenWindowRequest, response: z.null() },
} satisfies Record<InvokeName, { request: z.ZodType; response: z.ZodType }>;

/** Payload schema of every main → renderer event. */
export const eventContract = {
  sessionStatusChanged: SessionStatus,
} satisfies Record<EventName, z.ZodType>;

export type InvokeContract = typeof invokeContract;
export type InvokeRequest<K extends InvokeName> = z.infer<InvokeContract[K]['request']>;
export type InvokeResponse<K extends InvokeName> = z.infer<InvokeContract[K]['response']>;
export type EventPayload<K extends EventName> = z.infer<(typeof eventContract)[K]>;
