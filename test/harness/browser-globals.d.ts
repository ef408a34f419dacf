import type { ParleyApi } from '../../shared/ipc/api';

/** What test code evaluated inside harness pages can reach. */
declare global {
  interface Window {
    parley: ParleyApi;
    /** Set by the preload shim: main → renderer event delivery, [channel, payload] in order. */
    __parleyIpcDispatch(events: readonly (readonly [string, unknown])[]): void;
    /** Set by the display-media stand-in (display-media.ts): the test's side of its screen tracks. */
    __parleyTestScreens: {
      show(screen: { id: string; version: number; url: string; width: number; height: number }): Promise<void>;
      stopSharing(): Promise<number>;
      tracks(): { live: number; ended: number };
      prefetch(screens: { id: string; version: number; url: string; width: number; height: number }[]): void;
    };
  }
}
