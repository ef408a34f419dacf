// Adding, renaming and deleting profiles: the next profile list, checked by the store when saved.
import { randomBytes } from 'node:crypto';
import { assistantProfile } from '../../../shared/conversations';
import type { Profile } from '../../../shared/settings';
import { checkHotkeyFor } from '../hotkey/hotkey-setting';
import type { HotkeyCheckContext } from '../hotkey/hotkey-check';
import { interpreterModel } from '../live/model-capabilities';
import { defaultProfileFields } from './defaults';

export type ProfileTemplate = 'assistant' | 'interpreter';
export type NewProfileFrom = { template: ProfileTemplate } | { duplicate: string };

/** At most this many profiles: each may hold a Live session, and the service limits them per key. */
export const maxProfiles = 12;

/**
 * A new profile from a template or a copy of another, with a name no other profile has and hotkeys
 * no other profile uses (Ctrl+Shift+F1 and Ctrl+Alt+Shift+F1, or the next free pair).
 */
export function newProfile(
  profiles: readonly Profile[],
  from: NewProfileFrom,
  context: HotkeyCheckContext,
  systemLanguage: string,
): Profile {
  if (profiles.length >= maxProfiles) throw new Error(`Parley keeps at most ${maxProfiles} profiles.`);
  const base = 'duplicate' in from ? original(profiles, from.duplicate) : template(from.template, systemLanguage);
  const id = `p-${randomBytes(3).toString('hex')}`;
  const draft: Profile = { ...structuredClone(base), id, name: freeName(profiles, base.name) };
  const keys = freeHotkeys(profiles, draft, context);
  return {
    ...draft,
    hotkey: { ...draft.hotkey, accelerator: keys.talk },
    screen: { ...draft.screen, accelerator: keys.screen },
  };
}

/** The list without `id`; the last profile is never deleted. */
export function withoutProfile(profiles: readonly Profile[], id: string): Profile[] {
  original(profiles, id);
  if (profiles.length === 1) throw new Error('The last profile cannot be deleted: Parley needs one to talk with.');
  return profiles.filter((profile) => profile.id !== id);
}

/** The list with `id` called `name` (the store refuses a name another profile has). */
export function renamed(profiles: readonly Profile[], id: string, name: string): Profile[] {
  original(profiles, id);
  return profiles.map((profile) => (profile.id === id ? { ...profile, name: name.trim() } : profile));
}

function original(profiles: readonly Profile[], id: string): Profile {
  const found = profiles.find((profile) => profile.id === id);
  if (!found) throw new Error('That profile no longer exists.');
  return found;
}

/** Assistant: today's defaults. Interpreter: into French for an English speaker, into English for anyone else. */
function template(kind: ProfileTemplate, systemLanguage: string): Profile {
  if (kind === 'assistant') return { ...defaultProfileFields, id: '', name: assistantProfile.name };
  const speaksEnglish = systemLanguage.toLowerCase().split('-')[0] === 'en';
  return {
    ...defaultProfileFields,
    id: '',
    name: 'Interpreter',
    model: interpreterModel,
    translation: { targetLanguageCode: speaksEnglish ? 'fr' : 'en', echoTargetLanguage: false },
    screen: { ...defaultProfileFields.screen, enabled: false },
  };
}

/** "Coder", else "Coder 2", "Coder 3"…: names are compared in any case, as the store does. */
function freeName(profiles: readonly Profile[], wanted: string): string {
  const taken = new Set(profiles.map((profile) => profile.name.toLocaleLowerCase()));
  if (!taken.has(wanted.toLocaleLowerCase())) return wanted;
  const stem = wanted.replace(/ \d+$/, '');
  for (let n = 2; ; n++) if (!taken.has(`${stem} ${n}`.toLocaleLowerCase())) return `${stem} ${n}`;
}

/** The first pair of function-key chords that clash with no hotkey of any profile, nor with the system's. */
function freeHotkeys(profiles: readonly Profile[], draft: Profile, context: HotkeyCheckContext) {
  const all = [...profiles, draft];
  const free = (which: 'talk' | 'screen', accelerator: string) =>
    !checkHotkeyFor({ profile: draft.id, which }, accelerator, all, context).problems.some(
      (problem) => problem.severity === 'error',
    );
  for (let n = 1; n <= 12; n++) {
    const keys = { talk: `Control+Shift+F${n}`, screen: `Control+Alt+Shift+F${n}` };
    if (free('talk', keys.talk) && free('screen', keys.screen)) return keys;
  }
  throw new Error('Every suggested hotkey is taken: change a profile’s hotkey first.');
}
