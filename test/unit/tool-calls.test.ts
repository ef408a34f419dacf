import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import type { ToolCallInfo, ToolLimits, ToolPermission } from '../../shared/tools';
import { boundedOutput } from '../../electron/main/tools/call-limits';
import { ToolCalls, type Delivery, type FunctionResult } from '../../electron/main/tools/tool-calls';
import { ToolFailure, type Tool } from '../../electron/main/tools/tool';

function tool(name: string, run: Tool['run'], extra: Partial<Tool> = {}): Tool {
  return {
    name,
    title: name,
    description: `${name} for tests`,
    parameters: {
      type: 'object',
      properties: { text: { type: 'string' } },
      required: ['text'],
      additionalProperties: false,
    },
    readOnly: false,
    scheduling: 'WHEN_IDLE',
    run,
    ...extra,
  };
}

/** A card waits a minute, as in Parley: a busy machine never answers a card by its timeout here. */
function setup(
  tools: Tool[],
  permission: ToolPermission = 'always',
  limits: Partial<ToolLimits> = {},
  approvalTimeoutMs = 60_000,
) {
  const shown: ToolCallInfo[] = [];
  const answers: FunctionResult[] = [];
  const cards: string[] = [];
  const allowedAlways: string[] = [];
  const calls = new ToolCalls({
    tools: () => tools,
    permission: () => ({ permission }),
    allowAlways: (t) => allowedAlways.push(t.name),
    limits: () => ({ callTimeoutSeconds: 60, resultMaxKb: 32, maxConcurrentCalls: 4, ...limits }),
    show: (_turn, info) => shown.push(info),
    approvalNeeded: (info) => cards.push(info.callId),
    respond: (result) => (answers.push(result), 'sent'),
    approvalTimeoutMs,
  });
  const settled = async (count: number) => {
    while (answers.length < count) await tick();
  };
  return { calls, shown, answers, cards, allowedAlways, settled };
}

const echo = tool('echo', ({ text }) => Promise.resolve({ said: text }));

describe('tool calls', () => {
  it('runs an allowed call and answers with its output, scheduled when the model goes on meanwhile', async () => {
    const t = setup([echo]);
    t.calls.handle([{ id: 'c1', name: 'echo', args: { text: 'hi' } }], 1, true);
    await t.settled(1);
    assert.deepEqual(t.answers, [
      { id: 'c1', name: 'echo', response: { output: { said: 'hi' } }, scheduling: 'WHEN_IDLE' },
    ]);
    assert.deepEqual(
      t.shown.map((info) => info.state),
      ['running', 'done'],
    );
    assert.equal(t.calls.outstanding, 0);
  });

  it('answers a blocking model without a scheduling', async () => {
    const t = setup([echo]);
    t.calls.handle([{ id: 'c1', name: 'echo', args: { text: 'hi' } }], 1, false);
    await t.settled(1);
    assert.equal('scheduling' in t.answers[0]!, false);
  });

  it('refuses arguments that do not fit the schema, and an unknown tool, with an error result', async () => {
    const t = setup([echo]);
    t.calls.handle(
      [
        { id: 'c1', name: 'echo', args: { text: 5 } },
        { id: 'c2', name: 'rm_rf', args: {} },
      ],
      1,
      false,
    );
    await t.settled(2);
    assert.match(JSON.stringify(t.answers[0]!.response), /arguments do not fit echo: arguments\/text must be string/);
    assert.match(JSON.stringify(t.answers[1]!.response), /no tool named \\"rm_rf\\"/);
  });

  it('asks first: Allow once runs it, Deny answers that the user declined, no answer counts as Deny', async (context) => {
    context.mock.timers.enable({ apis: ['setTimeout'] });
    const t = setup([echo], 'ask', {}, 200);
    t.calls.handle([{ id: 'c1', name: 'echo', args: { text: 'a' } }], 1, false);
    t.calls.handle([{ id: 'c2', name: 'echo', args: { text: 'b' } }], 1, false);
    t.calls.handle([{ id: 'c3', name: 'echo', args: { text: 'c' } }], 1, false);
    await tick();
    assert.deepEqual(t.cards, ['c1', 'c2', 'c3']);
    assert.equal(t.answers.length, 0, 'nothing runs before the user answers');
    assert.equal(t.calls.answer({ callId: 'c1', answer: 'once' }), true);
    assert.equal(t.calls.answer({ callId: 'c2', answer: 'deny' }), true);
    context.mock.timers.tick(200);
    await t.settled(3);
    const byId = new Map(t.answers.map((answer) => [answer.id, answer.response]));
    assert.deepEqual(byId.get('c1'), { output: { said: 'a' } });
    assert.deepEqual(byId.get('c2'), { error: 'The user declined this call.' });
    assert.match(JSON.stringify(byId.get('c3')), /did not answer within 0 s, so the call was declined/);
    assert.equal(t.calls.answer({ callId: 'c1', answer: 'once' }), false, 'a card answered is gone');
  });

  it('Always allow runs the call and remembers the choice', async () => {
    const t = setup([echo], 'ask');
    t.calls.handle([{ id: 'c1', name: 'echo', args: { text: 'a' } }], 1, false);
    await tick();
    t.calls.answer({ callId: 'c1', answer: 'always' });
    await t.settled(1);
    assert.deepEqual(t.allowedAlways, ['echo']);
  });

  it('a cancelled call is aborted, withdrawn from its card, and never answered', async () => {
    let sawAbort = false;
    const slow = tool(
      'slow',
      (_args, { signal }) =>
        new Promise((resolve) => signal.addEventListener('abort', () => ((sawAbort = true), resolve('late')))),
    );
    const t = setup([slow, echo]);
    t.calls.handle([{ id: 'c1', name: 'slow', args: { text: 'x' } }], 1, true);
    await tick();
    t.calls.cancel(['c1'], 'Gemini cancelled the call.');
    const asked = setup([echo], 'ask');
    asked.calls.handle([{ id: 'c2', name: 'echo', args: { text: 'x' } }], 1, true);
    await tick();
    asked.calls.cancelAll('You interrupted the reply.');
    await tick();
    assert.equal(sawAbort, true, 'the tool saw the abort');
    assert.deepEqual(t.answers, []);
    assert.deepEqual(asked.answers, []);
    assert.equal(t.shown.at(-1)?.state, 'cancelled');
    assert.equal(asked.shown.at(-1)?.state, 'cancelled');
    assert.equal(asked.shown.at(-1)?.result, 'You interrupted the reply.');
  });

  it('stops a call that runs past its time, and says so', async () => {
    const never = tool('never', () => new Promise(() => undefined));
    const t = setup([never], 'always', { callTimeoutSeconds: 1 });
    t.calls.handle([{ id: 'c1', name: 'never', args: { text: 'x' } }], 1, false);
    await t.settled(1);
    assert.deepEqual(t.answers[0]!.response, { error: 'The tool did not finish within 1 s.' });
    assert.equal(t.shown.at(-1)?.state, 'failed');
  });

  it("passes a tool's own failure on, and runs no more calls at once than allowed", async () => {
    let running = 0;
    let most = 0;
    const busy = tool('busy', async () => {
      most = Math.max(most, ++running);
      await tick();
      running--;
      return 'ok';
    });
    const broken = tool('broken', () => Promise.reject(new ToolFailure('The disk is full.')));
    const t = setup([busy, broken], 'always', { maxConcurrentCalls: 2 });
    t.calls.handle(
      [0, 1, 2, 3, 4].map((n) => ({ id: `b${n}`, name: 'busy', args: { text: 'x' } })),
      1,
      false,
    );
    t.calls.handle([{ id: 'f', name: 'broken', args: { text: 'x' } }], 1, false);
    await t.settled(6);
    assert.equal(most, 2);
    assert.deepEqual(t.answers.find((answer) => answer.id === 'f')?.response, { error: 'The disk is full.' });
  });
});

