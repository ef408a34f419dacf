import type { z } from 'zod';
import {
  invokeChannels,
  invokeWindows,
  sendChannels,
  sendWindows,
  type InvokeName,
  type SendName,
} from '../../../shared/ipc/channels';
import {
  invokeContract,
  sendContract,
  type InvokeRequest,
  type InvokeResponse,
  type SendPayload,
} from '../../../shared/ipc/contract';
import { fail, ok, type IpcResult } from '../../../shared/ipc/result';
import type { WindowKind } from '../../../shared/types';
import type { IpcPort, IpcSender, LogPort } from '../ports';
import type { SenderGuard } from './sender-guard';

export type InvokeHandlers = {
  [K in InvokeName]: (request: InvokeRequest<K>, sender: IpcSender) => InvokeResponse<K> | Promise<InvokeResponse<K>>;
};

/**
 * Registers every invoke handler of the contract behind the same gate:
 * sender check (one of our windows, of a kind the channel names), payload
 * validation, and an error envelope for anything that goes wrong, so a
 * renderer can never throw into main or leave a call hanging.
 */
export function registerInvokeHandlers(
  ipc: IpcPort,
  guard: SenderGuard,
  handlers: InvokeHandlers,
  log: LogPort,
): () => void {
  const names = Object.keys(invokeChannels) as InvokeName[];
  for (const name of names) {
    ipc.handle(invokeChannels[name], (sender, payload) => dispatch(name, sender, payload, guard, handlers, log));
  }
  return () => names.forEach((name) => ipc.removeHandler(invokeChannels[name]));
}

async function dispatch<K extends InvokeName>(
  name: K,
  sender: IpcSender,
  payload: unknown,
  guard: SenderGuard,
  handlers: InvokeHandlers,
  log: LogPort,
): Promise<IpcResult<InvokeResponse<K>>> {
  const refused = refusal(name, invokeWindows[name], sender, guard);
  if (refused) {
    log.warn(refused.log);
    return fail('forbidden-sender', refused.message);
  }
  const parsed = (invokeContract[name].request as unknown as z.ZodType<InvokeRequest<K>>).safeParse(payload);
  if (!parsed.success) {
    return fail('invalid-payload', `${name}: ${parsed.error.issues.map(describeIssue).join('; ')}`);
  }
  try {
    return ok(await handlers[name](parsed.data, sender));
  } catch (error) {
    log.warn(`${name} failed: ${String(error)}`);
    return fail('internal', `${name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export type SendHandlers = {
  [K in SendName]: (payload: SendPayload<K>, sender: IpcSender) => void;
};

/**
 * Registers every renderer → main notification behind the same gate as the
 * invokes. There is nobody to answer, so refusals are logged.
 */
export function registerSendHandlers(
  ipc: IpcPort,
  guard: SenderGuard,
  handlers: SendHandlers,
  log: LogPort,
): () => void {
  const names = Object.keys(sendChannels) as SendName[];
  for (const name of names) {
    ipc.listen(sendChannels[name], (sender, payload) => receive(name, sender, payload, guard, handlers, log));
  }
  return () => names.forEach((name) => ipc.removeListener(sendChannels[name]));
}

function receive<K extends SendName>(
  name: K,
  sender: IpcSender,
  payload: unknown,
  guard: SenderGuard,
  handlers: SendHandlers,
  log: LogPort,
): void {
  const refused = refusal(name, sendWindows[name], sender, guard);
  if (refused) return log.warn(refused.log);
  const parsed = (sendContract[name] as unknown as z.ZodType<SendPayload<K>>).safeParse(payload);
  if (!parsed.success) return log.warn(`dropped ${name}: ${parsed.error.issues.map(describeIssue).join('; ')}`);
  try {
    handlers[name](parsed.data, sender);
  } catch (error) {
    log.warn(`${name} failed: ${String(error)}`);
  }
}

/** Why this sender may not use the channel (for the log, and for the caller), or undefined when it may. */
function refusal(
  name: string,
  windows: readonly WindowKind[],
  sender: IpcSender,
  guard: SenderGuard,
): { log: string; message: string } | undefined {
  const kind = guard.kindOf(sender);
  if (!kind) {
    return {
      log: `refused ${name} from foreign sender ${sender.webContentsId} at ${sender.frameUrl}`,
      message: `${name} is only served to Parley's own windows`,
    };
  }
  if (!windows.includes(kind)) {
    return {
      log: `refused ${name} from the ${kind} window, which may not use it`,
      message: `${name} is not served to the ${kind} window`,
    };
  }
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : 'payload';
  return `${where}: ${issue.message}`;
}
