import {
  Behavior,
  FunctionResponseScheduling,
  type FunctionDeclaration,
  type FunctionResponse,
  type LiveConnectConfig,
  type LiveServerMessage,
  type Tool,
} from '@google/genai';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { tone } from '../support/audio';
import {
  audioIn,
  connectError,
  connectLive,
  isTurnComplete,
  MANUAL_VAD,
  sendAudio,
  sendTurn,
  transcript,
  type ConnectOptions,
  type LiveProbe,
} from './live-probe';
import type { ScenarioInput } from './scenario';
import { startEmulator, type Emulator } from './server';

let emulator: Emulator;
const logLines: string[] = [];
before(async () => {
  emulator = await startEmulator({ pacing: { mode: 'fast' }, log: (line) => logLines.push(line) });
});
beforeEach(async () => {
  await emulator.loadScenario({});
  emulator.setPacing({ mode: 'fast' });
  logLines.length = 0;
});
after(() => emulator.close());

const speak = (ms = 300) => tone(16_000, 300, ms);
const GET_TIME: FunctionDeclaration = { name: 'get_time', description: 'The current time' };
const INVALID = /^Request contains an invalid argument\.$/;

function withTools(tools: Tool[], resumption: { handle?: string } = {}): LiveConnectConfig {
  return { ...MANUAL_VAD, sessionResumption: resumption, tools };
}
const declaring = (...functions: FunctionDeclaration[]) => withTools([{ functionDeclarations: functions }]);

/** Turn 0 calls get_time and says `reply` meanwhile (NON_BLOCKING) or after the result (BLOCKING). */
function callScenario(reply: string, audioMs = 300): ScenarioInput {
  return {
    turns: [
      {
        toolCalls: [{ name: 'get_time', args: { zone: 'UTC' } }],
        reply: { text: reply, audio: { tone: { frequencyHz: 440, durationMs: audioMs } } },
      },
    ],
  };
}

const result = (output: unknown, extra: Partial<FunctionResponse> = {}): FunctionResponse => ({
  id: 'call-0-0',
  name: 'get_time',
  response: { output },
  ...extra,
});

const isToolCall = (message: LiveServerMessage) => message.toolCall !== undefined;
const turnCompletes = (probe: LiveProbe) => probe.messages.filter(isTurnComplete).length;

/** The output transcription of each model turn, in order. */
function spokenTurns(messages: readonly LiveServerMessage[]): string[] {
  const turns: string[] = [''];
  for (const message of messages) {
    turns[turns.length - 1] += message.serverContent?.outputTranscription?.text ?? '';
    if (isTurnComplete(message)) turns.push('');
  }
  return turns.slice(0, -1);
}

function sentIndex(predicate: (message: LiveServerMessage) => boolean, probe: LiveProbe): number {
  return probe.messages.findIndex(predicate);
}

async function connectionClose(options: ConnectOptions): Promise<{ code: string; reason: string }> {
  const error = await connectError(emulator.url, options);
  const match = /^Live connection closed before setup completed \(code (\d+)\): (.*)$/.exec(error.message);
  assert.ok(match, error.message);
  return { code: match[1]!, reason: match[2]! };
}

