import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TranscriptEntry } from '../../../shared/types';
import { encodeRecord, type HeaderRecord } from './records';

/** setTimeout and clearTimeout, injectable so tests control time. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const systemTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** How long a recorded change may wait in memory: what a crash or a power cut can cost at most. */
export const flushIntervalMs = 1_000;

export interface LogEvents {
  /** After records reached the disk. */
  flushed(): void;
  /** Writing failed (a full disk…); the records stay buffered and are tried again. */
  failed(error: unknown): void;
}

/**
 * Appends one conversation's entry records to its file. Streaming updates are
 * buffered (the latest version of each entry only, in the order the entries
 * were first recorded), then written and
 * fdatasync'ed at every turn boundary, when an entry leaves 'streaming', and
 * at most a second after the first buffered change. Writes are synchronous:
 * a few kilobytes at most once a second, so the order on disk is the order of
 * events and a quit can flush on its way out.
 */
export class ConversationLog {
  private readonly pending = new Map<number, TranscriptEntry>();
  private timer: unknown;
  private failing = false;
  private closed = false;

  private constructor(
    private readonly fd: number,
    /** Bytes known to be whole records; a failed write is cut back to here. */
    private size: number,
    private readonly timers: Timers,
    private readonly events: LogEvents,
  ) {}

  /**
   * A new file holding only its header, durable (and its directory entry too) before this returns.
   * If that cannot be (a full disk…), it throws and leaves neither the file nor its descriptor behind.
   */
  static create(path: string, header: HeaderRecord, timers: Timers, events: LogEvents): ConversationLog {
    const fd = openSync(path, 'wx');
    try {
      const line = Buffer.from(encodeRecord(header));
      writeAll(fd, line);
      fdatasyncSync(fd);
      syncDirectory(dirname(path));
      return new ConversationLog(fd, line.length, timers, events);
    } catch (error) {
      closeSync(fd);
      try {
        unlinkSync(path);
      } catch {
        // Left empty or headerless, it is removed when the store next opens.
      }
      throw error;
    }
  }

  /** Carries on an existing file after its last whole line, dropping a torn one; throws without keeping the descriptor. */
  static reopen(path: string, wholeBytes: number, timers: Timers, events: LogEvents): ConversationLog {
    const fd = openSync(path, 'r+');
    try {
      ftruncateSync(fd, wholeBytes);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return new ConversationLog(fd, wholeBytes, timers, events);
  }

  get bytes(): number {
    return this.size;
  }

  record(entry: TranscriptEntry): void {
    // A reply still arriving while the app shuts down has nowhere to go.
    if (this.closed) return;
    // An entry keeps its place in the batch while it changes, so the file takes entries in transcript order:
    // a question transcribed after its reply began still goes above the reply.
    this.pending.set(entry.id, { ...entry });
    if (entry.state !== 'streaming') this.flush();
    else this.timer ??= this.timers.set(() => this.flush(), flushIntervalMs);
  }

  flush(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const data = Buffer.from(
      [...this.pending.values()].map((entry) => encodeRecord({ type: 'entry', entry })).join(''),
    );
    try {
      writeAll(this.fd, data, this.size);
      fdatasyncSync(this.fd);
    } catch (error) {
      this.recover(error);
      return;
    }
    this.size += data.length;
    this.pending.clear();
    this.failing = false;
    this.events.flushed();
  }

  /** Writes what is buffered and lets go of the file; false if some of it could not be written. */
  close(): boolean {
    if (this.closed) return this.pending.size === 0;
    this.flush();
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.closed = true;
    try {
      closeSync(this.fd);
    } catch {
      // The descriptor is released even when close reports an error.
    }
    return this.pending.size === 0;
  }

  private recover(error: unknown): void {
    try {
      ftruncateSync(this.fd, this.size);
    } catch {
      // The next write starts at `size` anyway, overwriting whatever part was written.
    }
    if (!this.failing) this.events.failed(error);
    this.failing = true;
    this.timer = this.timers.set(() => this.flush(), flushIntervalMs);
  }
}

function writeAll(fd: number, data: Buffer, position = 0): void {
  for (let done = 0; done < data.length;) done += writeSync(fd, data, done, data.length - done, position + done);
}

/** Makes a new or removed file's directory entry durable; Windows has no such call, and needs none. */
export function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
