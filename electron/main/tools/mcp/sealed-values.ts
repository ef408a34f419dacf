/**
 * Secret values of mcp.json (header and environment values), kept encrypted like the API key.
 *
 * Design: a value typed or imported in Settings is encrypted with the OS's safeStorage (keychain,
 * DPAPI, a Linux secret service) and stored in mcp.json itself as `parley-encrypted:<base64>`.
 * Inline rather than in a second file beside it, so one atomic write of mcp.json is the whole
 * change: no reference can outlive its secret or the other way round, removing a server removes
 * its secrets, and renaming one keeps them. The ciphertext is of no use on another machine or
 * account, like the key's. A value written by hand (or by another app) stays as it is and is sent
 * as it is: Parley never rewrites what it did not write.
 *
 * McpServers asks for the plain value synchronously when it starts a server, so `open` decrypts
 * every sealed value of a config before that config is used.
 */
import type { SecretStorePort } from '../../credentials/api-key-store';
import type { McpServerConfig } from './mcp-config';

const prefix = 'parley-encrypted:';

/** Whether a value in mcp.json is one Parley encrypted. */
export const isSealed = (stored: string): boolean => stored.startsWith(prefix);

/** A value that cannot be encrypted here, said for the user. */
export class SealError extends Error {}

/** The values of a server Parley may have encrypted: its headers' or its variables'. */
const storedValues = (config: McpServerConfig): string[] =>
  Object.values(config.transport === 'http' ? config.headers : config.env);

export class SealedValues {
  /** Sealed value → its plain text, or why it cannot be decrypted here; for the config in use. */
  private opened = new Map<string, { plain: string } | { problem: string }>();

  constructor(private readonly secrets: SecretStorePort) {}

  /** Linux without a keyring: safeStorage only obfuscates (a hard-coded password). */
  get weakEncryption(): boolean {
    return this.secrets.backend() === 'basic_text';
  }

  /**
   * Decrypts the sealed values of these servers. Only then does the OS store open (a keychain
   * prompt on macOS): a config without sealed values never asks. Not encrypted again when the OS
   * would like it (`shouldReEncrypt`): that would rewrite mcp.json behind the user's back, and the
   * old encryption still decrypts.
   */
  async open(servers: readonly McpServerConfig[]): Promise<void> {
    const sealed = new Set(servers.flatMap(storedValues).filter(isSealed));
    const next = new Map<string, { plain: string } | { problem: string }>();
    for (const stored of sealed) next.set(stored, this.opened.get(stored) ?? (await this.decrypt(stored)));
    this.opened = next;
  }

  private async decrypt(stored: string): Promise<{ plain: string } | { problem: string }> {
    try {
      const { result } = await this.secrets.decrypt(Buffer.from(stored.slice(prefix.length), 'base64'));
      return { plain: result };
    } catch {
      return { problem: 'it was encrypted for another user or computer' };
    }
  }

  /**
   * The value to send for a stored one (McpServers' resolver). Throws, saying what to do, for a
   * sealed value that cannot be decrypted here: the server shows as failed with that reason.
   */
  readonly resolve = (serverName: string, name: string, stored: string): string => {
    if (!isSealed(stored)) return stored;
    const opened = this.opened.get(stored);
    if (opened && 'plain' in opened) return opened.plain;
    const why = opened?.problem ?? 'it has not been decrypted';
    throw new Error(
      `The value of ${name} for "${serverName}" cannot be read (${why}). Type it again in Settings → Tools.`,
    );
  };

  /** The form of `plain` to store in mcp.json. Throws a SealError where the system cannot encrypt. */
  async seal(plain: string): Promise<string> {
    let encrypted: Buffer;
    try {
      if (!(await this.secrets.isEncryptionAvailable())) throw new Error('no encryption is available');
      encrypted = await this.secrets.encrypt(plain);
    } catch (error) {
      throw new SealError(
        `This system cannot encrypt it (${(error as Error).message}), so Parley does not store it. ` +
          'You can write it into mcp.json yourself, where it stays in plain text.',
        { cause: error },
      );
    }
    const sealed = `${prefix}${encrypted.toString('base64')}`;
    this.opened.set(sealed, { plain });
    return sealed;
  }
}
