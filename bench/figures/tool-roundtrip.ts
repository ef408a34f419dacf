import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { everyTool, toolsReady } from '../../test/demo/demo-tools';
import { watchToolWire, type ToolWire } from '../../test/demo/tool-wire';
import type { ScenarioInput } from '../../test/emulator/scenario';
import { startEmulator } from '../../test/emulator/server';
import { Harness } from '../../test/harness/harness';
import { projectRoot } from '../../test/harness/paths';
import { wallClock } from '../lib/clock';

/** ms from the `toolCall` frame reaching main to the `toolResponse` leaving it. */
export interface ToolRoundtrips {
  clock: number[];
  mcpEcho: number[];
  /** The first call of each in the app's life (schema compiled, code paths cold): apart, not in the above. */
  firstCall: { clock: number; mcpEcho: number };
}

/** Calls block on this model: nothing of the reply runs in main while the call does. */
const blockingModel = 'gemini-3.1-flash-live-preview';
const fixtureServer = join(projectRoot, 'test/fixtures/mcp/stdio-server.mjs');
const calledTools = [{ name: 'get_current_time' }, { name: 'fixture__echo', args: { text: 'bench' } }];

/**
 * `calls` + 1 typed turns for each of get_current_time and a real stdio MCP server's `echo` (the
 * test fixture, spawned by Parley from mcp.json), alternating, each allowed always: the emulator
 * calls the tool at once. Main's `ws` socket is watched from outside (test/demo/tool-wire.ts).
 */
export async function measureToolRoundtrips(calls: number): Promise<ToolRoundtrips> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'parley-bench-tools-'));
  const fixture = { command: process.execPath, args: [fixtureServer] };
  writeFileSync(join(userDataDir, 'mcp.json'), JSON.stringify({ mcpServers: { fixture } }));
  const turns: ScenarioInput['turns'] = Array.from({ length: calls + 1 }, () =>
    calledTools.map((tool) => ({ toolCalls: [tool], reply: { text: 'Done.' } })),
  ).flat();
  const emulator = await startEmulator({ pacing: { mode: 'fast' }, scenario: { turns } });
  const wire = watchToolWire();
  const harness = await Harness.start({
    userDataDir,
    env: { PARLEY_LIVE_URL: emulator.url, GEMINI_API_KEY: 'test-key' },
    settings: { cues: false, model: blockingModel },
    outputTap: false,
  });
  try {
    await harness.app.updateSettings({ tools: everyTool(await toolsReady(harness), 'always') });
    harness.window('settings').requestClose();
    const transcript = await harness.page('transcript');
    for (let turn = 0; turn < turns.length; turn++) await typedTurn(harness, transcript, wire, turn);
    return roundtrips(wire);
  } finally {
    wire.stop();
    await harness.close();
    await emulator.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

/** A typed turn whose reply waits for the tool: done once the call was answered and Parley is idle again. */
async function typedTurn(harness: Harness, transcript: Page, wire: ToolWire, turn: number): Promise<void> {
  await transcript.evaluate((text) => window.parley.sendText({ text }), `Tool turn ${turn}.`);
  const deadline = wallClock() + 15_000;
  while (wire.responses.length <= turn || harness.app.status.current.state !== 'idle') {
    if (wallClock() > deadline) throw new Error(`turn ${turn}: no answered call and reply within 15 s`);
    await sleep(5);
  }
}

function roundtrips(wire: ToolWire): ToolRoundtrips {
  const times = (name: string) =>
    wire.calls
      .filter((call) => call.name === name)
      .map((call) => {
        const answer = wire.responses.find((response) => response.id === call.id);
        if (!answer) throw new Error(`${call.name} (${call.id}) was never answered`);
        if (!('output' in answer.response)) throw new Error(`${call.name} failed: ${String(answer.response.error)}`);
        return answer.at - call.at;
      });
  const [clockFirst, ...clock] = times('get_current_time');
  const [echoFirst, ...mcpEcho] = times('fixture__echo');
  return { clock, mcpEcho, firstCall: { clock: clockFirst!, mcpEcho: echoFirst! } };
}
