import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { ApiKeyStore } from '../../electron/main/credentials/api-key-store';
import { Credentials } from '../../electron/main/credentials/credentials';
import { initialStatus } from '../../electron/main/session/session-status';
import { TestSecretStore } from '../harness/test-secrets';
import { lockableFolder } from '../support/disk-faults';

const file = () => join(mkdtempSync(join(tmpdir(), 'parley-key-')), 'api-key.bin');

it('keeps only ciphertext on disk, reads the key back, and forgets it on request', async () => {
  const path = file();
  const store = new ApiKeyStore(new TestSecretStore(), path);
  assert.equal(await store.read(), undefined);
  await store.save('AIzaSecretKey1234');
  assert.equal(readFileSync(path).includes('AIzaSecretKey1234'), false);
  assert.equal(await store.read(), 'AIzaSecretKey1234');
  store.clear();
  assert.equal(await store.read(), undefined);
});

it('treats a key encrypted for another user or machine as no key', async () => {
  const path = file();
  await new ApiKeyStore(new TestSecretStore(), path).save('AIzaSecretKey1234');
  assert.equal(await new ApiKeyStore(new TestSecretStore(), path).read(), undefined);
});

it('encrypts the saved key again when the system says its key changed, so it outlives the old key', async () => {
  const path = file();
  const secrets = new TestSecretStore();
  await new ApiKeyStore(secrets, path).save('AIzaSecretKey1234');
  const before = readFileSync(path);
  secrets.rotateKey();
  const credentials = new Credentials(new ApiKeyStore(secrets, path), {}, () => undefined);
  await credentials.loaded;
  assert.equal(credentials.key()?.key, 'AIzaSecretKey1234');
  assert.notDeepEqual(readFileSync(path), before, 'written again');
  assert.equal(readFileSync(path).includes('AIzaSecretKey1234'), false, 'still only ciphertext');
  assert.equal((statSync(path).mode & 0o777).toString(8), '600');
  secrets.forgetOldKeys();
  assert.equal(await new ApiKeyStore(secrets, path).read(), 'AIzaSecretKey1234', 'readable under the new key alone');
});

it('is unlocking a saved key until the system opens its store, and only then has it', async () => {
  const path = file();
  const secrets = new TestSecretStore();
  await new ApiKeyStore(secrets, path).save('AIzaSecretKey1234');
  let answer = () => undefined as void;
  secrets.lockUntil(new Promise<void>((resolve) => (answer = resolve)));
  const changes: string[] = [];
  const credentials = new Credentials(new ApiKeyStore(secrets, path), {}, () => changes.push('changed'));
  await setImmediatePromise();
  assert.equal(credentials.unlocking, true);
  assert.equal(credentials.key(), undefined);
  const unlocking = initialStatus(false, credentials.unlocking);
  assert.match(unlocking.detail, /^Unlocking the saved Gemini API key/);
  answer();
  await credentials.loaded;
  assert.equal(credentials.unlocking, false);
  assert.equal(credentials.key()?.key, 'AIzaSecretKey1234');
  assert.deepEqual(changes, [], 'reading the saved key is no change (the conversation goes on)');
  assert.equal(new Credentials(new ApiKeyStore(secrets, file()), {}, () => undefined).unlocking, false, 'none saved');
});

it('keeps the key file readable by its owner only, even where one was left readable by others', async () => {
  const path = file();
  const modeOf = () => statSync(path).mode & 0o777;
  writeFileSync(path, 'an older key');
  chmodSync(path, 0o644);
  const secrets = new TestSecretStore();
  await new ApiKeyStore(secrets, path).save('AIzaSecretKey1234');
  assert.equal(modeOf().toString(8), '600', 'a save closes a file it did not create');
  chmodSync(path, 0o644);
  assert.equal(await new ApiKeyStore(secrets, path).read(), 'AIzaSecretKey1234');
  assert.equal(modeOf().toString(8), '600', 'a file found open to others is closed when read');
});

it('flags Linux storage without a keyring as weak', () => {
  assert.equal(new ApiKeyStore(new TestSecretStore('basic_text'), file()).weakEncryption, true);
  assert.equal(new ApiKeyStore(new TestSecretStore('kwallet5'), file()).weakEncryption, false);
});

it('on a read-only folder refuses to save a key with a clear reason, keeps it nowhere, and cannot remove a stored one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-key-'));
  const path = join(dir, 'api-key.bin');
  const secrets = new TestSecretStore();
  await new ApiKeyStore(secrets, path).save('AIzaOldKey0000');
  const fault = lockableFolder(dir);
  try {
    fault.strike();
    t.diagnostic(`a read-only folder made by ${fault.how}`);
    const store = new ApiKeyStore(secrets, path);
    const credentials = new Credentials(store, {}, () => undefined);
    const result = await credentials.save('AIzaNewKey1234', false, async () => undefined);
    assert.equal(result.saved, false);
    assert.equal(
      !result.saved && result.problem,
      `The key could not be saved: the user-data folder is read-only (${dir}). Try again once it can be written again. ` +
        'Meanwhile GEMINI_API_KEY in the environment works.',
    );
    assert.equal(credentials.key()?.key, 'AIzaOldKey0000', 'the refused key is not used; the saved one still is');
    assert.deepEqual(readdirSync(dir), ['api-key.bin']);
    assert.throws(() => store.clear(), /The key could not be removed: the user-data folder is read-only/);
  } finally {
    fault.release();
  }
});
