import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ToolCallInfo } from '../../shared/tools';
import type { TranscriptEntry } from '../../shared/types';
import { startEmulator, type Emulator } from '../emulator/server';
import type { ScenarioInput } from '../emulator/scenario';
import type { ClientFrame } from '../emulator/wire';
import { defaultProfile } from '../../electron/main/settings/defaults';
import { expect } from '../harness/expect';
import { Conversation } from '../harness/conversation';
import { Harness, type HarnessOptions } from '../harness/harness';
import { projectRoot } from '../harness/paths';

const fixtureServer = join(projectRoot, 'test/fixtures/mcp/stdio-server.mjs');

/** A model whose calls block: Gemini waits for each result before it goes on. */
const blockingModel = 'gemini-3.1-flash-live-preview';

const clientMessages = (emulator: Emulator) =>
  emulator.frames({ direction: 'in' }).map((f) => f.message as ClientFrame);
const toolResponses = (emulator: Emulator) =>
  clientMessages(emulator).flatMap((message) => message.toolResponse?.functionResponses ?? []);
const setups = (emulator: Emulator) =>
  clientMessages(emulator).flatMap((message) => (message.setup ? [message.setup as Record<string, unknown>] : []));
const entries = (harness: Harness) =>
  harness.app.transcript.all().map((entry) => `${entry.role}: ${entry.tool?.state ?? entry.text}`);
const toolEntries = (harness: Harness): ToolCallInfo[] =>
  harness.app.transcript.all().flatMap((entry: TranscriptEntry) => (entry.tool ? [entry.tool] : []));

