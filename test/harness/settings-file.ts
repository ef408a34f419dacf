import Conf from 'conf';
import { join } from 'node:path';
import type { KeyValueFile, SettingsFilePort } from '../../electron/main/settings/settings-store';

/** The settings file as the app keeps it, through electron-store's own base class (electron-store needs Electron). */
export function confSettingsFile(userDataDir: string): SettingsFilePort {
  return {
    path: join(userDataDir, 'settings.json'),
    open: () => new Conf<Record<string, unknown>>({ cwd: userDataDir, configName: 'settings' }) as KeyValueFile,
  };
}
