import assert from 'node:assert/strict';
import { it } from 'node:test';
import { apiKeyFromEnv } from '../../electron/main/credentials/api-key';

it('takes GEMINI_API_KEY over GOOGLE_API_KEY and ignores blank values', () => {
  assert.deepEqual(apiKeyFromEnv({ GEMINI_API_KEY: ' g ', GOOGLE_API_KEY: 'o' }), {
    key: 'g',
    origin: 'GEMINI_API_KEY',
  });
  assert.deepEqual(apiKeyFromEnv({ GEMINI_API_KEY: '  ', GOOGLE_API_KEY: 'o' }), {
    key: 'o',
    origin: 'GOOGLE_API_KEY',
  });
  assert.equal(apiKeyFromEnv({}), undefined);
});
