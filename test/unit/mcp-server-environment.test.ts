import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serverEnvironment } from '../../electron/main/tools/mcp/server-environment';

const parentEnv = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/u',
  LANG: 'en_GB.UTF-8',
  GEMINI_API_KEY: 'AIza-gemini',
  GOOGLE_API_KEY: 'AIza-google',
  GITHUB_TOKEN: 'ghp_parent',
  NODE_OPTIONS: '--require /tmp/evil.js',
};

describe('MCP server environment', () => {
  it('gives the safe base, the login shell PATH and the configured variables', () => {
    const { env, withheld } = serverEnvironment({
      configured: { GITHUB_TOKEN: 'ghp_for_this_server', DEBUG: '1' },
      parentEnv,
      platform: 'linux',
      path: '/opt/homebrew/bin:/usr/bin:/bin',
    });
    assert.deepEqual(env, {
      PATH: '/opt/homebrew/bin:/usr/bin:/bin',
      HOME: '/home/u',
      LANG: 'en_GB.UTF-8',
      GITHUB_TOKEN: 'ghp_for_this_server',
      DEBUG: '1',
    });
    assert.deepEqual(withheld, []);
  });

  it('withholds the key and every GEMINI_, GOOGLE_ and PARLEY_ variable even when configured, and says which', () => {
    const { env, withheld } = serverEnvironment({
      configured: {
        GEMINI_API_KEY: 'AIza-configured',
        google_application_credentials: '/home/u/sa.json',
        PARLEY_LIVE_URL: 'http://x',
        OK: 'yes',
      },
      parentEnv,
      platform: 'linux',
    });
    assert.deepEqual(withheld, ['GEMINI_API_KEY', 'google_application_credentials', 'PARLEY_LIVE_URL']);
    assert.deepEqual(Object.keys(env).sort(), ['HOME', 'LANG', 'OK', 'PATH']);
  });

  it('on Windows, replaces Path in its own spelling', () => {
    const { env } = serverEnvironment({
      configured: {},
      parentEnv: { Path: 'C:\\Windows', SystemRoot: 'C:\\Windows' },
      platform: 'win32',
      path: 'C:\\Tools;C:\\Windows',
    });
    assert.deepEqual(env, { Path: 'C:\\Tools;C:\\Windows', SystemRoot: 'C:\\Windows' });
  });
});
