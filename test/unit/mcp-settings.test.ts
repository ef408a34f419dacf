import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import type { IpcSender } from '../../electron/main/ports';
import { mcpSettingsInvokes, type McpSettingsInvokes } from '../../electron/main/tools/mcp/mcp-settings';
import { McpToolSource } from '../../electron/main/tools/mcp/mcp-tools';
import type { SettingsView } from '../../shared/settings';
import type { McpServerDraft } from '../../shared/tools';
import { startHttpFixture } from '../fixtures/mcp/http-server';
import { projectRoot } from '../harness/paths';
import { ScriptedOpenDialog } from '../harness/test-ports';
import { TestSecretStore } from '../harness/test-secrets';
import { smallDisk } from '../support/disk-faults';

const fixtureScript = join(projectRoot, 'test/fixtures/mcp/stdio-server.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'parley-mcp-settings-'));
let folders = 0;

/** Waits for something another process does; 15 s is far beyond what a server takes to start. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const started: McpToolSource[] = [];
/** The handlers do not look at who asked: the router checked that already. */
const settingsWindow: IpcSender = { webContentsId: 1, frameUrl: 'app://parley/settings.html', isMainFrame: true };

/** Parley's MCP side on a user-data folder, with the keychain given (the same one, or another machine's). */
function parley(userData: string, secrets = new TestSecretStore()) {
  // The tests' PATH is complete already; asking a login shell would only slow them down.
  const source = new McpToolSource(userData, secrets, { resolvePath: async () => process.env.PATH ?? '' });
  started.push(source);
  const openDialog = new ScriptedOpenDialog();
  // What the windows would get: here only the MCP part is looked at.
  const showView = () => ({ mcp: source.view() }) as SettingsView;
  const handlers: McpSettingsInvokes = mcpSettingsInvokes({ source, openDialog, showView });
  const invokes = {
    saveMcpServer: async (draft: McpServerDraft) => handlers.saveMcpServer(draft, settingsWindow),
    removeMcpServer: async (request: { name: string }) => handlers.removeMcpServer(request, settingsWindow),
    setMcpServerEnabled: async (request: { name: string; enabled: boolean }) =>
      handlers.setMcpServerEnabled(request, settingsWindow),
    importMcpServers: async () => handlers.importMcpServers(undefined, settingsWindow),
  };
  const file = join(userData, 'mcp.json');
  const status = (name: string) => source.view().servers.find((server) => server.name === name)?.status;
  return { source, invokes, openDialog, secrets, file, status, text: () => readFileSync(file, 'utf8') };
}

function userDataFolder(mcpJson?: unknown): string {
  const folder = join(scratch, `user-data-${++folders}`);
  mkdirSync(folder);
  if (mcpJson !== undefined) {
    writeFileSync(join(folder, 'mcp.json'), typeof mcpJson === 'string' ? mcpJson : JSON.stringify(mcpJson, null, 2));
  }
  return folder;
}

const fixtureDraft = (fields: Partial<Extract<McpServerDraft, { transport: 'stdio' }>> = {}): McpServerDraft => ({
  transport: 'stdio',
  name: 'fixture',
  enabled: true,
  command: process.execPath,
  args: [fixtureScript],
  env: [],
  ...fields,
});

describe('Settings edits mcp.json', () => {
  afterEach(async () => {
    await Promise.all(started.splice(0).map((source) => source.dispose()));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('saves a new server into mcp.json, keeping what other apps wrote, and the server starts', async () => {
    const original = {
      globalShortcut: 'Ctrl+Space',
      mcpServers: {
        broken: { command: 42, note: 'mine' },
        other: { command: 'uvx', autoApprove: ['x'], type: 'stdio', disabled: true },
      },
    };
    const p = parley(userDataFolder(original));
    await p.source.start();
    const result = await p.invokes.saveMcpServer(fixtureDraft());
    assert.deepEqual(result.problems, []);
    assert.equal(result.saved, true);
    assert.equal(result.settings.mcp.servers.find((server) => server.name === 'fixture')?.status, 'starting');
    assert.deepEqual(JSON.parse(p.text()), {
      ...original,
      mcpServers: { ...original.mcpServers, fixture: { command: process.execPath, args: [fixtureScript] } },
    });
    await until(() => p.status('fixture') === 'connected', 'the new server to connect');
    assert.equal(p.source.tools().filter((tool) => tool.server === 'fixture').length, 8);
    assert.deepEqual(readdirSync(join(p.file, '..')), ['mcp.json'], 'no temporary file is left');

    // Off: it stops and its tools go; removed: it is gone from the file.
    assert.equal((await p.invokes.setMcpServerEnabled({ name: 'fixture', enabled: false })).saved, true);
    assert.equal(p.status('fixture'), 'disabled');
    assert.equal(p.source.tools().length, 0);
    assert.equal((await p.invokes.removeMcpServer({ name: 'fixture' })).saved, true);
    assert.deepEqual(JSON.parse(p.text()), original);
  });

  it('writes nothing for a form with problems, nor over a file it cannot understand', async () => {
    const p = parley(userDataFolder({ mcpServers: { fixture: { command: 'uvx' } } }));
    await p.source.start();
    const before = p.text();
    const duplicate = await p.invokes.saveMcpServer(fixtureDraft());
    assert.equal(duplicate.saved, false);
    assert.deepEqual(duplicate.problems, [{ field: 'name', message: 'Another server is already named "fixture".' }]);
    const invalid = await p.invokes.saveMcpServer({
      transport: 'http',
      name: 'x',
      enabled: true,
      url: 'file:///etc',
      headers: [{ name: 'A B', value: 'v' }],
    });
    assert.deepEqual(
      invalid.problems.map((problem) => problem.field),
      ['url', 'headers.0.name'],
    );
    assert.equal(p.text(), before, 'mcp.json is as it was');

    // Hand-edited into something that is not JSON: Parley leaves it for the user to fix.
    const broken = '{ "mcpServers": { "mine": { "command": "uvx", } }';
    writeFileSync(p.file, broken);
    const refused = await p.invokes.saveMcpServer(fixtureDraft({ name: 'new' }));
    assert.equal(refused.saved, false);
    assert.match(refused.problems[0]!.message, /^mcp\.json: not valid JSON.*Fix it by hand first/);
    assert.equal((await p.invokes.removeMcpServer({ name: 'fixture' })).saved, false);
    assert.equal(p.text(), broken);
  });

  it('starts each change from the file as it is now, one change after the other', async () => {
    const p = parley(userDataFolder());
    await p.source.start();
    // Edited by hand since Parley started.
    writeFileSync(p.file, JSON.stringify({ mcpServers: { mine: { command: 'uvx', args: ['by-hand'] } } }));
    const both = await Promise.all([
      p.invokes.saveMcpServer(fixtureDraft({ name: 'one', enabled: false, env: [{ name: 'A', value: 'a' }] })),
      p.invokes.saveMcpServer(fixtureDraft({ name: 'two', enabled: false, env: [{ name: 'B', value: 'b' }] })),
    ]);
    assert.deepEqual(
      both.map((result) => result.saved),
      [true, true],
    );
    assert.deepEqual(Object.keys((JSON.parse(p.text()) as { mcpServers: object }).mcpServers), ['mine', 'one', 'two']);
  });

  it('keeps a header value encrypted: the server gets it, mcp.json and the view never hold it', async () => {
    const secret = 'Bearer unit-s3cret-4711';
    const http = await startHttpFixture({ name: 'Authorization', value: secret });
    try {
      const userData = userDataFolder();
      const keychain = new TestSecretStore();
      const p = parley(userData, keychain);
      await p.source.start();
      const draft: McpServerDraft = {
        transport: 'http',
        name: 'remote',
        enabled: true,
        url: http.url,
        headers: [{ name: 'Authorization', value: secret }],
      };
      const result = await p.invokes.saveMcpServer(draft);
      assert.equal(result.saved, true);
      await until(() => p.status('remote') === 'connected', 'the HTTP server to accept the header');
      assert.equal(p.text().includes('s3cret'), false, 'not in mcp.json in plain text');
      assert.match(p.text(), /"Authorization": "parley-encrypted:/);
      assert.equal(JSON.stringify(result.settings).includes('s3cret'), false, 'not in what the window gets');
      assert.deepEqual(p.source.view().servers[0]?.headers, [{ name: 'Authorization', encrypted: true, empty: false }]);

      // Renamed with the value kept: the same ciphertext, and it still connects.
      const stored = p.text().match(/parley-encrypted:[^"]+/)![0];
      const kept = await p.invokes.saveMcpServer({
        ...draft,
        replaces: 'remote',
        name: 'team',
        headers: [{ name: 'Authorization', keep: 'Authorization' }],
      });
      assert.equal(kept.saved, true);
      assert.ok(p.text().includes(stored));
      await until(() => p.status('team') === 'connected', 'the renamed server to connect');
      await p.source.dispose();

      // Parley starts again: it decrypts the value. On another machine it cannot, and says what to do.
      const again = parley(userData, keychain);
      await again.source.start();
      assert.equal(again.status('team'), 'connected');
      const elsewhere = parley(userData, new TestSecretStore());
      await elsewhere.source.start();
      assert.equal(elsewhere.status('team'), 'failed');
      assert.match(elsewhere.source.view().servers[0]?.reason ?? '', /Authorization.*cannot be read.*Type it again/);
    } finally {
      await http.close();
    }
  });

  it('keeps an environment value encrypted too, and the stdio server gets it', async () => {
    const p = parley(userDataFolder());
    await p.source.start();
    // The fixture writes its log where MCP_FIXTURE_LOG says: the file appears only if the value arrives decrypted.
    const log = join(scratch, `fixture-${folders}.log`);
    const result = await p.invokes.saveMcpServer(fixtureDraft({ env: [{ name: 'MCP_FIXTURE_LOG', value: log }] }));
    assert.equal(result.saved, true);
    assert.equal(p.text().includes(log), false);
    assert.deepEqual(result.settings.mcp.servers[0]?.env, [{ name: 'MCP_FIXTURE_LOG', encrypted: true, empty: false }]);
    await until(() => p.status('fixture') === 'connected', 'the server to connect');
    const slow = p.source.tools().find((tool) => tool.title === 'slow')!;
    await slow.run({ ms: 1 }, { signal: new AbortController().signal, turnId: 1 });
    assert.ok(existsSync(log), 'the server wrote where the decrypted value says');
  });

  it('replaces mcp.json whole: a full disk leaves it as it was and says why', async () => {
    const userData = userDataFolder();
    const disk = smallDisk(userData);
    try {
      const before = JSON.stringify({ mcpServers: { mine: { command: 'uvx' } } });
      writeFileSync(join(userData, 'mcp.json'), before);
      const p = parley(userData);
      await p.source.start();
      disk.strike();
      const result = await p.invokes.saveMcpServer(fixtureDraft());
      assert.equal(result.saved, false);
      assert.match(
        result.problems[0]!.message,
        /^mcp\.json could not be saved: the disk is full .*Nothing was changed/,
      );
      assert.equal(p.text(), before);
      assert.deepEqual(
        readdirSync(userData).filter((name) => name.startsWith('mcp.json')),
        ['mcp.json'],
        'the half-written file is gone',
      );
      assert.deepEqual(
        p.source.view().servers.map((server) => server.name),
        ['mine'],
      );
      disk.heal();
      assert.equal((await p.invokes.saveMcpServer(fixtureDraft({ enabled: false }))).saved, true);
    } finally {
      disk.release();
    }
  });

  it('keeps a link to mcp.json a link, and the permissions the file had', async () => {
    const userData = userDataFolder();
    const linked = join(scratch, `linked-${folders}.json`);
    writeFileSync(linked, JSON.stringify({ mcpServers: {} }), { mode: 0o600 });
    symlinkSync(linked, join(userData, 'mcp.json'));
    const p = parley(userData);
    await p.source.start();
    assert.equal((await p.invokes.saveMcpServer(fixtureDraft({ enabled: false }))).saved, true);
    assert.ok(lstatSync(p.file).isSymbolicLink());
    assert.match(readFileSync(linked, 'utf8'), /"fixture"/);
    assert.equal(statSync(linked).mode & 0o777, 0o600);
  });

  it('imports the servers of the file the user picks, and says what it skipped and why', async () => {
    const p = parley(userDataFolder({ mcpServers: { fixture: { command: 'uvx' } } }));
    await p.source.start();
    assert.deepEqual((await p.invokes.importMcpServers()).imported, [], 'cancelled: nothing');
    assert.equal(p.openDialog.asked.length, 1);

    const claude = join(scratch, `claude-${folders}.json`);
    writeFileSync(
      claude,
      JSON.stringify({
        globalShortcut: 'Alt+Space',
        mcpServers: {
          fixture: { command: 'npx' },
          local: { command: process.execPath, args: [fixtureScript], env: { API_TOKEN: 'imported-s3cret' } },
          odd: { type: 'sse', url: 'https://old.example/sse' },
        },
      }),
    );
    p.openDialog.choice = claude;
    const result = await p.invokes.importMcpServers();
    assert.equal(result.file, claude);
    assert.deepEqual(result.imported, ['local']);
    assert.deepEqual(
      result.skipped.map(({ name }) => name),
      ['odd', 'fixture'],
    );
    assert.match(result.skipped[0]!.reason, /SSE transport is not supported/);
    assert.equal(result.skipped[1]!.reason, 'a server of that name is already in Parley');
    const written = JSON.parse(p.text()) as {
      globalShortcut?: string;
      mcpServers: Record<string, { command: string }>;
    };
    assert.equal(written.globalShortcut, undefined, "Claude's own settings are not taken");
    assert.equal(written.mcpServers.fixture!.command, 'uvx', 'the server there is not overwritten');
    assert.equal(p.text().includes('imported-s3cret'), false, 'the imported value is encrypted');
    await until(() => p.status('local') === 'connected', 'the imported server to connect');

    writeFileSync(claude, 'not json');
    assert.match((await p.invokes.importMcpServers()).problem ?? '', /cannot be imported \(not valid JSON/);
    writeFileSync(claude, '{}');
    assert.equal((await p.invokes.importMcpServers()).problem, 'That file lists no MCP servers.');
  });
});