describe('tool setup', () => {
  const refused: { name: string; options: ConnectOptions; reason: RegExp }[] = [
    {
      name: 'BLOCKING on the extended-thinking model, whose calls are all NON_BLOCKING',
      options: {
        model: 'gemini-3.8-live-extended-thinking',
        config: declaring({ ...GET_TIME, behavior: Behavior.BLOCKING }),
      },
      reason: INVALID,
    },
    ...['gemini-3.8-live', 'gemini-3.8-live-extended-thinking', 'gemini-3.1-flash-live-preview'].map((model) => ({
      name: `Google Search together with functions on ${model}`,
      options: { model, config: withTools([{ googleSearch: {} }, { functionDeclarations: [GET_TIME] }]) },
      reason: INVALID,
    })),
    {
      name: 'tools on the translate model',
      options: { model: 'gemini-3.5-live-translate-preview', config: withTools([{ googleSearch: {} }]) },
      reason: /^Invalid JSON payload received\. Unknown name "tools" at 'setup': Cannot find field\.$/,
    },
    ...['1st_tool', 'get time', 'get/time', 'x'.repeat(129), ''].map((name) => ({
      name: `the function name "${name.slice(0, 20)}"`,
      options: { config: declaring({ name }) },
      reason: /^Invalid function name at 'setup\.tools\[0\]\.function_declarations\[0\]': start with a letter or _/,
    })),
    {
      name: 'two functions with one name',
      options: { config: withTools([{ functionDeclarations: [GET_TIME] }, { functionDeclarations: [GET_TIME] }]) },
      reason: /^Duplicate function declaration name "get_time" at 'setup\.tools\[1\]\.function_declarations\[0\]'/,
    },
    {
      name: 'both parameters and parametersJsonSchema',
      options: { config: declaring({ ...GET_TIME, parameters: {}, parametersJsonSchema: {} }) },
      reason: /sets both parameters and parameters_json_schema/,
    },
    ...(['codeExecution', 'urlContext', 'googleMaps'] as const).map((kind) => ({
      name: `${kind}, which Live models lack`,
      options: { config: withTools([{ [kind]: {} }]) },
      reason: INVALID,
    })),
  ];
  for (const { name, options, reason } of refused) {
    it(`closes 1007 for ${name}`, async () => {
      const close = await connectionClose(options);
      assert.equal(close.code, '1007');
      assert.match(close.reason, reason);
    });
  }

  const accepted: { name: string; options: ConnectOptions }[] = [
    {
      name: 'Google Search together with functions on the 2.5 native-audio model',
      options: {
        model: 'gemini-2.5-flash-native-audio-preview-12-2025',
        config: withTools([{ googleSearch: {} }, { functionDeclarations: [GET_TIME] }]),
      },
    },
    { name: 'Google Search alone on 3.8', options: { config: withTools([{ googleSearch: {} }]) } },
    {
      name: 'names with dots, colons and dashes, 128 characters long',
      options: { config: declaring({ name: '_a.b:c-d' }, { name: 'n'.repeat(128) }) },
    },
  ];
  for (const { name, options } of accepted) {
    it(`accepts ${name}`, async () => {
      (await connectLive(emulator.url, options)).session.close();
    });
  }
});

