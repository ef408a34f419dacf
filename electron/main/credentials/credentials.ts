import type { CredentialsView, SetApiKeyResult } from '../../../shared/settings';
import { apiKeyFromEnv, describeKey, type ApiKeySource } from './api-key';
import type { ApiKeyStore } from './api-key-store';

/** Checks a key against the Live API; undefined when it works, else what is wrong. */
export type KeyCheck = (key: string) => Promise<string | undefined>;

/**
 * The Gemini API key: from the environment if set there, otherwise the one
 * saved encrypted in Settings (decrypted once, then kept in memory). Only
 * `view()` ever leaves main, and it carries the last four characters at most.
 */
export class Credentials {
  private stored: string | undefined;
  private encryptionAvailable = false;
  private loading = true;
  /**
   * Settles once the saved key is decrypted, or found missing or unreadable. Decrypting never
   * blocks main: the OS may first ask the user (a keychain prompt), for as long as they take.
   */
  readonly loaded: Promise<void>;

  constructor(
    private readonly store: ApiKeyStore,
    private readonly env: Readonly<Record<string, string | undefined>>,
    /** Told after every change, so sessions and windows can follow. */
    private readonly changed: () => void,
  ) {
    this.loaded = this.load();
  }

  /** A saved key is being decrypted: no key yet, but not for want of one. */
  get unlocking(): boolean {
    return this.loading && this.store.saved;
  }

  key(): ApiKeySource | undefined {
    return apiKeyFromEnv(this.env) ?? (this.stored ? { key: this.stored, origin: 'settings' } : undefined);
  }

  /** What the settings window shows; complete once `loaded` has settled. */
  view(): CredentialsView {
    return {
      ...describeKey(this.key()),
      encryptionAvailable: this.encryptionAvailable,
      weakEncryption: this.store.weakEncryption,
    };
  }

  /** Saves a key that passed a real test connect, and only where it can be encrypted (or the user accepted less). */
  async save(key: string, allowWeakEncryption: boolean, check: KeyCheck): Promise<SetApiKeyResult> {
    await this.loaded;
    const refuse = (problem: string) => ({ saved: false, problem, credentials: this.view() });
    if (!this.encryptionAvailable) {
      return refuse(
        'This system offers no way to encrypt the key, so Parley cannot store it. Set GEMINI_API_KEY in the environment instead.',
      );
    }
    if (this.store.weakEncryption && !allowWeakEncryption) {
      return refuse(
        'No keyring is available (Linux basic_text storage): the key would only be obfuscated on disk, not encrypted. Confirm to store it anyway.',
      );
    }
    const problem = await check(key);
    if (problem) return refuse(problem);
    try {
      await this.store.save(key);
    } catch (error) {
      return refuse(`${(error as Error).message} Meanwhile GEMINI_API_KEY in the environment works.`);
    }
    this.stored = key;
    this.changed();
    return { saved: true, credentials: this.view() };
  }

  async clear(): Promise<CredentialsView> {
    // After the saved key is read, so the read cannot bring back what was cleared.
    await this.loaded;
    this.store.clear();
    this.stored = undefined;
    this.changed();
    return this.view();
  }

  private async load(): Promise<void> {
    try {
      this.encryptionAvailable = await this.store.available();
      this.stored = await this.store.read();
    } finally {
      this.loading = false;
    }
  }
}
