import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { run } from './lib.mjs';

const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));

/** Path of the Electron executable, downloading it first if npm skipped that; undefined if unobtainable. */
export async function electronBinary() {
  const recorded = () => {
    const pathFile = join(electronDir, 'path.txt');
    if (!existsSync(pathFile)) return undefined;
    const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : undefined;
  };
  if (recorded() || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return recorded();
  await run(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore' });
  return recorded();
}

export const missingElectronHelp = `The Electron binary is not installed, so Parley cannot open its windows here.
npm installs it from GitHub on first use; that download failed or was skipped
(ELECTRON_SKIP_BINARY_DOWNLOAD, no internet access, or a proxy). On a machine with
internet access, run "npx install-electron" (or delete node_modules/electron and run
"npm install") and then "npm start" again. Without Electron, "npm test" still runs
the whole app except the Electron shell: its windows in Chromium, main in Node, and
the local Live API emulator ("npm run emulator").`;