async function type(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

describe('tools Gemini calls', () => {
  let harness: Harness | undefined;
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await harness?.close();
    await emulator?.close();
    harness = emulator = undefined;
  });

  const start = async (scenario: ScenarioInput, options: HarnessOptions = {}) => {
    emulator = await startEmulator({ pacing: { mode: 'fast' }, scenario });
    harness = await Harness.start({
      ...options,
      env: { PARLEY_LIVE_URL: emulator.url, GEMINI_API_KEY: 'test-key' },
      settings: { cues: false, model: blockingModel, ...options.settings },
    });
    return { harness, emulator, page: await harness.page('transcript') };
  };

  it('declares the built-in tools, runs a read-only one without asking, and the reply goes on with its result', async () => {
    const t = await start({ turns: [{ toolCalls: [{ name: 'get_current_time' }] }] });
    await type(t.page, 'What time is it?');
    await expect.poll(() => t.harness.app.status.current.state, { timeout: 15_000 }).toBe('idle');
    const declared = (setups(t.emulator)[0]?.tools as { functionDeclarations?: { name: string }[] }[]) ?? [];
    assert.deepEqual(
      declared.flatMap((tool) => tool.functionDeclarations ?? []).map((f) => f.name),
      [
        'get_current_time',
        'search_conversations',
        'copy_to_clipboard',
        'open_url',
        'remember',
        'forget',
        'look_at_screen',
      ],
    );
    const [answer] = toolResponses(t.emulator);
    const output = (answer?.response as { output: Record<string, string> }).output;
    assert.equal(output.timeZone, Intl.DateTimeFormat().resolvedOptions().timeZone);
    assert.match(output.utcOffset!, /^[+-]\d\d:\d\d$/);
    assert.equal('scheduling' in answer!, false, 'a blocking model gets no scheduling');
    const [call] = toolEntries(t.harness);
    assert.equal(call?.state, 'done');
    assert.equal(call?.tool, 'get_current_time');
    const roles = t.harness.app.transcript.all().map((entry) => entry.role);
    assert.deepEqual(roles, ['user', 'tool', 'model'], 'the call sits between the question and the reply');
  });

  it('asks before a tool that acts: nothing runs until the user answers, and Deny tells Gemini the user declined', async () => {
    const t = await start({
      turns: [{ toolCalls: [{ name: 'copy_to_clipboard', args: { text: 'secret plan' } }] }],
    });
    await type(t.page, 'Copy my plan.');
    await expect.poll(() => toolEntries(t.harness)[0]?.state, { timeout: 15_000 }).toBe('approval');
    assert.deepEqual(t.harness.clipboard.texts, [], 'nothing copied before the user answers');
    assert.equal(t.harness.window('transcript').visible, true, 'the card is shown');
    const callId = toolEntries(t.harness)[0]!.callId;
    await t.page.evaluate((id) => window.parley.answerToolCall({ callId: id, answer: 'deny' }), callId);
    await expect.poll(() => toolResponses(t.emulator).length, { timeout: 15_000 }).toBe(1);
    assert.deepEqual(toolResponses(t.emulator)[0]?.response, { error: 'The user declined this call.' });
    assert.equal(toolEntries(t.harness)[0]?.state, 'denied');
    assert.deepEqual(t.harness.clipboard.texts, []);
  });

  it('with the transcript window hidden, a card shows it without taking the focus, and a notification says why', async () => {
    const t = await start({ turns: [{ toolCalls: [{ name: 'open_url', args: { url: 'https://example.org/' } }] }] });
    const transcript = t.harness.window('transcript');
    // Hidden as the tray leaves it; the harness's page still takes the typed message.
    transcript.hide();
    await type(t.page, 'Open the example page.');
    await expect.poll(() => toolEntries(t.harness)[0]?.state, { timeout: 15_000 }).toBe('approval');
    assert.equal(transcript.visible, true, 'the card is on screen');
    assert.equal(transcript.focused, false, 'the keyboard stays where the user is');
    const [notice] = t.harness.desktop.notifications;
    assert.equal(notice?.title, 'Parley asks for your approval');
    assert.equal(notice?.body, 'Gemini wants to use open_url.');
    notice!.click();
    assert.equal(transcript.focused, true, 'clicking the notification brings the card to the user');
  });

  it('a card with no answer counts as Deny, and one answered Allow once runs the tool', async () => {
    // A short wait for the unanswered card, so the test need not sit through the real minute.
    const t = await start(
      {
        turns: [
          { toolCalls: [{ name: 'copy_to_clipboard', args: { text: 'first' } }] },
          { toolCalls: [{ name: 'copy_to_clipboard', args: { text: 'second' } }] },
        ],
      },
      { tuning: { approvalTimeoutMs: 1_000 } },
    );
    await type(t.page, 'Copy the first.');
    await expect.poll(() => toolResponses(t.emulator).length, { timeout: 15_000 }).toBe(1);
    assert.match(JSON.stringify(toolResponses(t.emulator)[0]?.response), /did not answer within 1 s/);
    await expect.poll(() => t.harness.app.status.current.state, { timeout: 15_000 }).toBe('idle');
    await type(t.page, 'Copy the second.');
    await expect.poll(() => toolEntries(t.harness)[1]?.state, { timeout: 15_000 }).toBe('approval');
    const callId = toolEntries(t.harness)[1]!.callId;
    await t.page.evaluate((id) => window.parley.answerToolCall({ callId: id, answer: 'once' }), callId);
    await expect.poll(() => toolEntries(t.harness)[1]?.state, { timeout: 15_000 }).toBe('done');
    assert.deepEqual(t.harness.clipboard.texts, ['second']);
    // The card is done once the answer is on its way: the emulator records it a moment later.
    await expect.poll(() => toolResponses(t.emulator).length, { timeout: 15_000 }).toBe(2);
    assert.deepEqual(toolResponses(t.emulator)[1]?.response, { output: { status: 'copied', characters: 6 } });
  });

  it('remembers a note for the next sessions, in their system instruction, and forgets it on request', async () => {
    const t = await start(
      {
        turns: [
          { toolCalls: [{ name: 'remember', args: { note: 'The user is called Ada.' } }] },
          { toolCalls: [{ name: 'forget', args: { note: 'called Ada' } }] },
        ],
      },
      {
        settings: {
          systemInstruction: 'Answer briefly.',
          tools: { ...defaultProfile.tools, permissions: { remember: 'always', forget: 'always' } },
        },
      },
    );
    await type(t.page, 'Remember that my name is Ada.');
    await expect.poll(() => toolEntries(t.harness)[0]?.state, { timeout: 15_000 }).toBe('done');
    await expect.poll(() => t.harness.app.status.current.state, { timeout: 15_000 }).toBe('idle');
    await t.harness.app.updateSettings({ voiceName: 'Puck' });
    await type(t.page, 'Forget my name.');
    await expect.poll(() => toolEntries(t.harness)[1]?.state, { timeout: 15_000 }).toBe('done');
    await expect.poll(() => t.harness.app.status.current.state, { timeout: 15_000 }).toBe('idle');
    await t.harness.app.updateSettings({ voiceName: 'Kore' });
    await type(t.page, 'Hello again.');
    await expect.poll(() => setups(t.emulator).length, { timeout: 15_000 }).toBe(3);
    const instructions = setups(t.emulator).map((setup) => JSON.stringify(setup.systemInstruction ?? ''));
    assert.doesNotMatch(instructions[0]!, /Ada/, 'nothing remembered before');
    assert.match(
      instructions[1]!,
      /Answer briefly\.\\n\\nWhat the user asked you to remember.*The user is called Ada\./,
    );
    assert.doesNotMatch(instructions[2]!, /Ada/, 'forgotten');
  });

  it('on a model that goes on while a tool runs: the reply goes on, and the result is spoken about in a reply of its own', async () => {
    const t = await start(
      {
        turns: [
          { toolCalls: [{ name: 'get_current_time' }], reply: { text: 'Let me look at the clock.' } },
          { toolCalls: [{ name: 'remember', args: { note: 'Tea, no sugar.' } }], reply: { text: 'Noted.' } },
        ],
      },
      {
        settings: {
          model: 'gemini-3.8-live',
          tools: { ...defaultProfile.tools, permissions: { remember: 'always' } },
        },
      },
    );
    await type(t.page, 'What time is it?');
    await expect.poll(() => t.harness.app.transcript.all()[3]?.state, { timeout: 15_000 }).toBe('done');
    await expect.poll(() => t.harness.app.status.current.state, { timeout: 15_000 }).toBe('idle');
    const [first] = toolResponses(t.emulator);
    assert.equal((first as { scheduling?: string }).scheduling, 'WHEN_IDLE', 'spoken about once Gemini is idle');
    const time = (first?.response as { output: { time: string } }).output.time;
    const shown = entries(t.harness);
    assert.deepEqual(shown.slice(0, 3), ['user: What time is it?', 'tool: done', 'model: Let me look at the clock.']);
    assert.match(shown[3]!, new RegExp(`^model: .*${time}`), 'the result, in a reply of its own');

    await type(t.page, 'I take my tea without sugar.');
    await expect.poll(() => toolEntries(t.harness)[1]?.state, { timeout: 15_000 }).toBe('done');
    await expect.poll(() => t.harness.app.status.current.state, { timeout: 15_000 }).toBe('idle');
    await expect.poll(() => toolResponses(t.emulator).length, { timeout: 15_000 }).toBe(2);
    assert.equal((toolResponses(t.emulator)[1] as { scheduling?: string }).scheduling, 'SILENT');
    assert.deepEqual(
      entries(t.harness).slice(4),
      ['user: I take my tea without sugar.', 'tool: done', 'model: Noted.'],
      'nothing more to say about a note',
    );
  });
});

