/** The Electron shell: wires real Electron APIs to Parley's plain modules. */
import { app, BrowserWindow, dialog, powerMonitor } from 'electron';
import { join } from 'node:path';
import { createApp } from './app';
import { developmentRendererUrl, launchRefusal } from './security/launch-policy';
import { createElectronPorts } from './shell/electron-ports';
import { appOrigin, hardenWebContents, registerAppScheme, serveRenderer, setAppMenu } from './shell/hardening';

const devServer = developmentRendererUrl(process.env, app.isPackaged);
const rendererOrigin = devServer ? new URL(devServer).origin : appOrigin;
const refusal = launchRefusal(process.argv, app.isPackaged, process.platform);

registerAppScheme();
if (refusal) {
  console.error(`[parley] ${refusal}`);
  // Safe before ready (on Linux it prints to stderr instead).
  dialog.showErrorBox('Parley cannot start', refusal);
  app.exit(1);
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Parley lives in the tray: closing every window must not quit.
  app.on('window-all-closed', () => undefined);
  void app.whenReady().then(() => {
    serveRenderer(join(import.meta.dirname, '../renderer'));
    hardenWebContents(rendererOrigin);
    setAppMenu();
    const parley = createApp(
      createElectronPorts({
        preload: join(import.meta.dirname, '../preload/index.cjs'),
        keyHookTrial: join(import.meta.dirname, 'key-hook-trial.js'),
        resources: join(app.getAppPath(), 'resources'),
        rendererOrigin,
        rendererUrl: (page) => `${devServer ?? rendererOrigin}/${page}`,
      }),
    );
    const end = () => parley.dispose();
    app.on('before-quit', end);
    // Logoff and shutdown may not emit before-quit: Windows tells each window (session-end), Linux and
    // macOS the power monitor. Disposing lets the windows close instead of hiding, which would hold them up.
    for (const win of BrowserWindow.getAllWindows()) win.on('session-end', end);
    app.on('browser-window-created', (_event, win) => win.on('session-end', end));
    powerMonitor.on('shutdown', () => {
      end();
      app.quit();
    });
  });
}
