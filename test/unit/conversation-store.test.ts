import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Transcript } from '../../electron/main/conversation/transcript';
import type { Timers } from '../../electron/main/transcripts/conversation-log';
import { ConversationStore } from '../../electron/main/transcripts/conversation-store';
import { conversationMarkdown, markdownFileName } from '../../electron/main/transcripts/markdown';
import { parseConversation } from '../../electron/main/transcripts/records';
import type { TranscriptEntry } from '../../shared/types';
import { writeConversationFile } from '../support/conversation-files';

/** Timers that fire only when the test moves time on. */
class ManualTimers implements Timers {
  now = Date.parse('2026-11-21T10:00:00Z');
  private queue: { at: number; callback: () => void; handle: number }[] = [];
  private nextHandle = 1;

  set(callback: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.queue.push({ at: this.now + ms, callback, handle });
    return handle;
  }

  clear(handle: unknown): void {
    this.queue = this.queue.filter((timer) => timer.handle !== handle);
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (let due = this.next(until); due; due = this.next(until)) {
      this.now = due.at;
      this.queue = this.queue.filter((timer) => timer !== due);
      due.callback();
    }
    this.now = until;
  }

  private next(until: number) {
    return this.queue.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
  }
}

const fresh = () => mkdtempSync(join(tmpdir(), 'parley-conversations-'));

function open(dir: string, timers = new ManualTimers()) {
  const warnings: string[] = [];
  const store = ConversationStore.open(dir, { now: () => timers.now, timers, warn: (line) => warnings.push(line) });
  return { store, timers, warnings };
}

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
function turn(store: ConversationStore, n: number, question: string, answer: string): void {
  store.record(entry(2 * n - 1, n, 'user', question));
  store.record(entry(2 * n, n, 'model', answer));
}

const fileOf = (dir: string, id: string) => join(dir, `${id}.jsonl`);
const onDisk = (dir: string, id: string) => parseConversation(readFileSync(fileOf(dir, id)));
const jsonlFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.jsonl'));