describe('Google Search', () => {
  let harness: Harness | undefined;
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await harness?.close();
    await emulator?.close();
    harness = emulator = undefined;
  });

  const search = { googleSearch: true, permissions: {}, allowedDescriptions: {}, limits: defaultProfile.tools.limits };
  const grounded: ScenarioInput = {
    turns: [
      {
        reply: {
          text: 'It will rain in Lisbon.',
          grounding: {
            queries: ['weather Lisbon tomorrow'],
            sources: [{ title: 'Lisbon forecast', uri: 'https://weather.example/lisbon' }],
          },
        },
      },
    ],
  };

  it('searches on request, and the reply keeps what was searched and the sources', async () => {
    emulator = await startEmulator({ pacing: { mode: 'fast' }, scenario: grounded });
    harness = await Harness.start({
      env: { PARLEY_LIVE_URL: emulator.url, GEMINI_API_KEY: 'test-key' },
      settings: { cues: false, tools: search },
    });
    await type(await harness.page('transcript'), 'Will it rain in Lisbon tomorrow?');
    await expect.poll(() => harness!.app.status.current.state, { timeout: 15_000 }).toBe('idle');
    // gemini-3.8-live takes search or functions, not both: searching, which the user turned on, wins.
    assert.deepEqual(setups(emulator)[0]?.tools, [{ googleSearch: {} }]);
    const reply = harness.app.transcript.all().find((entry) => entry.role === 'model');
    assert.deepEqual(reply?.grounding, {
      queries: ['weather Lisbon tomorrow'],
      sources: [{ title: 'Lisbon forecast', uri: 'https://weather.example/lisbon' }],
    });
    const settings = await harness.openSettings();
    const reason = await settings.evaluate(async () => {
      const answer = await window.parley.getSettings();
      return answer.ok ? answer.value.controls.functionTools?.reason : answer.error.message;
    });
    assert.match(reason ?? '', /cannot search the web and use tools in the same session/);
  });

  it('declares search and the tools together where the model takes both', async () => {
    emulator = await startEmulator({ pacing: { mode: 'fast' }, scenario: grounded });
    harness = await Harness.start({
      env: { PARLEY_LIVE_URL: emulator.url, GEMINI_API_KEY: 'test-key' },
      settings: { cues: false, model: 'gemini-2.5-flash-native-audio-preview-12-2025', tools: search },
    });
    await type(await harness.page('transcript'), 'Will it rain in Lisbon tomorrow?');
    await expect.poll(() => harness!.app.status.current.state, { timeout: 15_000 }).toBe('idle');
    const declared = setups(emulator)[0]?.tools as Record<string, unknown>[];
    assert.equal(declared.length, 2);
    assert.ok(declared.some((tool) => 'googleSearch' in tool));
    assert.ok(declared.some((tool) => 'functionDeclarations' in tool));
  });
});

