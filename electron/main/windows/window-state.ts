import { z } from 'zod';
import type { WindowKind } from '../../../shared/types';
import type { KeyValueFile } from '../settings/settings-store';

export const WindowBounds = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(200).max(20_000),
  height: z.number().int().min(150).max(20_000),
});
export type WindowBounds = z.infer<typeof WindowBounds>;

/** The usable part of a display (without task bars and docks), in screen coordinates. */
export type WorkArea = WindowBounds;

/** How much of a window's top strip must be on a display for the user to grab it. */
const grabbable = { width: 100, height: 40 };

/**
 * Where the user left each window, in its own small file (window-state.json)
 * so that moving a window never rewrites the settings. Entries that do not
 * parse are ignored: a window opens at its default place rather than failing.
 */
export class WindowStateStore {
  constructor(private readonly file: KeyValueFile) {}

  get(kind: WindowKind): WindowBounds | undefined {
    const parsed = WindowBounds.safeParse(this.file.store[kind]);
    return parsed.success ? parsed.data : undefined;
  }

  set(kind: WindowKind, bounds: WindowBounds): void {
    const parsed = WindowBounds.safeParse(bounds);
    if (parsed.success) this.file.store = { ...this.file.store, [kind]: parsed.data };
  }
}

/**
 * The saved place if the window would still be reachable there (a display may
 * have been unplugged since), shrunk to fit the display it is on; otherwise
 * undefined, and the window opens at its default place.
 */
export function placeOnScreen(
  bounds: WindowBounds | undefined,
  displays: readonly WorkArea[],
): WindowBounds | undefined {
  if (!bounds) return undefined;
  const display = displays.find((area) => overlap(bounds, area) >= grabbable.width);
  if (!display) return undefined;
  return {
    ...bounds,
    width: Math.min(bounds.width, display.width),
    height: Math.min(bounds.height, display.height),
  };
}

/** Width of the window's top strip that lies on the display (0 if none). */
function overlap(bounds: WindowBounds, area: WorkArea): number {
  const titleVisible = bounds.y >= area.y && bounds.y + grabbable.height <= area.y + area.height;
  if (!titleVisible) return 0;
  return Math.max(0, Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x));
}
