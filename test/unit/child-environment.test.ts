import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { apiKeyVariables } from '../../electron/main/credentials/api-key';
import { nodeTrial, probeKeyHook } from '../../electron/main/hotkey/key-hook-probe';
import { childEnvironment } from '../../electron/main/security/child-environment';

const secrets = {
  GEMINI_API_KEY: 'AIzaGeminiKey-0123456789',
  GOOGLE_API_KEY: 'AIzaGoogleKey-0123456789',
  GITHUB_TOKEN: 'ghp_secret',
  NODE_OPTIONS: '--require /tmp/evil.js',
  PARLEY_LIVE_URL: 'https://proxy.example',
};

describe('child environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-child-env-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the key-hook trial process gets the display, and never the API key', async () => {
    // A stand-in for the trial script that writes down the environment it was started with.
    const printed = join(dir, 'env.json');
    const script = join(dir, 'print-env.mjs');
    writeFileSync(
      script,
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(printed)}, JSON.stringify(process.env));\n`,
    );
    const availability = await probeKeyHook({
      platform: 'linux',
      env: { ...secrets, DISPLAY: ':42', XAUTHORITY: '/home/u/.Xauthority', PATH: process.env.PATH, HOME: '/home/u' },
      runTrial: nodeTrial(process.execPath, script),
    });
    assert.deepEqual(availability, { available: true }, 'the child ran');
    const seen = JSON.parse(readFileSync(printed, 'utf8')) as Record<string, string>;
    assert.equal(seen.DISPLAY, ':42');
    assert.equal(seen.XAUTHORITY, '/home/u/.Xauthority');
    assert.equal(seen.HOME, '/home/u');
    for (const name of [...apiKeyVariables, ...Object.keys(secrets)]) {
      assert.equal(seen[name], undefined, name);
    }
    const values = JSON.stringify(seen);
    assert.ok(!values.includes(secrets.GEMINI_API_KEY) && !values.includes(secrets.GOOGLE_API_KEY));
  });

  it('keeps what a desktop program needs on each platform, and the locale', () => {
    const linux = childEnvironment(
      { ...secrets, DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0', DBUS_SESSION_BUS_ADDRESS: 'unix:x', LC_ALL: 'C' },
      'linux',
    );
    assert.deepEqual(linux, {
      DISPLAY: ':0',
      WAYLAND_DISPLAY: 'wayland-0',
      DBUS_SESSION_BUS_ADDRESS: 'unix:x',
      LC_ALL: 'C',
    });
    const mac = childEnvironment({ ...secrets, TMPDIR: '/var/folders/x', DISPLAY: ':0', HOME: '/Users/u' }, 'darwin');
    assert.deepEqual(mac, { TMPDIR: '/var/folders/x', HOME: '/Users/u' });
  });

  it('on Windows, matches names without case and keeps their spelling', () => {
    const windows = childEnvironment(
      { ...secrets, Path: 'C:\\Windows', SYSTEMROOT: 'C:\\Windows', UserProfile: 'C:\\Users\\u', Gemini_Api_Key: 'k' },
      'win32',
    );
    assert.deepEqual(windows, { Path: 'C:\\Windows', SYSTEMROOT: 'C:\\Windows', UserProfile: 'C:\\Users\\u' });
  });
});
