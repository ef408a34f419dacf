import type { HotkeyBindingStatus, HotkeyStatus } from './types';

/** A profile's push-to-talk hotkey status (`look` false) or its screen hotkey's; the first profile's when none is named. */
export function hotkeyBinding(status: HotkeyStatus, look: boolean, profile?: string): HotkeyBindingStatus | undefined {
  return status.bindings.find(
    (binding) => binding.look === look && (profile === undefined || binding.profile === profile),
  );
}
