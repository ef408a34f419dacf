import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
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
    try {
      return this.secrets.decrypt(readFileSync(this.path));
    } catch {
      // Encrypted for another user or machine: as good as no key.
      return undefined;
    }
  }

  /** Throws, saying why in the user's words, where the file cannot be written (the key is never put anywhere else). */
  save(key: string): void {
    this.change('saved', () => writeFileSync(this.path, this.secrets.encrypt(key), { mode: 0o600 }));
  }

  clear(): void {
    // Not rmSync: Node 24's reports a read-only disk without an error code.
    this.change('removed', () => existsSync(this.path) && unlinkSync(this.path));
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
