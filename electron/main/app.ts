import { eventChannels } from '../../shared/ipc/channels';
import type { Hotkey } from '../../shared/types';
import { registerInvokeHandlers } from './ipc/router';
import { SenderGuard } from './ipc/sender-guard';
import type { Ports } from './ports';
import { apiKeyFromEnv } from './session/api-key';
import { initialStatus, SessionStatusStore } from './session/session-status';
import { trayView, type TrayAction } from './tray/tray-menu';
import { WindowManager } from './windows/window-manager';

/** Push-to-talk default until settings arrive (issue 4/6). */
export const defaultHotkey: Hotkey = { accelerator: 'Control+Shift+Space', mode: 'hold' };

export interface ParleyApp {
  readonly windows: WindowManager;
  readonly status: SessionStatusStore;
  dispose(): void;
}

/**
 * Composition root: wires every plain module to the ports. Nothing here
 * knows about Electron; the shell hands in real ports, tests hand in theirs.
 */
export function createApp(ports: Ports): ParleyApp {
  const guard = new SenderGuard(ports.app.rendererOrigin);
  const windows = new WindowManager(ports.windows, guard);
  const status = new SessionStatusStore(initialStatus(apiKeyFromEnv(ports.env) !== undefined));
  const hotkey = defaultHotkey;

  const unregister = registerInvokeHandlers(
    ports.ipc,
    guard,
    {
      getAppInfo: () => ({ name: ports.app.name, version: ports.app.version, platform: ports.app.platform }),
      getSessionStatus: () => status.current,
      getHotkey: () => hotkey,
      openWindow: ({ window }) => {
        windows.show(window);
        return null;
      },
    },
    ports.log,
  );

  const trayActions: Record<TrayAction, () => void> = {
    'open-transcript': () => windows.show('transcript'),
    'open-settings': () => windows.show('settings'),
    quit: () => ports.app.quit(),
  };
  const renderTray = (): void => {
    const view = trayView(status.current, hotkey);
    ports.tray.setIcon(view.icon);
    ports.tray.setTooltip(view.tooltip);
    ports.tray.setMenu(view.menu, (id) => trayActions[id as TrayAction]?.());
  };

  const unsubscribe = status.subscribe((next) => {
    windows.broadcast(eventChannels.sessionStatusChanged, next);
    renderTray();
  });
  ports.app.onSecondInstance(() => windows.show('transcript'));

  windows.ensure('audio');
  windows.show('transcript');
  renderTray();

  return {
    windows,
    status,
    dispose() {
      unsubscribe();
      unregister();
      windows.destroyAll();
    },
  };
}
