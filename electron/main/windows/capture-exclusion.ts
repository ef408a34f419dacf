/** How Parley's own windows stay out of the pictures of the screen it sends Gemini. */
export interface CaptureExclusion {
  /** Content protection on every window, from its creation. */
  protect: boolean;
  /** Hidden while a capture runs, shown again (without the focus) after it. */
  hide: boolean;
}

/**
 * Windows leaves a protected window out of captures (WDA_EXCLUDEFROMCAPTURE, Windows 10 2004 and
 * later). macOS 15's ScreenCaptureKit ignores the protection, so there the windows hide too. X11
 * and Wayland have no such thing: hiding is the only way.
 */
export function captureExclusionFor(platform: string): CaptureExclusion {
  if (platform === 'win32') return { protect: true, hide: false };
  if (platform === 'darwin') return { protect: true, hide: true };
  return { protect: false, hide: true };
}
