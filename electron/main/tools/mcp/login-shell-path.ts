/**
 * The PATH of the user's login shell. A GUI app on macOS starts with launchd's minimal PATH
 * (/usr/bin:/bin:/usr/sbin:/sbin), so `npx`, `uvx` or `docker` from Homebrew or nvm are not found
 * (`spawn npx ENOENT`, the classic MCP failure); the login shell's profile is where users set
 * their PATH. Linux desktop sessions normally pass the user's PATH on, so the shell is asked only
 * when PATH looks minimal there. Any failure falls back to Parley's own PATH.
 */
import { execFile } from 'node:child_process';
import { childEnvironment } from '../../security/child-environment';

/** Where the PATH starts and ends in the shell's output: profiles may print banners around it. */
const marker = '__PARLEY_PATH_7f3a__';

/** The directories launchd and minimal sessions give; a PATH of only these lacks the user's tools. */
const systemDirectories = new Set(['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin']);

export interface LoginShellPathOptions {
  platform: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Enough for a slow profile (nvm, conda), short enough that a hung one does not hold the servers. */
  timeoutMs?: number;
}

function looksMinimal(path: string): boolean {
  return path.split(':').every((directory) => directory === '' || systemDirectories.has(directory));
}

function shouldAskShell(platform: string, currentPath: string): boolean {
  if (platform === 'darwin') return true;
  return platform !== 'win32' && looksMinimal(currentPath);
}

/** Runs the shell as a login, interactive shell (profiles set PATH in either) and reads PATH between markers. */
function askShell(shell: string, env: Record<string, string>, timeoutMs: number): Promise<string | undefined> {
  const script = `printf '%s%s%s' '${marker}' "$PATH" '${marker}'`;
  return new Promise((resolve) => {
    const child = execFile(
      shell,
      ['-ilc', script],
      { env, timeout: timeoutMs, killSignal: 'SIGKILL' },
      (error, out) => {
        const found = error ? undefined : String(out).split(marker)[1];
        resolve(found?.includes('/') ? found : undefined);
      },
    );
    // An interactive shell may wait for input; it gets none.
    child.stdin?.end();
    // Killing the shell does not close a pipe that something its profile started still holds.
    setTimeout(() => resolve(undefined), timeoutMs + 500).unref();
  });
}

export async function loginShellPath(options: LoginShellPathOptions): Promise<string> {
  const currentPath = options.env.PATH ?? '';
  const shell = options.env.SHELL;
  if (!shell || !shouldAskShell(options.platform, currentPath)) return currentPath;
  // The shell gets the same safe environment as any child, so its profile does not see the key.
  const env = { ...childEnvironment(options.env, options.platform), SHELL: shell };
  return (await askShell(shell, env, options.timeoutMs ?? 5000)) ?? currentPath;
}
