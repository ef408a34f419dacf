import Conf from 'conf';
import { join } from 'node:path';
import type { KeyValueFile, SettingsFilePort } from '../../electron/main/settings/settings-store';

/** A file as the app keeps it, through electron-store's own base class (electron-store needs Electron). */
export function confFile(userDataDir: string, name: string): SettingsFilePort {
  return {
    path: join(userDataDir, `${name}.json`),
    open: () => new Conf<Record<string, unknown>>({ cwd: userDataDir, configName: name }) as KeyValueFile,
  };
}

export const confSettingsFile = (userDataDir: string): SettingsFilePort => confFile(userDataDir, 'settings');
