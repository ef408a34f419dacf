import type { AppSettings } from '../settings/defaults';
import { checkHotkey, windowMenuShortcuts, type HotkeyCheckContext } from './hotkey-check';

/** What a hotkey is checked against here: the platform's shortcuts and Parley's own window menu. */
export function hotkeyContextFor(platform: string, isPackaged: boolean): HotkeyCheckContext {
  return { platform, appShortcuts: windowMenuShortcuts(platform, isPackaged) };
}

/** A new hotkey is saved in canonical form, and refused with the reason if it has an error-level problem. */
export function checkedHotkeyChange(
  changes: Partial<AppSettings>,
  current: AppSettings,
  context: HotkeyCheckContext,
): Partial<AppSettings> {
  if (!changes.hotkey) return changes;
  const check = checkHotkey(changes.hotkey.accelerator, context);
  // The keys in use (with a new mode, say) are never refused, even if saved before these checks existed.
  if (check.accelerator === checkHotkey(current.hotkey.accelerator, context).accelerator) return changes;
  const error = check.problems.find((problem) => problem.severity === 'error');
  if (error) throw new Error(`Settings not changed: hotkey.accelerator: ${error.text}`);
  return { ...changes, hotkey: { ...changes.hotkey, accelerator: check.accelerator } };
}
