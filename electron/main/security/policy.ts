/**
 * Security decisions as plain functions, so the Electron shell only wires
 * them to events and the tests can check every branch.
 */

/** No inline script or style, no remote anything: the renderer never talks to Google. */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** What a permission request says about the frame asking (Electron's MediaAccessPermissionRequest and kin). */
export interface PermissionRequestDetails {
  requestingUrl: string;
  isMainFrame: boolean;
  /** For `media`: the devices it would open. */
  mediaTypes?: readonly string[];
}

/** What a permission check says about the frame asking (Electron's PermissionCheckHandlerHandlerDetails). */
export interface PermissionCheckDetails {
  requestingUrl?: string;
  isMainFrame: boolean;
  /** For `media`: the one device kind checked ("audio", "video" or "unknown"). */
  mediaType?: string;
}

/**
 * Only the audio page records and plays, so only its main frame may open the microphone
 * (never the camera: a request that names none, or video, is refused) and choose the speakers.
 * Every other window, frame and origin gets no permission at all. Screen capture ([4/7]) is
 * reported as `display-capture`, which this refuses: it gets its own decision and the session's
 * display-media handler, not this one.
 */
export function isPermissionRequestAllowed(
  permission: string,
  details: PermissionRequestDetails,
  rendererOrigin: string,
): boolean {
  return mayUse(permission, details.requestingUrl, details.isMainFrame, details.mediaTypes ?? [], rendererOrigin);
}

/** The same decision for Chromium's checks, e.g. whether enumerateDevices may show microphone names. */
export function isPermissionCheckAllowed(
  permission: string,
  details: PermissionCheckDetails,
  rendererOrigin: string,
): boolean {
  const mediaTypes = details.mediaType ? [details.mediaType] : [];
  return mayUse(permission, details.requestingUrl, details.isMainFrame, mediaTypes, rendererOrigin);
}

function mayUse(
  permission: string,
  requestingUrl: string | undefined,
  isMainFrame: boolean,
  mediaTypes: readonly string[],
  rendererOrigin: string,
): boolean {
  if (!isMainFrame || requestingUrl === undefined || !isPage(requestingUrl, audioPage, rendererOrigin)) return false;
  switch (permission) {
    case 'media':
      return mediaTypes.length > 0 && mediaTypes.every((type) => type === 'audio');
    case 'speaker-selection':
      return true;
    default:
      return false;
  }
}

/** The hidden window that captures the microphone and plays the replies. */
const audioPage = '/audio.html';

function sameOrigin(url: string, origin: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && `${parsed.protocol}//${parsed.host}` === origin;
}

function isPage(url: string, pathname: string, origin: string): boolean {
  return sameOrigin(url, origin) && parse(url)?.pathname === pathname;
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
