import { readdirSync, readFileSync } from 'node:fs';

/** Linux's clock tick for /proc CPU times (getconf CLK_TCK is 100 on every mainstream kernel). */
const ticksPerSecond = 100;

export interface ChromiumProcesses {
  /** The renderer of the audio page: the one running realtime AudioWorklet threads. */
  audioRenderer: number;
  /** Chromium's audio service (device I/O), which Electron has as well. */
  audioService: number | undefined;
  browser: number | undefined;
}

/** Chromium's processes under this one, told apart by their command lines and thread names. */
export function findChromiumProcesses(): ChromiumProcesses {
  // Chromium's child processes rewrite their command line into one string: search it as text.
  const processes = descendants(process.pid).map((pid) => ({
    pid,
    command: read(`/proc/${pid}/cmdline`).replaceAll('\0', ' '),
  }));
  const renderers = processes.filter(({ command }) => command.includes('--type=renderer'));
  const audio = renderers.filter(({ pid }) => threadNames(pid).some((name) => name.startsWith('Realtime AudioW')));
  if (audio.length !== 1) throw new Error(`expected one renderer with realtime audio threads, found ${audio.length}`);
  return {
    audioRenderer: audio[0]!.pid,
    audioService: processes.find(({ command }) => command.includes('--utility-sub-type=audio.mojom.AudioService'))?.pid,
    browser: processes.find(({ command }) => /chrom/i.test(command) && !command.includes('--type='))?.pid,
  };
}

/** User + system CPU seconds a process has used so far. */
export function cpuSeconds(pid: number): number {
  // Fields after the command (which may contain spaces) start at the state, field 3; utime and stime are 14 and 15.
  const fields = read(`/proc/${pid}/stat`).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

const kbField = (text: string, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1]);

/** Resident set, MB: cheap to read. */
export function rssMb(pid: number): number {
  return kbField(read(`/proc/${pid}/status`), 'VmRSS') / 1024;
}

/**
 * Proportional set size (shared pages split between their users), MB. Reading
 * it walks the whole address space (ms of this process's CPU for a Chromium
 * process): read it outside CPU windows.
 */
export function pssMb(pid: number): number {
  return kbField(read(`/proc/${pid}/smaps_rollup`), 'Pss') / 1024;
}

function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      parents.set(Number(entry), Number(read(`/proc/${entry}/stat`).split(') ')[1]!.split(' ')[1]));
    } catch {
      // Gone since the listing.
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of parents) {
      if (ppid !== parent) continue;
      found.push(pid);
      queue.push(pid);
    }
  }
  return found;
}

function threadNames(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map((task) => read(`/proc/${pid}/task/${task}/comm`).trim());
  } catch {
    return [];
  }
}

function read(path: string): string {
  return readFileSync(path, 'utf8');
}