describe('NON_BLOCKING calls (3.8 default)', () => {
  it('goes on with the reply, then speaks about the result as a turn of its own once idle', async () => {
    await emulator.loadScenario(callScenario('Let me check.'));
    const probe = await connectLive(emulator.url, { config: declaring(GET_TIME) });
    sendTurn(probe.session, speak());
    const call = await probe.next(isToolCall);
    assert.deepEqual(call.toolCall?.functionCalls, [{ id: 'call-0-0', name: 'get_time', args: { zone: 'UTC' } }]);
    await probe.next((m) => m.serverContent?.generationComplete === true);
    await probe.next(isTurnComplete);
    assert.deepEqual(spokenTurns(probe.messages), ['Let me check.'], 'the reply did not wait for the result');
    const updates = probe.messages.flatMap((m) => (m.sessionResumptionUpdate ? [m.sessionResumptionUpdate] : []));
    assert.deepEqual(updates.at(-1), { resumable: false }, 'no handle while the call is unanswered');

    const before = probe.messages.length;
    probe.session.sendToolResponse({ functionResponses: [result('12:00')] });
    await probe.next(isTurnComplete);
    const resultTurn = probe.messages.slice(before);
    assert.equal(transcript(resultTurn, 'outputTranscription'), 'get_time returned {"output":"12:00"}');
    assert.equal(transcript(resultTurn, 'inputTranscription'), '', 'no user input in the result turn');
    assert.ok(resultTurn.some((m) => m.serverContent?.generationComplete));
    assert.ok(resultTurn.find(isTurnComplete)?.usageMetadata);
    assert.ok(audioIn(resultTurn).length > 0);
    await probe.next((m) => m.sessionResumptionUpdate?.resumable === true);
    assert.deepEqual(
      emulator
        .connection()
        .turns()
        .map((turn) => [turn.index, turn.input.source]),
      [
        [0, 'audio'],
        [0, 'toolResult'],
      ],
    );
    probe.session.close();
  });

  it('WHEN_IDLE waits for the reply in progress to end, without cutting it off', async () => {
    await emulator.loadScenario(callScenario('Let me check that for you.', 20_000));
    const probe = await connectLive(emulator.url, { config: declaring(GET_TIME) });
    sendTurn(probe.session, speak());
    await probe.next(isToolCall);
    probe.session.sendToolResponse({
      functionResponses: [result('12:00', { scheduling: FunctionResponseScheduling.WHEN_IDLE })],
    });
    await probe.next(isTurnComplete);
    await probe.next(isTurnComplete);
    assert.ok(!probe.messages.some((m) => m.serverContent?.interrupted));
    assert.deepEqual(spokenTurns(probe.messages), [
      'Let me check that for you.',
      'get_time returned {"output":"12:00"}',
    ]);
    const response = emulator
      .connection()
      .frames('in')
      .find((f) => f.message?.toolResponse);
    assert.equal(response?.message?.toolResponse?.functionResponses[0]?.scheduling, 'WHEN_IDLE', 'recorded');
    probe.session.close();
  });

  it('SILENT puts the result into the context only: no reply about it', async () => {
    await emulator.loadScenario(callScenario('Let me check.'));
    const probe = await connectLive(emulator.url, { config: declaring(GET_TIME) });
    sendTurn(probe.session, speak());
    await probe.next(isTurnComplete);
    probe.session.sendToolResponse({
      functionResponses: [result('saved', { scheduling: FunctionResponseScheduling.SILENT })],
    });
    // Answered and idle: a handle comes, and nothing else.
    await probe.next((m) => m.sessionResumptionUpdate?.resumable === true);
    sendTurn(probe.session, speak(200));
    await probe.next(isTurnComplete);
    assert.deepEqual(spokenTurns(probe.messages), ['Let me check.', 'heard 0.20 s of audio']);
    probe.session.close();
  });

  it('INTERRUPT cuts off the reply in progress and speaks about the result at once', async () => {
    emulator.setPacing({ mode: 'realtime' });
    // Ten seconds of reply: the result arrives while it plays (it is sent as soon as the call is seen).
    await emulator.loadScenario(callScenario('Let me check that for you, it may take a while.', 10_000));
    const probe = await connectLive(emulator.url, { config: declaring(GET_TIME) });
    sendTurn(probe.session, speak());
    await probe.next(isToolCall);
    probe.session.sendToolResponse({
      functionResponses: [result('12:00', { scheduling: FunctionResponseScheduling.INTERRUPT })],
    });
    await probe.next((m) => m.serverContent?.interrupted === true);
    await probe.next(isTurnComplete);
    await probe.next(isTurnComplete, 15_000);
    const [cut, spoken] = spokenTurns(probe.messages);
    assert.notEqual(cut, 'Let me check that for you, it may take a while.');
    assert.equal(spoken, 'get_time returned {"output":"12:00"}');
    assert.ok(audioIn(probe.messages).length < 10 * 24_000, 'the long reply was not played out');
    probe.session.close();
  });

  it('speaks twice about a result whose scheduling sits inside response, as the service does', async () => {
    await emulator.loadScenario(callScenario('Let me check.'));
    const probe = await connectLive(emulator.url, { config: declaring(GET_TIME) });
    sendTurn(probe.session, speak());
    await probe.next(isTurnComplete);
    probe.session.sendToolResponse({
      functionResponses: [{ id: 'call-0-0', name: 'get_time', response: { output: '12:00', scheduling: 'SILENT' } }],
    });
    await probe.next(isTurnComplete);
    await probe.next(isTurnComplete);
    const said = 'get_time returned {"output":"12:00","scheduling":"SILENT"}';
    assert.deepEqual(spokenTurns(probe.messages), ['Let me check.', said, said]);
    probe.session.close();
  });

  it('waits for the last part of a result sent with willContinue', async () => {
    await emulator.loadScenario(callScenario('Let me check.'));
    const probe = await connectLive(emulator.url, { config: declaring(GET_TIME) });
    sendTurn(probe.session, speak());
    await probe.next(isTurnComplete);
    probe.session.sendToolResponse({ functionResponses: [result('1 of 2', { willContinue: true })] });
    probe.session.sendToolResponse({ functionResponses: [result('2 of 2', { willContinue: false })] });
    await probe.next(isTurnComplete);
    await probe.next((m) => m.sessionResumptionUpdate?.resumable === true);
    assert.deepEqual(spokenTurns(probe.messages), ['Let me check.', 'get_time returned {"output":"2 of 2"}']);
    probe.session.close();
  });

  it('calls the tool again after an empty result, 3 times, then says it got nothing', async () => {
    await emulator.loadScenario(callScenario('Let me check.'));
    const probe = await connectLive(emulator.url, { config: declaring(GET_TIME) });
    sendTurn(probe.session, speak());
    let id = (await probe.next(isToolCall)).toolCall?.functionCalls?.[0]?.id;
    const ids = [id];
    for (let again = 1; again <= 3; again++) {
      probe.session.sendToolResponse({ functionResponses: [{ id, name: 'get_time', response: {} }] });
      const call = (await probe.next(isToolCall)).toolCall?.functionCalls?.[0];
      assert.deepEqual(call?.args, { zone: 'UTC' }, 'the same call again');
      id = call?.id;
      ids.push(id);
    }
    assert.deepEqual(ids, ['call-0-0', 'call-0-0-again-1', 'call-0-0-again-2', 'call-0-0-again-3']);
    probe.session.sendToolResponse({ functionResponses: [{ id, name: 'get_time', response: { output: '' } }] });
    await probe.next((m) => m.sessionResumptionUpdate?.resumable === true);
    assert.equal(spokenTurns(probe.messages).at(-1), 'get_time returned nothing');
    assert.equal(probe.messages.filter(isToolCall).length, 4);
    probe.session.close();
  });

  it('speaks about a response.error as a failure', async () => {
    await emulator.loadScenario(callScenario('Let me check.'));
    const probe = await connectLive(emulator.url, { config: declaring(GET_TIME) });
    sendTurn(probe.session, speak());
    await probe.next(isTurnComplete);
    probe.session.sendToolResponse({
      functionResponses: [{ id: 'call-0-0', name: 'get_time', response: { error: 'the user declined' } }],
    });
    await probe.next(isTurnComplete);
    assert.equal(spokenTurns(probe.messages).at(-1), 'get_time failed: the user declined');
    assert.equal(probe.messages.filter(isToolCall).length, 1, 'an error is a result: no call again');
    probe.session.close();
  });
});

