/**
 * The only doors from Parley's logic to Electron. The Electron shell
 * (`shell/`) implements them with real APIs; tests implement them with
 * Chromium pages and plain objects, so everything behind them runs in Node.
 */
import type { Theme } from '../../shared/settings';
import type { WindowKind } from '../../shared/types';
import type { KeyHookAvailability } from './hotkey/key-hook-probe';
import type { KeySource, KeySourceListener } from './hotkey/uiohook-source';
import type { SecretStorePort } from './credentials/api-key-store';
import type { SettingsFilePort } from './settings/settings-store';
import type { TrayMenuItem } from './tray/tray-items';
import type { WindowBounds, WorkArea } from './windows/window-state';

/** Who sent an IPC message, as far as main can tell. */
export interface IpcSender {
  webContentsId: number;
  frameUrl: string;
  isMainFrame: boolean;
}

export type InvokeListener = (sender: IpcSender, payload: unknown) => Promise<unknown>;
export type SendListener = (sender: IpcSender, payload: unknown) => void;

export interface IpcPort {
  handle(channel: string, listener: InvokeListener): void;
  removeHandler(channel: string): void;
  /** ipcMain.on: one listener per channel. */
  listen(channel: string, listener: SendListener): void;
  removeListener(channel: string): void;
}

export interface WindowSpec {
  kind: WindowKind;
  title: string;
  width: number;
  height: number;
  /** Hidden windows (the audio renderer) are created but never shown. */
  show: boolean;
  /** Where the user left it last time; the OS places it otherwise. */
  bounds?: WindowBounds;
}

export interface WindowHandle {
  readonly webContentsId: number;
  /** Shows and focuses the window. */
  show(): void;
  /** Shows the window without taking the focus from what the user is doing. */
  showInactive(): void;
  hide(): void;
  isVisible(): boolean;
  /** Leaves the window out of screen captures, where the system can (Windows, macOS before 15). */
  setContentProtection(enabled: boolean): void;
  /** Its id as a capture source ("window:<id>:0"), to tell it from other windows. */
  mediaSourceId(): string;
  isDestroyed(): boolean;
  destroy(): void;
  send(channel: string, payload: unknown): void;
  /** Called when the user asks to close; return false to keep the window (we hide instead). */
  onCloseRequested(listener: () => boolean): void;
  onClosed(listener: () => void): void;
  /** Its page could not load (a missing file, a development server that is not running…). */
  onLoadFailed(listener: (reason: string) => void): void;
  /** After the user moved or resized the window (once it settles, not on every pixel). */
  onBoundsChanged(listener: (bounds: WindowBounds) => void): void;
}

export interface WindowPort {
  create(spec: WindowSpec): WindowHandle;
  /** The work areas of the displays connected now. */
  displays(): WorkArea[];
}

/** One icon per state, resources/tray-<name>.png (drawn by scripts/make-tray-icons.mjs). */
export type TrayIconName = 'idle' | 'connecting' | 'listening' | 'thinking' | 'speaking' | 'seeing' | 'error';

export interface TrayPort {
  setIcon(name: TrayIconName): void;
  setTooltip(text: string): void;
  setMenu(items: readonly TrayMenuItem[], onClick: (id: string) => void): void;
}

/** Electron's globalShortcut: key presses only, no releases. */
export interface ShortcutPort {
  /** False when the accelerator is invalid or another application holds it. */
  register(accelerator: string, onPress: () => void): boolean;
  unregisterAll(): void;
}

export interface AppPort {
  readonly name: string;
  readonly version: string;
  readonly platform: string;
  readonly userDataPath: string;
  /** Origin of our own renderer pages, e.g. "app://parley". */
  readonly rendererOrigin: string;
  /**
   * An installed build rather than a development run (Electron's app.isPackaged): no
   * development variable, developer tools or debugging menu (security/launch-policy.ts), and
   * a question before the API key goes to a host the launch names (live/endpoint-gate.ts).
   */
  readonly isPackaged: boolean;
  /** Whether the OS lets Electron register Parley to start at login (macOS and Windows). */
  readonly launchAtLoginSupported: boolean;
  setLaunchAtLogin(enabled: boolean): void;
  /** Light, dark, or following the OS: every window's prefers-color-scheme follows it. */
  setTheme(theme: Theme): void;
  /** Asks the user a yes/no question in a native dialog; true when they confirm. */
  confirm(question: Confirmation): Promise<boolean>;
  onSecondInstance(listener: () => void): void;
  quit(): void;
}

