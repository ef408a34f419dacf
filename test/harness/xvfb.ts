import { spawn, type ChildProcess } from 'node:child_process';

export interface XDisplay {
  /** e.g. ":12" */
  display: string;
  /**
   * Only for displays no X client of this process still uses: uiohook keeps
   * its connection after stop(), and Xlib exits the process when the server
   * goes away. Displays that are not stopped end just after this process.
   */
  stop(): Promise<void>;
}

/** A private X server for real global key events; `record: false` removes the RECORD extension. */
export async function startXvfb({ record = true }: { record?: boolean } = {}): Promise<XDisplay> {
  const args = ['-displayfd', '3', '-screen', '0', '640x480x24', '-nolisten', 'tcp'];
  if (!record) args.push('-extension', 'RECORD');
  // A watchdog shell owns the server and ends it only once this process is gone, so an
  // X client here (uiohook) never sees its server die under it (see XDisplay.stop).
  const watchdog = `Xvfb "$@" & x=$!; trap 'kill $x; exit 0' TERM
while kill -0 ${process.pid} 2>/dev/null && kill -0 $x 2>/dev/null; do sleep 0.5; done; kill $x 2>/dev/null`;
  const server: ChildProcess = spawn('sh', ['-c', watchdog, 'sh', ...args], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    server.stdio[3]!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    server.on('error', (error) =>
      reject(new Error(`Xvfb could not start (${error.message}); install the "xvfb" package`)),
    );
    server.on('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
    server.stderr!.on('data', () => undefined);
  });
  // Never keep the test process alive for it; the watchdog ends it after this process.
  server.unref();
  for (const stream of [server.stderr, server.stdio[3]]) (stream as { unref?: () => void } | null)?.unref?.();
  return {
    display,
    stop: () =>
      new Promise<void>((resolve) => {
        server.once('exit', () => resolve());
        server.kill();
      }),
  };
}

/**
 * Real key events through the X server, as a user's keyboard would make them;
 * resolves once xdotool has sent them. Never synchronous: main runs in this
 * process, and on a busy machine starting a process can take long enough to
 * hold up everything main does meanwhile, which no real keyboard does.
 */
export function xdotool(display: string, ...args: string[]): Promise<void> {
  return run(display, 'xdotool', args);
}

/**
 * xdotool at real-time priority where the system allows it, so that a busy core cannot preempt it
 * between key events meant to reach the X server together, as the server's own auto-repeat makes a
 * release and a press; elsewhere as `xdotool` does.
 */
export async function xdotoolTogether(display: string, ...args: string[]): Promise<void> {
  realTime ??= run(display, 'chrt', ['--fifo', '1', 'true']).then(
    () => true,
    () => false,
  );
  return (await realTime) ? run(display, 'chrt', ['--fifo', '1', 'xdotool', ...args]) : xdotool(display, ...args);
}
let realTime: Promise<boolean> | undefined;

function run(display: string, command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, DISPLAY: display },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${stderr}`)),
    );
  });
}
