import type { ParleyApi } from '../../shared/ipc/api';

/** What test code evaluated inside harness pages can reach. */
declare global {
  interface Window {
    parley: ParleyApi;
    /** Set by the preload shim: main → renderer event delivery, [channel, payload] in order. */
    __parleyIpcDispatch(events: readonly (readonly [string, unknown])[]): void;
  }
}
