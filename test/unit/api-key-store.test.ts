import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { ApiKeyStore } from '../../electron/main/credentials/api-key-store';
import { TestSecretStore } from '../harness/test-secrets';

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

it('flags Linux storage without a keyring as weak', () => {
  assert.equal(new ApiKeyStore(new TestSecretStore('basic_text'), file()).weakEncryption, true);
  assert.equal(new ApiKeyStore(new TestSecretStore('kwallet5'), file()).weakEncryption, false);
});
