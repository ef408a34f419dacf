import type { HotkeyCheck, HotkeyCheckRequest, HotkeyFor } from '../../../shared/hotkey-check';
import type { AppSettings } from '../settings/defaults';
import { checkHotkey, windowMenuShortcuts, type HotkeyCheckContext } from './hotkey-check';

/** What a hotkey is checked against here: the platform's shortcuts and Parley's own window menu. */
export function hotkeyContextFor(platform: string, isPackaged: boolean): HotkeyCheckContext {
  return { platform, appShortcuts: windowMenuShortcuts(platform, isPackaged) };
}

type Hotkeys = Pick<AppSettings, 'hotkey' | 'screen'>;

/** Where each hotkey is in the settings, what the user calls it, and which one it may not clash with. */
const hotkeys = {
  talk: { field: 'hotkey.accelerator', name: 'Push to talk', other: 'screen' },
  screen: { field: 'screen.accelerator', name: 'The screen hotkey', other: 'talk' },
} as const satisfies Record<HotkeyFor, { field: string; name: string; other: HotkeyFor }>;

const acceleratorOf = (settings: Hotkeys, which: HotkeyFor) =>
  which === 'talk' ? settings.hotkey.accelerator : settings.screen.accelerator;

/**
 * Checks keys for one of the hotkeys: every rule of checkHotkey, and not the other hotkey's keys. The
 * screen hotkey keeps its keys while screen sharing is off, so they stay taken: turning it on again
 * must not make both hotkeys one chord.
 */
export function checkHotkeyFor(
  which: HotkeyFor,
  candidate: string,
  settings: Hotkeys,
  context: HotkeyCheckContext,
): HotkeyCheck {
  const other = hotkeys[which].other;
  return checkHotkey(candidate, {
    ...context,
    otherHotkeys: [{ name: hotkeys[other].name, accelerator: acceleratorOf(settings, other) }],
  });
}

/** The recorder's question: may these keys be the hotkey it records (push to talk unless it says otherwise)? */
export function checkRecordedHotkey(
  request: HotkeyCheckRequest,
  settings: Hotkeys,
  context: HotkeyCheckContext,
): HotkeyCheck {
  return checkHotkeyFor(request.for ?? 'talk', request.accelerator, settings, context);
}

/**
 * New hotkeys are saved in canonical form, and a change is refused with the reason if either has an
 * error-level problem (the two hotkeys the same keys, say), so nothing of it is saved.
 */
export function checkedHotkeyChange(
  changes: Partial<AppSettings>,
  current: AppSettings,
  context: HotkeyCheckContext,
): Partial<AppSettings> {
  // Each is checked against the other as it will be once saved: both may change at once (swapped, say).
  const next: Hotkeys = { hotkey: changes.hotkey ?? current.hotkey, screen: changes.screen ?? current.screen };
  const accelerator = (which: HotkeyFor) => checkedAccelerator(which, next, current, context);
  let checked = changes;
  if (changes.hotkey) checked = { ...checked, hotkey: { ...changes.hotkey, accelerator: accelerator('talk') } };
  if (changes.screen) checked = { ...checked, screen: { ...changes.screen, accelerator: accelerator('screen') } };
  return checked;
}

/** The accelerator to save for one hotkey; throws the first error-level problem. */
function checkedAccelerator(which: HotkeyFor, next: Hotkeys, current: Hotkeys, context: HotkeyCheckContext): string {
  const candidate = acceleratorOf(next, which);
  // The keys in use (with a new mode, or screen sharing turned off, say) are never refused, even if
  // saved before these checks existed.
  const inUse = checkHotkey(acceleratorOf(current, which), context).accelerator;
  const check = checkHotkeyFor(which, candidate, next, context);
  if (check.accelerator === inUse) return candidate;
  const error = check.problems.find((problem) => problem.severity === 'error');
  if (error) throw new Error(`Settings not changed: ${hotkeys[which].field}: ${error.text}`);
  return check.accelerator;
}
