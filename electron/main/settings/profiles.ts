// Profiles in the settings: one profile's view with the global settings, and a change to both.
import {
  profileFieldNames,
  type Profile,
  type ProfileFields,
  type ProfileSettings,
  type SettingsPatch,
} from '../../../shared/settings';
import type { AppSettings } from './defaults';

/** A change to the settings: a settings window patch, and the whole profile list when profiles are added or removed. */
export type SettingsChanges = SettingsPatch & { profiles?: Profile[] };

const isProfileField = (key: string): key is keyof ProfileFields => (profileFieldNames as string[]).includes(key);

/** The profile's settings with every global one; undefined when there is no such profile. */
export function profileSettings(settings: AppSettings, profileId: string): ProfileSettings | undefined {
  const found = settings.profiles.find((profile) => profile.id === profileId);
  if (!found) return undefined;
  const { profiles: _all, ...globals } = settings;
  const { id: _id, name: _name, ...fields } = found;
  return { ...globals, ...fields };
}

/**
 * The settings after a change: the profile list first (when given), then each global field, and
 * each profile field into the profile the change names (the first profile when it names none).
 * Unchecked: the store validates the result.
 */
export function withChanges(settings: AppSettings, { profile, profiles, ...fields }: SettingsChanges): AppSettings {
  const list = profiles ?? settings.profiles;
  const targetId = profile ?? list[0]?.id;
  const globals: Record<string, unknown> = {};
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) (isProfileField(key) ? own : globals)[key] = value;
  if (profile !== undefined && !list.some((entry) => entry.id === profile)) {
    throw new Error(`There is no profile ${profile}: it may have been deleted.`);
  }
  return {
    ...settings,
    ...globals,
    profiles: list.map((entry) => (entry.id === targetId ? { ...entry, ...own } : entry)),
  };
}

/** The names of the fields whose values differ between two views (JSON, so nested values compare whole). */
export function changedKeys<T extends object>(before: T, after: T): Set<string> {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const differ = (key: string) =>
    JSON.stringify((before as Record<string, unknown>)[key]) !==
    JSON.stringify((after as Record<string, unknown>)[key]);
  return new Set([...keys].filter(differ));
}