describe('BLOCKING calls', () => {
  it('on 3.1 the model waits for the result, whatever behavior the declaration asks', async () => {
    await emulator.loadScenario(callScenario('It is {toolResults}.'));
    const probe = await connectLive(emulator.url, {
      model: 'gemini-3.1-flash-live-preview',
      config: declaring({ ...GET_TIME, behavior: Behavior.NON_BLOCKING }),
    });
    sendTurn(probe.session, speak());
    await probe.next(isToolCall);
    // A reply that did not wait would follow the call at once; 100 ms is plenty for it to show.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(audioIn(probe.messages).length, 0, 'no reply before the result');
    assert.equal(turnCompletes(probe), 0);
    probe.session.sendToolResponse({
      functionResponses: [result('12:00', { scheduling: FunctionResponseScheduling.SILENT })],
    });
    await probe.next(isTurnComplete);
    assert.deepEqual(spokenTurns(probe.messages), ['It is get_time returned {"output":"12:00"}.']);
    assert.ok(sentIndex(isToolCall, probe) < sentIndex((m) => m.serverContent?.modelTurn !== undefined, probe));
    assert.equal(emulator.connection().turns()[0]?.reply?.functionResponses.length, 1);
    probe.session.close();
  });

  it('on 3.8 with behavior BLOCKING the reply waits too, and an empty result is called again', async () => {
    await emulator.loadScenario(callScenario('It is {toolResults}.'));
    const probe = await connectLive(emulator.url, { config: declaring({ ...GET_TIME, behavior: Behavior.BLOCKING }) });
    sendTurn(probe.session, speak());
    await probe.next(isToolCall);
    probe.session.sendToolResponse({ functionResponses: [{ id: 'call-0-0', name: 'get_time', response: {} }] });
    const again = await probe.next(isToolCall);
    assert.equal(again.toolCall?.functionCalls?.[0]?.id, 'call-0-0-again-1');
    assert.equal(turnCompletes(probe), 0);
    probe.session.sendToolResponse({ functionResponses: [result('12:00', { id: 'call-0-0-again-1' })] });
    await probe.next(isTurnComplete);
    assert.deepEqual(spokenTurns(probe.messages), ['It is get_time returned {"output":"12:00"}.']);
    probe.session.close();
  });

  it('closes 1007 on a toolResponse for a call it never made', async () => {
    const probe = await connectLive(emulator.url);
    probe.session.sendToolResponse({ functionResponses: [{ id: 'nope', name: 'x', response: {} }] });
    assert.deepEqual(await probe.closed, { code: 1007, reason: 'Request contains an invalid argument.' });
  });
});

