/**
 * Every invoke answers with a result envelope rather than throwing: Electron
 * strips thrown errors down to a message string, and renderers need the code.
 */
export type IpcErrorCode = 'invalid-payload' | 'forbidden-sender' | 'internal';

export interface IpcError {
  code: IpcErrorCode;
  message: string;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value });
export const fail = (code: IpcErrorCode, message: string): IpcResult<never> => ({
  ok: false,
  error: { code, message },
});
