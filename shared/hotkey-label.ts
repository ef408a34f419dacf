const macSymbols: Record<string, string> = { Control: '⌃', Alt: '⌥', Shift: '⇧', Command: '⌘', Super: '⌘' };
const pcNames: Record<string, string> = { Control: 'Ctrl', Command: 'Super', Super: 'Super' };

/** "Control+Shift+Space" as people read it on their platform. */
export function hotkeyLabel(accelerator: string, platform: string): string {
  const keys = accelerator.split('+');
  if (platform === 'darwin') return keys.map((key) => macSymbols[key] ?? key).join('');
  return keys.map((key) => pcNames[key] ?? key).join(' + ');
}
