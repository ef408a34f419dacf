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
"npm install") and then "npm start" again. Without Electron you can still watch the
whole push-to-talk loop run in Chromium against the local Live API emulator:
"npm run demo:turn -- --wav FILE.wav" (a 16-bit PCM WAV file as the microphone).`;
