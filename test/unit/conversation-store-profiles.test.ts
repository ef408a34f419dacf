import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { flushIntervalMs } from '../../electron/main/transcripts/conversation-log';
import { ConversationStore, type CurrentConversation } from '../../electron/main/transcripts/conversation-store';
import { historyHandlers } from '../../electron/main/transcripts/history-handlers';
import { encodeRecord, parseConversation } from '../../electron/main/transcripts/records';
import type { Confirmation, IpcSender } from '../../electron/main/ports';
import { assistantProfile } from '../../shared/conversations';
import type { ProfileRef, TranscriptEntry } from '../../shared/types';
import { writeConversationFile } from '../support/conversation-files';
import { smallDisk, type DiskFault } from '../support/disk-faults';
import { ManualTimers } from '../support/manual-timers';

const coder: ProfileRef = { id: 'p-c0de00', name: 'Coder' };
const transcriptPage: IpcSender = { webContentsId: 4, frameUrl: 'app://parley/transcript.html', isMainFrame: true };

const fresh = () => mkdtempSync(join(tmpdir(), 'parley-profiles-'));

function open(dir: string, timers = new ManualTimers()) {
  const notices: string[] = [];
  const store = ConversationStore.open(dir, {
    now: () => timers.now,
    timers,
    notify: (message) => notices.push(message),
  });
  return { store, timers, notices };
}

/** One whole turn, as a profile's transcript publishes it; each transcript counts its entry ids on its own. */
function turn(conversation: CurrentConversation, n: number, question: string, answer: string): void {
  const at = Date.parse('2026-11-21T10:00:00Z') + n * 10_000;
  conversation.record({ id: 2 * n - 1, turnId: n, role: 'user', text: question, at, state: 'done' });
  conversation.record({ id: 2 * n, turnId: n, role: 'model', text: answer, at: at + 1000, state: 'done' });
}

const texts = (entries: readonly TranscriptEntry[]) => entries.map((e) => e.text);
const fileOf = (dir: string, id: string) => join(dir, `${id}.jsonl`);
const onDisk = (dir: string, id: string) => parseConversation(readFileSync(fileOf(dir, id)));
const jsonlFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.jsonl'));