describe('what a result looks like to Gemini', () => {
  it('is never empty, and is cut to the limit with a note', () => {
    assert.deepEqual(boundedOutput(undefined, 32), {
      status: 'no_results',
      message: 'The tool finished and returned nothing.',
    });
    assert.deepEqual(boundedOutput({}, 32), boundedOutput('', 32));
    const long = boundedOutput('é'.repeat(2000), 1) as string;
    assert.match(long, /\[Cut: the result was 4 KB; Parley passes at most 1 KB\.\]$/);
    assert.ok(Buffer.byteLength(long) < 1200);
    assert.deepEqual(boundedOutput({ a: 1 }, 32), { a: 1 });
  });
});

describe('tool calls when the connection goes', () => {
  /** A tool that finishes when the test says so; respond() answers as the line is now. */
  function rig() {
    const finish: Record<string, () => void> = {};
    const gated = tool('gated', ({ text }) => new Promise((resolve) => (finish[text as string] = () => resolve(text))));
    const sent: string[] = [];
    const shown: ToolCallInfo[] = [];
    const line = { delivery: 'sent' as Delivery };
    const calls = new ToolCalls<number>({
      tools: () => [gated],
      permission: () => ({ permission: 'always' }),
      allowAlways: () => undefined,
      limits: () => ({ callTimeoutSeconds: 60, resultMaxKb: 32, maxConcurrentCalls: 4 }),
      show: (_turn, info) => shown.push(info),
      approvalNeeded: () => undefined,
      respond: (result) => {
        if (line.delivery === 'sent') sent.push(result.id);
        return line.delivery;
      },
      approvalTimeoutMs: 60_000,
    });
    const call = (id: string, nonBlocking: boolean) =>
      calls.handle([{ id, name: 'gated', args: { text: id } }], 1, nonBlocking, 1);
    const stateOf = (id: string) => shown.filter((info) => info.callId === id).at(-1)?.state;
    return { calls, finish, sent, line, call, stateOf };
  }

  it('a model that waited loses its calls with the connection; one that went on gets the answer once resumed', async () => {
    const t = rig();
    t.call('waited', false);
    t.call('went-on', true);
    await tick();
    t.calls.connectionLost('The connection was lost.');
    assert.equal(t.stateOf('waited'), 'cancelled');
    assert.equal(t.stateOf('went-on'), 'running', 'the session still expects it');
    t.line.delivery = 'later'; // still no connection when the tool finishes
    t.finish['went-on']!();
    await tick();
    assert.equal(t.calls.outstanding, 1, 'its answer waits, and keeps the line wanted');
    t.line.delivery = 'sent';
    t.calls.resend();
    t.calls.resend();
    assert.deepEqual(t.sent, ['went-on'], 'sent once, on the connection that resumed the session');
    assert.equal(t.stateOf('went-on'), 'done');
    assert.equal(t.calls.outstanding, 0);
  });

  it('an answer whose session did not survive is cancelled, and says why', async () => {
    const t = rig();
    t.call('c1', true);
    await tick();
    t.line.delivery = 'later';
    t.finish.c1!();
    await tick();
    t.line.delivery = 'gone'; // the connection that came started a new session
    t.calls.resend();
    assert.equal(t.stateOf('c1'), 'cancelled');
    assert.deepEqual(t.sent, []);
    assert.equal(t.calls.outstanding, 0);
  });
});
