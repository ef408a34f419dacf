/**
 * Parley's windows, each showing the page of its name (`audio.html`…). Plain data, without
 * schema code, so the sandboxed preload can tell which window it runs in.
 */
export const windowKinds = ['audio', 'transcript', 'settings'] as const;

/** The kind of window whose page this is ("/audio.html" → "audio"), or undefined for any other path. */
export function windowKindOfPage(pathname: string): (typeof windowKinds)[number] | undefined {
  return windowKinds.find((kind) => pathname === `/${kind}.html`);
}
