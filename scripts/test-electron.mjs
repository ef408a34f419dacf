// `npm run test:electron`: a smoke test of the real Electron app through Playwright's
// Electron driver. Needs the Electron binary, so it is not part of `npm test`.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import { assertModernNode, run } from './lib.mjs';
import { electronBinary, missingElectronHelp } from './electron-binary.mjs';

assertModernNode();
const executablePath = await electronBinary();
if (!executablePath) {
  console.log(`test:electron DID NOT RUN: no Electron binary on this machine.\n\n${missingElectronHelp}`);
  process.exit(0);
}
if ((await run('electron-vite', ['build'])) !== 0) process.exit(1);

const userData = mkdtempSync(join(tmpdir(), 'parley-electron-'));
const app = await _electron.launch({ executablePath, args: ['.', `--user-data-dir=${userData}`] });
try {
  const transcript = await transcriptWindow(app);
  await transcript.getByTestId('connection-state').waitFor();
  const state = await app.evaluate(({ BrowserWindow }) => ({
    windows: BrowserWindow.getAllWindows().map((w) => ({ url: w.webContents.getURL(), visible: w.isVisible() })),
    trayAlive: globalThis.parleyTray?.isDestroyed() === false,
  }));
  assert.ok(
    state.windows.some((w) => w.url.endsWith('/audio.html') && !w.visible),
    'hidden audio window',
  );
  assert.ok(
    state.windows.some((w) => w.url.endsWith('/transcript.html') && w.visible),
    'visible transcript window',
  );
  assert.ok(state.trayAlive, 'tray icon');
  console.log('test:electron: 1 passed, 0 failed');
} finally {
  await app.close();
}

async function transcriptWindow(electronApp) {
  const isTranscript = (page) => page.url().endsWith('/transcript.html');
  return electronApp.windows().find(isTranscript) ?? electronApp.waitForEvent('window', { predicate: isTranscript });
}
