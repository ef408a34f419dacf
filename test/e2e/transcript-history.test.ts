import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from '../harness/expect';
import type { Page } from 'playwright-core';
import { parseConversation } from '../../electron/main/transcripts/records';
import { assistantProfile } from '../../shared/conversations';
import { startEmulator, type Emulator } from '../emulator/server';
import { Conversation } from '../harness/conversation';
import { Harness } from '../harness/harness';
import { writeConversationFile } from '../support/conversation-files';

const conversationsOf = (userDataDir: string) => join(userDataDir, 'conversations');
const jsonlFiles = (userDataDir: string) =>
  readdirSync(conversationsOf(userDataDir)).filter((name) => name.endsWith('.jsonl'));

/** Types a message in the transcript window and waits for the whole reply. */
async function typeTurn(harness: Harness, text: string): Promise<void> {
  const page = await harness.page('transcript');
  const replies = await page.getByTestId('entry-model').count();
  await page.getByLabel('Message').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('entry-model')).toHaveCount(replies + 1, { timeout: 10_000 });
  await expect.poll(() => harness.app.status.current.state, { timeout: 10_000, intervals: [20, 50, 100] }).toBe('idle');
}

async function showHistory(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'History' }).click();
}

const entries = 'article.entry';
const entryTexts = (page: Page) => page.locator(`${entries} .text`).allTextContents();
/** Who said what, top to bottom. */
const entryLines = (page: Page) =>
  page
    .locator(entries)
    .evaluateAll((shown) => shown.map((el) => `${el.dataset.testid}: ${el.querySelector('.text')?.textContent}`));
/** A viewport's worth of rows and the margin rendered around it: far fewer than a long conversation has. */
const maxRows = 80;