describe('ConversationStore with profiles', () => {
  it("keeps two profiles' current conversations at once, apart, each in its own file, each carried on by its profile after a restart", () => {
    const dir = fresh();
    const { store, timers } = open(dir);
    const assistant = store.lane(assistantProfile);
    timers.advance(1000);
    const coding = store.lane(coder);
    assert.notEqual(coding.id, assistant.id);
    assert.equal(store.lane(coder), coding, 'the same lane at every call');
    turn(assistant, 1, 'Will it rain today?', 'Not before the evening.');
    turn(coding, 1, 'Why does my build fail?', 'A missing import.');
    assert.deepEqual(texts(assistant.entries()), ['Will it rain today?', 'Not before the evening.']);
    assert.deepEqual(texts(coding.entries()), ['Why does my build fail?', 'A missing import.']);
    assert.equal(assistant.entryText(2), 'Not before the evening.', 'the same entry id, each its own text');
    assert.equal(coding.entryText(2), 'A missing import.');
    assert.deepEqual(coding.recentTurns(1), [
      { role: 'user', text: 'Why does my build fail?' },
      { role: 'model', text: 'A missing import.' },
    ]);

    // Both on disk at once, each file saying whose it is.
    const assistantFile = onDisk(dir, assistant.id);
    assert.deepEqual(assistantFile.header?.profile, assistantProfile);
    assert.deepEqual(texts(assistantFile.entries), ['Will it rain today?', 'Not before the evening.']);
    const coderFile = onDisk(dir, coding.id);
    assert.deepEqual(coderFile.header?.profile, coder);
    assert.deepEqual(texts(coderFile.entries), ['Why does my build fail?', 'A missing import.']);

    // Coder moves on to a new conversation, newer than anything of the assistant's: the assistant keeps its own.
    const assistantFirst = assistant.id;
    timers.advance(60_000);
    const coderSecond = coding.startNew();
    assert.equal(coding.id, coderSecond);
    assert.equal(assistant.id, assistantFirst);
    turn(coding, 1, 'And the tests?', 'They pass now.');
    store.close();

    // Opened in the other order this time: each profile finds its own newest conversation.
    const again = open(dir).store;
    const coderAgain = again.lane(coder);
    const assistantAgain = again.lane(assistantProfile);
    assert.equal(coderAgain.id, coderSecond);
    assert.deepEqual(texts(coderAgain.entries()), ['And the tests?', 'They pass now.']);
    assert.equal(assistantAgain.id, assistantFirst);
    assert.deepEqual(texts(assistantAgain.entries()), ['Will it rain today?', 'Not before the evening.']);
    assert.deepEqual(
      again.list().map((c) => [c.profile.name, c.title, c.current]),
      [
        ['Coder', 'And the tests?', true],
        ['Coder', 'Why does my build fail?', false],
        ['Assistant', 'Will it rain today?', true],
      ],
    );
    again.close();
  });

  it('carries on an empty new conversation after a restart, and gives a profile that has none an empty one only when it is first used', () => {
    const dir = fresh();
    const { store, timers } = open(dir);
    const assistant = store.lane(assistantProfile);
    turn(assistant, 1, 'Something to keep', 'Kept.');
    timers.advance(60_000);
    const empty = assistant.startNew();
    store.close();
    assert.equal(jsonlFiles(dir).length, 2);

    const again = open(dir).store;
    assert.equal(again.lane(assistantProfile).id, empty, 'what the last run was in, even with nothing said yet');
    assert.equal(jsonlFiles(dir).length, 2, 'no profile asked for one yet');
    const coding = again.lane(coder);
    assert.deepEqual(coding.entries(), []);
    assert.deepEqual(onDisk(dir, coding.id).header?.profile, coder);
    assert.deepEqual(
      again.list().map((c) => c.title),
      ['Something to keep'],
      'empty ones are not listed',
    );
    again.close();
  });

  it("reads every conversation saved before profiles as the assistant's, and an index written before them again from the files", () => {
    const dir = fresh();
    const old = { id: '20261120-090000-0a0a0a', startedAt: Date.parse('2026-11-20T09:00:00Z') };
    writeConversationFile(dir, { ...old, turns: 2, text: (n, role) => `${role} ${n}` });
    // What Parley wrote before profiles: rows without one (and here, a count the file does not bear out).
    const staleRow = { ...old, updatedAt: old.startedAt, title: 'user 1', turnCount: 99 };
    const bytes = statSync(fileOf(dir, old.id)).size;
    writeFileSync(join(dir, 'index.json'), JSON.stringify({ version: 1, conversations: [{ ...staleRow, bytes }] }));

    const { store } = open(dir);
    assert.deepEqual(store.list(), [
      { ...staleRow, updatedAt: old.startedAt + 22_000, turnCount: 2, profile: assistantProfile, current: false },
    ]);
    assert.deepEqual(store.lane(coder).entries(), [], 'not another profile’s');
    const assistant = store.lane(assistantProfile);
    assert.equal(assistant.id, old.id, "the assistant's, carried on");
    assert.equal(store.list()[0]!.current, true);
    turn(assistant, 3, 'A third question', 'A third answer.');
    store.close();
    assert.equal(onDisk(dir, old.id).header?.profile, undefined, 'the file is appended to, its header left as it was');
    assert.deepEqual(open(dir).store.list()[0]!.profile, assistantProfile);
  });

  it("reads a header without a profile, or with one it cannot make out, as the assistant's, keeping its start", () => {
    const id = '20261120-090000-0b0b0b';
    const startedAt = Date.parse('2026-11-20T09:00:00Z');
    const header = (extra: object) =>
      parseConversation(
        Buffer.from(`${JSON.stringify({ type: 'conversation', version: 1, id, startedAt, ...extra })}\n`),
      );
    assert.deepEqual(header({}).header, { type: 'conversation', version: 1, id, startedAt });
    assert.deepEqual(header({ profile: coder }).header?.profile, coder);
    for (const garbled of [42, { id: '' }, { name: 'No id' }]) {
      const parsed = header({ profile: garbled });
      assert.equal(parsed.badLines, 0, JSON.stringify(garbled));
      assert.equal(parsed.header?.startedAt, startedAt);
      assert.equal(parsed.header?.profile, undefined);
    }
    // A field a later Parley may add is ignored, as this one's profile is by earlier ones.
    assert.equal(header({ profile: coder, colour: 'teal' }).header?.id, id);

    const dir = fresh();
    writeFileSync(
      fileOf(dir, id),
      encodeRecord({ type: 'conversation', version: 1, id, startedAt }) +
        encodeRecord({
          type: 'entry',
          entry: { id: 1, turnId: 1, role: 'user', text: 'Hello', at: startedAt, state: 'done' },
        }),
    );
    const { store } = open(dir);
    assert.deepEqual(store.read(id)?.summary.profile, assistantProfile);
    store.close();
  });

  it("deletes a profile's current conversation: that profile starts a new one, the other keeps its own", () => {
    const dir = fresh();
    const { store, timers } = open(dir);
    const assistant = store.lane(assistantProfile);
    const coding = store.lane(coder);
    turn(assistant, 1, 'The assistant’s question', 'The assistant’s answer.');
    turn(coding, 1, 'The coder’s question', 'The coder’s answer.');
    const [assistantFirst, coderFirst] = [assistant.id, coding.id];

    assert.deepEqual(store.delete(coderFirst), { deleted: true, restarted: coder });
    assert.notEqual(coding.id, coderFirst);
    assert.deepEqual(coding.entries(), []);
    assert.equal(existsSync(fileOf(dir, coderFirst)), false);
    assert.deepEqual(onDisk(dir, coding.id).header?.profile, coder, 'the new one is the coder’s too');
    assert.equal(assistant.id, assistantFirst);
    assert.deepEqual(texts(assistant.entries()), ['The assistant’s question', 'The assistant’s answer.']);

    // A conversation nobody is in any more: nobody starts anew.
    timers.advance(60_000);
    assistant.startNew();
    assert.deepEqual(store.delete(assistantFirst), { deleted: true });
    assert.deepEqual(store.delete(assistantFirst), { deleted: false }, 'already gone');

    turn(coding, 1, 'After the delete', 'Saved.');
    const coderSecond = coding.id;
    store.close();
    const again = open(dir).store;
    assert.equal(again.lane(coder).id, coderSecond);
    assert.deepEqual(
      again.list().map((c) => [c.profile.id, c.title]),
      [[coder.id, 'After the delete']],
    );
    again.close();
  });

  it('lists, reads and searches across profiles, each summary naming its profile', () => {
    const dir = fresh();
    const { store, timers } = open(dir);
    const assistant = store.lane(assistantProfile);
    turn(assistant, 1, 'Tell me about Lisbon', 'Lisbon is the capital of Portugal.');
    timers.advance(60_000);
    const coding = store.lane(coder);
    turn(coding, 1, 'Which time zone name is Lisbon in code?', 'Europe/Lisbon.');
    timers.advance(60_000);
    const assistantOld = assistant.id;
    assistant.startNew();
    turn(assistant, 1, 'Anything about Porto?', 'It is north of Lisbon.');

    assert.deepEqual(
      store.list().map((c) => [c.profile, c.title, c.current]),
      [
        [assistantProfile, 'Anything about Porto?', true],
        [coder, 'Which time zone name is Lisbon in code?', true],
        [assistantProfile, 'Tell me about Lisbon', false],
      ],
    );
    const view = store.read(coding.id)!;
    assert.deepEqual([view.summary.profile, view.summary.current], [coder, true]);
    assert.deepEqual(texts(view.entries), ['Which time zone name is Lisbon in code?', 'Europe/Lisbon.']);
    assert.deepEqual(store.read(assistantOld)!.summary.profile, assistantProfile);

    assert.deepEqual(
      store.search('lisbon').hits.map((hit) => [hit.conversation.profile.name, hit.match, hit.entry.role]),
      [
        ['Assistant', 'Lisbon', 'model'],
        ['Coder', 'Lisbon', 'user'],
        ['Coder', 'Lisbon', 'model'],
        ['Assistant', 'Lisbon', 'user'],
        ['Assistant', 'Lisbon', 'model'],
      ],
    );
    store.close();
  });

  it("keeps the name a conversation started under: a renamed profile's next one takes the new name, a gone profile's stay listed", () => {
    const dir = fresh();
    const { store, timers } = open(dir);
    const coding = store.lane(coder);
    turn(coding, 1, 'Started as Coder', 'Yes.');
    const renamed = { ...coder, name: 'Programmer' };
    assert.equal(store.lane(renamed), coding, 'renaming keeps the conversation going');
    assert.deepEqual(store.list()[0]!.profile, coder);
    timers.advance(60_000);
    coding.startNew();
    turn(coding, 1, 'Started as Programmer', 'Yes.');
    assert.deepEqual(onDisk(dir, coding.id).header?.profile, renamed);

    // An interpreter added and removed before anything was said in it leaves nothing behind.
    const interpreter = store.lane({ id: 'p-1a7e40', name: 'Interpreter' });
    const unused = interpreter.id;
    assert.equal(existsSync(fileOf(dir, unused)), true);
    store.leave('p-1a7e40');
    assert.equal(existsSync(fileOf(dir, unused)), false);

    // The profile is deleted: its conversations are closed and stay in History, under the names they started with.
    const last = coding.id;
    store.leave(coder.id);
    // A reply still arriving for it has nowhere to go.
    coding.record({ id: 9, turnId: 5, role: 'model', text: 'A late word', at: timers.now, state: 'done' });
    timers.advance(3 * flushIntervalMs);
    assert.deepEqual(texts(coding.entries()), ['Started as Programmer', 'Yes.']);
    const listed = () => store.list().map((c) => [c.profile.name, c.title, c.current]);
    const expected = [
      ['Programmer', 'Started as Programmer', false],
      ['Coder', 'Started as Coder', false],
    ];
    assert.deepEqual(listed(), expected);
    assert.deepEqual(texts(onDisk(dir, last).entries), ['Started as Programmer', 'Yes.']);
    store.close();
    const again = open(dir).store;
    assert.deepEqual(
      again.list().map((c) => [c.profile.name, c.title, c.current]),
      expected,
    );
    again.close();
  });
});

