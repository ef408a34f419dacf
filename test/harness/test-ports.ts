import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  DesktopPort,
  AppPort,
  ClipboardPort,
  Confirmation,
  IpcPort,
  InvokeListener,
  IpcSender,
  LogPort,
  OpenDialogPort,
  OpenFileRequest,
  SaveDialogPort,
  SendListener,
  ShortcutPort,
  TrayIconName,
  TrayPort,
} from '../../electron/main/ports';
import type { TrayMenuItem } from '../../electron/main/tray/tray-items';
import type { Theme } from '../../shared/settings';
import type { WindowKind } from '../../shared/types';
import { eventChannels, type EventName } from '../../shared/ipc/channels';
import { eventContract } from '../../shared/ipc/contract';
import { webAddress } from '../../electron/main/security/web-address';
import { wallClock } from './output-tap';

export interface IpcRecord {
  channel: string;
  direction: 'invoke' | 'reply' | 'send' | 'event';
  payload: unknown;
  /** Epoch ms (see wallClock) when main saw it. */
  at: number;
  /** The window an event went to. */
  window?: WindowKind;
}

/** ipcMain as main sees it: channels with handlers, and a log of every message either way. */
export class RecordingIpc implements IpcPort {
  readonly log: IpcRecord[] = [];
  private readonly handlers = new Map<string, InvokeListener>();
  private readonly listeners = new Map<string, SendListener>();

  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  listen(channel: string, listener: SendListener): void {
    if (this.listeners.has(channel)) throw new Error(`second listener for ${channel}`);
    this.listeners.set(channel, listener);
  }

  removeListener(channel: string): void {
    this.listeners.delete(channel);
  }

  /** What Electron does when a renderer calls `ipcRenderer.send`: nobody listening means nothing happens. */
  send(channel: string, sender: IpcSender, payload: unknown): void {
    this.log.push({ channel, direction: 'send', payload, at: wallClock() });
    this.listeners.get(channel)?.(sender, payload);
  }

  /** What Electron does when a renderer calls `ipcRenderer.invoke`. */
  async invoke(channel: string, sender: IpcSender, payload: unknown): Promise<unknown> {
    this.log.push({ channel, direction: 'invoke', payload, at: wallClock() });
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const reply = await handler(sender, payload);
    this.log.push({ channel, direction: 'reply', payload: reply, at: wallClock() });
    return reply;
  }

  /** Main's events must match the contract the renderers were typed against. */
  recordEvent(channel: string, payload: unknown, window: WindowKind): void {
    const name = Object.entries(eventChannels).find(([, value]) => value === channel)?.[0] as EventName | undefined;
    if (!name) throw new Error(`main sent on ${channel}, which the contract does not name`);
    const parsed = eventContract[name].safeParse(payload);
    if (!parsed.success) throw new Error(`main sent an invalid ${name}: ${parsed.error.message}`);
    this.log.push({ channel, direction: 'event', payload, at: wallClock(), window });
  }
}

export class RecordingLog implements LogPort {
  readonly warnings: string[] = [];

  warn(message: string): void {
    this.warnings.push(message);
  }
}

/** globalShortcut: records what was registered; `press` is the user pressing it. */
export class RecordingShortcuts implements ShortcutPort {
  readonly registered = new Map<string, () => void>();
  refuse = false;

  register(accelerator: string, onPress: () => void): boolean {
    if (this.refuse) return false;
    this.registered.set(accelerator, onPress);
    return true;
  }

  unregisterAll(): void {
    this.registered.clear();
  }

  press(accelerator: string): void {
    const onPress = this.registered.get(accelerator);
    if (!onPress) throw new Error(`${accelerator} is not registered`);
    onPress();
  }
}

export class RecordingTray implements TrayPort {
  icon: TrayIconName | undefined;
  tooltip = '';
  menu: readonly TrayMenuItem[] = [];
  private onClick: (id: string) => void = () => undefined;

  /** Every icon shown, in order (one set again adds nothing). */
  readonly icons: TrayIconName[] = [];

  setIcon(name: TrayIconName): void {
    this.icon = name;
    if (name !== this.icons.at(-1)) this.icons.push(name);
  }

  setTooltip(text: string): void {
    this.tooltip = text;
  }

  /** Every state line the menu has shown, in order (a rebuild that keeps it adds nothing). */
  readonly stateLines: string[] = [];

  setMenu(items: readonly TrayMenuItem[], onClick: (id: string) => void): void {
    this.menu = items;
    const line = items[0]?.kind === 'label' ? items[0].label : '';
    if (line !== this.stateLines.at(-1)) this.stateLines.push(line);
    this.onClick = onClick;
  }

