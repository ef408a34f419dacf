/** What the recorder needs of a KeyboardEvent. */
export type KeyPress = Pick<KeyboardEvent, 'code' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey'>;

export type RecordedKeys =
  /** Only modifiers are down so far (or none): keep recording. */
  | { kind: 'modifiers'; modifiers: string[] }
  /** A whole chord, as an Electron accelerator. */
  | { kind: 'chord'; modifiers: string[]; accelerator: string }
  /** A key Parley's hotkey cannot use (an international or media key). */
  | { kind: 'unsupported'; modifiers: string[]; code: string };

const modifierCodes = new Set([
  'ControlLeft',
  'ControlRight',
  'ShiftLeft',
  'ShiftRight',
  'AltLeft',
  'AltRight',
  'MetaLeft',
  'MetaRight',
  'OSLeft',
  'OSRight',
]);

/** KeyboardEvent.code → Electron's key name, for the keys whose name is not derived below. */
const namedKeys: Record<string, string> = {
  Space: 'Space',
  Tab: 'Tab',
  Enter: 'Enter',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Insert: 'Insert',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  Escape: 'Escape',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  Semicolon: ';',
  Equal: '=',
  Comma: ',',
  Minus: '-',
  Period: '.',
  Slash: '/',
  Backquote: '`',
  BracketLeft: '[',
  Backslash: '\\',
  BracketRight: ']',
  Quote: "'",
  NumpadDecimal: 'numdec',
  NumpadAdd: 'numadd',
  NumpadSubtract: 'numsub',
  NumpadMultiply: 'nummult',
  NumpadDivide: 'numdiv',
  CapsLock: 'Capslock',
  NumLock: 'Numlock',
  ScrollLock: 'Scrolllock',
  PrintScreen: 'PrintScreen',
};

/**
 * The key by its position (`code`), not by what it types, so the same keys
 * are recorded whatever the layout and whichever modifiers are held (Shift+1
 * is "Shift+1", not "!"), as the global key hook sees them.
 */
export function keyName(code: string): string | undefined {
  if (Object.hasOwn(namedKeys, code)) return namedKeys[code];
  const match = /^(?:Key([A-Z])|Digit(\d)|Numpad(\d)|(F(?:[1-9]|1\d|2[0-4])))$/.exec(code);
  if (!match) return undefined;
  const [, letter, digit, numpad, fn] = match;
  return letter ?? digit ?? (numpad !== undefined ? `num${numpad}` : fn);
}

/** The modifiers held, in the order main saves them (Control+Alt+Shift+Super). */
export function heldModifiers(event: KeyPress): string[] {
  return [
    event.ctrlKey && 'Control',
    event.altKey && 'Alt',
    event.shiftKey && 'Shift',
    // Main spells the logo key the platform's way (⌘ Command on a Mac).
    event.metaKey && 'Super',
  ].filter((name): name is string => typeof name === 'string');
}

/** What a key down means to the recorder. */
export function recordKeyDown(event: KeyPress): RecordedKeys {
  const modifiers = heldModifiers(event);
  if (modifierCodes.has(event.code)) return { kind: 'modifiers', modifiers };
  const key = keyName(event.code);
  if (!key) return { kind: 'unsupported', modifiers, code: event.code };
  return { kind: 'chord', modifiers, accelerator: [...modifiers, key].join('+') };
}
