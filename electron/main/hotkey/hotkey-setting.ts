import type { HotkeyCheck, HotkeyCheckRequest, HotkeyFor } from '../../../shared/hotkey-check';
import type { Profile } from '../../../shared/settings';
import type { AppSettings } from '../settings/defaults';
import { withChanges, type SettingsChanges } from '../settings/profiles';
import { checkHotkey, windowMenuShortcuts, type HotkeyCheckContext } from './hotkey-check';

/** What a hotkey is checked against here: the platform's shortcuts and Parley's own window menu. */
export function hotkeyContextFor(platform: string, isPackaged: boolean): HotkeyCheckContext {
  return { platform, appShortcuts: windowMenuShortcuts(platform, isPackaged) };
}

/** One of a profile's two hotkeys: push to talk, or the one that also shows the screen. */
interface HotkeySlot {
  profile: string;
  which: HotkeyFor;
}

/** Where each hotkey is in a profile, and what the user calls it. */
const fields = { talk: 'hotkey.accelerator', screen: 'screen.accelerator' } as const satisfies Record<
  HotkeyFor,
  string
>;

const acceleratorOf = (profile: Profile, which: HotkeyFor) =>
  which === 'talk' ? profile.hotkey.accelerator : profile.screen.accelerator;

/** "Push to talk", or with several profiles the profile's name, so the user knows whose keys they are. */
function nameOf(profile: Profile, which: HotkeyFor, profiles: readonly Profile[]): string {
  if (profiles.length === 1) return which === 'talk' ? 'Push to talk' : 'The screen hotkey';
  return which === 'talk' ? profile.name : `${profile.name}'s screen hotkey`;
}

/**
 * Checks keys for one hotkey: every rule of checkHotkey, and no other hotkey's keys, of this profile or
 * another. A screen hotkey keeps its keys while its screen sharing is off, so they stay taken: turning
 * it on again must not make two hotkeys one chord.
 */
export function checkHotkeyFor(
  slot: HotkeySlot,
  candidate: string,
  profiles: readonly Profile[],
  context: HotkeyCheckContext,
): HotkeyCheck {
  const others = profiles.flatMap((profile) =>
    (['talk', 'screen'] as const)
      .filter((which) => profile.id !== slot.profile || which !== slot.which)
      .map((which) => ({ name: nameOf(profile, which, profiles), accelerator: acceleratorOf(profile, which) })),
  );
  return checkHotkey(candidate, { ...context, otherHotkeys: others });
}

/** The recorder's question: may these keys be the hotkey it records (the first profile's push to talk unless it says otherwise)? */
export function checkRecordedHotkey(
  request: HotkeyCheckRequest,
  settings: AppSettings,
  context: HotkeyCheckContext,
): HotkeyCheck {
  const slot = { profile: request.profile ?? settings.profiles[0]!.id, which: request.for ?? 'talk' };
  return checkHotkeyFor(slot, request.accelerator, settings.profiles, context);
}

/**
 * New hotkeys are saved in canonical form, and a change is refused with the reason if any has an
 * error-level problem (two hotkeys the same keys, say), so nothing of it is saved.
 */
export function checkedHotkeyChange(
  changes: SettingsChanges,
  current: AppSettings,
  context: HotkeyCheckContext,
): SettingsChanges {
  // Each hotkey is checked against the others as they will be once saved: several may change at once (swapped, say).
  const next = withChanges(current, changes).profiles;
  let checked = next;
  for (const profile of next) {
    const before = current.profiles.find((entry) => entry.id === profile.id);
    for (const which of ['talk', 'screen'] as const) {
      const accelerator = checkedAccelerator({ profile: profile.id, which }, next, before, context);
      if (accelerator !== acceleratorOf(profile, which))
        checked = withAccelerator(checked, profile.id, which, accelerator);
    }
  }
  if (checked === next && !changes.profiles) return changes;
  const { hotkey: _hotkey, screen: _screen, ...rest } = changes;
  return { ...rest, profiles: checked };
}

function withAccelerator(profiles: Profile[], id: string, which: HotkeyFor, accelerator: string): Profile[] {
  return profiles.map((profile) => {
    if (profile.id !== id) return profile;
    if (which === 'talk') return { ...profile, hotkey: { ...profile.hotkey, accelerator } };
    return { ...profile, screen: { ...profile.screen, accelerator } };
  });
}

/** The accelerator to save for one hotkey in its canonical form; throws the first error-level problem. */
function checkedAccelerator(
  slot: HotkeySlot,
  next: readonly Profile[],
  before: Profile | undefined,
  context: HotkeyCheckContext,
): string {
  const profile = next.find((entry) => entry.id === slot.profile)!;
  const candidate = acceleratorOf(profile, slot.which);
  // The keys in use (with a new mode, or screen sharing turned off, say) are never refused, even if
  // saved before these checks existed.
  const inUse = before && checkHotkey(acceleratorOf(before, slot.which), context).accelerator;
  const check = checkHotkeyFor(slot, candidate, next, context);
  if (check.accelerator === inUse) return candidate;
  const error = check.problems.find((problem) => problem.severity === 'error');
  if (!error) return check.accelerator;
  const where = next.length === 1 ? fields[slot.which] : `${profile.name}: ${fields[slot.which]}`;
  throw new Error(`Settings not changed: ${where}: ${error.text}`);
}
