import { hotkeyLabel } from '../../../shared/hotkey-label';
import type { HotkeyCheck, HotkeyProblem } from '../../../shared/hotkey-check';
import { appMenu, menuAccelerators, type AppMenuRole } from '../windows/app-menu';
import { parseAccelerator } from './accelerator';
import { keycodes } from './keycodes';

/**
 * Whether an accelerator makes a good push-to-talk hotkey on a platform, and
 * its canonical spelling. Pure: main calls it for the settings window's
 * recorder and again before saving a new hotkey.
 *
 * The reasoning behind every rule: Parley's key hook (uiohook) only *watches*
 * the keys, it never takes them away. Whatever the chord does elsewhere (type
 * a letter, switch windows, copy) still happens every time the user talks.
 * (The global-shortcut fallback does take keys, but cannot take the ones the
 * system holds.) So:
 * - a key that types text or moves the cursor without Control/Alt/Super is an
 *   error: Parley would start listening in the middle of every sentence typed;
 * - a chord the system acts on everywhere (window switching, lock, screenshots)
 *   or that every app uses for editing (copy, paste, undo…) is an error;
 * - a chord some desktops, layouts or apps use is a warning: it may be free here;
 * - a chord that Parley's own windows answer (their menu) is a conflict.
 */

/** A shortcut that does something else: the system's, every app's, or Parley's own windows'. */
export interface KnownShortcut {
  /** Any accelerator spelling; compared in canonical form. */
  accelerator: string;
  /** What pressing it does, as the end of a sentence: "switches between windows". */
  does: string;
  severity: HotkeyProblem['severity'];
}

export interface HotkeyCheckContext {
  /** process.platform: 'darwin', 'win32', 'linux'… */
  platform: string;
  /** The app's own other shortcuts (see windowMenuShortcuts). */
  appShortcuts?: readonly KnownShortcut[];
  /** Parley's other hotkey: one chord cannot start two kinds of turn. */
  otherHotkeys?: readonly OtherHotkey[];
}

/** A hotkey of Parley's besides the one being checked, by the name the user knows it by. */
export interface OtherHotkey {
  /** Starts the sentence "… already uses Ctrl + Shift + Space.": "Push to talk". */
  name: string;
  accelerator: string;
}

type KeyKind = 'text' | 'editing' | 'function' | 'lock' | 'other';

/** Electron's name of every key Parley can watch (accelerator.ts understands each), by what it does alone. */
const keyKinds = new Map<string, KeyKind>([
  ...[...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', ...";=,-./`[\\]'"].map((key) => [key, 'text'] as const),
  ...['num0', 'num1', 'num2', 'num3', 'num4', 'num5', 'num6', 'num7', 'num8', 'num9'].map(
    (key) => [key, 'text'] as const,
  ),
  ...['numdec', 'numadd', 'numsub', 'nummult', 'numdiv', 'Space'].map((key) => [key, 'text'] as const),
  ...['Enter', 'Tab', 'Backspace', 'Delete', 'Escape', 'Up', 'Down', 'Left', 'Right', 'Home', 'End', 'PageUp'].map(
    (key) => [key, 'editing'] as const,
  ),
  ['PageDown', 'editing'],
  ...Array.from({ length: 24 }, (_, i) => [`F${i + 1}`, 'function'] as const),
  ['Capslock', 'lock'],
  ['Numlock', 'lock'],
  ['Scrolllock', 'other'],
  ['Insert', 'other'],
  ['PrintScreen', 'other'],
]);

/** uiohook's key names (keycodes.ts) and Electron's aliases, for the keys whose Electron name differs. */
const keyAliases = new Map<string, string>(
  Object.entries({
    arrowup: 'Up',
    arrowdown: 'Down',
    arrowleft: 'Left',
    arrowright: 'Right',
    esc: 'Escape',
    return: 'Enter',
    plus: '=',
    semicolon: ';',
    equal: '=',
    comma: ',',
    minus: '-',
    period: '.',
    slash: '/',
    backquote: '`',
    bracketleft: '[',
    backslash: '\\',
    bracketright: ']',
    quote: "'",
    numpadmultiply: 'nummult',
    numpadadd: 'numadd',
    numpadsubtract: 'numsub',
    numpaddecimal: 'numdec',
    numpaddivide: 'numdiv',
    ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`numpad${i}`, `num${i}`])),
  }),
);

const keyByLowerName = new Map([...keyKinds.keys()].map((key) => [key.toLowerCase(), key]));

