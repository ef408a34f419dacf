// Real disk faults for one folder: a full disk (a small tmpfs mounted there,
// filled when the fault strikes) and a read-only folder (a bind mount of
// itself, remounted read-only).
// Where mounting is not allowed (a container without CAP_SYS_ADMIN), or with
// PARLEY_DISK_FAULTS=injected, the same faults are injected at the fs layer,
// for paths in that folder only: writes go to /dev/full, so the ENOSPC is the
// kernel's own, and changes to a read-only folder fail with EROFS.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';

export interface DiskFault {
  /** How the fault is made, for the test's diagnostics. */
  readonly how: 'mount' | 'injected';
  /** The disk fills up, or the folder becomes read-only. */
  strike(): void;
  /** There is room again, or the folder can be written again. */
  heal(): void;
  /** Back to the plain folder (what was written to a small disk goes with it). */
  release(): void;
}

/** `dir` (which must exist, and whose contents are hidden meanwhile) on a small disk of its own, with room until the fault strikes. */
export function smallDisk(dir: string): DiskFault {
  if (mechanism() === 'injected') return injected(dir, 'ENOSPC');
  run('mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir);
  const filler = join(dir, '.filler');
  return {
    how: 'mount',
    strike: () => fillUp(filler),
    heal: () => fs.rmSync(filler, { force: true }),
    release: () => unmount(dir),
  };
}

/** `dir` as it is, which the fault makes read-only. */
export function lockableFolder(dir: string): DiskFault {
  if (mechanism() === 'injected') return injected(dir, 'EROFS');
  run('mount', '--bind', dir, dir);
  return {
    how: 'mount',
    strike: () => run('mount', '-o', 'remount,bind,ro', dir),
    heal: () => run('mount', '-o', 'remount,bind,rw', dir),
    release: () => unmount(dir),
  };
}

function run(command: string, ...args: string[]): void {
  execFileSync(command, args, { stdio: 'pipe' });
}

/** A file still open there (a leaked descriptor) keeps it busy: unmounted anyway, and said. */
function unmount(dir: string): void {
  try {
    run('umount', dir);
  } catch (error) {
    run('umount', '--lazy', dir);
    throw error;
  }
}

function fillUp(path: string): void {
  const fd = fs.openSync(path, 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) fs.writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
}

let known: 'mount' | 'injected' | undefined;

/** Whether this process may mount (root with CAP_SYS_ADMIN, as in CI), tried once on a scratch folder. */
function mechanism(): 'mount' | 'injected' {
  if (process.env.PARLEY_DISK_FAULTS === 'injected') return 'injected';
  if (known) return known;
  const probe = fs.mkdtempSync(join(tmpdir(), 'parley-mount-probe-'));
  try {
    run('mount', '-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', probe);
    run('umount', probe);
    known = 'mount';
  } catch {
    known = 'injected';
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
  return known;
}

type Fs = typeof fs;
const writingFlags = fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC;
let injecting = false;

/**
 * The fault in the fs functions the app's file code calls, for paths under `dir` and descriptors opened
 * on them (tracked from now on, so a file opened before the fault strikes meets it too).
 */
function injected(dir: string, code: 'ENOSPC' | 'EROFS'): DiskFault {
  if (injecting) throw new Error('one injected disk fault at a time');
  injecting = true;
  let struck = false;
  const root = resolve(dir) + sep;
  const inside = (path: fs.PathLike) => (resolve(String(path)) + sep).startsWith(root);
  const fds = new Set<number>();
  const real = {
    openSync: fs.openSync,
    closeSync: fs.closeSync,
    writeSync: fs.writeSync,
    ftruncateSync: fs.ftruncateSync,
    writeFileSync: fs.writeFileSync,
    mkdirSync: fs.mkdirSync,
    unlinkSync: fs.unlinkSync,
    renameSync: fs.renameSync,
  };
  const readOnlyError = (syscall: string, path?: fs.PathLike) =>
    Object.assign(new Error(`EROFS: read-only file system, ${syscall}${path ? ` '${String(path)}'` : ''}`), {
      errno: -30,
      code: 'EROFS',
      syscall,
      ...(path ? { path: String(path) } : {}),
    });
  /** The kernel's own "no space left on device". */
  const writeToFullDevice = (data: string | NodeJS.ArrayBufferView) => {
    const full = real.openSync('/dev/full', 'w');
    try {
      const bytes =
        typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      real.writeSync(full, bytes);
    } finally {
      real.closeSync(full);
    }
  };
  const writes = (flags: fs.OpenMode | undefined) =>
    typeof flags === 'number' ? (flags & writingFlags) !== 0 : /[wa+]/.test(flags ?? 'r');
  const patch: Partial<Fs> = {
    openSync: ((path: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
      if (struck && code === 'EROFS' && inside(path) && writes(flags)) throw readOnlyError('open', path);
      const fd = real.openSync(path, flags ?? 'r', mode);
      if (inside(path)) fds.add(fd);
      return fd;
    }) as Fs['openSync'],
    closeSync: (fd) => {
      fds.delete(fd);
      real.closeSync(fd);
    },
    writeSync: ((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: never[]) => {
      if (!struck || !fds.has(fd)) return (real.writeSync as (...args: unknown[]) => number)(fd, data, ...rest);
      if (code === 'EROFS') throw readOnlyError('write');
      writeToFullDevice(data);
      return 0;
    }) as Fs['writeSync'],
    ftruncateSync: (fd, length) => {
      if (struck && code === 'EROFS' && fds.has(fd)) throw readOnlyError('ftruncate');
      real.ftruncateSync(fd, length);
    },
    writeFileSync: (file, data, options) => {
      if (struck && typeof file !== 'number' && inside(file)) {
        if (code === 'EROFS') throw readOnlyError('open', file);
        writeToFullDevice(typeof data === 'string' ? data : (data as NodeJS.ArrayBufferView));
      }
      real.writeFileSync(file, data, options);
    },
    mkdirSync: ((path: fs.PathLike, options?: fs.MakeDirectoryOptions) => {
      if (struck && code === 'EROFS' && inside(path) && !fs.existsSync(path)) throw readOnlyError('mkdir', path);
      return real.mkdirSync(path, options);
    }) as Fs['mkdirSync'],
    unlinkSync: (path) => {
      if (struck && code === 'EROFS' && inside(path)) throw readOnlyError('unlink', path);
      real.unlinkSync(path);
    },
    renameSync: (from, to) => {
      if (struck && code === 'EROFS' && (inside(from) || inside(to))) throw readOnlyError('rename', to);
      real.renameSync(from, to);
    },
  };
  Object.assign(fs, patch);
  syncBuiltinESMExports();
  let installed = true;
  return {
    how: 'injected',
    strike: () => (struck = true),
    heal: () => (struck = false),
    release: () => {
      if (!installed) return;
      installed = false;
      injecting = false;
      Object.assign(fs, real);
      syncBuiltinESMExports();
    },
  };
}
