import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nameTools, type ToolKey } from '../../electron/main/tools/mcp/tool-names';

/** What the Live API accepts as a function name (live-protocol.md, "Tool use"). */
const geminiName = /^[a-zA-Z_][a-zA-Z0-9_.:-]{0,127}$/;

const names = (tools: ToolKey[]) => nameTools(tools).map((named) => named.geminiName);

describe('MCP tool names for Gemini', () => {
  it('joins server and tool, keeping names that are already valid', () => {
    assert.deepEqual(
      nameTools([
        { server: 'files', tool: 'read_file' },
        { server: 'time', tool: 'get.now:utc-1' },
      ]),
      [
        { server: 'files', tool: 'read_file', geminiName: 'files__read_file' },
        { server: 'time', tool: 'get.now:utc-1', geminiName: 'time__get.now:utc-1' },
      ],
    );
  });

  it('makes awkward names valid: spaces, accents, other scripts, emoji, leading digits', () => {
    const result = names([
      { server: 'My Server', tool: 'search web' },
      { server: 'café', tool: 'créer' },
      { server: 'サーバー', tool: '検索' },
      { server: 'x', tool: '🔥 hot' },
      { server: '1password', tool: 'get' },
      { server: '-dash', tool: 'x' },
    ]);
    assert.deepEqual(result.slice(0, 2), ['My_Server__search_web', 'cafe__creer']);
    assert.equal(result[4], '_1password__get');
    for (const name of result) assert.match(name, geminiName);
    assert.equal(new Set(result).size, result.length);
  });

  it('cuts very long names to 128 characters and keeps them unique', () => {
    const long = 'a'.repeat(300);
    const result = names([
      { server: long, tool: long },
      { server: long, tool: `${long}b` },
      { server: `${long}c`, tool: long },
    ]);
    for (const name of result) {
      assert.match(name, geminiName);
      assert.ok(name.length <= 128);
    }
    assert.equal(new Set(result).size, 3);
  });

  it('resolves collisions with a suffix, the same way whatever the order, never renaming a valid name', () => {
    const tools = [
      { server: 'a b', tool: 'x' },
      { server: 'a_b', tool: 'x' },
      { server: 'a-b', tool: 'x' },
      { server: 'a_b', tool: 'x_2' },
    ];
    const forward = nameTools(tools);
    const backward = nameTools([...tools].reverse());
    assert.equal(new Set(forward.map((named) => named.geminiName)).size, 4);
    const key = (named: ToolKey & { geminiName: string }) => `${named.server}/${named.tool}=${named.geminiName}`;
    assert.deepEqual(forward.map(key).sort(), backward.map(key).sort());
    assert.deepEqual(
      forward.map((named) => named.geminiName),
      ['a_b__x_3', 'a_b__x', 'a-b__x', 'a_b__x_2'],
    );
  });

  it('the mapping back finds each original server and tool', () => {
    const tools = [
      { server: 's', tool: 'same name' },
      { server: 's', tool: 'same_name' },
    ];
    const byName = new Map(nameTools(tools).map((named) => [named.geminiName, named]));
    assert.equal(byName.size, 2);
    assert.deepEqual(
      [...byName.values()].map(({ server, tool }) => ({ server, tool })).sort((a, b) => (a.tool < b.tool ? -1 : 1)),
      tools,
    );
  });
});