type Modifier = 'Control' | 'Alt' | 'AltGr' | 'Shift' | 'Command' | 'Super';
/** Apple's order (⌃⌥⇧⌘), which Electron and most PC software also follow: Control+Alt+Shift+Super+Key. */
const modifierOrder: readonly Modifier[] = ['Control', 'Alt', 'AltGr', 'Shift', 'Command', 'Super'];

function modifierOf(token: string, platform: string): Modifier | undefined {
  const mac = platform === 'darwin';
  switch (token.toLowerCase()) {
    case 'control':
    case 'ctrl':
      return 'Control';
    case 'commandorcontrol':
    case 'cmdorctrl':
      return mac ? 'Command' : 'Control';
    case 'alt':
    case 'option':
      return 'Alt';
    case 'altgr':
      return 'AltGr';
    case 'shift':
      return 'Shift';
    // The logo key: ⌘ on a Mac, Windows or Super elsewhere. Electron has "Command" act only on macOS;
    // Parley's hook reads it as the logo key everywhere, so both spell it the platform's way.
    case 'super':
    case 'meta':
    case 'command':
    case 'cmd':
      return mac ? 'Command' : 'Super';
    default:
      return undefined;
  }
}

export type CanonicalAccelerator =
  | { ok: true; accelerator: string; modifiers: ReadonlySet<Modifier>; key: string; kind: KeyKind }
  | { ok: false; error: string };

/**
 * "shift+ctrl+space" → "Control+Shift+Space": modifiers in a fixed order, each
 * once, key names as Electron spells them, CommandOrControl resolved for the platform.
 */
export function canonicalAccelerator(candidate: string, platform: string): CanonicalAccelerator {
  const text = candidate.trim();
  const parsed = parseAccelerator(text, keycodes);
  if (!parsed.ok) return { ok: false, error: `${parsed.error}.` };
  const modifiers = new Set<Modifier>();
  const keys: string[] = [];
  for (const token of text.split('+').map((part) => part.trim())) {
    const modifier = modifierOf(token, platform);
    if (modifier) {
      modifiers.add(modifier);
      continue;
    }
    const key = keyByLowerName.get(keyAliases.get(token.toLowerCase())?.toLowerCase() ?? token.toLowerCase());
    if (!key) return { ok: false, error: `"${token}" is not a key name Parley's hotkey can use.` };
    keys.push(key);
  }
  const ordered = modifierOrder.filter((modifier) => modifiers.has(modifier));
  if (keys.length === 0) {
    return {
      ok: false,
      error: `${hotkeyLabel(ordered.join('+'), platform)} is only modifiers: add one more key (modifiers alone start the system's own shortcuts, and global shortcuts cannot hold them).`,
    };
  }
  if (new Set(keys).size > 1) {
    return {
      ok: false,
      error: `${keys.join(' and ')} are two keys besides the modifiers; a hotkey takes one (Control + Shift + Space, say).`,
    };
  }
  const key = keys[0]!;
  return { ok: true, accelerator: [...ordered, key].join('+'), modifiers, key, kind: keyKinds.get(key)! };
}

/** Checks a candidate hotkey; `ok` is false when any problem is an error, which blocks saving it. */
export function checkHotkey(candidate: string, context: HotkeyCheckContext): HotkeyCheck {
  const { platform } = context;
  const canonical = canonicalAccelerator(candidate, platform);
  if (!canonical.ok) {
    return { accelerator: candidate.trim(), ok: false, problems: [{ severity: 'error', text: canonical.error }] };
  }
  const { accelerator } = canonical;
  const label = hotkeyLabel(accelerator, platform);
  const same = (shortcut: { accelerator: string }) => {
    const other = canonicalAccelerator(shortcut.accelerator, platform);
    return other.ok && other.accelerator === accelerator;
  };
  const problems: HotkeyProblem[] = (context.otherHotkeys ?? []).filter(same).map((other) => ({
    severity: 'error',
    text: `${other.name} already uses ${label}.`,
  }));

  const typing = typingProblem(canonical, label, platform);
  if (typing) problems.push(typing);

  const system = systemShortcuts(platform).filter(same);
  for (const shortcut of system) {
    problems.push({
      severity: shortcut.severity,
      text:
        shortcut.severity === 'error'
          ? `${label} ${shortcut.does}, so it cannot also be the hotkey: that would happen every time you talk.`
          : `${label} ${shortcut.does}; if it does on this computer, that would happen every time you talk.`,
    });
  }
  // Where the system (or every app) gives the keys a meaning, that has been said already.
  const own = system.length > 0 ? [] : (context.appShortcuts ?? []).filter(same);
  for (const shortcut of own) {
    problems.push({
      severity: shortcut.severity,
      text:
        shortcut.severity === 'error'
          ? `${label} ${shortcut.does} while one of its windows has focus, so it cannot also be the hotkey.`
          : `${label} also ${shortcut.does} while one of Parley's windows has focus.`,
    });
  }
  if (!typing && system.length === 0 && own.length === 0) problems.push(...habitProblems(canonical, label, platform));
  return { accelerator, ok: !problems.some((problem) => problem.severity === 'error'), problems };
}

