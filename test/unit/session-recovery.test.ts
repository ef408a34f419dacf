import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recapTurns, summaryOfRecentTurns } from '../../electron/main/conversation/recent-turns';
import { ConversationStore } from '../../electron/main/transcripts/conversation-store';
import { classifyClose, explainFatalClose } from '../../electron/main/live/close-reasons';
import { LiveConnectError, type LiveConnection } from '../../electron/main/live/live-connection';
import type { LiveSession } from '../../electron/main/live/live-session';
import { backoffDelay } from '../../electron/main/session/backoff';
import { ConnectionKeeper } from '../../electron/main/session/connection-keeper';
import { fileHandleStore } from '../../electron/main/session/handle-store';
import type { KeyValueFile } from '../../electron/main/settings/settings-store';
import { assistantProfile } from '../../shared/conversations';
import type { TranscriptEntry } from '../../shared/types';

describe('backoff', () => {
  const options = { baseMs: 250, capMs: 10_000, attempts: 8 };
  it('doubles from the base, never beyond the cap, with half of each wait random', () => {
    const lowest = [1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(attempt, options, () => 0));
    const highest = [1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(attempt, options, () => 1));
    assert.deepEqual(lowest, [125, 250, 500, 1000, 2000, 4000, 5000]);
    assert.deepEqual(highest, [250, 500, 1000, 2000, 4000, 8000, 10_000]);
  });
});

describe('close codes', () => {
  it('retries network trouble and deadlines, never a refused key or model, and spots an expired handle', () => {
    assert.equal(classifyClose(1006, ''), 'retryable');
    assert.equal(classifyClose(1011, 'Deadline expired before operation could complete.'), 'retryable');
    assert.equal(classifyClose(1001, ''), 'retryable');
    assert.equal(classifyClose(1007, 'API key not valid. Please pass a valid API key.'), 'refused');
    assert.equal(classifyClose(1008, 'models/x is not found for API version v1beta'), 'unavailable');
    assert.equal(classifyClose(1008, 'BidiGenerateContent session not found'), 'handle-expired');
  });

  it('says what to do about each fatal one', () => {
    assert.match(explainFatalClose('refused', 'API key not valid.', 'm'), /Check the API key in Settings/);
    assert.match(
      explainFatalClose('unavailable', 'not found.', 'gemini-x'),
      /^gemini-x is not available.*Choose another model/,
    );
  });
});

describe('the recap for a session that cannot be resumed', () => {
  const entry = (id: number, role: 'user' | 'model', text: string, state: TranscriptEntry['state'] = 'done') => ({
    id,
    turnId: id,
    role,
    text,
    at: 0,
    state,
  });
  /** The recap as the app builds it: the conversation store picks the turns, the summary words them. */
  const recapOf = (entries: TranscriptEntry[]) => {
    const store = ConversationStore.open(mkdtempSync(join(tmpdir(), 'parley-recap-')), { warn: () => undefined });
    const conversation = store.lane(assistantProfile);
    entries.forEach((e) => conversation.record(e));
    const recap = summaryOfRecentTurns(conversation.recentTurns(recapTurns));
    store.close();
    return recap;
  };

  it('recaps the last turns as one unanswered user content, shortening long ones and skipping failed ones', () => {
    const entries = [
      entry(1, 'user', 'What is the capital of France?'),
      entry(2, 'model', 'Paris.'),
      entry(3, 'user', 'never arrived', 'failed'),
      entry(4, 'user', 'x'.repeat(1000)),
    ];
    const [content, ...rest] = recapOf(entries);
    assert.equal(rest.length, 0);
    assert.equal(content?.role, 'user');
    const text = content?.parts?.[0]?.text ?? '';
    assert.match(text, /User: What is the capital of France\?\nYou: Paris\.\nUser: x{399}…/);
    assert.doesNotMatch(text, /never arrived/);
  });

  it('keeps only the most recent twelve, and sends nothing for an empty conversation', () => {
    const many = Array.from({ length: 30 }, (_, i) => entry(i + 1, i % 2 ? 'model' : 'user', `turn ${i}`));
    const text = recapOf(many)[0]?.parts?.[0]?.text ?? '';
    assert.doesNotMatch(text, /turn 17\n/);
    assert.match(text, /turn 18\n[\s\S]*turn 29\n/);
    assert.deepEqual(recapOf([]), []);
  });
});

/** A session whose connects succeed or fail as the test says, counted. */
function fakeSession(outcomes: (LiveConnection | Error)[]) {
  let current: LiveConnection | undefined;
  const session = {
    connects: 0,
    closes: 0,
    get connection() {
      return current;
    },
    connect: async () => {
      session.connects++;
      const next = outcomes.shift() ?? ({} as LiveConnection);
      if (next instanceof Error) throw next;
      current = next;
      return next;
    },
    close: () => {
      session.closes++;
      current = undefined;
    },
    handleSettled: () => Promise.resolve(),
  };
  return session;
}