describe('ConversationStore with profiles on a failing disk', () => {
  const faults: DiskFault[] = [];
  afterEach(() => faults.splice(0).forEach((made) => made.release()));

  it("keeps every profile's conversation in memory while the disk is full, telling the user once, and saves them all when there is room", (t) => {
    const dir = fresh();
    const disk = smallDisk(dir);
    faults.push(disk);
    t.diagnostic(`fault made by ${disk.how}`);
    disk.strike();
    const { store, timers, notices } = open(dir);
    const assistant = store.lane(assistantProfile);
    timers.advance(1000);
    const coding = store.lane(coder);
    turn(assistant, 1, 'Said to the assistant', 'Kept.');
    turn(coding, 1, 'Said to the coder', 'Kept too.');
    timers.advance(3 * flushIntervalMs);
    assert.equal(notices.length, 1, 'told once, not once per profile or per retry');
    assert.deepEqual(jsonlFiles(dir), []);
    assert.deepEqual(
      store.list().map((c) => [c.profile.name, c.title]),
      [
        ['Coder', 'Said to the coder'],
        ['Assistant', 'Said to the assistant'],
      ],
    );

    disk.heal();
    timers.advance(flushIntervalMs);
    assert.deepEqual(texts(onDisk(dir, assistant.id).entries), ['Said to the assistant', 'Kept.']);
    assert.deepEqual(onDisk(dir, coding.id).header?.profile, coder);
    assert.deepEqual(texts(onDisk(dir, coding.id).entries), ['Said to the coder', 'Kept too.']);
    assert.equal(notices.at(-1), 'Conversations are saved again.');
    store.close();
  });
});

