import type { ScreenSource } from '../ports';

export type ScreenChoice = { ok: true; sourceId: string } | { ok: false; reason: string };

/**
 * The screen a turn shows: the display under the mouse pointer, where the system says which one
 * that is; otherwise the first the system lists (on Wayland, the one the user picked).
 */
export function chooseScreen(screens: readonly ScreenSource[], pointerDisplayId: string | undefined): ScreenChoice {
  const underPointer = screens.find(
    (screen) => screen.displayId !== undefined && screen.displayId === pointerDisplayId,
  );
  const chosen = underPointer ?? screens[0];
  if (!chosen) return { ok: false, reason: 'The system listed no screen to capture.' };
  return { ok: true, sourceId: chosen.id };
}
