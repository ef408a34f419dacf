/**
 * What a launch may change about Parley, as plain decisions the shell applies. A packaged app
 * ignores what exists for development: anyone who can set its environment or its command line
 * (a doctored shortcut, `launchctl setenv`) must not be able to serve its windows from elsewhere
 * or open a debugger on them.
 */

type Env = Readonly<Record<string, string | undefined>>;

/** The Vite dev server that serves the renderer in development; never in a packaged app. */
export function developmentRendererUrl(env: Env, isPackaged: boolean): string | undefined {
  if (isPackaged) return undefined;
  return env.ELECTRON_RENDERER_URL?.trim() || undefined;
}

/**
 * Switches that open Parley to a debugger: Chromium's DevTools protocol (full access to every
 * window, `window.parley` included) and Node's inspector for main (which the
 * EnableNodeCliInspectArguments fuse already disables; refused here too, should the fuse be lost).
 */
const debuggingSwitch = /^(remote-debugging-[a-z-]+|inspect(-[a-z-]+)?)$/;

/**
 * The debugging switches on a command line. Spelled as Chromium reads them: `--` or `-` before
 * the name (and `/` on Windows, where names are case-insensitive), a value after `=`.
 */
export function debuggingSwitches(argv: readonly string[], platform: string): string[] {
  const prefix = platform === 'win32' ? /^(--|-|\/)/ : /^--?/;
  return argv.slice(1).filter((arg) => {
    if (!prefix.test(arg)) return false;
    const name = arg.replace(prefix, '').split('=')[0]!.toLowerCase();
    return debuggingSwitch.test(name);
  });
}

/** Why a packaged Parley refuses to start with this command line; undefined when it may start. */
export function launchRefusal(argv: readonly string[], isPackaged: boolean, platform: string): string | undefined {
  if (!isPackaged) return undefined;
  const switches = debuggingSwitches(argv, platform);
  if (switches.length === 0) return undefined;
  return (
    `Parley was started with ${switches.join(' ')}, which would let another program control its windows ` +
    'and read what they hold. Start Parley without it (check the shortcut or script that launched it).'
  );
}
