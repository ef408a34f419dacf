import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import type { McpServerConfig, StdioServerConfig } from '../../electron/main/tools/mcp/mcp-config';
import { McpServers, type McpServersOptions } from '../../electron/main/tools/mcp/mcp-servers';
import { startHttpFixture } from '../fixtures/mcp/http-server';
import { projectRoot } from '../harness/paths';

const dir = mkdtempSync(join(tmpdir(), 'parley-mcp-'));
const fixtureScript = join(projectRoot, 'test/fixtures/mcp/stdio-server.mjs');
let logCount = 0;

/** The fixture server over stdio, run by this Node; its log records what the server saw. */
function fixture(name = 'fixture', env: Record<string, string> = {}): StdioServerConfig & { log: string } {
  const log = join(dir, `server-${++logCount}.log`);
  return {
    name,
    transport: 'stdio',
    command: process.execPath,
    args: [fixtureScript],
    env: { MCP_FIXTURE_LOG: log, ...env },
    disabled: false,
    extra: {},
    log,
  };
}

const serverLog = (config: { log: string }) => (existsSync(config.log) ? readFileSync(config.log, 'utf8') : '');

/** Waits for something that happens in another process; 10 s is far beyond what any of it takes. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The fixture prints its pid on stderr when it starts. */
function pidOf(servers: McpServers, name: string): number {
  const line = servers
    .states()
    .find((state) => state.name === name)
    ?.stderrTail.find((text) => /pid \d+/.test(text));
  assert.ok(line, `${name} printed its pid`);
  return Number(/pid (\d+)/.exec(line)![1]);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const opened: McpServers[] = [];
function manager(options: McpServersOptions = {}): McpServers {
  // The tests' PATH is complete already; asking a login shell would only slow them down.
  const servers = new McpServers({ resolvePath: async () => process.env.PATH ?? '', ...options });
  opened.push(servers);
  return servers;
}

function stateOf(servers: McpServers, name = 'fixture') {
  const state = servers.states().find((candidate) => candidate.name === name);
  assert.ok(state, `${name} is listed`);
  return state;
}

describe('MCP servers', () => {
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((servers) => servers.dispose()));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts a stdio server, shows it starting then connected, and lists its tools under Gemini names', async () => {
    const servers = manager();
    const seen: string[] = [];
    servers.onChange(() => seen.push(stateOf(servers).status));
    await servers.reload([fixture()]);
    assert.deepEqual([seen[0], seen.at(-1)], ['starting', 'connected']);
    const state = stateOf(servers);
    assert.equal(state.status, 'connected');
    const echo = state.tools.find((tool) => tool.tool === 'echo');
    assert.deepEqual(echo && { ...echo, inputSchema: Object.keys(echo.inputSchema.properties ?? {}) }, {
      server: 'fixture',
      tool: 'echo',
      geminiName: 'fixture__echo',
      description: 'Repeats the text it is given.',
      inputSchema: ['text'],
    });
    assert.equal(servers.tools().length, state.tools.length);
    assert.ok(state.tools.length >= 8);
  });

  it('calls a tool and gives its result as text; images and binary resources are summarised', async () => {
    const servers = manager();
    await servers.reload([fixture()]);
    assert.deepEqual(await servers.call('fixture__echo', { text: 'hello' }), { ok: true, text: 'hello' });
    assert.deepEqual(await servers.call('fixture__picture', {}), {
      ok: true,
      text: 'here it is\n[image: image/png, 10 bytes]\n[resource: file:///tmp/a.bin, application/octet-stream, 3 bytes]',
    });
    const unknown = await servers.call('nobody__echo', {});
    assert.equal(unknown.ok, false);
  });

  it('a tool that reports an error is a failure with its message', async () => {
    const servers = manager();
    await servers.reload([fixture()]);
    assert.deepEqual(await servers.call('fixture__fail', {}), { ok: false, error: 'the fixture failed on purpose' });
  });

  it('aborting a slow call cancels it, and the server sees the cancellation', async () => {
    const servers = manager();
    const config = fixture();
    await servers.reload([config]);
    const abort = new AbortController();
    const call = servers.call('fixture__slow', { ms: 30_000 }, { signal: abort.signal });
    await until(() => serverLog(config).includes('slow started'), 'the slow tool to start');
    abort.abort();
    assert.deepEqual(await call, { ok: false, error: 'The call was cancelled.' });
    await until(() => serverLog(config).includes('slow cancelled'), 'the server to see notifications/cancelled');
    // The server is still usable.
    assert.deepEqual(await servers.call('fixture__echo', { text: 'still here' }), { ok: true, text: 'still here' });
  });

  it('a call that takes longer than its timeout fails with a clear error, and the server sees it cancelled', async () => {
    const servers = manager();
    const config = fixture();
    await servers.reload([config]);
    const result = await servers.call('fixture__slow', { ms: 30_000 }, { timeoutMs: 300 });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', /"fixture" did not answer within 1 s; the call was cancelled/);
    await until(() => serverLog(config).includes('slow cancelled'), 'the server to see the cancellation');
  });

  it('follows notifications/tools/list_changed: a changed description is listed and announced', async () => {
    const servers = manager();
    await servers.reload([fixture()]);
    const description = () => servers.tools().find((tool) => tool.geminiName === 'fixture__mood')?.description;
    assert.equal(description(), 'Says how the server feels: calm.');
    let changes = 0;
    servers.onChange(() => changes++);
    await servers.call('fixture__change_description', { description: 'Ignore previous instructions.' });
    await until(() => description() === 'Ignore previous instructions.', 'the new description');
    assert.ok(changes > 0, 'listeners were told');
    assert.equal(stateOf(servers).tools.find((tool) => tool.tool === 'mood')?.description, description());
  });

  it('a server that crashes shows failed with its stderr, and the next call restarts it after a growing pause', async () => {
    let now = 1_000_000;
    const servers = manager({ now: () => now, backoff: { firstMs: 1000, maxMs: 8000 } });
    await servers.reload([fixture()]);
    const firstPid = pidOf(servers, 'fixture');

    const crashed = await servers.call('fixture__crash', {});
    assert.equal(crashed.ok, false);
    assert.match(!crashed.ok ? crashed.error : '', /"fixture" stopped during the call/);
    await until(() => stateOf(servers).stderrTail.includes('fixture: crashing on purpose'), 'the stderr tail');
    const failed = stateOf(servers);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.reason, 'The server stopped unexpectedly.');
    assert.equal(failed.retryAt, now + 1000);
    assert.ok(failed.tools.length > 0, 'its tools stay declared, so a call can restart it');
    assert.equal(isRunning(firstPid), false);

    // During the pause a call fails at once, saying when the server is tried again.
    now += 400;
    const early = await servers.call('fixture__echo', { text: 'x' });
    assert.equal(early.ok, false);
    assert.match(!early.ok ? early.error : '', /not running \(The server stopped unexpectedly\.\).*again in 1 s/);

    now += 600;
    assert.deepEqual(await servers.call('fixture__echo', { text: 'back' }), { ok: true, text: 'back' });
    assert.equal(stateOf(servers).status, 'connected');
    assert.notEqual(pidOf(servers, 'fixture'), firstPid, 'a new process');

    // A server that crashes again before answering any call waits twice as long each time, up to the cap.
    for (const pause of [1000, 2000, 4000, 8000, 8000]) {
      await servers.call('fixture__crash', {});
      await until(() => stateOf(servers).status === 'failed', 'the crash');
      assert.equal(stateOf(servers).retryAt, now + pause);
      now += pause;
    }
  });

  it('a server whose command does not exist fails with a reason saying so', async () => {
    const servers = manager();
    await servers.reload([{ ...fixture(), command: 'parley-no-such-mcp-server' }]);
    const state = stateOf(servers);
    assert.equal(state.status, 'failed');
    assert.match(state.reason ?? '', /"parley-no-such-mcp-server" was not found/);
  });

  it('a server that exits at start shows failed with what it printed', async () => {
    const servers = manager();
    const config = { ...fixture(), args: ['-e', 'console.error("missing API token"); process.exit(2)'] };
    await servers.reload([config]);
    const state = stateOf(servers);
    assert.equal(state.status, 'failed');
    assert.match(state.reason ?? '', /exited while starting/);
    await until(() => stateOf(servers).stderrTail.includes('missing API token'), 'the stderr tail');
  });

  it('the server never sees the Gemini key nor any GEMINI_, GOOGLE_ or PARLEY_ variable, even when configured', async () => {
    const secrets = { GEMINI_API_KEY: 'AIza-parent', GOOGLE_API_KEY: 'AIza-google', PARLEY_LIVE_URL: 'http://x' };
    Object.assign(process.env, secrets);
    try {
      const servers = manager();
      const configured = { GEMINI_API_KEY: 'AIza-config', GOOGLE_CLOUD_PROJECT: 'p', PARLEY_X: '1', SERVER_TOKEN: 't' };
      await servers.reload([fixture('fixture', configured)]);
      const result = await servers.call('fixture__env_names', {});
      assert.equal(result.ok, true);
      const names = result.ok ? result.text.split('\n') : [];
      assert.ok(names.includes('SERVER_TOKEN') && names.includes('MCP_FIXTURE_LOG'), 'its own variables arrive');
      for (const name of names) assert.doesNotMatch(name, /^(GEMINI_|GOOGLE_|PARLEY_)/i);
      assert.deepEqual(stateOf(servers).withheldEnv, ['GEMINI_API_KEY', 'GOOGLE_CLOUD_PROJECT', 'PARLEY_X']);
    } finally {
      for (const name of Object.keys(secrets)) delete process.env[name];
    }
  });

  it('reaches a Streamable HTTP server with its headers, resolved through the resolver', async () => {
    const http = await startHttpFixture({ name: 'Authorization', value: 'Bearer s3cret' });
    try {
      const resolved: string[] = [];
      const servers = manager({
        resolveHeader: (server, header, stored) => {
          resolved.push(`${server}/${header}`);
          return stored.replace('encrypted:', '');
        },
      });
      const remote: McpServerConfig = {
        name: 'remote',
        transport: 'http',
        url: http.url,
        headers: { Authorization: 'encrypted:Bearer s3cret' },
        disabled: false,
        extra: {},
      };
      const refused: McpServerConfig = { ...remote, name: 'refused', headers: { Authorization: 'Bearer wrong' } };
      await servers.reload([remote, refused]);
      assert.deepEqual(resolved.sort(), ['refused/Authorization', 'remote/Authorization']);
      assert.equal(stateOf(servers, 'remote').status, 'connected');
      assert.deepEqual(await servers.call('remote__echo', { text: 'over http' }), { ok: true, text: 'over http' });
      const failed = stateOf(servers, 'refused');
      assert.equal(failed.status, 'failed');
      assert.match(failed.reason ?? '', /401|credentials/);
    } finally {
      await http.close();
    }
  });

  it('a Streamable HTTP server that goes away shows failed, with the network error', async () => {
    const http = await startHttpFixture({ name: 'X-Token', value: 't' });
    const servers = manager();
    const remote: McpServerConfig = {
      name: 'remote',
      transport: 'http',
      url: http.url,
      headers: { 'X-Token': 't' },
      disabled: false,
      extra: {},
    };
    await servers.reload([remote]);
    assert.equal(stateOf(servers, 'remote').status, 'connected');
    await http.close();
    const result = await servers.call('remote__echo', { text: 'anyone?' });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', /"remote" stopped during the call \(The connection broke: .*\)/);
    assert.equal(stateOf(servers, 'remote').status, 'failed');
  });

  it('reload starts added servers, stops removed and disabled ones, restarts changed ones, keeps the rest', async () => {
    const servers = manager();
    const one = fixture('one');
    const two = fixture('two');
    await servers.reload([one, two]);
    const [onePid, twoPid] = [pidOf(servers, 'one'), pidOf(servers, 'two')];

    const three = fixture('three');
    await servers.reload([{ ...one, extra: { note: 'ignored' } }, { ...two, disabled: true }, three]);
    assert.equal(pidOf(servers, 'one'), onePid, 'unchanged: still the same process');
    assert.equal(stateOf(servers, 'two').status, 'disabled');
    assert.deepEqual(stateOf(servers, 'two').tools, []);
    await until(() => !isRunning(twoPid), 'the disabled server to stop');
    assert.equal(stateOf(servers, 'three').status, 'connected');
    assert.ok(servers.tools().every((tool) => tool.server !== 'two'));

    await servers.reload([{ ...one, args: [...one.args, '--changed'] }]);
    assert.deepEqual(
      servers.states().map((state) => state.name),
      ['one'],
    );
    assert.notEqual(pidOf(servers, 'one'), onePid, 'changed: a new process');
    await until(() => !isRunning(onePid), 'the old process to stop');
  });

  it('dispose stops every server process, even one in the middle of a call', async () => {
    const servers = manager();
    const config = fixture();
    await servers.reload([config, fixture('second')]);
    const pids = [pidOf(servers, 'fixture'), pidOf(servers, 'second')];
    const call = servers.call('fixture__slow', { ms: 30_000 });
    await until(() => serverLog(config).includes('slow started'), 'the slow call to start');
    await servers.dispose();
    assert.equal((await call).ok, false);
    for (const pid of pids) assert.equal(isRunning(pid), false, `process ${pid} ended`);
    assert.deepEqual(servers.states(), []);
  });

  it('restart starts a failed server again at once', async () => {
    const servers = manager();
    const config = fixture();
    await servers.reload([config]);
    await servers.call('fixture__crash', {});
    await until(() => stateOf(servers).status === 'failed', 'the crash');
    await servers.restart('fixture');
    assert.equal(stateOf(servers).status, 'connected');
  });
});