function keeperWith(outcomes: (LiveConnection | Error)[], state = { inFlight: false, capturing: false }) {
  const session = fakeSession(outcomes);
  const heard: string[] = [];
  const timers: { run: () => void; ms: number }[] = [];
  const keeper = new ConnectionKeeper({
    session: session as unknown as LiveSession,
    state: { inFlight: () => state.inFlight, capturing: () => state.capturing },
    listener: {
      interrupted: (reason) => heard.push(`interrupted: ${reason}`),
      reconnecting: (attempt) => heard.push(`attempt ${attempt}`),
      reconnected: () => heard.push('reconnected'),
      failed: (message, retryable) => heard.push(`failed (${retryable ? 'retryable' : 'final'}): ${message}`),
      renewed: (problem) => heard.push(problem ? `renewal given up: ${problem}` : 'renewed'),
    },
    model: () => 'gemini-3.8-live',
    backoff: { baseMs: 10, capMs: 40, attempts: 3 },
    setTimer: (run, ms) => (timers.push({ run, ms }), timers.length),
    clearTimer: () => undefined,
  });
  return { keeper, session, heard, timers, state };
}

const drop = () => new LiveConnectError('Live connection closed before setup completed (code 1006): ', 1006);
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ConnectionKeeper', () => {
  it('retries a dropped connect with growing waits, then gives up and says the turn can be retried', async () => {
    const { keeper, session, heard, timers } = keeperWith([drop(), drop(), drop()]);
    const connecting = keeper.connect().catch((error: unknown) => error);
    for (let i = 0; i < 2; i++) {
      await flush();
      timers.shift()?.run();
    }
    const error = await connecting;
    assert.ok(error instanceof LiveConnectError);
    assert.equal(session.connects, 3);
    assert.deepEqual(heard, ['attempt 2', 'attempt 3']);
    assert.deepEqual(keeper.explain(error), { message: `Could not reach Gemini: ${error.message}`, retryable: true });
  });

  it('stops a recovery under way when Parley closes: no more connects, and nobody told', async () => {
    const { keeper, session, heard, timers } = keeperWith([drop(), drop(), drop()], {
      inFlight: true,
      capturing: false,
    });
    keeper.lost(1006, '');
    await flush();
    assert.deepEqual(heard, ['interrupted: the connection closed (1006)', 'attempt 2']);
    keeper.dispose();
    await flush();
    timers.shift()?.run(); // the backoff timer, had it not been cleared
    await flush();
    assert.equal(session.connects, 1, 'no connect after Parley closed');
    assert.deepEqual(heard, ['interrupted: the connection closed (1006)', 'attempt 2'], 'no failure to tell');
  });

  it('does not retry a refused key, and explains it', async () => {
    const refused = new LiveConnectError(
      'Live connection closed before setup completed (code 1007): API key not valid.',
      1007,
    );
    const { keeper, session } = keeperWith([refused]);
    const error = await keeper.connect().catch((e: unknown) => e);
    assert.equal(session.connects, 1);
    assert.deepEqual(keeper.explain(error), {
      message: explainFatalClose('refused', 'API key not valid.', 'gemini-3.8-live'),
      retryable: false,
    });
  });

  it('recovers a connection lost mid-turn at once, but leaves an idle one for the next press', async () => {
    const connection = {} as LiveConnection;
    const idle = keeperWith([connection]);
    idle.keeper.lost(1006, '');
    await flush();
    assert.equal(idle.session.connects, 0);
    const busy = keeperWith([connection], { inFlight: true, capturing: true });
    busy.keeper.lost(1011, 'Internal error occurred.');
    await flush();
    assert.deepEqual(busy.heard, [
      'interrupted: the connection closed (1011: Internal error occurred.)',
      'reconnected',
    ]);
  });

  it('after goAway: renews at once when idle; mid-turn at the deadline less the margin; mid-reply at the next quiet moment', async () => {
    const idle = keeperWith([{} as LiveConnection, {} as LiveConnection]);
    await idle.keeper.connect();
    idle.keeper.goAway(50_000);
    await flush();
    assert.deepEqual([idle.session.closes, idle.session.connects], [1, 2]);

    const talking = keeperWith([{} as LiveConnection, {} as LiveConnection], { inFlight: true, capturing: true });
    await talking.keeper.connect();
    talking.keeper.goAway(10_000);
    assert.equal(talking.timers.at(-1)?.ms, 10_000 - 1500);
    talking.timers.at(-1)?.run();
    await flush();
    assert.deepEqual(talking.heard, ['interrupted: moving to a new connection', 'reconnected']);

    const replying = keeperWith([{} as LiveConnection, {} as LiveConnection], { inFlight: true, capturing: false });
    await replying.keeper.connect();
    replying.keeper.goAway(10_000);
    replying.timers.at(-1)?.run();
    assert.equal(replying.session.closes, 0, 'the reply keeps its connection');
    replying.state.inFlight = false;
    replying.keeper.idle();
    await flush();
    assert.deepEqual([replying.session.closes, replying.session.connects], [1, 2]);
  });
});

