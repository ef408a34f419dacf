import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretStorePort } from '../../electron/main/credentials/api-key-store';

/**
 * safeStorage as the OS would provide it: real AES-GCM under a key the
 * "keychain" (this object) holds, so what lands on disk is ciphertext.
 */
export class TestSecretStore implements SecretStorePort {
  private readonly key = randomBytes(32);

  constructor(private readonly selectedBackend = 'gnome_libsecret') {}

  isEncryptionAvailable(): boolean {
    return true;
  }

  backend(): string {
    return this.selectedBackend;
  }

  encrypt(plainText: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  decrypt(encrypted: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(0, 12));
    decipher.setAuthTag(encrypted.subarray(12, 28));
    return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
  }
}
