import type { ParleyApi } from '../../shared/ipc/api';
import type { IpcResult } from '../../shared/ipc/result';

declare global {
  interface Window {
    parley: ParleyApi;
  }
}

/** The preload's API; the only way a renderer talks to main. */
export const parley: ParleyApi = window.parley;

/** Unwraps an IPC result, turning a typed error into an exception with its code in the message. */
export async function unwrap<T>(call: Promise<IpcResult<T>>): Promise<T> {
  const result = await call;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}
