import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  globalShortcut,
  ipcMain,
  Menu,
  nativeImage,
  nativeTheme,
  Notification,
  safeStorage,
  shell,
  screen,
  systemPreferences,
  Tray,
  utilityProcess,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
} from 'electron';
import ElectronStore from 'electron-store';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { probeKeyHook, trialTimeoutMs, type KeyHookTrial } from '../hotkey/key-hook-probe';
import { startUiohook } from '../hotkey/uiohook-source';
import type { IpcPort, IpcSender, Ports, TrayIconName, TrayPort, WindowHandle, WindowPort, WindowSpec } from '../ports';
import { webAddress } from '../security/web-address';
import { electronDisplayMedia } from './display-media';
import type { SettingsFilePort } from '../settings/settings-store';
import type { TrayMenuItem } from '../tray/tray-items';

export interface ShellPaths {
  preload: string;
  keyHookTrial: string;
  resources: string;
  rendererUrl: (page: string) => string;
  rendererOrigin: string;
}

export function createElectronPorts(paths: ShellPaths): Ports {
  return {
    app: {
      name: app.getName(),
      version: app.getVersion(),
      platform: process.platform,
      userDataPath: app.getPath('userData'),
      rendererOrigin: paths.rendererOrigin,
      isPackaged: app.isPackaged,
      // Electron registers login items on macOS and Windows only.
      launchAtLoginSupported: process.platform === 'darwin' || process.platform === 'win32',
      setLaunchAtLogin: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled }),
      setTheme: (theme) => (nativeTheme.themeSource = theme),
      confirm: async ({ message, detail, confirmLabel }) =>
        (
          await dialog.showMessageBox({
            type: 'question',
            message,
            detail,
            buttons: [confirmLabel, 'Cancel'],
            cancelId: 1,
            defaultId: 1,
          })
        ).response === 0,
      onSecondInstance: (listener) => app.on('second-instance', listener),
      quit: () => app.quit(),
    },
    log: { warn: (message) => console.warn(`[parley] ${message}`) },
    ipc: electronIpc(),
    windows: electronWindows(paths),
    tray: electronTray(paths.resources),
    settingsFile: storeFile('settings'),
    windowStateFile: storeFile('window-state'),
    sessionFile: storeFile('session'),
    memoryFile: storeFile('memory'),
    clipboard: { writeText: (text) => clipboard.writeText(text) },
    desktop: {
      // Checked here too, where the address leaves Parley: only http(s) ever reaches the system.
      openInBrowser: (url) => shell.openExternal(webAddress(url)), // eng-disable OPEN_EXTERNAL_JS_CHECK
      notify: (title, body, onClick) => {
        if (!Notification.isSupported()) return;
        const notification = new Notification({ title, body });
        notification.on('click', onClick);
        notification.show();
      },
    },
    saveDialog: {
      saveFile: async (defaultName, content) => {
        const { canceled, filePath } = await dialog.showSaveDialog({
          defaultPath: join(app.getPath('documents'), defaultName),
          filters: [{ name: 'Markdown', extensions: ['md'] }],
        });
        if (canceled || !filePath) return undefined;
        await writeFile(filePath, content);
        return filePath;
      },
    },
    openDialog: {
      openFile: async ({ title, defaultPath, filters }) => {
        const { canceled, filePaths } = await dialog.showOpenDialog({
          title,
          defaultPath,
          filters,
          properties: ['openFile', 'dontAddToRecent'],
        });
        return canceled ? undefined : filePaths[0];
      },
    },
    secrets: {
      isEncryptionAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
      backend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : process.platform),
      encrypt: (text) => safeStorage.encryptStringAsync(text),
      decrypt: (data) => safeStorage.decryptStringAsync(data),
    },
    keyHook: {
      probe: () =>
        probeKeyHook({
          platform: process.platform,
          env: process.env,
          runTrial: utilityProcessTrial(paths.keyHookTrial),
          accessibilityTrusted: () => systemPreferences.isTrustedAccessibilityClient(false),
        }),
      start: startUiohook,
    },
    shortcuts: {
      register: (accelerator, onPress) => {
        try {
          return globalShortcut.register(accelerator, onPress);
        } catch {
          return false;
        }
      },
      unregisterAll: () => globalShortcut.unregisterAll(),
    },
    displayMedia: electronDisplayMedia(),
    env: process.env,
  };
}

