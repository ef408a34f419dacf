import { eventChannels, invokeChannels, sendChannels, type EventName } from '../../shared/ipc/channels';
import { eventMethodName, type ParleyApi } from '../../shared/ipc/api';

/** The slice of `ipcRenderer` the preload uses. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function buildParleyApi(ipc: RendererIpc): ParleyApi {
  const api: Record<string, unknown> = {};
  for (const [name, channel] of Object.entries(invokeChannels)) {
    api[name] = (payload?: unknown) => ipc.invoke(channel, payload);
  }
  for (const [name, channel] of Object.entries(sendChannels)) {
    api[name] = (payload: unknown) => ipc.send(channel, payload);
  }
  for (const [name, channel] of Object.entries(eventChannels)) {
    api[eventMethodName(name as EventName)] = (listener: (payload: unknown) => void) => {
      // Drop the event object: it would hand the renderer `sender` (ipcRenderer).
      const forward = (_event: unknown, payload: unknown) => listener(payload);
      ipc.on(channel, forward);
      return () => void ipc.removeListener(channel, forward);
    };
  }
  return api as ParleyApi;
}
