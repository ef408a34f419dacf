/** The Electron shell: wires real Electron APIs to Parley's plain modules. */
import { app, dialog, Menu } from 'electron';
import { join } from 'node:path';
import { createApp } from './app';
import { developmentRendererUrl, launchRefusal } from './security/launch-policy';
import { createElectronPorts } from './shell/electron-ports';
import { appScheme, hardenWebContents, registerAppScheme, serveRenderer } from './shell/hardening';
import { appMenu } from './windows/app-menu';

const devServer = developmentRendererUrl(process.env, app.isPackaged);
const rendererOrigin = devServer ? new URL(devServer).origin : `${appScheme}://parley`;
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
    const menu = appMenu(process.platform, app.isPackaged, app.getName());
    if (menu.kind === 'items')
      Menu.setApplicationMenu(menu.items.length > 0 ? Menu.buildFromTemplate(menu.items) : null);
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
