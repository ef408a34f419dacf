import {
  chmodSync,
  closeSync,
  existsSync,
  fchmodSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { explainWriteError } from '../storage/write-problems';

/** Electron's safeStorage: the OS keychain, DPAPI, or a Linux secret service. */
export interface SecretStorePort {
  isEncryptionAvailable(): boolean;
  /** Linux: which backend safeStorage uses; 'basic_text' means a hard-coded password, not real encryption. */
  backend(): string;
  encrypt(plainText: string): Buffer;
  decrypt(encrypted: Buffer): string;
}

/** Only the user may read the key's file, whatever the umask or an earlier version left. */
const ownerOnly = 0o600;

/** The API key at rest: only ever the output of safeStorage, in one file of the user-data directory. */
export class ApiKeyStore {
  constructor(
    private readonly secrets: SecretStorePort,
    private readonly path: string,
  ) {}

  /** True where the key would only be obfuscated, so the user must agree first. */
  get weakEncryption(): boolean {
    return this.secrets.backend() === 'basic_text';
  }

  get available(): boolean {
    return this.secrets.isEncryptionAvailable();
  }

  read(): string | undefined {
    if (!existsSync(this.path) || !this.available) return undefined;
    this.tighten();
    try {
      return this.secrets.decrypt(readFileSync(this.path));
    } catch {
      // Encrypted for another user or machine: as good as no key.
      return undefined;
    }
  }

  /** Throws, saying why in the user's words, where the file cannot be written (the key is never put anywhere else). */
  save(key: string): void {
    this.change('saved', () => this.write(this.secrets.encrypt(key)));
  }

  clear(): void {
    // Not rmSync: Node 24's reports a read-only disk without an error code.
    this.change('removed', () => existsSync(this.path) && unlinkSync(this.path));
  }

  /** The mode is set before a byte is written: `mode` alone applies only to a file it creates. */
  private write(encrypted: Buffer): void {
    const file = openSync(this.path, 'w', ownerOnly);
    try {
      fchmodSync(file, ownerOnly);
      writeSync(file, encrypted);
    } finally {
      closeSync(file);
    }
  }

  /** A file others may read (left by an older Parley, or copied in) is closed to them. */
  private tighten(): void {
    try {
      if ((statSync(this.path).mode & 0o077) !== 0) chmodSync(this.path, ownerOnly);
    } catch {
      // A read-only disk: the key can still be read, and the next save tries again.
    }
  }

  private change(done: string, write: () => void): void {
    try {
      write();
    } catch (error) {
      const { what, until } = explainWriteError(error, 'the user-data folder');
      throw new Error(`The key could not be ${done}: ${what} (${dirname(this.path)}). Try again once ${until}.`, {
        cause: error,
      });
    }
  }
}
