import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildLiveConfig } from '../../electron/main/live/live-config';
import { defaultModel, defaultSessionSettings } from '../../electron/main/live/session-settings';
import { LiveSession, type HandleStore, type SessionEvents } from '../../electron/main/live/live-session';
import { fileHandleStore } from '../../electron/main/session/handle-store';
import type { KeyValueFile } from '../../electron/main/settings/settings-store';
import { startEmulator, type Emulator } from '../emulator/server';

/** A session on the emulator, with its conversation id and handle file in the test's hands. */
function sessionOn(emulator: Emulator, handles: HandleStore, conversation = { id: 'conversation-1' }) {
  const replies: string[] = [];
  const warnings: string[] = [];
  let replied: () => void = () => undefined;
  const events: SessionEvents = {
    serverActivity: () => undefined,
    audio: () => undefined,
    inputTranscript: () => undefined,
    outputTranscript: (text) => replies.push(text),
    text: (text) => replies.push(text),
    interrupted: () => undefined,
    generationComplete: () => undefined,
    turnComplete: () => replied(),
    toolCall: () => undefined,
    toolCallCancellation: () => undefined,
    grounding: () => undefined,
    goAway: () => undefined,
    lost: () => undefined,
    handleExpired: () => undefined,
  };
  const session = new LiveSession({
    apiKey: () => ({ key: 'test-key', origin: 'GEMINI_API_KEY' }),
    endpoint: () => Promise.resolve({ baseUrl: emulator.url, apiVersion: 'v1beta' }),
    model: () => defaultModel,
    conversationId: () => conversation.id,
    config: (resumptionHandle) => buildLiveConfig(defaultModel, defaultSessionSettings, { resumptionHandle }),
    events,
    handles,
    seed: () => [],
    warn: (message) => warnings.push(message),
  });
  /** Types a turn and resolves once its reply is complete and the handle after it has had time to come. */
  const say = async (text: string) => {
    const done = new Promise<void>((resolve) => (replied = resolve));
    (await session.connect()).text(text);
    await done;
    await session.handleSettled(2000);
  };
  return { session, say, replies, warnings, conversation };
}

const resumedWith = (emulator: Emulator) =>
  (emulator.connection().setup as { sessionResumption?: { handle?: string } }).sessionResumption?.handle;

describe('LiveSession against the emulator', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ pacing: { mode: 'fast' }, scenario: { turns: [] } });
  });
  after(() => emulator.close());

  it('resumes its own conversation, and starts afresh for another one', async () => {
    const file: KeyValueFile = { path: 'session.json', store: {} };
    const { session, say, conversation } = sessionOn(emulator, fileHandleStore(file, 'assistant'));
    await say('Remember seven.');
    const first = session.connection?.geminiSession;
    session.close();
    await say('Which number?');
    assert.ok(resumedWith(emulator), 'the same conversation resumed');
    assert.equal(session.connection?.geminiSession, first, 'the same Gemini session: it still expects its calls');
    session.close();
    conversation.id = 'conversation-2';
    await say('Hello.');
    assert.equal(resumedWith(emulator), undefined, 'another conversation does not resume this one');
    assert.notEqual(session.connection?.geminiSession, first, 'a new Gemini session');
    session.close();
  });

  it('keeps no handle from a connection opened before the conversation was forgotten', async () => {
    const file: KeyValueFile = { path: 'session.json', store: {} };
    const { session, say } = sessionOn(emulator, fileHandleStore(file, 'assistant'));
    const connection = await session.connect();
    session.forgetConversation();
    // The old connection still answers, and sends a handle after its reply.
    await say('Remember seven.');
    assert.equal(file.store.resumption, undefined, 'nothing saved');
    assert.equal(session.connection, connection, 'the connection itself carried on');
    session.close();
    await say('Which number?');
    assert.equal(resumedWith(emulator), undefined, 'the next connection starts a new conversation');
    session.close();
  });

  it('a handle that cannot be saved: says so, and the conversation goes on', async () => {
    const full: HandleStore = {
      load: () => undefined,
      save: () => {
        throw new Error('ENOSPC: no space left on device');
      },
    };
    const { session, say, replies, warnings } = sessionOn(emulator, full);
    await say('First.');
    await say('Second.');
    assert.match(warnings[0] ?? '', /could not be saved \(ENOSPC.*a restart will not resume it/);
    assert.ok(replies.join('').includes('Second.'), 'the second turn was answered');
    session.close();
    await sleep(10);
  });
});
