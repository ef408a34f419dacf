/**
 * The application menu as plain data; the shell builds Electron's menu from it. A packaged
 * Parley shows no debugging item (Electron's default menu has Toggle Developer Tools and
 * Reload): on Windows and Linux no menu at all, its small windows need none (text fields copy
 * and paste without one); on macOS what users expect, the app menu with Quit, the Edit menu
 * that makes copy and paste work, and the Window menu. Development builds keep Electron's.
 */

/** The Electron menu roles Parley uses (a subset of MenuItemConstructorOptions['role']). */
export type AppMenuRole =
  | 'about'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'minimize'
  | 'zoom'
  | 'close'
  | 'front'
  | 'window';

/** One menu item, spelled the way Electron's Menu.buildFromTemplate takes it. */
export interface AppMenuItem {
  label?: string;
  role?: AppMenuRole;
  type?: 'separator';
  /** Set on every item that has one, even where it is the role's own, so the hotkey check sees it. */
  accelerator?: string;
  submenu?: AppMenuItem[];
}

/** The menu to set: Electron's default (development), none, or Parley's own items. */
export type AppMenu = { kind: 'electron-default' } | { kind: 'items'; items: AppMenuItem[] };

const separator: AppMenuItem = { type: 'separator' };

export function appMenu(platform: string, isPackaged: boolean, appName: string): AppMenu {
  if (!isPackaged) return { kind: 'electron-default' };
  if (platform !== 'darwin') return { kind: 'items', items: [] };
  return {
    kind: 'items',
    items: [
      {
        label: appName,
        submenu: [
          { role: 'about' },
          separator,
          { role: 'hide', accelerator: 'Command+H' },
          { role: 'hideOthers', accelerator: 'Command+Alt+H' },
          { role: 'unhide' },
          separator,
          { role: 'quit', accelerator: 'Command+Q' },
        ],
      },
      {
        label: 'Edit',
        submenu: [
          { role: 'undo', accelerator: 'Command+Z' },
          { role: 'redo', accelerator: 'Shift+Command+Z' },
          separator,
          { role: 'cut', accelerator: 'Command+X' },
          { role: 'copy', accelerator: 'Command+C' },
          { role: 'paste', accelerator: 'Command+V' },
          { role: 'pasteAndMatchStyle', accelerator: 'Alt+Shift+Command+V' },
          { role: 'delete' },
          { role: 'selectAll', accelerator: 'Command+A' },
        ],
      },
      {
        label: 'Window',
        role: 'window',
        submenu: [
          { role: 'minimize', accelerator: 'Command+M' },
          { role: 'zoom' },
          { role: 'close', accelerator: 'Command+W' },
          separator,
          { role: 'front' },
        ],
      },
    ],
  };
}

/** Every item of a menu that answers a shortcut, at any depth. */
export function menuAccelerators(items: readonly AppMenuItem[]): { role: AppMenuRole; accelerator: string }[] {
  return items.flatMap((item) => [
    ...(item.role && item.accelerator ? [{ role: item.role, accelerator: item.accelerator }] : []),
    ...menuAccelerators(item.submenu ?? []),
  ]);
}
