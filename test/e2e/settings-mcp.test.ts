import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { startHttpFixture, type HttpFixture } from '../fixtures/mcp/http-server';
import { expect } from '../harness/expect';
import { Harness } from '../harness/harness';
import { projectRoot } from '../harness/paths';

const fixtureServer = join(projectRoot, 'test/fixtures/mcp/stdio-server.mjs');

type McpJson = { mcpServers: Record<string, Record<string, unknown>> };
const mcpJson = (harness: Harness) => readFileSync(join(harness.userDataDir, 'mcp.json'), 'utf8');
const servers = (harness: Harness) => (JSON.parse(mcpJson(harness)) as McpJson).mcpServers;
/** A server takes a moment to start on a busy machine; 20 s is far beyond what it needs. */
const starting = { timeout: 20_000 };

describe('Settings → Tools edits the MCP servers', () => {
  let harness: Harness | undefined;
  let http: HttpFixture | undefined;
  let scratch: string | undefined;
  afterEach(async () => {
    await harness?.close();
    await http?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    harness = http = scratch = undefined;
  });

  it('adds a stdio server, which connects with its tools; turns it off, edits and removes it', async () => {
    harness = await Harness.start({ env: { GEMINI_API_KEY: 'test-key' } });
    const page = await harness.openSettings();
    await page.getByRole('button', { name: 'Add a server' }).click();
    const form = page.getByRole('form', { name: 'New MCP server' });
    await form.getByLabel('Name', { exact: true }).fill('fixture');
    await form.getByRole('button', { name: 'Add a variable' }).click();
    await form.getByLabel('Variable 1 name').fill('FIXTURE_TOKEN');
    await form.getByLabel('Variable 1 value').fill('env-s3cret');

    // No command yet: main says what is missing, writes nothing, and the form keeps what was typed.
    await form.getByRole('button', { name: 'Add server' }).click();
    await expect(form.getByTestId('mcp-problem-command')).toHaveText(
      'Say which command starts the server (for example npx or uvx).',
    );
    await expect(form.getByLabel('Command', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    assert.equal(existsSync(join(harness.userDataDir, 'mcp.json')), false, 'nothing written');
    await expect(form.getByLabel('Name', { exact: true })).toHaveValue('fixture');
    await expect(form.getByLabel('Variable 1 value')).toHaveValue('env-s3cret');

    await form.getByLabel('Command', { exact: true }).fill(process.execPath);
    await form.getByLabel('Arguments (one per line)').fill(fixtureServer);
    await form.getByRole('button', { name: 'Add server' }).click();
    await expect(form).toHaveCount(0);
    await expect(page.getByTestId('mcp-status-fixture')).toHaveText('connected, 8 tools', starting);
    await expect(page.getByTestId('tool-fixture/echo')).toContainText('Repeats the text it is given.');
    const added = servers(harness).fixture!;
    assert.deepEqual(
      { ...added, env: undefined },
      { command: process.execPath, args: [fixtureServer], env: undefined },
    );
    const token = (added.env as Record<string, string>).FIXTURE_TOKEN!;
    assert.match(token, /^parley-encrypted:/, 'the variable is stored encrypted');

    // Off: it stops and its tools are no longer offered.
    await page.getByLabel('Enable fixture').uncheck();
    await expect(page.getByTestId('mcp-status-fixture')).toHaveText('disabled');
    await expect(page.getByTestId('tool-fixture/echo')).toHaveCount(0);
    assert.equal(servers(harness).fixture!.disabled, true);

    // Edited: renamed and on again; the variable, left as it was, keeps its stored value.
    await page.getByRole('button', { name: 'Edit fixture' }).click();
    const edit = page.getByRole('form', { name: 'Edit fixture' });
    await expect(edit.getByLabel('Command', { exact: true })).toHaveValue(process.execPath);
    await expect(edit.getByLabel('Arguments (one per line)')).toHaveValue(fixtureServer);
    await expect(edit.getByLabel('Variable 1 name')).toHaveValue('FIXTURE_TOKEN');
    await expect(edit.getByLabel('Variable 1 value')).toHaveValue('');
    await expect(edit.getByLabel('Variable 1 value')).toHaveAttribute('placeholder', 'Unchanged (stored encrypted)');
    await edit.getByLabel('Name', { exact: true }).fill('local');
    await edit.getByLabel('Enabled', { exact: true }).check();
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('mcp-status-local')).toHaveText('connected, 8 tools', starting);
    await expect(page.getByTestId('mcp-server-fixture')).toHaveCount(0);
    await expect(page.getByTestId('tool-local/echo')).toBeVisible();
    assert.deepEqual(Object.keys(servers(harness)), ['local']);
    assert.equal((servers(harness).local!.env as Record<string, string>).FIXTURE_TOKEN, token);

    // Removed, once confirmed.
    await page.getByRole('button', { name: 'Remove local' }).click();
    await page.getByRole('button', { name: 'Remove it' }).click();
    await expect(page.getByTestId('mcp-server-local')).toHaveCount(0);
    await expect(page.getByTestId('tool-local/echo')).toHaveCount(0);
    assert.deepEqual(servers(harness), {});
  });

  it('imports the servers of a claude_desktop_config.json the user picks, and says what it skipped and why', async () => {
    scratch = mkdtempSync(join(tmpdir(), 'parley-claude-'));
    const userDataDir = join(scratch, 'user-data');
    const here = { command: process.execPath, args: [fixtureServer] };
    mkdirSync(userDataDir);
    writeFileSync(join(userDataDir, 'mcp.json'), JSON.stringify({ mcpServers: { fixture: here } }));
    const claude = join(scratch, 'claude_desktop_config.json');
    writeFileSync(
      claude,
      JSON.stringify({
        globalShortcut: 'Alt+Space',
        mcpServers: {
          fixture: { command: 'npx', args: ['-y', 'something-else'] },
          imported: { command: process.execPath, args: [fixtureServer] },
          odd: { url: 'ftp://files.example/' },
        },
      }),
    );
    harness = await Harness.start({ userDataDir, env: { GEMINI_API_KEY: 'test-key' } });
    const page = await harness.openSettings();
    await expect(page.getByTestId('mcp-status-fixture')).toHaveText('connected, 8 tools', starting);

    // Cancelled: nothing happens.
    await page.getByRole('button', { name: 'Import from Claude Desktop…' }).click();
    await expect.poll(() => harness!.openDialog.asked.length).toBe(1);
    await expect(page.getByTestId('mcp-import-summary')).toHaveCount(0);

    harness.openDialog.choice = claude;
    await page.getByRole('button', { name: 'Import from Claude Desktop…' }).click();
    const summary = page.getByTestId('mcp-import-summary');
    await expect(summary).toContainText('Imported imported.');
    await expect(summary).toContainText('fixture: a server of that name is already in Parley');
    await expect(summary).toContainText('odd: "url" must be an http:// or https:// address');
    await expect(page.getByTestId('mcp-status-imported')).toHaveText('connected, 8 tools', starting);
    assert.equal(harness.openDialog.asked[1]?.title, 'Import MCP servers from Claude Desktop');
    const file = JSON.parse(mcpJson(harness)) as McpJson & { globalShortcut?: string };
    assert.deepEqual(file, { mcpServers: { fixture: here, imported: here } }, "Claude's other settings are not taken");
  });

  it('keeps a secret header out of every window and out of mcp.json in plain text, and the server gets it', async () => {
    const secret = 'Bearer e2e-s3cret-header';
    http = await startHttpFixture({ name: 'Authorization', value: secret });
    harness = await Harness.start({ env: { GEMINI_API_KEY: 'test-key' } });
    const page = await harness.openSettings();
    await page.getByRole('button', { name: 'Add a server' }).click();
    const form = page.getByRole('form', { name: 'New MCP server' });
    await form.getByLabel('Name', { exact: true }).fill('remote');
    await form.getByLabel('Runs as').selectOption('http');
    await form.getByLabel('Address', { exact: true }).fill('file:///etc/passwd');
    await form.getByRole('button', { name: 'Add a header' }).click();
    await form.getByLabel('Header 1 name').fill('Authorization');
    await form.getByLabel('Header 1 value').fill(secret);
    await form.getByRole('button', { name: 'Add server' }).click();
    await expect(form.getByTestId('mcp-problem-url')).toHaveText(
      'An http:// or https:// address, such as https://example.com/mcp.',
    );
    await form.getByLabel('Address', { exact: true }).fill(http.url);
    await form.getByRole('button', { name: 'Add server' }).click();
    // Connected: the server accepted the header, decrypted by main.
    await expect(page.getByTestId('mcp-status-remote')).toHaveText('connected, 8 tools', starting);
    assert.equal(mcpJson(harness).includes('e2e-s3cret'), false, 'mcp.json holds it encrypted');
    assert.match(mcpJson(harness), /"Authorization": "parley-encrypted:/);

    await page.getByRole('button', { name: 'Edit remote' }).click();
    const edit = page.getByRole('form', { name: 'Edit remote' });
    await expect(edit.getByLabel('Header 1 name')).toHaveValue('Authorization');
    await expect(edit.getByLabel('Header 1 value')).toHaveValue('');
    await edit.getByLabel('Name', { exact: true }).fill('team');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('mcp-status-team')).toHaveText('connected, 8 tools', starting);

    // The value went from the window to main once, when typed; nothing main sent back carries it.
    const toWindows = harness.ipc.log.filter((record) => record.direction === 'reply' || record.direction === 'event');
    assert.ok(toWindows.some((record) => JSON.stringify(record.payload).includes('"name":"Authorization"')));
    assert.equal(toWindows.filter((record) => JSON.stringify(record.payload).includes('e2e-s3cret')).length, 0);
    assert.equal((await page.content()).includes('e2e-s3cret'), false);
  });
});
