import {
  chmodSync,
  closeSync,
  existsSync,
  fchmodSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { explainWriteError } from '../storage/write-problems';

/** Electron's safeStorage, asynchronous: the OS keychain, DPAPI, or a Linux secret service. */
export interface SecretStorePort {
  /** Resolves once the OS store is ready, which may wait for the user (a keychain prompt on macOS). */
  isEncryptionAvailable(): Promise<boolean>;
  /** Linux: which backend safeStorage uses; 'basic_text' means a hard-coded password, not real encryption. */
  backend(): string;
  encrypt(plainText: string): Promise<Buffer>;
  /** `shouldReEncrypt`: the OS has rotated its key (or offers a stronger one) since this was encrypted. */
  decrypt(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
}

/** Only the user may read the key's file, whatever the umask or an earlier version left. */
const ownerOnly = 0o600;

/** The API key at rest: only ever the output of safeStorage, in one file of the user-data directory. */
export class ApiKeyStore {
  constructor(
    private readonly secrets: SecretStorePort,
    private readonly path: string,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /** True where the key would only be obfuscated, so the user must agree first. */
  get weakEncryption(): boolean {
    return this.secrets.backend() === 'basic_text';
  }

  /** A key was saved (whether it can still be decrypted is for `read` to find out). */
  get saved(): boolean {
    return existsSync(this.path);
  }

  async available(): Promise<boolean> {
    try {
      return await this.secrets.isEncryptionAvailable();
    } catch (error) {
      this.warn(`the system's encryption could not start (${(error as Error).message})`);
      return false;
    }
  }

  /** The saved key; encrypted again, in place, when the OS says its encryption is outdated. */
  async read(): Promise<string | undefined> {
    if (!this.saved || !(await this.available())) return undefined;
    this.tighten();
    let decrypted: { result: string; shouldReEncrypt: boolean };
    try {
      decrypted = await this.secrets.decrypt(readFileSync(this.path));
    } catch {
      // Encrypted for another user or machine: as good as no key.
      return undefined;
    }
    if (decrypted.shouldReEncrypt) await this.reEncrypt(decrypted.result);
    return decrypted.result;
  }

  /** Throws, saying why in the user's words, where the key cannot be encrypted or written (it is never put anywhere else). */
  async save(key: string): Promise<void> {
    let encrypted: Buffer;
    try {
      encrypted = await this.secrets.encrypt(key);
    } catch (error) {
      throw new Error(`The key could not be encrypted (${(error as Error).message}).`, { cause: error });
    }
    this.change('saved', () => this.write(encrypted));
  }

  clear(): void {
    // Not rmSync: Node 24's reports a read-only disk without an error code.
    this.change('removed', () => existsSync(this.path) && unlinkSync(this.path));
  }

  /** Failing leaves the old encryption, which still decrypts: worth a log line, not the user's attention. */
  private async reEncrypt(key: string): Promise<void> {
    try {
      this.write(await this.secrets.encrypt(key));
    } catch (error) {
      this.warn(`the API key could not be encrypted again as the system asked (${(error as Error).message})`);
    }
  }

  /**
   * Into a new file that replaces the old one only once whole, so a full disk never costs the key
   * already saved. Its mode is set before a byte is written (`mode` alone applies only to a file
   * it creates, and a stale one may be left from a crash).
   */
  private write(encrypted: Buffer): void {
    const next = `${this.path}.new`;
    try {
      const file = openSync(next, 'w', ownerOnly);
      try {
        fchmodSync(file, ownerOnly);
        writeSync(file, encrypted);
      } finally {
        closeSync(file);
      }
      renameSync(next, this.path);
    } catch (error) {
      removeHalfWritten(next);
      throw error;
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

function removeHalfWritten(path: string): void {
  try {
    if (existsSync(path)) unlinkSync(path);
  } catch {
    // What could not be removed is only ever ciphertext, and replaced by the next save.
  }
}
