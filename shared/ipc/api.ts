import type { EventName, InvokeName, SendName } from './channels';
import type { EventPayload, InvokeRequest, InvokeResponse, SendPayload } from './contract';
import type { IpcResult } from './result';

type InvokeMethod<K extends InvokeName> =
  InvokeRequest<K> extends undefined
    ? () => Promise<IpcResult<InvokeResponse<K>>>
    : (payload: InvokeRequest<K>) => Promise<IpcResult<InvokeResponse<K>>>;

type EventMethodName<K extends EventName> = `on${Capitalize<K>}`;

/** Returned by every event subscription; call it to stop listening. */
export type Unsubscribe = () => void;

/** The shape of `window.parley`, derived from the contract so it cannot drift. */
export type ParleyApi = { [K in InvokeName]: InvokeMethod<K> } & {
  [K in SendName]: (payload: SendPayload<K>) => void;
} & {
  [K in EventName as EventMethodName<K>]: (listener: (payload: EventPayload<K>) => void) => Unsubscribe;
};

export const eventMethodName = <K extends EventName>(name: K): EventMethodName<K> =>
  `on${name.charAt(0).toUpperCase()}${name.slice(1)}` as EventMethodName<K>;
