/** Key names as uiohook-napi's `UiohookKey` table spells them, mapped to scan codes. */
export type KeycodeTable = Readonly<Record<string, number>>;

/** One key of a chord: any of these scan codes counts (left or right Shift, say). */
export type ChordKey = readonly number[];

const modifierAliases = new Map<string, readonly string[]>(
  Object.entries({
    control: ['Ctrl', 'CtrlRight'],
    ctrl: ['Ctrl', 'CtrlRight'],
    commandorcontrol: ['Ctrl', 'CtrlRight'],
    cmdorctrl: ['Ctrl', 'CtrlRight'],
    shift: ['Shift', 'ShiftRight'],
    alt: ['Alt', 'AltRight'],
    option: ['Alt', 'AltRight'],
    altgr: ['AltRight'],
    super: ['Meta', 'MetaRight'],
    meta: ['Meta', 'MetaRight'],
    command: ['Meta', 'MetaRight'],
    cmd: ['Meta', 'MetaRight'],
  }),
);

/** Electron's key names where uiohook names the key differently. */
const keyAliases = new Map<string, string>(
  Object.entries({
    esc: 'Escape',
    return: 'Enter',
    up: 'ArrowUp',
    down: 'ArrowDown',
    left: 'ArrowLeft',
    right: 'ArrowRight',
    plus: 'Equal',
    ';': 'Semicolon',
    '=': 'Equal',
    ',': 'Comma',
    '-': 'Minus',
    '.': 'Period',
    '/': 'Slash',
    '`': 'Backquote',
    '[': 'BracketLeft',
    '\\': 'Backslash',
    ']': 'BracketRight',
    "'": 'Quote',
    numdec: 'NumpadDecimal',
    numadd: 'NumpadAdd',
    numsub: 'NumpadSubtract',
    nummult: 'NumpadMultiply',
    numdiv: 'NumpadDivide',
    ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`num${i}`, `Numpad${i}`])),
  }),
);

export type ParsedAccelerator = { ok: true; chord: ChordKey[] } | { ok: false; error: string };

/**
 * Turns an Electron accelerator ("Control+Shift+Space") into the scan codes
 * uiohook reports, so the same setting drives both key hooks.
 */
export function parseAccelerator(accelerator: string, table: KeycodeTable): ParsedAccelerator {
  const parts = accelerator.split('+').map((part) => part.trim());
  if (parts.some((part) => part === '')) return { ok: false, error: `"${accelerator}" has an empty key` };
  const chord: ChordKey[] = [];
  for (const part of parts) {
    const names = modifierAliases.get(part.toLowerCase()) ?? [keyName(part, table)];
    const codes = names.flatMap((name) => (name !== undefined && Object.hasOwn(table, name) ? [table[name]!] : []));
    if (codes.length === 0) return { ok: false, error: `"${part}" is not a key Parley can watch` };
    chord.push(codes);
  }
  return { ok: true, chord };
}

function keyName(part: string, table: KeycodeTable): string | undefined {
  const alias = keyAliases.get(part.toLowerCase());
  if (alias) return alias;
  return Object.keys(table).find((name) => name.toLowerCase() === part.toLowerCase());
}

/**
 * The keys `other` adds to `chord`, when it is `chord` plus more (Control+Alt+Shift+Space over
 * Control+Shift+Space): holding them makes it the other chord, not this one. None otherwise.
 */
export function keysBeyond(chord: readonly ChordKey[], other: readonly ChordKey[]): number[] {
  const same = (a: ChordKey, b: ChordKey) => a.length === b.length && a.every((code) => b.includes(code));
  const extends_ = chord.every((key) => other.some((candidate) => same(key, candidate)));
  if (!extends_ || other.length === chord.length) return [];
  return other.filter((key) => !chord.some((mine) => same(mine, key))).flat();
}