describe('History requests with profiles', () => {
  function history(store: ConversationStore, shown: CurrentConversation) {
    const questions: Confirmation[] = [];
    const restarted: ProfileRef[] = [];
    const copied: string[] = [];
    const handlers = historyHandlers({
      conversations: store,
      shown: () => shown,
      clipboard: { writeText: (text) => void copied.push(text) },
      saveDialog: { saveFile: () => Promise.resolve(undefined) },
      confirm: (question) => {
        questions.push(question);
        return Promise.resolve(true);
      },
      currentDeleted: (profile) => void restarted.push(profile),
    });
    return { handlers, questions, restarted, copied };
  }

  it("names the profile whose current conversation is deleted, and restarts that profile's only", async () => {
    const { store } = open(fresh());
    const assistant = store.lane(assistantProfile);
    const coding = store.lane(coder);
    turn(assistant, 1, 'For the assistant', 'Yes.');
    turn(coding, 1, 'For the coder', 'Yes.');
    const { handlers, questions, restarted } = history(store, assistant);
    const coderFirst = coding.id;

    assert.deepEqual(await handlers.deleteConversation({ id: coderFirst }, transcriptPage), { deleted: true });
    assert.match(
      questions[0]!.detail,
      /It is Coder’s current conversation: Gemini forgets it too, and a new one starts\.$/,
    );
    assert.deepEqual(restarted, [coder]);
    assert.notEqual(coding.id, coderFirst);
    assert.deepEqual(texts(assistant.entries()), ['For the assistant', 'Yes.']);
    store.close();
  });

  it('copies a turn of the conversation shown live when none is named, and of the named one otherwise', () => {
    const { store } = open(fresh());
    const assistant = store.lane(assistantProfile);
    const coding = store.lane(coder);
    turn(assistant, 1, 'Shown question', 'Shown answer.');
    turn(coding, 1, 'Other question', 'Other answer.');
    const { handlers, copied } = history(store, assistant);
    handlers.copyEntry({ entryId: 2 }, transcriptPage);
    handlers.copyEntry({ conversation: coding.id, entryId: 2 }, transcriptPage);
    assert.deepEqual(copied, ['Shown answer.', 'Other answer.']);
    assert.throws(() => handlers.copyEntry({ entryId: 7 }, transcriptPage), /That turn no longer exists\./);
    store.close();
  });
});
