import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  importServers,
  removeServer,
  saveServer,
  setServerEnabled,
  type Edit,
  type Seal,
} from '../../electron/main/tools/mcp/mcp-config-editor';
import { parseMcpConfig, serializeMcpConfig, type McpConfigDocument } from '../../electron/main/tools/mcp/mcp-config';
import { SealError } from '../../electron/main/tools/mcp/sealed-values';
import type { McpServerDraft } from '../../shared/tools';

/** Stands in for safeStorage: what it stores is recognisably not the value typed. */
const seal: Seal = (plain) => Promise.resolve(`sealed(${plain})`);
const cannotSeal: Seal = () => Promise.reject(new SealError('This system cannot encrypt it.'));

const documentOf = (mcpServers: unknown, extra: object = {}) =>
  parseMcpConfig(JSON.stringify({ ...extra, mcpServers })).document;
/** What mcp.json would hold after the edit. */
const written = (edit: Edit) => {
  assert.ok('document' in edit, `refused: ${JSON.stringify(edit)}`);
  return JSON.parse(serializeMcpConfig(edit.document)) as { mcpServers: Record<string, unknown> };
};
const problems = (edit: Edit) => {
  assert.ok('problems' in edit, 'refused');
  return Object.fromEntries(edit.problems.map(({ field, message }) => [field, message]));
};

const stdio = (fields: Partial<Extract<McpServerDraft, { transport: 'stdio' }>> = {}): McpServerDraft => ({
  transport: 'stdio',
  name: 'files',
  enabled: true,
  command: 'npx',
  args: ['-y', 'server-files'],
  env: [],
  ...fields,
});
const http = (fields: Partial<Extract<McpServerDraft, { transport: 'http' }>> = {}): McpServerDraft => ({
  transport: 'http',
  name: 'remote',
  enabled: true,
  url: 'https://mcp.example.com/mcp',
  headers: [],
  ...fields,
});

