import { eventChannels, invokeChannels, type EventName, type InvokeName } from '../../shared/ipc/channels';
import { eventMethodName, type ParleyApi } from '../../shared/ipc/api';

/** The slice of `ipcRenderer` the preload uses. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function buildParleyApi(ipc: RendererIpc): ParleyApi {
  const api: Record<string, unknown> = {};
  for (const name of Object.keys(invokeChannels) as InvokeName[]) {
    const channel = invokeChannels[name];
    api[name] = (payload?: unknown) => ipc.invoke(channel, payload);
  }
  for (const name of Object.keys(eventChannels) as EventName[]) {
    const channel = eventChannels[name];
    api[eventMethodName(name)] = (listener: (payload: unknown) => void) => {
      // Drop the event object: it would hand the renderer `sender` (ipcRenderer).
      const forward = (_event: unknown, payload: unknown) => listener(payload);
      ipc.on(channel, forward);
      return () => void ipc.removeListener(channel, forward);
    };
  }
  return api as ParleyApi;
}
