import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { ScenarioInput } from '../emulator/scenario';
import { projectRoot } from '../harness/paths';
import { synthesizeSpeech } from '../support/speech';
import type { ToolCallSummary } from '../demo/demo-tools';

const run = promisify(execFile);
const emulatorEnv = { ...process.env, PARLEY_LIVE_URL: '', GEMINI_API_KEY: '' };

function demo(args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'test/demo/demo-turn.ts', ...args], {
    cwd: projectRoot,
    env: emulatorEnv,
    // Generous: a run starts Chromium, the app and the emulator on a loaded 2-core machine.
    timeout: 90_000,
  });
}

/** One spoken turn against an emulator that follows `scenario`; the JSON summary. */
async function demoTurn(scenario: ScenarioInput, args: string[]): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-demo-test-'));
  const scenarioFile = join(dir, 'scenario.json');
  writeFileSync(scenarioFile, JSON.stringify(scenario));
  const speech = await synthesizeSpeech('What time is it?', { dir });
  const { stdout } = await demo([
    '--wav',
    speech.path,
    '--hold-ms',
    '1000',
    '--scenario',
    scenarioFile,
    ...args,
    '--json',
  ]);
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

it('npm run demo:turn runs real turns against the emulator and reports them as JSON', async () => {
  const speech = await synthesizeSpeech('A newcomer watches the whole loop work.');
  const { stdout } = await demo(['--wav', speech.path, '--hold-ms', '1200', '--turns', '2', '--json']);
  const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  assert.equal(summary.ok, true, String(summary.error));
  assert.equal(summary.turns, 2);
  assert.equal(summary.activityStartBeforeFirstFrame, true);
  assert.equal(summary.activityEndAfterLastFrame, true);
  assert.ok((summary.frameBytes as number[]).includes(640));
  assert.ok((summary.framesCaptured as number) > 0);
  assert.equal(summary.capturedFramesSent, true, 'every captured frame went on the wire, in order');
  // What the microphone file said, across the skips Chromium's fake microphone makes on a busy machine.
  assert.ok((summary.inputCorrelation as number) >= 0.8, `input correlation ${String(summary.inputCorrelation)}`);
  assert.ok((summary.replyChunks as number) > 0 && (summary.replyAudibleRms as number) > 0.02);
  assert.match(summary.replyText as string, /heard .* \| heard/);
  assert.equal(summary.error, null);
});

it('npm run demo:turn --look runs a screen turn: pictures of the test screen go with the words, and Gemini says it saw them', async () => {
  const summary = await demoTurn(
    { turns: [{ reply: { outputTranscription: 'I saw {frames} frames, the last {lastFrame}' } }] },
    ['--look', '--hold-ms', '2200'],
  );
  assert.equal(summary.ok, true, String(summary.error));
  const frames = summary.videoFrames as number;
  // A picture at the start, then at most one a second: up to three in a 2.2 s hold. On a starved machine the
  // first picture may come late and the second never, so how many came is not asserted beyond one.
  assert.ok(frames >= 1 && frames <= 3, `${frames} pictures`);
  // The harness's 1920×1080 screen at the default media resolution (MEDIUM: 1024 px on the long side).
  assert.ok((summary.videoFrameSizes as string[]).every((size) => size.startsWith('1024×576, ')));
  assert.match(summary.replyText as string, new RegExp(`I saw ${frames} frames, the last 1024×576 JPEG`));
  assert.ok((summary.framesSent as number) > 0, 'the words went too');
});

