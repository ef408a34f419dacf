/** The file behind the settings: electron-store in the app, its base `conf` in tests. */
export interface KeyValueFile {
  readonly path: string;
  store: Record<string, unknown>;
}

export interface SettingsFilePort {
  /** Where the file lives, known before it is opened (so a corrupt one can be moved aside first). */
  readonly path: string;
  open(): KeyValueFile;
}

/**
 * A key-value file that never throws. On a full or read-only disk (or a file
 * that cannot be opened at all) what could not be written is kept in memory
 * and read back from there until a write goes through or Parley quits.
 */
export class KeptFile implements KeyValueFile {
  private file: KeyValueFile | undefined;
  /** Newer than the file: the last value that could not be written. */
  private kept: Record<string, unknown> | undefined;
  private failed: unknown;

  /** `onProblem` hears when writing starts failing (with why) and when it works again (undefined). */
  constructor(
    private readonly port: SettingsFilePort,
    private readonly onProblem: (error: unknown) => void = () => undefined,
  ) {}

  get path(): string {
    return this.port.path;
  }

  /** Why the file could not be opened or written last time; undefined while it works. */
  get failure(): unknown {
    return this.failed;
  }

  get store(): Record<string, unknown> {
    if (this.kept) return this.kept;
    try {
      return this.opened().store;
    } catch (error) {
      // Unreadable, or (a damaged file conf wants to rewrite) not writable: nothing to start from.
      this.fail(error);
      return (this.kept = {});
    }
  }

  set store(value: Record<string, unknown>) {
    this.kept = value;
    try {
      this.opened().store = value;
      this.kept = undefined;
      this.works();
    } catch (error) {
      this.fail(error);
    }
  }

  private opened(): KeyValueFile {
    return (this.file ??= this.port.open());
  }

  private fail(error: unknown): void {
    const news = this.failed === undefined;
    this.failed = error ?? new Error('unknown error');
    if (news) this.onProblem(this.failed);
  }

  private works(): void {
    if (this.failed === undefined) return;
    this.failed = undefined;
    this.onProblem(undefined);
  }
}