describe('ConversationStore', () => {
  it('carries the conversation on after a restart: same file, same entries, the latest version of each', () => {
    const dir = fresh();
    const { store } = open(dir);
    const id = store.currentConversationId;
    store.record(entry(1, 1, 'user', 'What is the tallest mountain on Earth, please?', 'streaming'));
    store.record({ ...entry(1, 1, 'user', 'What is the tallest mountain on Earth, please?'), at: nextAt });
    turn(store, 2, 'And the deepest trench?', 'The Mariana Trench.');
    store.close();

    const again = open(dir).store;
    assert.equal(again.currentConversationId, id);
    assert.deepEqual(
      again.currentEntries().map((e) => [e.id, e.text, e.state]),
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
    assert.deepEqual(again.repaired, { badLines: 0, tornTail: false, interrupted: 0 });
    again.close();
  });

  it('writes streaming text at most a second late, coalesced, and a finished entry at once', () => {
    const dir = fresh();
    const { store, timers } = open(dir);
    const id = store.currentConversationId;
    store.record(entry(1, 1, 'user', 'Tell me a story.'));
    assert.equal(onDisk(dir, id).entries.length, 1, 'a finished entry is a turn boundary: written at once');

    let text = '';
    for (let i = 0; i < 50; i++) {
      text += `word${i} `;
      store.record({ ...entry(2, 1, 'model', text, 'streaming'), at: 1 });
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
    store.record({ ...entry(2, 1, 'model', `${text}The end.`), at: 1 });
    assert.equal(onDisk(dir, id).entries[1]!.state, 'done', 'the end of the reply is written without waiting');
    store.close();
  });

  it('reads past a torn last line and a garbled one, counting them, and appends cleanly after', () => {
    const dir = fresh();
    const { store } = open(dir);
    const id = store.currentConversationId;
    turn(store, 1, 'First question', 'First answer');
    store.close();
    appendFileSync(fileOf(dir, id), 'this line is not JSON\n');
    turn(open(dir).store, 2, 'Second question', 'Second answer');
    // What a power cut mid-write leaves: half a record, no newline.
    appendFileSync(fileOf(dir, id), '{"type":"entry","entry":{"id":5,"turnId":3,"ro');

    const { store: again, warnings } = open(dir);
    assert.equal(again.currentConversationId, id);
    assert.deepEqual(
      again.currentEntries().map((e) => e.text),
      ['First question', 'First answer', 'Second question', 'Second answer'],
    );
    assert.deepEqual(again.repaired, { badLines: 2, tornTail: true, interrupted: 0 });
    assert.match(warnings.join('\n'), /skipped 2 unreadable line/);
    turn(again, 3, 'Third question', 'Third answer');
    again.close();
    const file = onDisk(dir, id);
    assert.equal(file.tornTail, false, 'the torn line was cut off before appending');
    assert.equal(file.badLines, 1, 'only the garbled line in the middle remains');
    assert.equal(file.entries.length, 6);
  });

  it('marks entries the last run left streaming as interrupted, on disk too', () => {
    const dir = fresh();
    const { store } = open(dir);
    const id = store.currentConversationId;
    store.record(entry(1, 1, 'user', 'Count to ten.'));
    store.record(entry(2, 1, 'model', 'One, two, three', 'streaming'));
    // A turn boundary: everything so far is on disk. Then no close(): the process died here.
    store.record({ ...entry(3, 2, 'user', 'Hello?', 'failed'), retry: true });

    const again = open(dir).store;
    const cut = again.currentEntries()[1]!;
    assert.equal(cut.text, 'One, two, three');
    assert.equal(cut.state, 'interrupted');
    assert.match(cut.note ?? '', /closed before this was finished/);
    assert.equal(again.repaired.interrupted, 1);
    assert.equal(again.currentEntries()[2]!.retry, undefined, 'what was said went with the last run: no retry');
    assert.equal(onDisk(dir, id).entries[1]!.state, 'interrupted');
    again.close();
  });

  it('starts a new file for a new conversation, lists them newest first, and keeps no empty ones', () => {
    const dir = fresh();
    const { store, timers } = open(dir);
    const first = store.currentConversationId;
    turn(store, 1, 'About whales', 'Whales are mammals.');
    timers.advance(60_000);
    const second = store.startNew();
    assert.notEqual(second, first);
    timers.advance(60_000);
    const third = store.startNew();
    assert.deepEqual(jsonlFiles(dir).sort(), [`${first}.jsonl`, `${third}.jsonl`], 'the unused one was replaced');
    turn(store, 2, 'About owls', 'Owls hunt at night.');
    assert.deepEqual(
      store.list().map((c) => [c.id, c.title, c.current]),
      [
        [third, 'About owls', true],
        [first, 'About whales', false],
      ],
    );
    store.close();
    assert.equal(open(dir).store.currentConversationId, third, 'the newest is the one carried on');
  });

  it('rebuilds a missing, damaged or stale index from the files', () => {
    const dir = fresh();
    const { store, timers } = open(dir);
    turn(store, 1, 'Old conversation', 'Old answer');
    timers.advance(1000);
    store.startNew();
    turn(store, 2, 'New conversation', 'New answer');
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
    turn(store, 1, 'Tell me about the Eiffel Tower', 'The EIFFEL tower is in Paris, built in 1889.');
    timers.advance(1000);
    const current = store.startNew();
    store.record(entry(10, 1, 'user', 'Is the eiffel tower taller than', 'streaming'));
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

    for (let n = 2; n <= 80; n++) turn(store, n, `tower question ${n}`, `tower answer ${n}`);
    const many = store.search('tower');
    assert.equal(many.hits.length, 100);
    assert.equal(many.more, true);
    store.close();
  });

  it('deletes a conversation for good; deleting the current one starts a new one', () => {
    const dir = fresh();
    const { store, timers } = open(dir);
    const old = store.currentConversationId;
    turn(store, 1, 'Keep me?', 'No.');
    timers.advance(1000);
    const current = store.startNew();
    turn(store, 2, 'Current', 'Yes.');
    assert.equal(store.delete(old), true);
    assert.equal(store.delete(old), false, 'already gone');
    assert.deepEqual(jsonlFiles(dir), [`${current}.jsonl`]);
    assert.equal(store.read(old), undefined);

    assert.equal(store.delete(current), true);
    assert.notEqual(store.currentConversationId, current);
    assert.deepEqual(store.currentEntries(), []);
    assert.deepEqual(store.list(), []);
    store.close();
    assert.deepEqual(open(dir).store.list(), [], 'and after a restart');
  });

  it('gives the last turns of the current conversation as text, without what was never delivered', () => {
    const { store } = open(fresh());
    turn(store, 1, 'One', 'Uno');
    turn(store, 2, 'Two', 'Dos');
    store.record(entry(5, 3, 'user', 'Three', 'failed'));
    turn(store, 4, 'Four', 'Cuatro');
    store.record(entry(9, 5, 'user', 'Five'));
    store.record(entry(10, 5, 'model', '', 'streaming'));
    assert.deepEqual(store.recentTurns(3), [
      { role: 'user', text: 'Four' },
      { role: 'model', text: 'Cuatro' },
      { role: 'user', text: 'Five' },
    ]);
    assert.deepEqual(store.recentTurns(100).length, 7);
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
    assert.equal(store.currentConversationId, id);
    assert.equal(store.currentEntries().length, 20_000);
    timers.advance(1000);
    store.startNew();
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
    for (let n = 1; n <= 500; n++) turn(store, n, `Question ${n}`, `Answer ${n}`);
    const perBoundary = (performance.now() - started) / 1000;
    t.diagnostic(`one turn-boundary write (write, fdatasync, index) takes ${perBoundary.toFixed(2)} ms`);
    assert.equal(onDisk(dir, store.currentConversationId).entries.length, 1000, 'nothing left waiting in memory');
    // About a millisecond on a quiet machine (the diagnostic). The write holds main's event loop, so it must stay
    // well under a 20 ms capture frame: 50 ms leaves room for a busy machine's fdatasync and still fails a write
    // that waits on something or reads the conversation back.
    assert.ok(perBoundary < 50, `${perBoundary} ms per turn boundary`);
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
  it('writes a heading, each side with its time, and what happened to cut-off turns', () => {
    const startedAt = new Date(2026, 10, 21, 9, 5, 0).getTime();
    const at = (seconds: number) => startedAt + seconds * 1000;
    const summary = {
      id: '20261121-090500-abcdef',
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
        'Parley conversation, 2026-11-21 09:05, 2 turns.',
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
});
