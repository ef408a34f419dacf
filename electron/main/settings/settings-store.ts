import { copyFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { defaultSettings, type AppSettings } from './defaults';
import { describeIssues, migrate } from './migrations';
import { CurrentSettingsFile, settingsVersion } from '../../../shared/settings';

/** The file behind the settings: electron-store in the app, its base `conf` in tests. */
export interface KeyValueFile {
  readonly path: string;
  store: Record<string, unknown>;
}

export interface SettingsFilePort {
  /** Where the file lives, known before it is opened (so a corrupt one can be moved aside first). */
  readonly path: string;
  open(): KeyValueFile;
}

/** Said once, when a broken settings file had to be replaced. */
export interface SettingsRecovery {
  backupPath: string;
  reason: string;
}

export type SettingsUpdate = { ok: true; settings: AppSettings } | { ok: false; error: string };

/**
 * The user's settings: validated when read, validated before every write.
 * A file that is not JSON or not valid settings is kept beside itself as a
 * backup, and Parley starts from the defaults instead of failing.
 */
export class SettingsStore {
  private file: KeyValueFile;
  private current: AppSettings;
  readonly recovery: SettingsRecovery | undefined;

  constructor(port: SettingsFilePort, now: () => Date = () => new Date()) {
    const problem = unreadable(port.path);
    let recovery = problem ? moveAside(port.path, problem, now(), renameSync) : undefined;
    this.file = port.open();
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
  update(changes: Partial<AppSettings>): SettingsUpdate {
    const parsed = CurrentSettingsFile.safeParse({ ...this.current, ...changes, version: settingsVersion });
    if (!parsed.success) return { ok: false, error: describeIssues(parsed.error) };
    this.current = withoutVersion(parsed.data);
    this.persist();
    return { ok: true, settings: this.current };
  }

  private persist(): void {
    this.file.store = { ...stripUndefined(this.current), version: settingsVersion };
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
  keep(path, backupPath);
  return { backupPath, reason };
}

function withoutVersion({ version: _version, ...settings }: CurrentSettingsFile): AppSettings {
  return settings;
}

function stripUndefined(value: AppSettings): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