  /** The user picks a menu item, at any depth; disabled items cannot be picked. */
  click(id: string): void {
    const item = findItem(this.menu, id);
    if (!item) throw new Error(`no menu item ${id}`);
    if (item.enabled === false) throw new Error(`menu item ${id} is disabled`);
    this.onClick(id);
  }

  /** A menu item at any depth, by what it does. */
  item(id: string): (TrayMenuItem & { kind: 'action' | 'choice' | 'toggle' }) | undefined {
    return findItem(this.menu, id);
  }
}

export class TestAppPort implements AppPort {
  readonly name = 'Parley';
  readonly platform = process.platform;
  quitRequested = false;
  private secondInstanceListeners: (() => void)[] = [];

  constructor(
    readonly version: string,
    readonly userDataPath: string,
    readonly rendererOrigin: string,
    /** An installed build (see AppPort.isPackaged); the harness runs a development one unless told. */
    readonly isPackaged = false,
  ) {}

  onSecondInstance(listener: () => void): void {
    this.secondInstanceListeners.push(listener);
  }

  /** Another `parley` process started and lost the single-instance lock to us. */
  launchSecondInstance(): void {
    this.secondInstanceListeners.forEach((listener) => listener());
  }

  quit(): void {
    this.quitRequested = true;
  }

  readonly launchAtLoginSupported: boolean = true;
  /** What the OS was asked, in order. */
  readonly launchAtLoginCalls: boolean[] = [];

  setLaunchAtLogin(enabled: boolean): void {
    this.launchAtLoginCalls.push(enabled);
  }

  /** Every theme main asked for, in order; the harness hands each to the pages like nativeTheme would. */
  readonly themes: Theme[] = [];
  onTheme: (theme: Theme) => void = () => undefined;

  setTheme(theme: Theme): void {
    this.themes.push(theme);
    this.onTheme(theme);
  }

  /** The questions asked, and how the user answers the next ones. */
  readonly confirmations: Confirmation[] = [];
  confirmAnswer = true;

  confirm(question: Confirmation): Promise<boolean> {
    this.confirmations.push(question);
    return Promise.resolve(this.confirmAnswer);
  }
}

/** The system clipboard: everything written to it, newest last. */
export class RecordingClipboard implements ClipboardPort {
  readonly texts: string[] = [];

  writeText(text: string): void {
    this.texts.push(text);
  }
}

/** The browser and the system notifications: what Parley opened and showed, newest last. */
export class RecordingDesktop implements DesktopPort {
  readonly opened: string[] = [];
  readonly notifications: { title: string; body: string; click: () => void }[] = [];

  openInBrowser(url: string): Promise<void> {
    this.opened.push(webAddress(url));
    return Promise.resolve();
  }

  notify(title: string, body: string, onClick: () => void): void {
    this.notifications.push({ title, body, click: onClick });
  }
}

/** The native save dialog: the user keeps the suggested name in `dir`, or cancels. */
export class RecordingSaveDialog implements SaveDialogPort {
  /** The file names suggested, in order, whatever the user answered. */
  readonly offered: string[] = [];
  readonly saved: string[] = [];
  cancel = false;

  constructor(readonly dir: string) {}

  async saveFile(defaultName: string, content: string): Promise<string | undefined> {
    this.offered.push(defaultName);
    if (this.cancel) return undefined;
    const path = join(this.dir, defaultName);
    await writeFile(path, content);
    this.saved.push(path);
    return path;
  }
}

/** The native open dialog: the user picks `choice` (a path the test set), or cancels while it is undefined. */
export class ScriptedOpenDialog implements OpenDialogPort {
  /** Every dialog Parley opened, in order, whatever the user answered. */
  readonly asked: OpenFileRequest[] = [];
  choice: string | undefined;

  openFile(request: OpenFileRequest): Promise<string | undefined> {
    this.asked.push(request);
    return Promise.resolve(this.choice);
  }
}

function findItem(
  items: readonly TrayMenuItem[],
  id: string,
): (TrayMenuItem & { kind: 'action' | 'choice' | 'toggle' }) | undefined {
  for (const item of items) {
    if ((item.kind === 'action' || item.kind === 'choice' || item.kind === 'toggle') && item.id === id) return item;
    if (item.kind === 'submenu') {
      const found = findItem(item.items, id);
      if (found) return found;
    }
  }
  return undefined;
}