describe('cancellation', () => {
  for (const behavior of [Behavior.BLOCKING, Behavior.NON_BLOCKING]) {
    it(`cancels an unanswered ${behavior} call on barge-in and ignores its late result`, async () => {
      // A long reply, so the barge-in meets it playing (NON_BLOCKING) or waiting (BLOCKING).
      await emulator.loadScenario(callScenario('Let me check.', 60_000));
      const probe = await connectLive(emulator.url, { config: declaring({ ...GET_TIME, behavior }) });
      sendTurn(probe.session, speak());
      await probe.next(isToolCall);
      probe.session.sendRealtimeInput({ activityStart: {} });
      const cancellation = await probe.next((m) => m.toolCallCancellation !== undefined);
      assert.deepEqual(cancellation.toolCallCancellation?.ids, ['call-0-0']);
      await probe.next((m) => m.serverContent?.interrupted === true);
      await probe.next(isTurnComplete);

      probe.session.sendToolResponse({ functionResponses: [result('12:00')] });
      sendAudio(probe.session, speak(100));
      probe.session.sendRealtimeInput({ activityEnd: {} });
      await probe.next(isTurnComplete);
      await probe.next((m) => m.sessionResumptionUpdate?.resumable === true);
      assert.equal(spokenTurns(probe.messages).at(-1), 'heard 0.10 s of audio', 'the late result is not spoken');
      assert.equal(emulator.connection().closed, undefined, 'and not refused');
      assert.ok(logLines.some((line) => /toolResponse for call-0-0 ignored: the call was cancelled/.test(line)));
      probe.session.close();
    });
  }

  it('cancels a BLOCKING call on new text input, even where text does not interrupt, and answers the text', async () => {
    await emulator.loadScenario({
      turns: [{ toolCalls: [{ name: 'get_time', args: { zone: 'UTC' } }] }, { reply: { text: 'Fine.' } }],
    });
    const probe = await connectLive(emulator.url, { config: declaring({ ...GET_TIME, behavior: Behavior.BLOCKING }) });
    sendTurn(probe.session, speak());
    await probe.next(isToolCall);
    probe.session.sendRealtimeInput({ text: 'never mind' });
    const cancellation = await probe.next((m) => m.toolCallCancellation !== undefined);
    assert.deepEqual(cancellation.toolCallCancellation?.ids, ['call-0-0']);
    await probe.next((m) => m.serverContent?.interrupted === true);
    await probe.next(isTurnComplete);
    await probe.next(isTurnComplete);
    assert.equal(spokenTurns(probe.messages).at(-1), 'Fine.', 'the text is answered');
    probe.session.close();
  });

  it('cancels on a clientContent turn that interrupts, on 3.8', async () => {
    await emulator.loadScenario(callScenario('Let me check.', 60_000));
    const probe = await connectLive(emulator.url, { config: declaring(GET_TIME) });
    sendTurn(probe.session, speak());
    await probe.next(isToolCall);
    probe.session.sendClientContent({ turns: [{ role: 'user', parts: [{ text: 'never mind' }] }], turnComplete: true });
    const cancellation = await probe.next((m) => m.toolCallCancellation !== undefined);
    assert.deepEqual(cancellation.toolCallCancellation?.ids, ['call-0-0']);
    probe.session.close();
  });
});

describe('scripted calls the model cannot make', () => {
  it('does not call a function the setup does not declare, replies as unscripted and logs why', async () => {
    await emulator.loadScenario({ turns: [{ toolCalls: [{ name: 'open_url', args: { url: 'https://x.y' } }] }] });
    const probe = await connectLive(emulator.url, { config: declaring(GET_TIME) });
    sendTurn(probe.session, speak(200));
    await probe.next(isTurnComplete);
    assert.ok(!probe.messages.some(isToolCall));
    assert.deepEqual(spokenTurns(probe.messages), ['heard 0.20 s of audio']);
    assert.ok(
      logLines.includes(
        'connection ' + emulator.connection().id + ': turn 0: no call to open_url: not declared in the setup',
      ),
    );
    probe.session.close();
  });
});