describe('saved conversations', () => {
  let harness: Harness | undefined;
  let emulator: Emulator | undefined;
  let talk: Conversation | undefined;
  let userDataDir: string | undefined;
  afterEach(async () => {
    await harness?.close();
    await emulator?.close();
    await talk?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    harness = emulator = talk = userDataDir = undefined;
  });

  const startOn = async (dir: string) =>
    Harness.start({
      userDataDir: dir,
      env: emulator ? { PARLEY_LIVE_URL: emulator.url, GEMINI_API_KEY: 'test-key' } : {},
      settings: { cues: false },
    });

  it('carries the conversation on after a restart: the window shows it, and new turns join it', async () => {
    emulator = await startEmulator({ pacing: { mode: 'fast' } });
    userDataDir = mkdtempSync(join(tmpdir(), 'parley-history-'));
    harness = await startOn(userDataDir);
    await typeTurn(harness, 'My name is Ada.');
    await typeTurn(harness, 'I live in Lisbon.');
    await harness.close();

    harness = await startOn(userDataDir);
    const page = await harness.page('transcript');
    await expect(page.getByTestId('entry-model')).toHaveCount(2);
    assert.deepEqual(await entryTexts(page), [
      'My name is Ada.',
      'you said: My name is Ada.',
      'I live in Lisbon.',
      'you said: I live in Lisbon.',
    ]);
    await typeTurn(harness, 'What is my name?');
    const entries = harness.app.transcript.all();
    assert.equal(entries.length, 6);
    assert.equal(new Set(entries.map((e) => e.id)).size, 6, 'entry ids stay unique across runs');

    assert.equal(jsonlFiles(userDataDir).length, 1, 'one conversation, one file');
    const file = parseConversation(readFileSync(join(conversationsOf(userDataDir), jsonlFiles(userDataDir)[0]!)));
    assert.deepEqual(
      file.entries.map((e) => e.text),
      entries.map((e) => e.text),
    );
    assert.deepEqual(harness.app.conversations.lane(assistantProfile).recentTurns(1), [
      { role: 'user', text: 'What is my name?' },
      { role: 'model', text: 'you said: What is my name?' },
    ]);
    await showHistory(page);
    await expect(page.getByTestId('conversation')).toHaveCount(1);
    await expect(page.getByTestId('conversation')).toContainText('3 turns');
    await expect(page.getByTestId('conversation')).toContainText('My name is Ada.');
  });

  it('keeps each spoken question above its reply after a restart, as the live window had them, when Gemini transcribes the question late', async () => {
    const turns = [
      { reply: { inputTranscription: 'What time is it?', outputTranscription: 'It is noon in Lisbon.' } },
      { reply: { inputTranscription: 'And in Tokyo?', outputTranscription: 'Nine in the evening there.' } },
      { reply: { inputTranscription: 'Thank you.', outputTranscription: 'You are welcome.' } },
    ];
    userDataDir = mkdtempSync(join(tmpdir(), 'parley-history-'));
    talk = await Conversation.start({
      userDataDir,
      emulator: { pacing: { mode: 'fast' }, scenario: { lateInputTranscription: true, turns } },
    });
    const app = talk.harness.app;
    const live = await talk.harness.page('transcript');
    for (let n = 1; n <= turns.length; n++) {
      // Short questions: each reply begins while the question's entry may still wait in the log's buffer.
      await talk.keyDown();
      await expect.poll(() => app.status.current.state, { intervals: [20] }).toBe('listening');
      await sleep(200);
      await talk.keyUp();
      await expect(live.getByTestId('entry-model')).toHaveCount(n, { timeout: 10_000 });
      await expect.poll(() => app.status.current.state, { timeout: 10_000 }).toBe('idle');
    }
    const said = turns.flatMap(({ reply }) => [
      `entry-user: ${reply.inputTranscription}`,
      `entry-model: ${reply.outputTranscription}`,
    ]);
    assert.deepEqual(await entryLines(live), said, 'the live window');
    const sent = talk.emulator.frames({ direction: 'out' }).map((frame) => frame.message.serverContent ?? {});
    assert.ok(
      sent.findIndex((content) => content.inputTranscription) >
        sent.findIndex((content) => content.outputTranscription),
      'Gemini transcribed the question after the reply began',
    );
    await talk.close();
    talk = undefined;

    harness = await startOn(userDataDir);
    const page = await harness.page('transcript');
    await expect(page.getByTestId('entry-model')).toHaveCount(turns.length);
    assert.deepEqual(await entryLines(page), said, 'the Conversation view after the restart');
    await showHistory(page);
    await page.getByTestId('conversation').click();
    await expect(page.getByTestId('opened-title')).toHaveText('What time is it?');
    assert.deepEqual(await entryLines(page), said, 'the conversation opened from History');
    assert.deepEqual(
      harness.app.conversations
        .lane(assistantProfile)
        .recentTurns(1)
        .map(({ role, text }) => `entry-${role}: ${text}`),
      said.slice(-2),
      'the recap a new session would be given',
    );
  });

  it('starts a new conversation from the transcript window, only after the user confirms, in a new file', async () => {
    emulator = await startEmulator({ pacing: { mode: 'fast' } });
    userDataDir = mkdtempSync(join(tmpdir(), 'parley-history-'));
    harness = await startOn(userDataDir);
    const page = await harness.page('transcript');
    await typeTurn(harness, 'First conversation');
    const first = harness.app.conversations.lane(assistantProfile).id;

    harness.appPort.confirmAnswer = false;
    await page.getByRole('button', { name: 'New conversation…' }).click();
    await expect.poll(() => harness!.appPort.confirmations.length).toBe(1);
    assert.equal(harness.appPort.confirmations[0]!.confirmLabel, 'Start new conversation', 'the tray asks the same');
    await expect(page.getByTestId('entry-user')).toHaveCount(1);
    assert.equal(harness.app.conversations.lane(assistantProfile).id, first);

    harness.appPort.confirmAnswer = true;
    await page.getByRole('button', { name: 'New conversation…' }).click();
    await expect(page.getByText('The conversation will appear here.')).toBeVisible();
    assert.notEqual(harness.app.conversations.lane(assistantProfile).id, first);
    await typeTurn(harness, 'Second conversation');
    assert.equal(jsonlFiles(userDataDir).length, 2);
    assert.deepEqual(
      harness.app.conversations.list().map((c) => c.title),
      ['Second conversation', 'First conversation'],
    );

    // The tray's New conversation does the same.
    harness.tray.click('new-conversation');
    await expect(page.getByText('The conversation will appear here.')).toBeVisible();
    await harness.close();
    harness = await startOn(userDataDir);
    const restarted = await harness.page('transcript');
    await expect(restarted.getByText('The conversation will appear here.')).toBeVisible();
    await expect(restarted.getByTestId('entry-user')).toHaveCount(0);
  });

  describe('the History view', () => {
    const day = (d: number, h: number) => new Date(2026, 9, d, h, 30).getTime();
    const made = [
      {
        id: '20261001-083000-aaaaaa',
        startedAt: day(1, 10),
        turns: 2,
        text: (n: number, role: string) =>
          role === 'user' ? ['Plan a trip to Oslo', 'What about museums?'][n - 1]! : `Oslo answer ${n}`,
      },
      {
        id: '20261005-083000-bbbbbb',
        startedAt: day(5, 10),
        turns: 1,
        text: (_n: number, role: string) => (role === 'user' ? 'A recipe for pancakes' : 'Flour, eggs, milk.'),
      },
      {
        id: '20261009-083000-cccccc',
        startedAt: day(9, 10),
        turns: 3,
        text: (n: number, role: string) => (role === 'user' ? `Weather question ${n}` : `Sunny over Oslo, ${n}`),
      },
    ];
    const prepared = () => {
      const dir = mkdtempSync(join(tmpdir(), 'parley-history-'));
      for (const conversation of made) writeConversationFile(conversationsOf(dir), conversation);
      return dir;
    };

    it('lists conversations newest first, opens one read-only, copies a turn and exports it as Markdown', async () => {
      userDataDir = prepared();
      harness = await startOn(userDataDir);
      const page = await harness.page('transcript');
      await expect(page.getByTestId('entry-user')).toHaveCount(3, { timeout: 5_000 });

      // By keyboard: the tabs are one Tab stop, the arrow keys move between them.
      await page.getByRole('tab', { name: 'Conversation' }).focus();
      await page.keyboard.press('ArrowRight');
      await expect(page.getByRole('tab', { name: 'History' })).toHaveAttribute('aria-selected', 'true');
      await expect(page.getByRole('tab', { name: 'History' })).toBeFocused();
      const items = page.getByTestId('conversation');
      await expect(items).toHaveCount(3);
      const texts = await items.allTextContents();
      assert.match(texts[0]!, /3 turns\s*current\s*Weather question 1/);
      assert.match(texts[1]!, /1 turn\s*A recipe for pancakes/);
      assert.match(texts[2]!, /2 turns\s*Plan a trip to Oslo/);

      await items.nth(2).focus();
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('opened-title')).toHaveText('Plan a trip to Oslo');
      assert.deepEqual(await entryTexts(page), [
        'Plan a trip to Oslo',
        'Oslo answer 1',
        'What about museums?',
        'Oslo answer 2',
      ]);
      await expect(page.getByLabel('Message')).toHaveCount(0);

      await page.locator('article.entry').nth(1).getByRole('button', { name: 'Copy' }).click();
      await expect(page.locator('article.entry').nth(1).getByRole('button', { name: 'Copied' })).toBeVisible();
      assert.deepEqual(harness.clipboard.texts, ['Oslo answer 1']);

      harness.saveDialog.cancel = true;
      await page.getByRole('button', { name: 'Export as Markdown…' }).click();
      await expect.poll(() => harness!.saveDialog.offered.length).toBe(1);
      assert.deepEqual(harness.saveDialog.saved, [], 'cancelled: nothing written');
      harness.saveDialog.cancel = false;
      await page.getByRole('button', { name: 'Export as Markdown…' }).click();
      await expect(page.getByTestId('notice')).toContainText('Saved as');
      assert.equal(harness.saveDialog.offered[1], 'Parley 2026-10-01 10.30 Plan a trip to Oslo.md');
      const markdown = readFileSync(harness.saveDialog.saved[0]!, 'utf8');
      assert.match(
        markdown,
        /^# Plan a trip to Oslo\n\nParley conversation with Assistant, 2026-10-01 10:30, 2 turns\.\n/,
      );
      assert.match(
        markdown,
        /\*\*You\*\* · 10:30:10\n\nPlan a trip to Oslo\n\n\*\*Gemini\*\* · 10:30:12\n\nOslo answer 1\n/,
      );
      assert.match(markdown, /What about museums\?\n\n\*\*Gemini\*\* · \d\d:\d\d:\d\d\n\nOslo answer 2\n$/);

      await page.getByRole('button', { name: '← All conversations' }).click();
      await items.first().click();
      await expect(page.getByTestId('opened-title')).toHaveText('Weather question 1');
      await expect(page.getByText('current, goes on in the Conversation view')).toBeVisible();
      await page.getByRole('tab', { name: 'Conversation' }).click();
      await expect(page.getByLabel('Message')).toBeVisible();
      await expect(page.getByTestId('entry-user')).toHaveCount(3);
    });

    it("lists each conversation with its profile, also a deleted one's, and shows one profile's alone", async () => {
      userDataDir = prepared();
      const coders = { id: 'p-c0de00', name: 'Coder' };
      writeConversationFile(conversationsOf(userDataDir), {
        id: '20261003-083000-dddddd',
        startedAt: day(3, 10),
        turns: 1,
        profile: coders,
        text: (_n: number, role: string) => (role === 'user' ? 'Why does Oslo build fail?' : 'A missing semicolon.'),
      });
      harness = await startOn(userDataDir);
      const page = await harness.page('transcript');
      await showHistory(page);
      const items = page.getByTestId('conversation');
      await expect(items).toHaveCount(4);
      await expect(page.getByTestId('conversation-profile')).toHaveText([
        'Assistant',
        'Assistant',
        'Coder',
        'Assistant',
      ]);

      await page.getByLabel('Profile').selectOption({ label: 'Coder' });
      await expect(items).toHaveCount(1);
      await expect(items).toContainText('Why does Oslo build fail?');
      await page.getByLabel('Search all conversations').fill('Oslo');
      const hits = page.getByRole('list', { name: 'Matching turns' }).getByRole('button');
      await expect(hits).toHaveCount(1);
      await page.getByLabel('Profile').selectOption({ label: 'All profiles' });
      await expect(hits).toHaveCount(7);
    });

    it('searches every conversation, and opens a hit at its turn', async () => {
      userDataDir = prepared();
      harness = await startOn(userDataDir);
      const page = await harness.page('transcript');
      await showHistory(page);
      await page.getByLabel('Search all conversations').fill('OSLO');
      const hits = page.getByRole('list', { name: 'Matching turns' }).getByRole('button');
      await expect(hits).toHaveCount(6);
      const found = await hits.allTextContents();
      assert.match(found[0]!, /Weather question 1.*Gemini:\s*Sunny over Oslo, 1/s, 'the newest conversation first');
      assert.match(found[5]!, /Plan a trip to Oslo.*Gemini:\s*Oslo answer 2/s);
      await expect(hits.nth(3).locator('mark')).toHaveText('Oslo');

      await page.getByLabel('Search all conversations').fill('museums');
      await expect(hits).toHaveCount(1);
      await hits.first().click();
      await expect(page.getByTestId('opened-title')).toHaveText('Plan a trip to Oslo');
      await expect(page.locator('.highlighted article.entry')).toContainText('What about museums?');

      await page.getByRole('button', { name: '← All conversations' }).click();
      await page.getByLabel('Search all conversations').fill('nothing like this');
      await expect(page.getByText('No turn says “nothing like this”.')).toBeVisible();

      await page.getByLabel('Search all conversations').fill('weather question 2');
      await hits.first().click();
      await expect(page.getByTestId('opened-title')).toHaveText('Weather question 1');
      await expect(page.locator('.highlighted article.entry')).toContainText('Weather question 2');
    });

    it('deletes a conversation only after the user confirms; deleting the current one starts afresh', async () => {
      userDataDir = prepared();
      harness = await startOn(userDataDir);
      const page = await harness.page('transcript');
      await showHistory(page);
      const items = page.getByTestId('conversation');
      await items.nth(1).click();
      await expect(page.getByTestId('opened-title')).toHaveText('A recipe for pancakes');

      harness.appPort.confirmAnswer = false;
      await page.getByRole('button', { name: 'Delete…' }).click();
      await expect.poll(() => harness!.appPort.confirmations.length).toBe(1);
      const question = harness.appPort.confirmations[0]!;
      assert.equal(question.message, 'Delete this conversation?');
      assert.match(
        question.detail,
        /“A recipe for pancakes”, 2026-10-05 10:30, 1 turn\. It is removed from this computer for good\.$/,
      );
      assert.ok(existsSync(join(conversationsOf(userDataDir), `${made[1]!.id}.jsonl`)), 'declined: kept');
      await expect(page.getByTestId('opened-title')).toBeVisible();

      harness.appPort.confirmAnswer = true;
      await page.getByRole('button', { name: 'Delete…' }).click();
      await expect(page.getByTestId('notice')).toHaveText('Conversation deleted.');
      await expect(items).toHaveCount(2);
      assert.ok(!existsSync(join(conversationsOf(userDataDir), `${made[1]!.id}.jsonl`)));

      const current = harness.app.conversations.lane(assistantProfile).id;
      await items.first().click();
      await page.getByRole('button', { name: 'Delete…' }).click();
      await expect(items).toHaveCount(1);
      assert.match(harness.appPort.confirmations.at(-1)!.detail, /Gemini forgets it too, and a new one starts\./);
      assert.notEqual(harness.app.conversations.lane(assistantProfile).id, current);
      await expect(items).toContainText('Plan a trip to Oslo');
      await page.getByRole('tab', { name: 'Conversation' }).click();
      await expect(page.getByText('The conversation will appear here.')).toBeVisible();
    });
  });

  it('shows a 10,000-turn conversation, live and opened from History, with a bounded number of rows', async (t) => {
    userDataDir = mkdtempSync(join(tmpdir(), 'parley-history-'));
    const long = { id: '20261001-083000-0a0a0a', startedAt: Date.now() - 86_400_000, turns: 10_000 };
    writeConversationFile(conversationsOf(userDataDir), {
      ...long,
      text: (n, role) =>
        role === 'user' ? `Question ${n}` : `Answer ${n}. ${'Some longer reply text that wraps. '.repeat(n % 7)}`,
    });
    let started = performance.now();
    harness = await startOn(userDataDir);
    const page = await harness.page('transcript');
    // The conversation carried on from the last run: the live view starts at its end.
    await expect(page.locator(entries).last()).toContainText('Answer 10000.', { timeout: 15_000 });
    await expect(page.locator(entries).last()).toBeInViewport();
    const startMs = performance.now() - started;
    const liveRows = await page.locator(entries).count();
    assert.ok(liveRows > 5 && liveRows <= maxRows, `${liveRows} rows in the live view for 20,000 entries`);

    await showHistory(page);
    const item = page.getByTestId('conversation');
    await expect(item).toContainText('10000 turns');
    // The harness carries IPC over Playwright's bridge, far slower than Electron's structured clone: timed apart.
    const ipcMs = await page.evaluate(async (id) => {
      const start = performance.now();
      await window.parley.getConversation({ id });
      return performance.now() - start;
    }, long.id);

    started = performance.now();
    await item.click();
    const list = page.getByRole('region', { name: 'Saved conversation' });
    await expect(page.locator(entries).first()).toContainText('Question 1');
    await expect.poll(() => list.evaluate((el) => el.scrollHeight > el.clientHeight * 100)).toBe(true);
    const openMs = performance.now() - started;
    const rows = await page.locator(entries).count();
    assert.ok(rows > 5 && rows <= maxRows, `${rows} rows in the DOM for 20,000 entries`);

    started = performance.now();
    await list.focus();
    await page.keyboard.press('End');
    await expect(page.locator(entries).last()).toContainText('Answer 10000.');
    await expect(page.locator(entries).last()).toBeInViewport();
    const endMs = performance.now() - started;
    assert.ok((await page.locator(entries).count()) <= maxRows, 'still bounded at the end');

    await page.keyboard.press('Home');
    await expect(page.locator(entries).first()).toContainText('Question 1');
    await expect(page.locator(entries).first()).toBeInViewport();
    t.diagnostic(
      `10,000 turns: start to the live view's last turn ${startMs.toFixed(0)} ms (${liveRows} rows); ` +
        `History open to scrollable ${openMs.toFixed(0)} ms (${rows} rows), of which ~${ipcMs.toFixed(0)} ms ` +
        `reading and the harness's IPC bridge; End to the last turn ${endMs.toFixed(0)} ms`,
    );
  });
});
