import { basename, dirname } from 'node:path';
import type { Ports } from '../ports';
import { KeptFile, type SettingsFilePort } from './kept-file';
import { explainWriteError } from './write-problems';

/**
 * Window places and the resumption handle only spare the user a little work next time: when
 * they cannot be saved (a full or read-only disk) they are kept until Parley quits, with a
 * line in the log, and nothing fails. (The settings say so to the user: see SettingsStore.)
 */
export function withKeptFiles(ports: Ports): Ports {
  const kept = (port: SettingsFilePort): SettingsFilePort => ({
    path: port.path,
    open: () => new KeptFile(port, (error) => ports.log.warn(problemOf(port.path, error))),
  });
  return {
    ...ports,
    windowStateFile: kept(ports.windowStateFile),
    sessionFile: kept(ports.sessionFile),
    memoryFile: kept(ports.memoryFile),
  };
}

function problemOf(path: string, error: unknown): string {
  if (error === undefined) return `${basename(path)} is saved again.`;
  const { what } = explainWriteError(error, 'the user-data folder');
  return `${basename(path)} cannot be saved: ${what} (${dirname(path)}); kept until Parley quits.`;
}