describe('tools and the hotkey', () => {
  let talk: Conversation | undefined;
  afterEach(async () => {
    await talk?.close();
    talk = undefined;
  });

  it('a press while a card waits cancels the call: the card goes, nothing runs, and the new turn is heard', async () => {
    talk = await Conversation.start({
      settings: { cues: false, model: blockingModel },
      emulator: {
        pacing: { mode: 'fast' },
        scenario: { turns: [{ toolCalls: [{ name: 'open_url', args: { url: 'https://example.org/' } }] }] },
      },
    });
    const { harness } = talk;
    await talk.keyDown();
    await expect.poll(() => harness.app.status.current.state).toBe('listening');
    await talk.keyUp();
    await expect.poll(() => toolEntries(harness)[0]?.state, { timeout: 15_000 }).toBe('approval');
    await talk.keyDown();
    await expect.poll(() => toolEntries(harness)[0]?.state).toBe('cancelled');
    await talk.keyUp();
    await expect.poll(() => harness.app.status.current.state, { timeout: 15_000 }).toBe('idle');
    assert.deepEqual(harness.desktop.opened, [], 'the page was never opened');
    assert.equal(toolResponses(talk.emulator).length, 0, 'a cancelled call is not answered');
    assert.equal(toolEntries(harness)[0]?.result, 'You interrupted the reply, so the call was cancelled.');
    const replies = harness.app.transcript.all().filter((entry) => entry.role === 'model');
    assert.match(replies.at(-1)?.text ?? '', /heard/, 'the new turn got its reply');
  });
});

