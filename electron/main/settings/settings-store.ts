import { copyFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultSettings, type AppSettings } from './defaults';
import { describeIssues, migrate } from './migrations';
import { withChanges, type SettingsChanges } from './profiles';
import { CurrentSettingsFile, settingsVersion } from '../../../shared/settings';
import { messageOf } from '../../../shared/error-message';
import { KeptFile, type SettingsFilePort } from '../storage/kept-file';
import { explainWriteError } from '../storage/write-problems';

export type { KeyValueFile, SettingsFilePort } from '../storage/kept-file';

/** Said once, when a broken settings file had to be replaced. */
export interface SettingsRecovery {
  /** Where the broken file was kept; none when it could not be moved (a read-only folder): it is left as it was. */
  backupPath: string | undefined;
  reason: string;
}

/** A valid change is in force even when it could not be saved (`saved: false`, see `saveProblem`). */
export type SettingsUpdate = { ok: true; settings: AppSettings; saved: boolean } | { ok: false; error: string };

/**
 * The user's settings: validated when read, validated before every write.
 * A file that is not JSON or not valid settings is kept beside itself as a
 * backup, and Parley starts from the defaults instead of failing. On a
 * full or read-only disk the settings still apply, kept in memory until
 * they can be saved or Parley quits.
 */
export class SettingsStore {
  private readonly file: KeptFile;
  private current: AppSettings;
  readonly recovery: SettingsRecovery | undefined;

  constructor(port: SettingsFilePort, now: () => Date = () => new Date()) {
    const problem = unreadable(port.path);
    let recovery = problem ? moveAside(port.path, problem, now(), renameSync) : undefined;
    this.file = new KeptFile(port);
    const migrated = migrate(withDefaults(this.file.store));
    if (!migrated.ok && !recovery) {
      recovery = moveAside(port.path, migrated.reason, now(), copyFileSync);
    }
    this.current = migrated.ok ? withoutVersion(migrated.file) : { ...defaultSettings };
    this.recovery = recovery;
    this.persist();
  }

  get settings(): AppSettings {
    return this.current;
  }

  /** Applies a change only if the result is valid; the file is untouched otherwise. */
  update(changes: SettingsChanges): SettingsUpdate {
    let next: AppSettings;
    try {
      next = withChanges(this.current, changes);
    } catch (error) {
      return { ok: false, error: messageOf(error) };
    }
    const parsed = CurrentSettingsFile.safeParse({ ...next, version: settingsVersion });
    if (!parsed.success) return { ok: false, error: describeIssues(parsed.error) };
    this.current = withoutVersion(parsed.data);
    return { ok: true, settings: this.current, saved: this.persist() };
  }

  /** Why the settings in force are not on disk (e.g. "the user-data folder is read-only (…)"); undefined once saved. */
  get saveProblem(): string | undefined {
    const { failure } = this.file;
    if (failure === undefined) return undefined;
    return `${explainWriteError(failure, 'the user-data folder').what} (${dirname(this.file.path)})`;
  }

  private persist(): boolean {
    this.file.store = { ...stripUndefined(this.current), version: settingsVersion };
    return this.file.failure === undefined;
  }
}

/** A brand-new file is empty: it takes every default. */
function withDefaults(stored: Record<string, unknown>): Record<string, unknown> {
  return Object.keys(stored).length === 0 ? { ...defaultSettings, version: settingsVersion } : stored;
}

function unreadable(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    JSON.parse(readFileSync(path, 'utf8'));
    return undefined;
  } catch (error) {
    return `it is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
}

function moveAside(path: string, reason: string, at: Date, keep: (from: string, to: string) => void): SettingsRecovery {
  const backupPath = `${path}.broken-${at.toISOString().replace(/[:.]/g, '-')}`;
  try {
    keep(path, backupPath);
    return { backupPath, reason };
  } catch {
    // Nothing can be written there, so the broken file cannot be overwritten either.
    return { backupPath: undefined, reason };
  }
}

function withoutVersion({ version: _version, ...settings }: CurrentSettingsFile): AppSettings {
  return settings;
}

function stripUndefined(value: AppSettings): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