type Canonical = Extract<CanonicalAccelerator, { ok: true }>;

/** A key that types or edits text needs a modifier that stops it from typing. */
function typingProblem({ modifiers, kind }: Canonical, label: string, platform: string): HotkeyProblem | undefined {
  if (kind !== 'text' && kind !== 'editing') return undefined;
  // Shift and AltGr type other characters; on a Mac so does Option (⌥E, ⌥S…).
  const mac = platform === 'darwin';
  const commanding: readonly Modifier[] = mac ? ['Control', 'Command'] : ['Control', 'Alt', 'Super'];
  if (commanding.some((modifier) => modifiers.has(modifier))) return undefined;
  const add = mac ? 'Add ⌃ Control or ⌘ Command' : 'Add Control, Alt or Super';
  const does = kind === 'text' ? 'types text' : 'edits text or moves the cursor';
  return {
    severity: 'error',
    text: `${label} ${does}: Parley would start listening every time you typed it, and the app you type in would still get the key. ${add}.`,
  };
}

/** Warnings about what many apps, layouts or keyboards do with keys that are not in the tables. */
function habitProblems({ modifiers, key, kind }: Canonical, label: string, platform: string): HotkeyProblem[] {
  const problems: HotkeyProblem[] = [];
  const only = (...wanted: Modifier[]) =>
    modifiers.size === wanted.length && wanted.every((modifier) => modifiers.has(modifier));
  const warn = (text: string) => problems.push({ severity: 'warning', text });
  if (kind === 'function' && modifiers.size === 0 && Number(key.slice(1)) <= 12) {
    warn(
      `Apps use ${key} on its own (F1 help, F5 reload, F11 full screen…), and the app in front still gets the key while you talk.`,
    );
  }
  if (key === 'Capslock') warn(`${label} also switches Caps Lock on or off every time you talk.`);
  if (key === 'Numlock') warn(`${label} also switches the number pad on or off every time you talk.`);
  // Letters, digits and punctuation with Control or Alt are app commands; Space is not one.
  if (kind !== 'text' || key === 'Space') return problems;
  if (platform === 'darwin') {
    if (only('Command')) {
      warn(`Apps use ⌘ with a letter for their own commands, and the app in front still gets ${label} while you talk.`);
    }
    if (only('Control')) warn(`In macOS text fields ${label} is an editing key (⌃A, ⌃E, ⌃K…).`);
    return problems;
  }
  if (only('Control') || only('Control', 'Shift')) {
    warn(`Apps use ${label} for their own commands, and the app in front still gets it while you talk.`);
  }
  if (only('Alt') || only('Alt', 'Shift')) {
    warn(`${label} opens menus in many apps (Alt + F: File), and the app in front still gets it while you talk.`);
  }
  if (platform === 'win32' && modifiers.has('Control') && modifiers.has('Alt')) {
    warn(
      `Windows treats Ctrl + Alt as AltGr: with many keyboard layouts ${label} types a character (Ctrl + Alt + E types € on German ones).`,
    );
  }
  return problems;
}

const range = (count: number, make: (n: number) => string) => Array.from({ length: count }, (_, i) => make(i + 1));

/** Editing commands every app has: Control on Windows and Linux, ⌘ on macOS. */
function editingShortcuts(command: 'Control' | 'Command', redo: string[]): KnownShortcut[] {
  const does = (what: string) => `${what} in every app`;
  return [
    ...[
      ['C', 'copies'],
      ['V', 'pastes'],
      ['X', 'cuts'],
      ['Z', 'undoes'],
      ['A', 'selects everything'],
      ['S', 'saves'],
    ].map(([key, what]) => ({ accelerator: `${command}+${key}`, does: does(what!), severity: 'error' as const })),
    ...redo.map((accelerator) => ({ accelerator, does: does('redoes'), severity: 'error' as const })),
  ];
}

