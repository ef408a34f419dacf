// Which window has the keyboard focus, as a capture source, for turns that show the focused window.
// X11 says (the window manager's _NET_ACTIVE_WINDOW); Wayland lets no program know, by design;
// on Windows and macOS it takes native code Parley does not have yet.
import type { FocusedWindow } from './screen-turns';
import { X11ActiveWindow } from './x11-active-window';

export type FocusedWindowSupport = { enabled: true } | { enabled: false; reason: string };

export function focusedWindowSupport(
  platform: string,
  env: Readonly<Record<string, string | undefined>>,
): FocusedWindowSupport {
  if (platform === 'linux') {
    if (env.XDG_SESSION_TYPE === 'wayland' || env.WAYLAND_DISPLAY) {
      return {
        enabled: false,
        reason:
          'On Wayland no program may know which window has the focus: your desktop asks you what to share instead',
      };
    }
    if (env.DISPLAY) return { enabled: true };
    return { enabled: false, reason: 'There is no X display to ask which window has the focus' };
  }
  const system = platform === 'darwin' ? 'macOS' : platform === 'win32' ? 'Windows' : platform;
  return { enabled: false, reason: `Parley cannot tell which window has the focus on ${system} yet` };
}

export interface FocusedWindowFinder {
  find(): Promise<FocusedWindow>;
  close(): void;
}

/** `ownSourceIds`: Parley's own windows, which are never shown (the display is, instead). */
export function focusedWindowFinder(
  platform: string,
  env: Readonly<Record<string, string | undefined>>,
  ownSourceIds: () => string[],
): FocusedWindowFinder {
  const support = focusedWindowSupport(platform, env);
  if (!support.enabled) return { find: () => Promise.resolve({ unavailable: support.reason }), close: () => undefined };
  const x11 = new X11ActiveWindow(env.DISPLAY!);
  return {
    async find() {
      const xid = await x11.read();
      if (xid === undefined) return { unavailable: 'no window has the focus' };
      // Chromium names an X11 window capture by the client window's XID.
      const sourceId = `window:${xid}:0`;
      if (ownSourceIds().includes(sourceId)) return { unavailable: "Parley's own window had the focus" };
      return { sourceId };
    },
    close: () => x11.close(),
  };
}
