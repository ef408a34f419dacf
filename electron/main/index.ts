/** The Electron shell: wires real Electron APIs to Parley's plain modules. */
import { app } from 'electron';
import { join } from 'node:path';
import { createApp } from './app';
import { createElectronPorts } from './shell/electron-ports';
import { appScheme, hardenWebContents, registerAppScheme, serveRenderer } from './shell/hardening';

const devServer = process.env.ELECTRON_RENDERER_URL;
const rendererOrigin = devServer ? new URL(devServer).origin : `${appScheme}://parley`;

registerAppScheme();
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Parley lives in the tray: closing every window must not quit.
  app.on('window-all-closed', () => undefined);
  void app.whenReady().then(() => {
    serveRenderer(join(import.meta.dirname, '../renderer'));
    hardenWebContents(rendererOrigin);
    const parley = createApp(
      createElectronPorts({
        preload: join(import.meta.dirname, '../preload/index.cjs'),
        keyHookTrial: join(import.meta.dirname, 'key-hook-trial.js'),
        resources: join(app.getAppPath(), 'resources'),
        rendererOrigin,
        rendererUrl: (page) => `${devServer ?? rendererOrigin}/${page}`,
      }),
    );
    app.on('before-quit', () => parley.dispose());
  });
}