const error = (accelerator: string, does: string): KnownShortcut => ({ accelerator, does, severity: 'error' });
const warning = (accelerator: string, does: string): KnownShortcut => ({ accelerator, does, severity: 'warning' });

/**
 * Shortcuts the operating system (or every app) acts on, per platform: errors
 * for what the system reserves by default, warnings for defaults of some
 * desktops, input methods or versions, which the user may not have.
 */
export function systemShortcuts(platform: string): readonly KnownShortcut[] {
  if (platform === 'darwin') {
    return [
      error('Command+Space', 'opens Spotlight'),
      error('Control+Command+Space', 'opens the emoji and symbols viewer'),
      error('Command+Tab', 'switches between apps'),
      error('Command+Shift+Tab', 'switches between apps'),
      error('Command+`', 'switches between the windows of the app in front'),
      error('Command+Q', 'quits the app in front'),
      error('Command+W', 'closes the window in front'),
      error('Command+H', 'hides the app in front'),
      error('Command+M', 'minimises the window in front'),
      error('Command+Alt+Escape', 'opens Force Quit'),
      error('Control+Command+Q', 'locks the screen'),
      error('Command+Shift+Q', 'logs you out'),
      ...['3', '4', '5'].map((key) => error(`Command+Shift+${key}`, 'takes a screenshot')),
      // Mission Control's defaults.
      error('Control+Up', 'opens Mission Control'),
      error('Control+Down', 'shows the windows of the app in front'),
      error('Control+Left', 'switches to the Space on the left'),
      error('Control+Right', 'switches to the Space on the right'),
      ...editingShortcuts('Command', ['Command+Shift+Z']),
      // Only with more than one input source, which many users have.
      warning('Control+Space', 'switches to the previous input source'),
      warning('Control+Alt+Space', 'switches to the next input source'),
      warning('Command+Alt+Space', 'opens a Finder search window'),
      warning('Command+,', 'opens the settings of the app in front'),
      warning('Command+Alt+D', 'shows or hides the Dock'),
    ];
  }
  if (platform === 'win32') {
    return [
      // The secure attention sequence: no app ever sees it.
      error('Control+Alt+Delete', 'opens the Windows security screen'),
      error('Control+Shift+Escape', 'opens Task Manager'),
      error('Control+Escape', 'opens the Start menu'),
      error('Alt+Tab', 'switches between windows'),
      error('Alt+Shift+Tab', 'switches between windows'),
      error('Alt+F4', 'closes the window in front'),
      error('Alt+Space', 'opens the window menu'),
      error('Super+L', 'locks the computer'),
      error('Super+D', 'shows the desktop'),
      error('Super+E', 'opens File Explorer'),
      error('Super+R', 'opens the Run dialog'),
      error('Super+S', 'opens Windows search'),
      error('Super+Shift+S', 'takes a screenshot'),
      error('Super+Tab', 'opens Task View'),
      error('Super+V', 'opens the clipboard history'),
      error('Super+I', 'opens Windows Settings'),
      error('Super+A', 'opens the quick settings'),
      error('Super+X', 'opens the quick link menu'),
      error('Super+H', 'starts voice typing'),
      error('Super+G', 'opens the Game Bar'),
      error('Super+.', 'opens the emoji panel'),
      error('Super+Space', 'switches the keyboard layout'),
      error('Super+M', 'minimises every window'),
      error('Super+P', 'switches the display mode'),
      ...['Up', 'Down', 'Left', 'Right'].map((key) => error(`Super+${key}`, 'snaps the window in front')),
      ...range(9, (n) => `Super+${n}`).map((keys) => error(keys, 'opens the app pinned there on the taskbar')),
      ...editingShortcuts('Control', ['Control+Y']),
      warning('PrintScreen', 'opens the Snipping Tool (Windows 11)'),
      warning('Control+Space', 'switches the input method on (Chinese, Japanese and Korean input)'),
      warning('Alt+Escape', 'cycles through the open windows'),
    ];
  }
  // Linux and the BSDs: what GNOME and KDE Plasma, the two common desktops, take by default.
  return [
    error('Alt+Tab', 'switches between windows (GNOME, KDE)'),
    error('Alt+Shift+Tab', 'switches between windows (GNOME, KDE)'),
    error('Super+Tab', 'switches between apps (GNOME)'),
    error('Alt+F1', 'opens the activities overview or app launcher (GNOME, KDE)'),
    error('Alt+F2', 'opens the run dialog (GNOME) or KRunner (KDE)'),
    error('Alt+F4', 'closes the window in front'),
    error('Alt+Space', 'opens the window menu (GNOME) or KRunner (KDE)'),
    error('Control+Alt+Delete', 'opens the log-out dialog'),
    error('Super+L', 'locks the screen (GNOME)'),
    error('Super+Space', 'switches the input source (GNOME)'),
    error('Super+A', 'shows the app grid (GNOME)'),
    error('Super+V', 'shows the notification list (GNOME)'),
    ...['Up', 'Down', 'Left', 'Right'].map((key) => error(`Super+${key}`, 'maximises or tiles the window in front')),
    error('PrintScreen', 'takes a screenshot'),
    error('Shift+PrintScreen', 'takes a screenshot'),
    error('Alt+PrintScreen', 'takes a screenshot'),
    // The X server and the kernel switch to a text console on these.
    ...range(12, (n) => `Control+Alt+F${n}`).map((keys) => error(keys, 'switches to a text console')),
    ...editingShortcuts('Control', ['Control+Shift+Z', 'Control+Y']),
    warning('Control+Alt+T', 'opens a terminal (Ubuntu, KDE)'),
    warning('Control+Alt+L', 'locks the screen (KDE, older Ubuntu)'),
    ...['Up', 'Down', 'Left', 'Right'].map((key) =>
      warning(`Control+Alt+${key}`, 'switches workspaces (KDE, older GNOME)'),
    ),
    warning('Control+Alt+Backspace', 'ends the X session where that is enabled'),
    warning('Control+Space', 'switches the input method (Fcitx, some IBus setups)'),
    warning('Super+D', 'shows the desktop (KDE, Ubuntu)'),
  ];
}