/** The key-hook trial as an Electron utility process, which works with the RunAsNode fuse off. */
function utilityProcessTrial(script: string): KeyHookTrial {
  return (env) =>
    new Promise((resolve) => {
      const child = utilityProcess.fork(script, [], {
        env: env as NodeJS.ProcessEnv,
        stdio: 'pipe',
        serviceName: 'Parley key hook check',
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timeout = setTimeout(() => child.kill(), trialTimeoutMs);
      child.on('exit', (code) => {
        clearTimeout(timeout);
        resolve({ code, output });
      });
    });
}

function storeFile(name: string): SettingsFilePort {
  return {
    path: join(app.getPath('userData'), `${name}.json`),
    open: () => new ElectronStore<Record<string, unknown>>({ name }),
  };
}

function electronIpc(): IpcPort {
  return {
    handle: (channel, listener) =>
      ipcMain.handle(channel, (event, payload: unknown) => listener(senderOf(event), payload)),
    removeHandler: (channel) => ipcMain.removeHandler(channel),
    listen: (channel, listener) => ipcMain.on(channel, (event, payload: unknown) => listener(senderOf(event), payload)),
    removeListener: (channel) => ipcMain.removeAllListeners(channel),
  };
}

function senderOf(event: IpcMainEvent | IpcMainInvokeEvent): IpcSender {
  return {
    webContentsId: event.sender.id,
    frameUrl: event.senderFrame?.url ?? '',
    isMainFrame: event.senderFrame === event.sender.mainFrame,
  };
}

function electronWindows(paths: ShellPaths): WindowPort {
  return {
    create(spec: WindowSpec): WindowHandle {
      // Middle-click ("auxclick") new windows go through setWindowOpenHandler, which denies them all (hardening.ts);
      // the `disableBlinkFeatures: 'Auxclick'` fix Electronegativity suggests names no Chromium feature.
      const win = /* eng-disable AUXCLICK_JS_CHECK */ new BrowserWindow({
        title: spec.title,
        width: spec.width,
        height: spec.height,
        ...spec.bounds,
        show: false,
        // Painted before the page loads, so a dark desktop never flashes white.
        backgroundColor: nativeTheme.shouldUseDarkColors ? '#1c1c1e' : '#fafafa',
        webPreferences: {
          // Reviewed: sandboxed preload, contextBridge only, one method per allowlisted channel (electron/preload).
          preload: paths.preload, // eng-disable PRELOAD_JS_CHECK
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          // No developer tools in an installed build: they would reach window.parley.
          devTools: !app.isPackaged,
          backgroundThrottling: spec.kind !== 'audio',
          // The hidden audio window never gets a user gesture, yet must play replies.
          autoplayPolicy: spec.kind === 'audio' ? 'no-user-gesture-required' : 'document-user-activation-required',
        },
      });
      if (spec.show) win.once('ready-to-show', () => win.show());
      const loadFailed: ((reason: string) => void)[] = [];
      win.loadURL(paths.rendererUrl(`${spec.kind}.html`)).catch((error: unknown) => {
        for (const listener of loadFailed) listener(error instanceof Error ? error.message : String(error));
      });
      const webContentsId = win.webContents.id;
      return {
        webContentsId,
        show: () => (win.show(), win.focus()),
        showInactive: () => win.showInactive(),
        hide: () => win.hide(),
        isVisible: () => win.isVisible(),
        setContentProtection: (enabled) => win.setContentProtection(enabled),
        mediaSourceId: () => win.getMediaSourceId(),
        isDestroyed: () => win.isDestroyed(),
        destroy: () => win.destroy(),
        send: (channel, payload) => win.webContents.send(channel, payload),
        onCloseRequested: (listener) => win.on('close', (event) => listener() || event.preventDefault()),
        onClosed: (listener) => win.on('closed', listener),
        onLoadFailed: (listener) => void loadFailed.push(listener),
        onBoundsChanged: (listener) => {
          let settle: NodeJS.Timeout | undefined;
          const report = () => {
            clearTimeout(settle);
            settle = setTimeout(() => win.isDestroyed() || listener(win.getNormalBounds()), 500);
          };
          win.on('resize', report);
          win.on('move', report);
        },
      };
    },
    displays: () => screen.getAllDisplays().map((display) => display.workArea),
  };
}

function electronTray(resources: string): TrayPort {
  const icon = (name: TrayIconName) => nativeImage.createFromPath(join(resources, `tray-${name}.png`));
  const tray = new Tray(icon('idle'));
  // Trays cannot be enumerated; the Electron smoke test finds ours here.
  (globalThis as { parleyTray?: Tray }).parleyTray = tray;
  return {
    setIcon: (name) => tray.setImage(icon(name)),
    setTooltip: (text) => tray.setToolTip(text),
    setMenu: (items, onClick) => {
      const menu = Menu.buildFromTemplate(items.map((i) => menuItem(i, onClick)));
      tray.setContextMenu(menu);
      // Nor can a tray's menu be read back: the Electron smoke test reads it here.
      (globalThis as { parleyTrayMenu?: Menu }).parleyTrayMenu = menu;
    },
  };
}

function menuItem(item: TrayMenuItem, onClick: (id: string) => void): MenuItemConstructorOptions {
  switch (item.kind) {
    case 'separator':
      return { type: 'separator' };
    case 'label':
      return { label: item.label, enabled: false };
    case 'submenu':
      return { label: item.label, enabled: item.enabled, submenu: item.items.map((i) => menuItem(i, onClick)) };
    case 'choice':
    case 'toggle':
      return {
        // A choice is one of its siblings (radio); a toggle stands alone (checkbox).
        type: item.kind === 'choice' ? 'radio' : 'checkbox',
        label: item.label,
        checked: item.checked,
        enabled: item.enabled,
        click: () => onClick(item.id),
      };
    case 'action':
      return { label: item.label, enabled: item.enabled, click: () => onClick(item.id) };
  }
}
