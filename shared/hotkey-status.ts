import type { HotkeyBindingStatus, HotkeyStatus } from './types';

/** The push-to-talk hotkey's status (`look` false) or the screen hotkey's: the first one, while there is one profile. */
export function hotkeyBinding(status: HotkeyStatus, look: boolean): HotkeyBindingStatus | undefined {
  return status.bindings.find((binding) => binding.look === look);
}
