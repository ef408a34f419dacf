/**
 * The environment every process Parley starts is given: the key-hook trial, and the MCP servers
 * of the tools to come. Only what a desktop program needs to find the display, the session bus,
 * its files and the user's language, by an allowlist: never GEMINI_API_KEY or GOOGLE_API_KEY
 * (credentials/api-key.ts), nor any other variable a launcher or a shell profile may have put
 * there (tokens, proxies, NODE_OPTIONS). A child that needs more is given it by name, explicitly.
 */

type Env = Readonly<Record<string, string | undefined>>;

/** Everywhere: where programs are, the user's home and temporary folder, language and time zone. */
const common = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TEMP', 'TMP'];

const perPlatform: Record<string, readonly string[]> = {
  // The X or Wayland display and its credentials, the session's runtime folder and D-Bus.
  linux: [
    'DISPLAY',
    'WAYLAND_DISPLAY',
    'XAUTHORITY',
    'XDG_RUNTIME_DIR',
    'XDG_SESSION_TYPE',
    'XDG_CURRENT_DESKTOP',
    'XDG_CONFIG_HOME',
    'XDG_DATA_HOME',
    'XDG_CACHE_HOME',
    'DBUS_SESSION_BUS_ADDRESS',
  ],
  // CoreFoundation's text encoding, which the system libraries read at start.
  darwin: ['__CF_USER_TEXT_ENCODING'],
  // What Windows programs and the C runtime expect to find (many fail to start without SystemRoot).
  win32: [
    'SystemRoot',
    'SystemDrive',
    'windir',
    'ComSpec',
    'PATHEXT',
    'USERPROFILE',
    'USERNAME',
    'HOMEDRIVE',
    'HOMEPATH',
    'APPDATA',
    'LOCALAPPDATA',
    'ProgramData',
    'ProgramFiles',
    'ProgramFiles(x86)',
    'ProgramW6432',
    'CommonProgramFiles',
    'PROCESSOR_ARCHITECTURE',
    'NUMBER_OF_PROCESSORS',
  ],
};

/** The locale categories (LC_ALL, LC_CTYPE, LC_MESSAGES…). */
const localeVariable = /^LC_[A-Z]+$/;

/**
 * `env` with only the variables a child process needs on `platform`. Names keep their spelling;
 * on Windows, where `Path` and `PATH` are the same variable, they are matched without case.
 */
export function childEnvironment(env: Env, platform: string): Record<string, string> {
  const fold = platform === 'win32' ? (name: string) => name.toUpperCase() : (name: string) => name;
  const allowed = new Set([...common, ...(perPlatform[platform] ?? perPlatform.linux!)].map(fold));
  const child: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (allowed.has(fold(name)) || localeVariable.test(name))) child[name] = value;
  }
  return child;
}