describe('tools of an MCP server', () => {
  let harness: Harness | undefined;
  let emulator: Emulator | undefined;
  let userDataDir: string | undefined;
  afterEach(async () => {
    await harness?.close();
    await emulator?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    harness = emulator = userDataDir = undefined;
  });

  const startWithFixture = async (scenario: ScenarioInput, overrides: HarnessOptions['settings'] = {}) => {
    userDataDir = mkdtempSync(join(tmpdir(), 'parley-mcp-'));
    const serverLog = join(userDataDir, 'fixture.log');
    const env = { GEMINI_API_KEY: 'copied-by-mistake', MCP_FIXTURE_LOG: serverLog };
    const server = { command: process.execPath, args: [fixtureServer], env };
    writeFileSync(join(userDataDir, 'mcp.json'), JSON.stringify({ mcpServers: { fixture: server } }));
    emulator = await startEmulator({ pacing: { mode: 'fast' }, scenario });
    harness = await Harness.start({
      userDataDir,
      env: { PARLEY_LIVE_URL: emulator.url, GEMINI_API_KEY: 'test-key' },
      settings: { cues: false, model: blockingModel, ...overrides },
    });
    const settings = await harness.openSettings();
    const view = () =>
      settings.evaluate(async () => {
        const answer = await window.parley.getSettings();
        if (!answer.ok) throw new Error(answer.error.message);
        return answer.value;
      });
    await expect.poll(async () => (await view()).mcp.servers[0]?.status, { timeout: 20_000 }).toBe('connected');
    /** What the server saw, one line per event. */
    const serverSaw = () => (existsSync(serverLog) ? readFileSync(serverLog, 'utf8').trim().split('\n') : []);
    return { harness, emulator, view, serverSaw, page: await harness.page('transcript') };
  };
  /** What the fixture's tools say they do: Always allow holds only for the description the user allowed. */
  const fixtureDescriptions: Record<string, string> = {
    'fixture/slow': 'Waits the given number of milliseconds.',
    'fixture/fail': 'Always fails.',
    'fixture/crash': 'Ends the server process at once.',
    'fixture/echo': 'Repeats the text it is given.',
  };
  const allowed = (...tools: string[]) => ({
    tools: {
      ...defaultProfile.tools,
      permissions: Object.fromEntries(tools.map((tool) => [tool, 'always' as const])),
      allowedDescriptions: Object.fromEntries(tools.map((tool) => [tool, fixtureDescriptions[tool]!])),
    },
  });
  const answer = (page: Page, n: number, reply: 'once' | 'always' | 'deny') =>
    page.evaluate(([id, how]) => window.parley.answerToolCall({ callId: id, answer: how }), [
      toolEntries(harness!)[n]!.callId,
      reply,
    ] as const);

  it('runs a tool of a stdio server from mcp.json once the user allows it, and the server never sees the key', async () => {
    const t = await startWithFixture({
      turns: [
        { toolCalls: [{ name: 'fixture__env_names' }] },
        { toolCalls: [{ name: 'fixture__echo', args: { text: '<img src=x onerror=alert(1)>' } }] },
      ],
    });
    const { mcp, tools } = await t.view();
    assert.deepEqual(mcp.servers[0]?.withheldEnv, ['GEMINI_API_KEY'], 'Settings says what was held back');
    assert.deepEqual(
      tools.filter((tool) => tool.server === 'fixture').map((tool) => [tool.name, tool.permission]),
      ['echo', 'slow', 'fail', 'mood', 'change_description', 'picture', 'crash', 'env_names'].map((name) => [
        `fixture/${name}`,
        'ask',
      ]),
      'every server tool asks first',
    );

    await type(t.page, 'Which variables does the server see?');
    await expect.poll(() => toolEntries(t.harness)[0]?.state, { timeout: 15_000 }).toBe('approval');
    assert.equal(toolEntries(t.harness)[0]?.server, 'fixture');
    await answer(t.page, 0, 'once');
    await expect.poll(() => toolResponses(t.emulator).length, { timeout: 15_000 }).toBe(1);
    const names = String((toolResponses(t.emulator)[0]?.response as { output: string }).output).split('\n');
    assert.ok(names.includes('PATH'), 'the server gets what it needs to run');
    assert.deepEqual(
      names.filter((name) => /^(GEMINI|GOOGLE|PARLEY)_/i.test(name)),
      [],
      'neither the key nor any Parley setting reaches the server',
    );

    await expect.poll(() => t.harness.app.status.current.state, { timeout: 15_000 }).toBe('idle');
    await type(t.page, 'Say it back.');
    await expect.poll(() => toolEntries(t.harness)[1]?.state, { timeout: 15_000 }).toBe('approval');
    await answer(t.page, 1, 'once');
    await expect.poll(() => toolEntries(t.harness)[1]?.state, { timeout: 15_000 }).toBe('done');
    assert.equal(toolEntries(t.harness)[1]?.result, '<img src=x onerror=alert(1)>', 'kept as the text it is');
  });

  it('shows each server in Settings: connected with its tools, failed with the reason, and what mcp.json got wrong', async () => {
    userDataDir = mkdtempSync(join(tmpdir(), 'parley-mcp-'));
    const servers = {
      fixture: { command: process.execPath, args: [fixtureServer] },
      missing: { command: 'parley-no-such-mcp-server' },
      odd: { url: 'ftp://files.example/' },
    };
    writeFileSync(join(userDataDir, 'mcp.json'), JSON.stringify({ mcpServers: servers }));
    harness = await Harness.start({ userDataDir, env: { GEMINI_API_KEY: 'test-key' } });
    const settings = await harness.openSettings();
    await expect(settings.getByTestId('mcp-status-fixture')).toHaveText('connected, 8 tools', { timeout: 20_000 });
    await expect(settings.getByTestId('mcp-status-missing')).toHaveText('failed', { timeout: 20_000 });
    await expect(settings.getByTestId('mcp-reason-missing')).toContainText('parley-no-such-mcp-server');
    await expect(settings.getByTestId('mcp-problem')).toContainText('odd');
    await expect(settings.getByTestId('mcp-file')).toHaveText(join(userDataDir, 'mcp.json'));
    await expect(settings.getByTestId('tool-fixture/echo')).toContainText('Repeats the text it is given.');
  });

  it('asks again for a tool allowed always once its server changes what the tool says it does', async () => {
    const t = await startWithFixture({
      turns: [
        { toolCalls: [{ name: 'fixture__mood' }] },
        { toolCalls: [{ name: 'fixture__mood' }] },
        { toolCalls: [{ name: 'fixture__change_description', args: { description: 'Deletes your files.' } }] },
        { toolCalls: [{ name: 'fixture__mood' }] },
      ],
    });
    const idle = () => expect.poll(() => t.harness.app.status.current.state, { timeout: 15_000 }).toBe('idle');
    await type(t.page, 'How do you feel?');
    await expect.poll(() => toolEntries(t.harness)[0]?.state, { timeout: 15_000 }).toBe('approval');
    await answer(t.page, 0, 'always');
    await idle();
    await type(t.page, 'And now?');
    await expect.poll(() => toolEntries(t.harness)[1]?.state, { timeout: 15_000 }).toBe('done');
    assert.ok(
      toolEntries(t.harness).every((call) => call.state !== 'approval'),
      'allowed always: no card',
    );
    await idle();
    await type(t.page, 'Change your mood tool.');
    await expect.poll(() => toolEntries(t.harness)[2]?.state, { timeout: 15_000 }).toBe('approval');
    await answer(t.page, 2, 'once');
    const mood = async () => (await t.view()).tools.find((tool) => tool.name === 'fixture/mood');
    await expect.poll(async () => (await mood())?.permission, { timeout: 15_000 }).toBe('ask');
    assert.match((await mood())?.note ?? '', /fixture changed what this tool says it does/);
    await idle();
    await type(t.page, 'How do you feel now?');
    await expect.poll(() => toolEntries(t.harness)[3]?.state, { timeout: 15_000 }).toBe('approval');
    await answer(t.page, 3, 'deny');
    await expect.poll(() => toolEntries(t.harness)[3]?.state, { timeout: 15_000 }).toBe('denied');
  });

  it('a slow tool is stopped when the user moves on: the server sees the cancellation, and Gemini gets no result', async () => {
    const t = await startWithFixture(
      { turns: [{ toolCalls: [{ name: 'fixture__slow', args: { ms: 120_000 } }] }, { reply: { text: 'Fine.' } }] },
      allowed('fixture/slow'),
    );
    await type(t.page, 'Take your time.');
    await expect
      .poll(() => t.serverSaw().some((line) => line.startsWith('slow started')), { timeout: 15_000 })
      .toBe(true);
    await type(t.page, 'Never mind.');
    await expect
      .poll(() => t.serverSaw().some((line) => line.startsWith('slow cancelled')), { timeout: 15_000 })
      .toBe(true);
    await expect.poll(() => toolEntries(t.harness)[0]?.state, { timeout: 15_000 }).toBe('cancelled');
    await expect.poll(() => t.harness.app.status.current.state, { timeout: 15_000 }).toBe('idle');
    assert.deepEqual(toolResponses(t.emulator), [], 'nothing of the cancelled call reaches Gemini');
    assert.equal(entries(t.harness).at(-1), 'model: Fine.', 'the new turn is answered');
  });

  it("a failing tool: the transcript shows the server's error, and Gemini hears it as an error", async () => {
    const t = await startWithFixture({ turns: [{ toolCalls: [{ name: 'fixture__fail' }] }] }, allowed('fixture/fail'));
    await type(t.page, 'Try the tool that fails.');
    await expect.poll(() => toolEntries(t.harness)[0]?.state, { timeout: 15_000 }).toBe('failed');
    assert.match(toolEntries(t.harness)[0]?.result ?? '', /the fixture failed on purpose/);
    await expect.poll(() => toolResponses(t.emulator).length, { timeout: 15_000 }).toBe(1);
    const [answer] = toolResponses(t.emulator);
    assert.match(String((answer?.response as { error?: string }).error), /the fixture failed on purpose/);
    await expect.poll(() => entries(t.harness).at(-1), { timeout: 15_000 }).toMatch(/^model: .*failed/);
  });

  it('a server that crashes: the call fails with the reason, Settings shows it, and the next call starts it again', async () => {
    const t = await startWithFixture(
      {
        turns: [
          { toolCalls: [{ name: 'fixture__crash' }] },
          { toolCalls: [{ name: 'fixture__echo', args: { text: 'back again' } }] },
        ],
      },
      allowed('fixture/crash', 'fixture/echo'),
    );
    await type(t.page, 'Crash.');
    await expect.poll(() => toolEntries(t.harness)[0]?.state, { timeout: 15_000 }).toBe('failed');
    const server = async () => (await t.view()).mcp.servers[0];
    await expect.poll(async () => (await server())?.status, { timeout: 15_000 }).toBe('failed');
    assert.match((await server())?.stderrTail.join('\n') ?? '', /crashing on purpose/, 'what it printed last');
    await expect.poll(() => t.harness.app.status.current.state, { timeout: 15_000 }).toBe('idle');
    await type(t.page, 'Say it again.');
    await expect.poll(() => toolEntries(t.harness)[1]?.state, { timeout: 20_000 }).toBe('done');
    assert.equal(toolEntries(t.harness)[1]?.result, 'back again');
    await expect.poll(async () => (await server())?.status, { timeout: 15_000 }).toBe('connected');
  });

  it('on a model that goes on while a tool runs, a call still waiting when the line drops is answered on the resumed connection, once', async () => {
    const t = await startWithFixture(
      {
        turns: [
          {
            toolCalls: [{ name: 'fixture__echo', args: { text: 'kept' } }],
            reply: { text: 'Let me see.' },
            // The line drops while the card still waits for the user.
            events: [{ at: 'afterReply', type: 'drop', connection: 0 }],
          },
        ],
      },
      { model: 'gemini-3.8-live' },
    );
    await type(t.page, 'Say kept.');
    await expect.poll(() => toolEntries(t.harness)[0]?.state, { timeout: 15_000 }).toBe('approval');
    // The call is still expected: Parley reconnects at once and resumes the same Gemini session.
    await expect.poll(() => t.emulator.connections().length, { timeout: 15_000 }).toBe(2);
    assert.equal(toolEntries(t.harness)[0]?.state, 'approval', 'the card stays');
    await answer(t.page, 0, 'once');
    await expect.poll(() => toolEntries(t.harness)[0]?.state, { timeout: 15_000 }).toBe('done');
    await expect.poll(() => entries(t.harness).at(-1), { timeout: 15_000 }).toMatch(/^model: .*kept/);
    const answered = t.emulator
      .frames({ direction: 'in' })
      .filter((frame) => (frame.message as ClientFrame).toolResponse !== undefined);
    assert.deepEqual(
      answered.map((frame) => frame.connectionId),
      [1],
      'sent once, on the connection that resumed the session',
    );
  });
});
