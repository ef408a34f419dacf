/**
 * The installed Parley refuses its debug surfaces: the app `npm run dist` left unpacked in
 * dist/, launched as a user (or a doctored shortcut) would. Run by `npm run test:electron` after
 * `npm run dist`; CI runs both. Plain processes, not Playwright: Playwright drives Electron
 * through the very debugging switches a packaged Parley refuses.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshUserData, packagedExecutable, withoutApiKeys } from './parley-app';

/**
 * How long a packaged app may take to start or to give up: a first launch on a CI machine can
 * spend many seconds in the OS's checks of a new binary (Gatekeeper, Defender) before any of
 * Parley's code runs.
 */
const startupMs = 60_000;

const executable = packagedExecutable();
if (!executable) {
  const missing = 'No packaged Parley in dist/: run `npm run dist` first.';
  // CI builds the installers first, so there it must be found.
  if (process.env.CI) throw new Error(missing);
  console.log(`packaged checks DID NOT RUN: ${missing}`);
} else {
  describe('the packaged Parley', () => {
    it('exits at once, opening no window, when started with a remote debugging port', async () => {
      const userData = freshUserData();
      const parley = start(executable, ['--remote-debugging-port=9222', `--user-data-dir=${userData}`]);
      const pages = new Set<string>();
      const deadline = Date.now() + startupMs;
      while (parley.running() && Date.now() < deadline) {
        for (const url of await debuggablePages(9222)) pages.add(url);
        await sleep(250);
      }
      const stillRunning = parley.running();
      parley.process.kill();
      rmSync(userData, { recursive: true, force: true });
      assert.equal(stillRunning, false, `still running after ${startupMs / 1000} s. Its output:\n${parley.output()}`);
      assert.deepEqual(
        [...pages].filter((url) => url.startsWith('app://')),
        [],
        'no Parley window was open to the debugging port',
      );
    });

    // Linux only: there the test drives the real keyboard and reads the screen through X (Xvfb in CI).
    if (process.platform === 'linux') {
      it('opens no developer tools on F12 or Ctrl+Shift+I in its window', async () => {
        const userData = freshUserData();
        const parley = start(executable, [`--user-data-dir=${userData}`]);
        try {
          const [window] = await visibleWindowsOf(parley, { atLeast: 1 });
          // The window's first paint and state line settle before the picture to compare with.
          await sleep(3000);
          await x('xdotool', 'windowfocus', '--sync', window!);
          const before = await x('xwd', '-silent', '-id', window!);
          await x('xdotool', 'key', '--clearmodifiers', 'F12');
          await x('xdotool', 'key', '--clearmodifiers', 'ctrl+shift+i');
          // Developer tools open within a second on any machine; three leave no doubt.
          await sleep(3000);
          assert.deepEqual(await visibleWindowsOf(parley, { atLeast: 1 }), [window], 'no developer tools window');
          // Docked tools would take a third of the window or more; a caret blinking or a new
          // state line changes far less.
          const changed = changedShare(before, await x('xwd', '-silent', '-id', window!));
          assert.ok(changed < 0.05, `${Math.round(changed * 100)} % of the window changed: developer tools docked?`);
        } finally {
          parley.process.kill();
          rmSync(userData, { recursive: true, force: true });
        }
      });
    }
  });
}

interface Started {
  process: ChildProcess;
  running(): boolean;
  output(): string;
}

function start(path: string, args: string[]): Started {
  const child = spawn(path, args, { env: withoutApiKeys(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited = false;
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.on('exit', () => (exited = true));
  child.on('error', (error) => {
    exited = true;
    output += String(error);
  });
  return { process: child, running: () => !exited, output: () => output };
}

/** The URLs of the pages a Chromium debugging port lists; none when nothing answers there. */
async function debuggablePages(port: number): Promise<string[]> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(1000) });
    return ((await response.json()) as { url: string }[]).map((target) => target.url);
  } catch {
    return [];
  }
}

/** The X windows the process shows, once there are at least so many (or it exits, or time is up). */
async function visibleWindowsOf(parley: Started, { atLeast }: { atLeast: number }): Promise<string[]> {
  const deadline = Date.now() + startupMs;
  for (;;) {
    const listed = await x('xdotool', 'search', '--onlyvisible', '--pid', String(parley.process.pid)).catch(
      () => Buffer.alloc(0), // xdotool says "no window" with exit code 1
    );
    const windows = listed.toString().split('\n').filter(Boolean);
    if (windows.length >= atLeast) return windows;
    if (!parley.running() || Date.now() > deadline) {
      throw new Error(
        `Parley showed no window (${parley.running() ? 'still running' : 'exited'}):\n${parley.output()}`,
      );
    }
    await sleep(500);
  }
}

/** Runs an X tool (xdotool, xwd) and resolves with its output. */
function x(command: string, ...args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', (error) => reject(new Error(`${command}: ${error.message} (install xdotool and x11-apps)`)));
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${command} ${args.join(' ')}: ${code} ${err}`)),
    );
  });
}

/** The share of bytes that differ between two window dumps; all of them when the size changed. */
function changedShare(before: Buffer, after: Buffer): number {
  if (before.length !== after.length) return 1;
  let differing = 0;
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) differing++;
  return differing / before.length;
}
