import {
  eventChannels,
  eventWindows,
  invokeChannels,
  invokeWindows,
  sendChannels,
  sendWindows,
  type EventName,
  type InvokeName,
  type SendName,
} from '../../shared/ipc/channels';
import type { WindowKind } from '../../shared/types';
import { eventMethodName, type ParleyApi } from '../../shared/ipc/api';

/** The slice of `ipcRenderer` the preload uses. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * `window.parley` for a page of this kind: the calls its window may make, and the events it receives.
 * Main refuses the other calls whatever a page sends; leaving them out keeps each page's
 * surface to what it uses. Typed as the whole API, as each page's code calls only its own part.
 */
export function buildParleyApi(ipc: RendererIpc, kind: WindowKind | undefined): ParleyApi {
  const api: Record<string, unknown> = {};
  const mayUse = (windows: readonly WindowKind[]) => kind !== undefined && windows.includes(kind);
  for (const [name, channel] of Object.entries(invokeChannels)) {
    if (mayUse(invokeWindows[name as InvokeName])) api[name] = (payload?: unknown) => ipc.invoke(channel, payload);
  }
  for (const [name, channel] of Object.entries(sendChannels)) {
    if (mayUse(sendWindows[name as SendName])) api[name] = (payload: unknown) => ipc.send(channel, payload);
  }
  for (const [name, channel] of Object.entries(eventChannels)) {
    if (!mayUse(eventWindows[name as EventName])) continue;
    api[eventMethodName(name as EventName)] = (listener: (payload: unknown) => void) => {
      // Drop the event object: it would hand the renderer `sender` (ipcRenderer).
      const forward = (_event: unknown, payload: unknown) => listener(payload);
      ipc.on(channel, forward);
      return () => void ipc.removeListener(channel, forward);
    };
  }
  return api as ParleyApi;
}
