import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../test/harness/paths';
import { BenchApp } from '../lib/bench-app';
import { wallClock } from '../lib/clock';
import { cpuSeconds, findChromiumProcesses, pssMb, rssMb } from '../lib/processes';

export interface ProcessUsage {
  /** Share of one core over the window. */
  cpuPct: number;
  /** Highest resident set seen (sampled every 2 s), MB. */
  rssMb: number;
  /** Proportional set size at the end (shared pages split between their users), MB. */
  pssMb: number;
}

export interface ResourceWindow {
  seconds: number;
  /** Main: this Node process, which in the harness also runs the Playwright client and the IPC bridge. */
  main: ProcessUsage;
  audioRenderer: ProcessUsage;
  /** Not in the figure; for the evidence. */
  audioService?: ProcessUsage;
  browser?: ProcessUsage;
  turns: number;
}

/**
 * CPU and memory of main and the audio renderer: `idleSeconds` with a
 * connected session and nothing to do, then `conversationSeconds` of turns
 * (held 1.5 s, echoed back at real-time pace). No probes, no output tap, and
 * the emulator in a process of its own, so nothing of the bench's counts.
 */
export async function measureResources(idleSeconds: number, conversationSeconds: number) {
  const emulator = await startEmulatorProcess();
  const app = await BenchApp.start({ variant: 'parley', emulatorUrl: emulator.url, probe: false });
  try {
    await converse(app, 0);
    const pids = findChromiumProcesses();
    await sleep(2000);
    const idle = await measureWindow(pids, idleSeconds * 1000, () => sleep(idleSeconds * 1000).then(() => 0));
    const conversation = await measureWindow(pids, conversationSeconds * 1000, (until) => converse(app, until));
    return { idle, conversation };
  } finally {
    await app.close();
    emulator.process.kill();
  }
}

/** Turns until `until` (wall clock), at least one; resolves with their number. */
async function converse(app: BenchApp, until: number): Promise<number> {
  let turns = 0;
  do {
    const pressedAt = await app.keyDown();
    await sleep(pressedAt + 1500 - wallClock());
    await app.keyUp();
    // Coarse polling: the bench's own waiting must not show up as main's CPU.
    await app.untilState('idle', 20_000, 50);
    await sleep(500);
    turns++;
  } while (wallClock() < until);
  return turns;
}

async function measureWindow(
  pids: ReturnType<typeof findChromiumProcesses>,
  durationMs: number,
  work: (until: number) => Promise<number>,
): Promise<ResourceWindow> {
  const tracked = { main: process.pid, ...pids };
  const keys = Object.keys(tracked) as (keyof typeof tracked)[];
  const cpuOf = (key: keyof typeof tracked) => {
    if (key === 'main') {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1e6;
    }
    return cpuSeconds(tracked[key]!);
  };
  const present = keys.filter((key) => tracked[key] !== undefined);
  const peakRss = new Map(present.map((key) => [key, 0]));
  const sampleRss = () => present.forEach((key) => peakRss.set(key, Math.max(peakRss.get(key)!, rssMb(tracked[key]!))));
  const startedAt = wallClock();
  const cpuAtStart = new Map(present.map((key) => [key, cpuOf(key)]));
  sampleRss();
  const sampler = setInterval(sampleRss, 2000);
  const turns = await work(startedAt + durationMs);
  clearInterval(sampler);
  const cpuUsed = new Map(present.map((key) => [key, cpuOf(key) - cpuAtStart.get(key)!]));
  const seconds = (wallClock() - startedAt) / 1000;
  sampleRss();
  const usage = (key: keyof typeof tracked): ProcessUsage | undefined =>
    cpuUsed.has(key)
      ? {
          cpuPct: (cpuUsed.get(key)! / seconds) * 100,
          rssMb: peakRss.get(key)!,
          pssMb: pssMb(tracked[key]!),
        }
      : undefined;
  return {
    seconds,
    main: usage('main')!,
    audioRenderer: usage('audioRenderer')!,
    audioService: usage('audioService'),
    browser: usage('browser'),
    turns,
  };
}

async function startEmulatorProcess(): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/emulator/cli.ts', '--port', '0'], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await once(lines, 'line')) as [string];
  const url = /listening on (\S+)/.exec(first)?.[1];
  if (!url) throw new Error(`the emulator said "${first}"`);
  // Its connection log is not needed; keep the pipe drained.
  lines.on('line', () => undefined);
  return { url, process: child };
}
