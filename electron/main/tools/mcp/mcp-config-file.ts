/**
 * The mcp.json file on disk: read, written whole or not at all, one change at a time. Its text
 * can be edited by hand at any time, so every change starts from what the file says now.
 */
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseMcpConfig, serializeMcpConfig, type McpConfigDocument, type ParsedMcpConfig } from './mcp-config';

export interface ReadMcpConfig extends ParsedMcpConfig {
  /**
   * Why Parley must not write the file: it cannot be read, or is not a list of servers at all.
   * Writing it would lose what the user wrote; they fix it by hand first.
   */
  unwritable?: string;
}

/** mcp.json may hold values written by hand (tokens): a new file is the user's alone. */
const newFileMode = 0o600;

export class McpConfigFile {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  /** What the file says now; a missing file is an empty list. Never throws. */
  read(): ReadMcpConfig {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return parseMcpConfig('');
      const message = `${this.path} cannot be read: ${(error as Error).message}`;
      return { ...parseMcpConfig(''), problems: [{ message }], unwritable: message };
    }
    const parsed = parseMcpConfig(text);
    const wholeFile = parsed.problems.find((problem) => problem.server === undefined);
    if (!wholeFile) return parsed;
    const name = basename(this.path);
    return {
      ...parsed,
      unwritable: `${name}: ${wholeFile.message}. Fix it by hand first: Parley does not overwrite it.`,
    };
  }

  /**
   * Replaces the file with this document, as a whole: written to a file beside it, flushed to the
   * disk, then renamed over it, so a crash or a full disk leaves the old file as it was. The file
   * keeps its permissions, and a symbolic link stays a link (the file it points to is replaced).
   * Returns the document as written, read back. Throws when the disk refuses.
   */
  write(document: McpConfigDocument): ParsedMcpConfig {
    const text = serializeMcpConfig(document);
    const target = this.target();
    const mode = modeOf(target) ?? newFileMode;
    const temporary = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const file = openSync(temporary, 'wx', mode);
      try {
        fchmodSync(file, mode);
        writeSync(file, text);
        fsyncSync(file);
      } finally {
        closeSync(file);
      }
      renameSync(temporary, target);
    } catch (error) {
      removeQuietly(temporary);
      throw error;
    }
    return parseMcpConfig(text);
  }

  /** Runs `task` once every change (and start) before it has finished: two changes never interleave. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private target(): string {
    try {
      return realpathSync(this.path);
    } catch {
      return this.path;
    }
  }
}

function modeOf(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return undefined;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Never created, or the disk refuses even that: a stray .tmp file beside mcp.json, nothing lost.
  }
}
