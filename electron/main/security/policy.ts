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

/** Our pages need the microphone, and to choose the speakers replies play on. */
const grantedPermissions = new Set(['media', 'speaker-selection']);

export function isPermissionAllowed(permission: string, requestingUrl: string, rendererOrigin: string): boolean {
  return grantedPermissions.has(permission) && sameOrigin(requestingUrl, rendererOrigin);
}

/** Windows never navigate away from our own pages. */
export function isNavigationAllowed(targetUrl: string, rendererOrigin: string): boolean {
  return sameOrigin(targetUrl, rendererOrigin);
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === origin;
  } catch {
    return false;
  }
}