/**
 * The app's own other shortcuts: those of the application menu Parley's windows have (see
 * windows/app-menu.ts). Parley registers no global shortcut besides the hotkey, and its tray
 * menu has no accelerators.
 */
export function windowMenuShortcuts(platform: string, isPackaged: boolean): readonly KnownShortcut[] {
  const menu = appMenu(platform, isPackaged, 'Parley');
  if (menu.kind === 'electron-default') return electronDefaultMenuShortcuts(platform);
  return menuAccelerators(menu.items).map(({ role, accelerator }) =>
    role === 'quit' ? error(accelerator, roleDoes[role]) : warning(accelerator, roleDoes[role]),
  );
}

/** What a menu item does when its shortcut is pressed in one of Parley's windows. */
const roleDoes: Record<AppMenuRole, string> = {
  about: 'shows what version of Parley this is',
  hide: 'hides Parley',
  hideOthers: 'hides the other apps',
  unhide: 'shows every app',
  quit: 'quits Parley',
  undo: 'undoes',
  redo: 'redoes',
  cut: 'cuts',
  copy: 'copies',
  paste: 'pastes',
  pasteAndMatchStyle: 'pastes without formatting',
  delete: 'deletes the selection',
  selectAll: 'selects everything',
  minimize: 'minimises the window in front',
  zoom: 'zooms the window in front',
  close: 'closes the window in front',
  front: "brings all of Parley's windows to the front",
  window: 'opens the Window menu',
};

/**
 * Electron's default menu, which a development build keeps: it answers these keys whenever a
 * Parley window has focus (Electron's menu roles; the editing ones are in the system table).
 */
function electronDefaultMenuShortcuts(platform: string): readonly KnownShortcut[] {
  const mac = platform === 'darwin';
  return [
    // Electron gives "Quit" no accelerator on Windows.
    ...(platform === 'win32' ? [] : [error('CommandOrControl+Q', 'quits Parley')]),
    warning('CommandOrControl+W', 'closes the window in front'),
    warning('CommandOrControl+R', 'reloads the window in front'),
    warning('Shift+CommandOrControl+R', 'reloads the window in front'),
    warning(mac ? 'Alt+Command+I' : 'Control+Shift+I', 'opens the developer tools'),
    warning('CommandOrControl+0', 'resets the zoom'),
    warning('CommandOrControl+Plus', 'zooms in'),
    warning('CommandOrControl+-', 'zooms out'),
    warning(mac ? 'Control+Command+F' : 'F11', 'switches full screen'),
    warning('CommandOrControl+M', 'minimises the window in front'),
    ...(mac ? [warning('Command+Alt+H', 'hides the other apps')] : []),
  ];
}
