import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loginShellPath } from '../../electron/main/tools/mcp/login-shell-path';

const dir = mkdtempSync(join(tmpdir(), 'parley-login-shell-'));
const minimalPath = '/usr/bin:/bin:/usr/sbin:/sbin';
const userPath = '/opt/homebrew/bin:/Users/u/.nvm/versions/node/v22/bin:/usr/bin:/bin';

/** A stand-in for the user's shell: its profile prints noise around whatever the command prints. */
function fakeShell(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const chattyShell = fakeShell(
  'chatty.sh',
  [
    // What it was started with, so the test can check the key was not given to the profile.
    `env > ${join(dir, 'shell-env.txt')}`,
    `echo "Welcome back! Last login: today"`,
    `printf 'motd without newline'`,
    `PATH='${userPath}'; export PATH`,
    // $1 is "-ilc", $2 the command, as with a real login shell.
    `/bin/sh -c "$2"`,
    `echo "bye from .bash_logout"`,
  ].join('\n'),
);

describe('login shell PATH', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('on macOS, takes the PATH the login shell sets, cutting the noise its profile prints', async () => {
    const path = await loginShellPath({
      platform: 'darwin',
      env: { PATH: minimalPath, SHELL: chattyShell, HOME: dir, GEMINI_API_KEY: 'AIza-secret' },
    });
    assert.equal(path, userPath);
    const shellEnv = readFileSync(join(dir, 'shell-env.txt'), 'utf8');
    assert.ok(!shellEnv.includes('AIza-secret'), 'the profile does not see the key');
  });

  it('on Linux, asks the shell only when PATH looks minimal', async () => {
    const env = { SHELL: chattyShell, HOME: dir };
    assert.equal(await loginShellPath({ platform: 'linux', env: { ...env, PATH: minimalPath } }), userPath);
    const fullPath = '/home/u/.local/bin:/usr/local/bin:/usr/bin:/bin';
    assert.equal(await loginShellPath({ platform: 'linux', env: { ...env, PATH: fullPath } }), fullPath);
  });

  it('never on Windows', async () => {
    const path = 'C:\\Windows\\system32';
    assert.equal(await loginShellPath({ platform: 'win32', env: { PATH: path, SHELL: chattyShell } }), path);
  });

  it('works with a real shell', async () => {
    const path = await loginShellPath({ platform: 'darwin', env: { PATH: minimalPath, SHELL: '/bin/sh', HOME: dir } });
    assert.match(path, /\/bin/);
  });

  it('falls back to the current PATH when the shell fails, prints nothing, is missing or hangs', async () => {
    const failing = fakeShell('failing.sh', 'echo "broken profile" >&2; exit 1');
    const silent = fakeShell('silent.sh', 'exit 0');
    const hanging = fakeShell('hanging.sh', 'sleep 30');
    for (const shell of [failing, silent, join(dir, 'no-such-shell'), hanging]) {
      const started = Date.now();
      const path = await loginShellPath({
        platform: 'darwin',
        env: { PATH: minimalPath, SHELL: shell, HOME: dir },
        timeoutMs: 300,
      });
      assert.equal(path, minimalPath, shell);
      // Generous: the hanging shell is given up at 300 ms; 10 s would mean the timeout did not work.
      assert.ok(Date.now() - started < 10_000, `${shell} was given up`);
    }
  });

  it('without SHELL, keeps the current PATH', async () => {
    assert.equal(await loginShellPath({ platform: 'darwin', env: { PATH: minimalPath } }), minimalPath);
  });
});
