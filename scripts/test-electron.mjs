// `npm run test:electron`: the real Electron app, black-box through Playwright's Electron
// driver (test/electron/, type-checked and linted with the other tests). Needs the Electron
// binary, so it is not part of `npm test`. Run `npm run dist` first for the packaged app's
// checks; CI does both on Linux, macOS and Windows (.github/workflows/ci.yml).
import { assertModernNode, run } from './lib.mjs';
import { electronBinary, missingElectronHelp } from './electron-binary.mjs';

assertModernNode();
const executablePath = await electronBinary();
if (!executablePath) {
  console.log(`test:electron DID NOT RUN: no Electron binary on this machine.\n\n${missingElectronHelp}`);
  // Where CI meant to run it, that is a failure.
  process.exit(process.env.CI ? 1 : 0);
}
if ((await run('electron-vite', ['build'])) !== 0) process.exit(1);
const files = ['test/electron/app.test.ts', 'test/electron/packaged.test.ts'];
process.exit(
  await run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
    env: { ...process.env, PARLEY_ELECTRON: executablePath },
  }),
);
