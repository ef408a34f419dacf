import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  importClaudeDesktopConfig,
  parseMcpConfig,
  serializeMcpConfig,
  type McpServerConfig,
} from '../../electron/main/tools/mcp/mcp-config';

const file = (mcpServers: unknown, extra: object = {}) => JSON.stringify({ ...extra, mcpServers });
const names = (servers: McpServerConfig[]) => servers.map((server) => server.name);

describe('mcp.json', () => {
  it('reads stdio and Streamable HTTP servers with their defaults', () => {
    const { document, problems } = parseMcpConfig(
      file({
        files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] },
        remote: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer t' }, disabled: true },
      }),
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(document.servers, [
      {
        name: 'files',
        transport: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'],
        env: {},
        disabled: false,
        extra: {},
      },
      {
        name: 'remote',
        transport: 'http',
        url: 'https://mcp.example.com/mcp',
        headers: { Authorization: 'Bearer t' },
        disabled: true,
        extra: {},
      },
    ]);
  });

  it('an empty or missing file is an empty list, not an error', () => {
    assert.deepEqual(parseMcpConfig('').problems, []);
    assert.deepEqual(parseMcpConfig('{}').document.servers, []);
  });

  it('a file that is not JSON gives one clear problem', () => {
    const { document, problems } = parseMcpConfig('{"mcpServers": {');
    assert.deepEqual(document.servers, []);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /not valid JSON/);
    assert.match(parseMcpConfig('[1]').problems[0]!.message, /JSON object/);
    assert.match(parseMcpConfig('{"mcpServers": 3}').problems[0]!.message, /"mcpServers" must be an object/);
  });

  it('each broken entry says what is wrong, and the good ones are still read', () => {
    const { document, problems } = parseMcpConfig(
      file({
        good: { command: 'uvx', args: ['mcp-server-time'] },
        'no-command': { args: ['x'] },
        both: { command: 'x', url: 'https://a.example' },
        'empty-command': { command: '  ' },
        'bad-args': { command: 'x', args: 'not a list', env: { TOKEN: 3 } },
        'file-url': { url: 'file:///etc/passwd' },
        sse: { type: 'sse', command: 'x' },
        scalar: 42,
        '  ': { command: 'x' },
        ' good ': { command: 'y' },
      }),
    );
    assert.deepEqual(names(document.servers), ['good']);
    const byServer = Object.fromEntries(problems.map((problem) => [problem.server, problem.message]));
    assert.match(byServer['no-command']!, /needs a "command".*or a "url"/);
    assert.match(byServer.both!, /both "command" and "url"/);
    assert.match(byServer['empty-command']!, /"command" is empty/);
    assert.match(byServer['bad-args']!, /"args" must be a list/);
    assert.match(byServer['bad-args']!, /env\.TOKEN/);
    assert.match(byServer['file-url']!, /http:\/\/ or https:\/\//);
    assert.match(byServer.sse!, /SSE transport is not supported/);
    assert.match(byServer.scalar!, /must be an object/);
    assert.match(byServer['  ']!, /name is empty/);
    assert.match(byServer[' good ']!, /already named "good"/);
    assert.equal(problems.length, 9);
  });

  it('names are trimmed', () => {
    const { document } = parseMcpConfig(file({ '  time ': { command: 'uvx' } }));
    assert.deepEqual(names(document.servers), ['time']);
  });

  it('saving keeps the fields of other apps, the broken entries and the edits', () => {
    const original = {
      mcpServers: {
        files: { command: 'npx', args: ['-y', 'x'], env: { A: '1' }, autoApprove: ['read'], type: 'stdio' },
        broken: { command: 42, note: 'keep me' },
      },
      globalShortcut: 'Ctrl+Space',
    };
    const { document } = parseMcpConfig(JSON.stringify(original));
    document.servers[0] = { ...document.servers[0]!, disabled: true } as McpServerConfig;
    document.servers.push({
      name: 'remote',
      transport: 'http',
      url: 'https://mcp.example.com/mcp',
      headers: {},
      disabled: false,
      extra: {},
    });
    const saved = serializeMcpConfig(document);
    assert.ok(saved.endsWith('}\n') && saved.includes('\n  "mcpServers": {\n'), 'pretty JSON');
    assert.deepEqual(JSON.parse(saved), {
      globalShortcut: 'Ctrl+Space',
      mcpServers: {
        broken: { command: 42, note: 'keep me' },
        files: {
          command: 'npx',
          args: ['-y', 'x'],
          env: { A: '1' },
          disabled: true,
          autoApprove: ['read'],
          type: 'stdio',
        },
        remote: { url: 'https://mcp.example.com/mcp' },
      },
    });
    const reread = parseMcpConfig(saved);
    assert.deepEqual(reread.document.servers, document.servers, 'what is saved reads back the same');
  });

  it('imports the servers of a claude_desktop_config.json, with its problems, and not its other settings', () => {
    const claude = JSON.stringify({
      globalShortcut: 'Alt+Space',
      mcpServers: {
        memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
        broken: { args: [] },
      },
    });
    const { servers, problems } = importClaudeDesktopConfig(claude);
    assert.deepEqual(names(servers), ['memory']);
    assert.deepEqual(
      problems.map((problem) => problem.server),
      ['broken'],
    );
    assert.match(importClaudeDesktopConfig('not json').problems[0]!.message, /not valid JSON/);
  });
});