describe('editing the MCP servers', () => {
  const existing = (): McpConfigDocument =>
    documentOf(
      {
        time: { command: 'uvx', args: ['mcp-server-time'], autoApprove: ['now'], type: 'stdio' },
        remote: { url: 'https://old.example/mcp', headers: { Authorization: 'Bearer by-hand', 'X-Team': 'a' } },
        broken: { command: 42, note: 'kept as it is' },
      },
      { globalShortcut: 'Ctrl+Space' },
    );

  it('adds a server at the end, its typed values encrypted, and keeps everything else as it was', async () => {
    const edit = await saveServer(
      existing(),
      stdio({
        name: ' files ',
        command: ' npx ',
        env: [
          { name: 'TOKEN', value: 't0ken' },
          { name: 'EMPTY', value: '' },
        ],
      }),
      seal,
    );
    const file = written(edit);
    assert.deepEqual(Object.keys(file.mcpServers), ['broken', 'time', 'remote', 'files']);
    assert.deepEqual(file.mcpServers.files, {
      command: 'npx',
      args: ['-y', 'server-files'],
      env: { TOKEN: 'sealed(t0ken)', EMPTY: '' },
    });
    assert.deepEqual(file, {
      globalShortcut: 'Ctrl+Space',
      mcpServers: { ...JSON.parse(serializeMcpConfig(existing())).mcpServers, files: file.mcpServers.files },
    });
  });

  it('edits a server in its place: renamed, a kept value as stored, a typed one encrypted, a removed one gone', async () => {
    const edit = await saveServer(
      existing(),
      http({
        replaces: 'remote',
        name: 'team',
        url: 'https://new.example/mcp',
        headers: [
          { name: 'Authorization', keep: 'Authorization' },
          { name: 'X-Key', value: 'k3y' },
        ],
      }),
      seal,
    );
    const file = written(edit);
    assert.deepEqual(Object.keys(file.mcpServers), ['broken', 'time', 'team']);
    assert.deepEqual(file.mcpServers.team, {
      url: 'https://new.example/mcp',
      headers: { Authorization: 'Bearer by-hand', 'X-Key': 'sealed(k3y)' },
    });
  });

  it('keeps the fields other apps wrote for the server edited, but its type once it changes transport', async () => {
    const sameTransport = written(await saveServer(existing(), stdio({ replaces: 'time', name: 'time' }), seal));
    assert.deepEqual(sameTransport.mcpServers.time, {
      command: 'npx',
      args: ['-y', 'server-files'],
      autoApprove: ['now'],
      type: 'stdio',
    });
    const other = written(await saveServer(existing(), http({ replaces: 'time', name: 'time', enabled: false }), seal));
    assert.deepEqual(other.mcpServers.time, {
      url: 'https://mcp.example.com/mcp',
      disabled: true,
      autoApprove: ['now'],
    });
  });

  it('refuses a form with problems, each by its field, and changes nothing', async () => {
    const document = existing();
    const before = serializeMcpConfig(document);
    assert.deepEqual(
      problems(
        await saveServer(
          document,
          stdio({
            name: '  ',
            command: ' ',
            env: [
              { name: '1ST', value: 'x' },
              { name: 'OK', value: 'a\u0000b' },
              { name: 'OK', value: 'y' },
              { name: 'KEPT', keep: 'NOPE' },
            ],
          }),
          seal,
        ),
      ),
      {
        name: 'Give the server a name.',
        command: 'Say which command starts the server (for example npx or uvx).',
        'env.0.name': 'A variable name: letters, digits and _, not starting with a digit.',
        'env.1.value': 'A value cannot hold a NUL character.',
        'env.2.name': 'OK is listed twice.',
        'env.3.value': 'There is no stored value to keep; type one.',
      },
    );
    assert.deepEqual(
      problems(
        await saveServer(
          document,
          http({
            name: 'time',
            url: 'ftp://files.example/',
            headers: [
              { name: 'Bad Name', value: 'x' },
              { name: 'X-Token', value: 'line\r\nInjected: yes' },
              { name: 'x-token', value: 'again' },
            ],
          }),
          seal,
        ),
      ),
      {
        name: 'Another server is already named "time".',
        url: 'An http:// or https:// address, such as https://example.com/mcp.',
        'headers.0.name': 'A header name: letters, digits and - (no spaces or colon).',
        'headers.1.value': 'A header value is one line.',
        'headers.2.name': 'x-token is listed twice.',
      },
    );
    // An entry Parley could not read keeps its name: a new server never overwrites it.
    assert.deepEqual(problems(await saveServer(document, stdio({ name: 'broken' }), seal)), {
      name: 'Another server is already named "broken".',
    });
    assert.match(
      problems(await saveServer(document, stdio({ replaces: 'gone' }), seal))['']!,
      /no longer in mcp\.json/,
    );
    assert.equal(serializeMcpConfig(document), before, 'the document is not touched');
  });

  it('says why a typed value cannot be stored where the system cannot encrypt', async () => {
    const edit = await saveServer(
      existing(),
      http({ name: 'new', headers: [{ name: 'X-Key', value: 'k' }] }),
      cannotSeal,
    );
    assert.deepEqual(problems(edit), { 'headers.0.value': 'This system cannot encrypt it.' });
  });

  it('removes a server and turns one off and on; a server no longer there is refused', () => {
    assert.deepEqual(Object.keys(written(removeServer(existing(), 'time')).mcpServers), ['broken', 'remote']);
    const off = written(setServerEnabled(existing(), 'remote', false));
    assert.equal((off.mcpServers.remote as { disabled?: boolean }).disabled, true);
    const on = written(
      setServerEnabled(documentOf({ remote: { url: 'https://a.example/', disabled: true } }), 'remote', true),
    );
    assert.deepEqual(on.mcpServers.remote, { url: 'https://a.example/' });
    assert.match(problems(removeServer(existing(), 'broken'))['']!, /"broken" is no longer in mcp\.json/);
    assert.match(problems(setServerEnabled(existing(), 'nobody', true))['']!, /no longer in mcp\.json/);
  });

  it('imports servers after those there, never over a name taken, with why each other one was skipped', async () => {
    const found = parseMcpConfig(
      JSON.stringify({
        mcpServers: {
          time: { command: 'other-time' },
          memory: { command: 'npx', args: ['-y', 'server-memory'], env: { KEY: 'k' } },
          linear: { url: 'https://mcp.linear.app/mcp', headers: { Authorization: 'Bearer l' } },
          odd: { url: 'file:///etc/passwd' },
        },
      }),
    );
    const result = await importServers(existing(), { servers: found.document.servers, problems: found.problems }, seal);
    assert.deepEqual(result.imported, ['memory', 'linear']);
    assert.deepEqual(result.skipped, [
      { name: 'odd', reason: '"url" must be an http:// or https:// address' },
      { name: 'time', reason: 'a server of that name is already in Parley' },
    ]);
    const file = JSON.parse(serializeMcpConfig(result.document)) as { mcpServers: Record<string, unknown> };
    assert.deepEqual(Object.keys(file.mcpServers), ['broken', 'time', 'remote', 'memory', 'linear']);
    assert.deepEqual(file.mcpServers.memory, {
      command: 'npx',
      args: ['-y', 'server-memory'],
      env: { KEY: 'sealed(k)' },
    });
    assert.deepEqual(file.mcpServers.linear, {
      url: 'https://mcp.linear.app/mcp',
      headers: { Authorization: 'sealed(Bearer l)' },
    });
    assert.equal(result.note, undefined);

    const plain = await importServers(existing(), { servers: found.document.servers, problems: [] }, cannotSeal);
    assert.deepEqual(plain.document.servers.at(-1), found.document.servers.at(-1), 'kept as the file had it');
    assert.match(plain.note ?? '', /cannot encrypt/);
  });
});
