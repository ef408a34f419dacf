/** Launching the real Electron app for `npm run test:electron` (scripts/test-electron.mjs runs these files). */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import type { WindowKind } from '../../shared/types';
import { projectRoot } from '../harness/paths';

/** Set by scripts/test-electron.mjs, which found (or downloaded) the binary. */
export function electronExecutable(): string {
  const path = process.env.PARLEY_ELECTRON;
  if (!path) throw new Error('PARLEY_ELECTRON is not set: run these through `npm run test:electron`.');
  return path;
}

/** The launch environment without a Gemini key, so Parley starts as a new user's does. */
export function withoutApiKeys(): Record<string, string> {
  const keys = new Set(['GEMINI_API_KEY', 'GOOGLE_API_KEY']);
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => !keys.has(entry[0]) && entry[1] !== undefined,
    ),
  );
}

export function freshUserData(): string {
  return mkdtempSync(join(tmpdir(), 'parley-electron-'));
}

export interface LaunchedParley {
  app: ElectronApplication;
  window(kind: WindowKind): Promise<Page>;
  close(): Promise<void>;
}

/** The built app (`out/`) in the development Electron, on a fresh user-data folder. */
export async function launchParley(): Promise<LaunchedParley> {
  const userData = freshUserData();
  const app = await _electron.launch({
    executablePath: electronExecutable(),
    // Chromium's fake microphone and camera: CI machines have neither, and the permission checks need both.
    args: ['.', `--user-data-dir=${userData}`, '--use-fake-device-for-media-stream'],
    cwd: projectRoot,
    env: withoutApiKeys(),
  });
  return {
    app,
    window: (kind) => {
      const isKind = (page: Page) => page.url().endsWith(`/${kind}.html`);
      return Promise.resolve(app.windows().find(isKind) ?? app.waitForEvent('window', { predicate: isKind }));
    },
    close: async () => {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    },
  };
}

/**
 * The app `npm run dist` left unpacked beside the installers, as it runs once installed:
 * dist/linux-unpacked/parley, dist/mac…/Parley.app, dist/win-unpacked/Parley.exe.
 */
export function packagedExecutable(): string | undefined {
  const dist = join(projectRoot, 'dist');
  let folders: string[];
  try {
    folders = readdirSync(dist);
  } catch {
    return undefined;
  }
  const inside: Partial<Record<NodeJS.Platform, [RegExp, string]>> = {
    linux: [/^linux(-\w+)?-unpacked$/, 'parley'],
    darwin: [/^mac(-\w+)?$/, 'Parley.app/Contents/MacOS/Parley'],
    win32: [/^win(-\w+)?-unpacked$/, 'Parley.exe'],
  };
  const [folder, executable] = inside[process.platform] ?? [];
  const found = folder && folders.find((name) => folder.test(name));
  return found && executable ? join(dist, found, executable) : undefined;
}