describe('ConnectionKeeper between turns', () => {
  it('a goAway renewal that needed retries ends by saying so, so "reconnecting" never lingers', async () => {
    const { keeper, heard, timers } = keeperWith([{} as LiveConnection, drop(), {} as LiveConnection]);
    await keeper.connect();
    keeper.goAway(50_000);
    await flush();
    timers.shift()?.run();
    await flush();
    assert.deepEqual(heard, ['attempt 2', 'renewed']);
  });

  it('a goAway renewal that cannot connect gives up with the reason, and waits for the next press', async () => {
    const { keeper, heard, timers, session } = keeperWith([{} as LiveConnection, drop(), drop(), drop()]);
    await keeper.connect();
    keeper.goAway(50_000);
    for (let i = 0; i < 3; i++) {
      await flush();
      timers.shift()?.run();
    }
    await flush();
    assert.match(heard.at(-1) ?? '', /^renewal given up: Could not reach Gemini/);
    assert.equal(session.connects, 4);
  });

  it('a silent server: the line is closed, and recovered only while the turn has tries left', async () => {
    const { keeper, heard, session } = keeperWith([{} as LiveConnection, {} as LiveConnection], {
      inFlight: true,
      capturing: false,
    });
    await keeper.connect();
    keeper.unresponsive('Gemini sent nothing for 20 s', false);
    await flush();
    assert.deepEqual([session.closes, session.connects, heard.length], [1, 1, 0]);
    keeper.unresponsive('Gemini sent nothing for 20 s');
    await flush();
    assert.deepEqual(heard, ['interrupted: Gemini sent nothing for 20 s', 'reconnected']);
  });
});

describe('the saved resumption handle', () => {
  const scope = { conversationId: 'a', model: 'gemini-3.8-live', endpoint: 'default' };
  it('belongs to its conversation, model and server: any other, or a damaged entry, starts without it', () => {
    const file: KeyValueFile = { path: 'session.json', store: {} };
    const handles = fileHandleStore(file, 'assistant');
    handles.save({ handle: { handle: 'h1', savedAt: 5 }, scope });
    assert.deepEqual(handles.load(scope), { handle: 'h1', savedAt: 5 });
    assert.equal(handles.load({ ...scope, conversationId: 'b' }), undefined);
    assert.equal(handles.load({ ...scope, model: 'gemini-3.1-flash-live-preview' }), undefined);
    assert.equal(handles.load({ ...scope, endpoint: 'http://127.0.0.1:9/' }), undefined);
    file.store = { resumption: { conversationId: 'a', handle: 42 } };
    assert.equal(handles.load(scope), undefined);
    // Saved by a version that recorded only the conversation: which model or server it was for is unknown.
    file.store = { resumption: { conversationId: 'a', handle: 'h0', savedAt: 1 } };
    assert.equal(handles.load(scope), undefined);
    handles.save(undefined);
    assert.deepEqual(file.store, {});
  });

  it("keeps each profile's handle apart, and reads the one saved before profiles as the first profile's", () => {
    const file: KeyValueFile = { path: 'session.json', store: {} };
    const assistant = fileHandleStore(file, 'assistant');
    const coder = fileHandleStore(file, 'p-c0de00');
    assistant.save({ handle: { handle: 'h-a', savedAt: 1 }, scope });
    coder.save({ handle: { handle: 'h-c', savedAt: 2 }, scope });
    assert.deepEqual(assistant.load(scope), { handle: 'h-a', savedAt: 1 });
    assert.deepEqual(coder.load(scope), { handle: 'h-c', savedAt: 2 });
    coder.save(undefined);
    assert.deepEqual(assistant.load(scope), { handle: 'h-a', savedAt: 1 }, 'forgetting one keeps the other');

    file.store = { resumption: { ...scope, handle: 'h-old', savedAt: 3 } };
    assert.deepEqual(assistant.load(scope), { handle: 'h-old', savedAt: 3 });
    assert.equal(coder.load(scope), undefined);
  });
});