describe('Google Search grounding', () => {
  const grounded: ScenarioInput = {
    turns: [
      {
        reply: {
          text: 'It will rain.',
          grounding: {
            queries: ['weather <Paris>'],
            sources: [{ title: 'Météo', uri: 'https://example.org/meteo' }],
          },
        },
      },
    ],
  };

  it('sends groundingMetadata in a message of its own before the reply audio', async () => {
    await emulator.loadScenario(grounded);
    const probe = await connectLive(emulator.url, { config: withTools([{ googleSearch: {} }]) });
    sendTurn(probe.session, speak());
    await probe.next(isTurnComplete);
    const at = sentIndex((m) => m.serverContent?.groundingMetadata !== undefined, probe);
    const message = probe.messages[at]!;
    assert.deepEqual(Object.keys(message.serverContent ?? {}), ['groundingMetadata']);
    const metadata = message.serverContent?.groundingMetadata;
    assert.deepEqual(metadata?.webSearchQueries, ['weather <Paris>']);
    assert.deepEqual(metadata?.groundingChunks, [{ web: { uri: 'https://example.org/meteo', title: 'Météo' } }]);
    assert.match(metadata?.searchEntryPoint?.renderedContent ?? '', /^<div.*weather &#60;Paris&#62;.*<\/div>$/);
    assert.ok(at < sentIndex((m) => m.serverContent?.modelTurn !== undefined, probe));
    probe.session.close();
  });

  it('sends no grounding without googleSearch in the setup, and logs why', async () => {
    await emulator.loadScenario(grounded);
    const probe = await connectLive(emulator.url, { config: declaring(GET_TIME) });
    sendTurn(probe.session, speak());
    await probe.next(isTurnComplete);
    assert.ok(!probe.messages.some((m) => m.serverContent?.groundingMetadata));
    assert.ok(logLines.some((line) => line.endsWith('turn 0: no grounding metadata: googleSearch not declared')));
    probe.session.close();
  });
});

describe('tool calls across a resumed connection', () => {
  const latestHandle = (probe: LiveProbe) =>
    probe.messages.flatMap((m) => m.sessionResumptionUpdate?.newHandle ?? []).at(-1)!;

  it('still expects a NON_BLOCKING result after a drop, and speaks about it on the resumed connection', async () => {
    await emulator.loadScenario({
      turns: [{ ...callScenario('Let me check.').turns![0], events: [{ at: 'afterReply', type: 'drop' }] }],
    });
    const first = await connectLive(emulator.url, { config: declaring(GET_TIME) });
    await first.next((m) => m.sessionResumptionUpdate?.newHandle !== undefined);
    sendTurn(first.session, speak());
    assert.equal((await first.closed).code, 1006);
    const handle = latestHandle(first);
    assert.equal(emulator.history(handle)?.length, 0, 'the last handle came before the call');

    const second = await connectLive(emulator.url, {
      config: withTools([{ functionDeclarations: [GET_TIME] }], { handle }),
    });
    second.session.sendToolResponse({ functionResponses: [result('12:00')] });
    await second.next(isTurnComplete);
    assert.deepEqual(spokenTurns(second.messages), ['get_time returned {"output":"12:00"}']);
    await second.next((m) => m.sessionResumptionUpdate?.resumable === true);
    assert.equal(emulator.connection().closed, undefined);
    second.session.close();
  });

  it('loses a BLOCKING call with its connection: a late result on the resumed one is ignored', async () => {
    await emulator.loadScenario(callScenario('It is {toolResults}.'));
    const blocking = [{ functionDeclarations: [{ ...GET_TIME, behavior: Behavior.BLOCKING }] }];
    const first = await connectLive(emulator.url, { config: withTools(blocking) });
    await first.next((m) => m.sessionResumptionUpdate?.newHandle !== undefined);
    sendTurn(first.session, speak());
    await first.next(isToolCall);
    first.session.close();
    await emulator.connection().waitForClose();
    await emulator.loadScenario({});

    const second = await connectLive(emulator.url, { config: withTools(blocking, { handle: latestHandle(first) }) });
    second.session.sendToolResponse({ functionResponses: [result('12:00')] });
    sendTurn(second.session, speak(200));
    await second.next(isTurnComplete);
    assert.deepEqual(spokenTurns(second.messages), ['heard 0.20 s of audio']);
    assert.ok(
      logLines.some((line) =>
        line.endsWith('toolResponse for call-0-0 ignored: the call was lost with its connection'),
      ),
    );
    second.session.close();
  });
});