export interface Confirmation {
  message: string;
  detail: string;
  /** The button that confirms, named for what it does ("Start new conversation"). */
  confirmLabel: string;
}

/** The system clipboard, written from main: renderers have no clipboard permission. */
export interface ClipboardPort {
  writeText(text: string): void;
}

/** A native save dialog that writes the file where the user chose. */
export interface SaveDialogPort {
  /** Resolves with the path written, or undefined when the user cancelled. */
  saveFile(defaultName: string, content: string): Promise<string | undefined>;
}

/** A native open dialog, for the user to choose a file Parley then reads. */
export interface OpenDialogPort {
  /** Resolves with the path of the file chosen, or undefined when the user cancelled. */
  openFile(request: OpenFileRequest): Promise<string | undefined>;
}

export interface OpenFileRequest {
  title: string;
  /** Where the dialog opens: a folder, or a file in it to preselect. */
  defaultPath?: string;
  filters: { name: string; extensions: string[] }[];
}

export interface LogPort {
  warn(message: string): void;
}

/** The global key hook (uiohook): probed first, because starting it where it cannot run aborts. */
export interface KeyHookPort {
  probe(): Promise<KeyHookAvailability>;
  start(listener: KeySourceListener): Promise<KeySource>;
}

/** The desktop outside Parley: the browser and system notifications. */
export interface DesktopPort {
  /** Opens an http(s) address in the user's default browser; refuses any other. */
  openInBrowser(url: string): Promise<void>;
  /** A system notification; `onClick` runs when the user clicks it. */
  notify(title: string, body: string, onClick: () => void): void;
}

export interface Ports {
  app: AppPort;
  settingsFile: SettingsFilePort;
  /** Where the windows were left (window-state.json). */
  windowStateFile: SettingsFilePort;
  /** The Live session's resumption handle (session.json). */
  sessionFile: SettingsFilePort;
  /** What Parley remembers across conversations (memory.json). */
  memoryFile: SettingsFilePort;
  secrets: SecretStorePort;
  clipboard: ClipboardPort;
  desktop: DesktopPort;
  saveDialog: SaveDialogPort;
  openDialog: OpenDialogPort;
  keyHook: KeyHookPort;
  shortcuts: ShortcutPort;
  log: LogPort;
  ipc: IpcPort;
  windows: WindowPort;
  tray: TrayPort;
  displayMedia: DisplayMediaPort;
  env: Readonly<Record<string, string | undefined>>;
}

/** A screen that a capture can show, as the system lists it. */
export interface ScreenSource {
  /** The id the display-media request is answered with (desktopCapturer's "screen:…"). */
  id: string;
  name: string;
  /** The display it shows, where the system says (not on Wayland). */
  displayId?: string;
}

/**
 * Capturing the screen: what getDisplayMedia in Parley's pages gets (Electron: the session's
 * display-media request handler and desktopCapturer).
 */
export interface DisplayMediaPort {
  /**
   * Every getDisplayMedia of a Parley page asks `answer` which screen it gets; undefined refuses
   * it (the page sees NotAllowedError). Set once, for the app's life.
   */
  onRequest(answer: (from: IpcSender) => Promise<string | undefined>): void;
  /** The screens that can be captured now. */
  screens(): Promise<ScreenSource[]>;
  /** The windows that can be captured now (ids "window:…"). */
  windows(): Promise<ScreenSource[]>;
  /** The display under the mouse pointer, where the system can say. */
  pointerDisplayId(): string | undefined;
  /** Why this system does not let Parley capture the screen (macOS Screen Recording not granted), if so. */
  permissionProblem(): string | undefined;
  /** The system asks the user which screen to share (Wayland's portal picker) the first time. */
  readonly systemPicker: boolean;
}
