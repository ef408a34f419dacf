import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { ApiKeyStore } from '../../electron/main/credentials/api-key-store';
import { Credentials } from '../../electron/main/credentials/credentials';
import { TestSecretStore } from '../harness/test-secrets';
import { lockableFolder } from '../support/disk-faults';

const file = () => join(mkdtempSync(join(tmpdir(), 'parley-key-')), 'api-key.bin');

it('keeps only ciphertext on disk, reads the key back, and forgets it on request', () => {
  const path = file();
  const store = new ApiKeyStore(new TestSecretStore(), path);
  assert.equal(store.read(), undefined);
  store.save('AIzaSecretKey1234');
  assert.equal(readFileSync(path).includes('AIzaSecretKey1234'), false);
  assert.equal(store.read(), 'AIzaSecretKey1234');
  store.clear();
  assert.equal(store.read(), undefined);
});

it('treats a key encrypted for another user or machine as no key', () => {
  const path = file();
  new ApiKeyStore(new TestSecretStore(), path).save('AIzaSecretKey1234');
  assert.equal(new ApiKeyStore(new TestSecretStore(), path).read(), undefined);
});

it('keeps the key file readable by its owner only, even where one was left readable by others', () => {
  const path = file();
  const modeOf = () => statSync(path).mode & 0o777;
  writeFileSync(path, 'an older key');
  chmodSync(path, 0o644);
  const store = new ApiKeyStore(new TestSecretStore(), path);
  store.save('AIzaSecretKey1234');
  assert.equal(modeOf().toString(8), '600', 'a save closes a file it did not create');
  chmodSync(path, 0o644);
  assert.equal(new ApiKeyStore(new TestSecretStore(), path).read(), undefined);
  assert.equal(modeOf().toString(8), '600', 'a file found open to others is closed when read');
});

it('flags Linux storage without a keyring as weak', () => {
  assert.equal(new ApiKeyStore(new TestSecretStore('basic_text'), file()).weakEncryption, true);
  assert.equal(new ApiKeyStore(new TestSecretStore('kwallet5'), file()).weakEncryption, false);
});

it('on a read-only folder refuses to save a key with a clear reason, keeps it nowhere, and cannot remove a stored one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-key-'));
  const path = join(dir, 'api-key.bin');
  new ApiKeyStore(new TestSecretStore(), path).save('AIzaOldKey0000');
  const fault = lockableFolder(dir);
  try {
    fault.strike();
    t.diagnostic(`a read-only folder made by ${fault.how}`);
    const store = new ApiKeyStore(new TestSecretStore(), path);
    const credentials = new Credentials(store, {}, () => undefined);
    const result = await credentials.save('AIzaNewKey1234', false, async () => undefined);
    assert.equal(result.saved, false);
    assert.equal(
      !result.saved && result.problem,
      `The key could not be saved: the user-data folder is read-only (${dir}). Try again once it can be written again. ` +
        'Meanwhile GEMINI_API_KEY in the environment works.',
    );
    assert.equal(credentials.key(), undefined, 'the refused key is not used either');
    assert.deepEqual(readdirSync(dir), ['api-key.bin']);
    assert.throws(() => store.clear(), /The key could not be removed: the user-data folder is read-only/);
  } finally {
    fault.release();
  }
});