describe('npm run demo:turn with tools', () => {
  it('--tools builtin --approve all: the calls Gemini makes run, even one that asks by default, each done with its output', async () => {
    const calls = [{ name: 'get_current_time' }, { name: 'copy_to_clipboard', args: { text: 'from the demo' } }];
    const summary = await demoTurn({ turns: [{ toolCalls: calls }] }, ['--tools', 'builtin', '--approve', 'all']);
    assert.equal(summary.ok, true, String(summary.error));
    const [clock, copy, ...more] = summary.toolCalls as ToolCallSummary[];
    assert.deepEqual(more, []);
    assert.equal(clock?.name, 'get_current_time');
    assert.equal(clock?.status, 'done');
    assert.deepEqual(clock?.args, {});
    const output = clock?.output as Record<string, string>;
    assert.equal(output.timeZone, Intl.DateTimeFormat().resolvedOptions().timeZone);
    assert.match(output.time!, /^\d\d:\d\d:\d\d$/);
    assert.ok(typeof clock?.ms === 'number' && clock.ms >= 0);
    assert.match(summary.replyText as string, new RegExp(output.time!), 'Gemini was given the result');
    assert.deepEqual(
      { name: copy?.name, args: copy?.args, status: copy?.status, output: copy?.output },
      {
        name: 'copy_to_clipboard',
        args: { text: 'from the demo' },
        status: 'done',
        output: { status: 'copied', characters: 13 },
      },
    );
  });

  it('--approve ask is refused before anything starts: nobody is there to answer a card', async () => {
    const refused = await demo(['--wav', 'missing.wav', '--approve', 'ask']).then(
      () => assert.fail('demo:turn accepted --approve ask'),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--approve ask needs someone to answer each approval card/);
    assert.match(refused.stderr, /use --approve all or --approve none/);
    assert.equal(refused.stdout, '', 'no turn was run');
  });

  it('--tools none declares no function, so Gemini calls none', async () => {
    const summary = await demoTurn({ turns: [{ toolCalls: [{ name: 'get_current_time' }] }] }, ['--tools', 'none']);
    assert.equal(summary.ok, true, String(summary.error));
    assert.deepEqual(summary.declaredFunctions, []);
    assert.deepEqual(summary.toolCalls, []);
  });

  it('--tools with an mcp.json runs its servers: a tool of a stdio server is called and answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-demo-mcp-'));
    const mcpFile = join(dir, 'servers.json');
    const fixture = { command: process.execPath, args: [join(projectRoot, 'test/fixtures/mcp/stdio-server.mjs')] };
    writeFileSync(mcpFile, JSON.stringify({ mcpServers: { fixture } }));
    const summary = await demoTurn({ turns: [{ toolCalls: [{ name: 'fixture__echo', args: { text: 'ping' } }] }] }, [
      '--tools',
      mcpFile,
      '--approve',
      'all',
    ]);
    assert.equal(summary.ok, true, String(summary.error));
    assert.ok((summary.declaredFunctions as string[]).includes('get_current_time'), 'the built-ins too');
    const [call] = summary.toolCalls as ToolCallSummary[];
    assert.deepEqual(
      { name: call?.name, server: call?.server, args: call?.args, status: call?.status, output: call?.output },
      { name: 'fixture__echo', server: 'fixture', args: { text: 'ping' }, status: 'done', output: 'ping' },
    );
  });

  it('--approve none denies every call, even a read-only one; --search reports the pages a reply was grounded in', async () => {
    const grounding = { queries: ['time now'], sources: [{ title: 'Clocks', uri: 'https://example.org/clocks' }] };
    const summary = await demoTurn(
      { turns: [{ toolCalls: [{ name: 'get_current_time' }], reply: { text: 'Here is what I found.', grounding } }] },
      // A model that takes Google Search and functions in one session.
      ['--approve', 'none', '--search', '--model', 'gemini-2.5-flash-native-audio-preview-12-2025'],
    );
    assert.equal(summary.ok, true, String(summary.error));
    const [call] = summary.toolCalls as ToolCallSummary[];
    assert.equal(call?.status, 'denied');
    assert.equal(call?.error, 'The user declined this call.');
    assert.equal('output' in call!, false);
    assert.deepEqual(summary.groundingSources, grounding.sources);
  });
});
