import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretStorePort } from '../../electron/main/credentials/api-key-store';

/**
 * safeStorage as the OS would provide it: real AES-GCM under keys the
 * "keychain" (this object) holds, so what lands on disk is ciphertext. Like
 * the OS, it can rotate its key: what the old one encrypted still decrypts,
 * and says it should be encrypted again.
 */
export class TestSecretStore implements SecretStorePort {
  /** Every key this keychain has had; the last one encrypts. */
  private keys = [randomBytes(32)];
  /** Settles when the keychain opens (a user answering its prompt). */
  private opened: Promise<unknown> = Promise.resolve();

  constructor(private readonly selectedBackend = 'gnome_libsecret') {}

  /** The keychain asks the user first, until they answer (`answer` settles). */
  lockUntil(answer: Promise<unknown>): void {
    this.opened = answer;
  }

  async isEncryptionAvailable(): Promise<boolean> {
    await this.opened;
    return true;
  }

  backend(): string {
    return this.selectedBackend;
  }

  /** A new key encrypts from now on; the old ones still decrypt. */
  rotateKey(): void {
    this.keys.push(randomBytes(32));
  }

  /** Only the current key is left: what an old one encrypted no longer decrypts. */
  forgetOldKeys(): void {
    this.keys = this.keys.map((key, index) => (index === this.keys.length - 1 ? key : randomBytes(32)));
  }

  async encrypt(plainText: string): Promise<Buffer> {
    await this.opened;
    const iv = randomBytes(12);
    const version = this.keys.length - 1;
    const cipher = createCipheriv('aes-256-gcm', this.keys[version]!, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(version), iv, cipher.getAuthTag(), body]);
  }

  async decrypt(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    await this.opened;
    const version = encrypted[0]!;
    const key = this.keys[version];
    if (!key) throw new Error('Unsupported state or unable to authenticate data');
    const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(1, 13));
    decipher.setAuthTag(encrypted.subarray(13, 29));
    const result = Buffer.concat([decipher.update(encrypted.subarray(29)), decipher.final()]).toString('utf8');
    return { result, shouldReEncrypt: version !== this.keys.length - 1 };
  }
}
