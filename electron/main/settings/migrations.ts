import type { z } from 'zod';
import {
  CurrentSettingsFile,
  profileFieldNames,
  settingsVersion,
  SettingsV1,
  SettingsV2,
  SettingsV3,
  SettingsV4,
  SettingsV5,
} from '../../../shared/settings';
import { assistantProfile } from '../../../shared/conversations';
import { defaultProfileFields, defaultSettings } from './defaults';

type StoredFile = Record<string, unknown>;

/** The schema of every version a settings file may have been written with. */
const schemas: Record<number, z.ZodType<StoredFile>> = {
  1: SettingsV1,
  2: SettingsV2,
  3: SettingsV3,
  4: SettingsV4,
  5: SettingsV5,
};

/**
 * Lifts a valid file of version N to version N + 1. Fields a version adds
 * take today's defaults, the same a new user gets.
 */
const steps: Record<number, (file: StoredFile) => StoredFile> = {
  1: (v1) => ({
    ...v1,
    version: 2,
    outputVolume: defaultSettings.outputVolume,
    muteReplies: defaultSettings.muteReplies,
    theme: defaultSettings.theme,
    idleDisconnectMinutes: defaultSettings.idleDisconnectMinutes,
    showTranscriptOnReply: defaultSettings.showTranscriptOnReply,
  }),
  2: (v2) => ({ ...v2, version: 3, tools: defaultProfileFields.tools }),
  3: (v3) => ({ ...v3, version: 4, screen: defaultProfileFields.screen }),
  4: (v4) => profilesFrom(v4),
};

/** Version 4's one set of hotkey, model, voice, instructions, tools and screen becomes the first profile. */
function profilesFrom(v4: StoredFile): StoredFile {
  const globals: StoredFile = {};
  const profile: StoredFile = { ...assistantProfile, translation: defaultProfileFields.translation };
  for (const [key, value] of Object.entries(v4)) {
    if ((profileFieldNames as string[]).includes(key)) profile[key] = value;
    else globals[key] = value;
  }
  return { ...globals, version: 5, profiles: [profile] };
}

export type Migration = { ok: true; file: CurrentSettingsFile; from: number } | { ok: false; reason: string };

/** Reads a stored settings file of any version this build knows into the current one. */
export function migrate(stored: StoredFile): Migration {
  const version = stored.version;
  if (typeof version !== 'number' || schemas[version] === undefined) {
    return { ok: false, reason: unknownVersion(version) };
  }
  const parsed = schemas[version].safeParse(stored);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };
  let file = parsed.data;
  // Every version below the current one has a step (the migration tests walk them all).
  for (let from = version; from < settingsVersion; from++) file = steps[from]!(file);
  return { ok: true, file: CurrentSettingsFile.parse(file), from: version };
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`).join('; ');
}

function unknownVersion(version: unknown): string {
  if (typeof version === 'number' && version > settingsVersion) {
    return `it was written by a newer Parley (settings version ${version}; this one reads up to ${settingsVersion})`;
  }
  return `version: expected a settings version from 1 to ${settingsVersion}, got ${JSON.stringify(version) ?? 'none'}`;
}
