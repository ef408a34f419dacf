import { join } from 'node:path';
import type { InvokeHandlers } from '../ipc/router';
import type { Ports } from '../ports';
import type { SettingsFeature } from '../settings/settings-feature';
import type { Emit } from '../windows/windows-feature';
import type { ApiKeySource } from './api-key';
import { ApiKeyStore } from './api-key-store';
import { Credentials } from './credentials';
import { checkApiKey } from './key-check';

export interface CredentialsFeature {
  apiKey(): ApiKeySource | undefined;
  /** The saved key is still being decrypted (the OS may be asking the user). */
  unlocking(): boolean;
  /** Settles once the saved key is decrypted, or known to be missing or unreadable. */
  readonly loaded: Promise<void>;
  /** Told when a key is saved or cleared, before the windows hear of it. */
  onChange(listener: () => void): void;
  readonly invokes: Pick<InvokeHandlers, 'getCredentials' | 'setApiKey' | 'clearApiKey'>;
}

/** The Gemini API key: where it comes from, saving one that passed a test connect, and clearing it. */
export function credentialsFeature(
  ports: Pick<Ports, 'secrets' | 'app' | 'env' | 'log'>,
  settings: Pick<SettingsFeature, 'current' | 'forProfile'>,
  emit: Emit,
): CredentialsFeature {
  const listeners: (() => void)[] = [];
  const credentials = new Credentials(
    new ApiKeyStore(ports.secrets, join(ports.app.userDataPath, 'api-key.bin'), (message) =>
      ports.log.warn(`credentials: ${message}`),
    ),
    ports.env,
    () => {
      for (const listener of listeners) listener();
      emit('credentialsChanged', credentials.view());
    },
  );
  // The same endpoint, model and setup as the first profile's sessions, so a key that passes works for them.
  const check = async (candidate: string) => {
    const profile = settings.forProfile(settings.current.profiles[0]!.id);
    return checkApiKey(candidate, {
      endpoint: await profile.live.endpoint(),
      model: profile.current.model,
      config: profile.live.config(),
    });
  };
  return {
    apiKey: () => credentials.key(),
    unlocking: () => credentials.unlocking,
    loaded: credentials.loaded,
    onChange: (listener) => void listeners.push(listener),
    invokes: {
      // Not before the saved key is read: what the window shows is what Parley has.
      getCredentials: async () => {
        await credentials.loaded;
        return credentials.view();
      },
      setApiKey: ({ key, allowWeakEncryption }) => credentials.save(key, allowWeakEncryption ?? false, check),
      clearApiKey: () => credentials.clear(),
    },
  };
}
