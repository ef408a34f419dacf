import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { expect } from '../harness/expect';
import { flushIntervalMs } from '../../electron/main/transcripts/conversation-log';
import { parseConversation } from '../../electron/main/transcripts/records';
import { assistantProfile } from '../../shared/conversations';
import type { TranscriptEntry } from '../../shared/types';
import { startEmulator, type Emulator } from '../emulator/server';
import { Harness } from '../harness/harness';
import { wallClock } from '../harness/output-tap';
import { projectRoot } from '../harness/paths';

/**
 * Timer and disk latency on a busy machine, on top of the second the store
 * promises: generous, and still far short of the 8 s the long reply streams,
 * so a store that wrote only at the end of a turn would fail.
 */
const slackMs = 1_500;
/** How long the long reply has been streaming when the process dies (its first words must be due on disk by then). */
const killAfterMs = 3_000;
const story = Array.from({ length: 12 }, (_, i) => `Part ${i + 1} of the story goes on a little longer.`).join(' ');

interface Seen {
  entry: TranscriptEntry;
  at: number;
}

/** Processes running with this Chromium profile (Linux /proc), which Playwright starts in a process group of their own. */
function profileProcesses(profile: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(profile);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('crash safety', () => {
  let emulator: Emulator | undefined;
  let harness: Harness | undefined;
  let userDataDir: string | undefined;
  after(async () => {
    await harness?.close();
    await emulator?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('keeps every entry up to the last flush when main is killed mid-reply, and starts normally after', async (t) => {
    emulator = await startEmulator({
      scenario: {
        turns: [
          { reply: { text: 'Noted.', audio: { tone: { frequencyHz: 440, durationMs: 300 } } } },
          // Real-time pacing: the words stream in over eight seconds, as a long spoken answer does.
          { reply: { text: story, audio: { tone: { frequencyHz: 440, durationMs: 8_000 } } } },
        ],
      },
    });
    userDataDir = mkdtempSync(join(tmpdir(), 'parley-crash-'));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/harness/crash-child.ts',
        userDataDir,
        emulator.url,
        'Remember the number seven.',
        'Tell me a long story.',
      ],
      // Its own process group, so the kill takes everything it started with it.
      { cwd: projectRoot, detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const seen: Seen[] = [];
    let replied = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as { entry?: TranscriptEntry; at?: number; replied?: number };
      if (message.entry) seen.push({ entry: message.entry, at: message.at! });
      if (message.replied) replied = message.replied;
    });

    // The long reply: the newest model entry, streaming, once the first reply was done.
    const longReply = () =>
      replied >= 1 ? seen.findLast((s) => s.entry.role === 'model' && s.entry.text !== '') : undefined;
    const firstWords = () => seen.find((s) => s.entry.id === longReply()?.entry.id && s.entry.text !== '');
    await expect
      .poll(() => (firstWords() ? wallClock() - firstWords()!.at : 0), { timeout: 60_000, intervals: [20] })
      .toBeGreaterThanOrEqual(killAfterMs);
    const reply = longReply()!.entry;
    assert.equal(reply.state, 'streaming', 'killed mid-reply');
    const killedAt = wallClock();
    process.kill(-child.pid!, 'SIGKILL');
    await once(child, 'exit');
    // Chromium, in its own process group, goes once its pipe to the dead process closes, as renderers die with Electron.
    const profile = join(userDataDir, 'chromium');
    await expect.poll(() => profileProcesses(profile).length, { timeout: 10_000 }).toBe(0);

    const [name, ...others] = readdirSync(join(userDataDir, 'conversations')).filter((f) => f.endsWith('.jsonl'));
    assert.deepEqual(others, []);
    const file = parseConversation(readFileSync(join(userDataDir, 'conversations', name!)));
    assert.ok(file.header, 'the file says what it is');
    assert.equal(file.badLines, file.tornTail ? 1 : 0, 'every line parses but a torn last one');
    const onDisk = new Map(file.entries.map((entry) => [entry.id, entry]));

    // Everything seen more than a second before the kill is on disk, at least as far as it was then.
    const due = seen.filter((s) => s.at <= killedAt - flushIntervalMs - slackMs);
    for (const { entry, at } of due) {
      const saved = onDisk.get(entry.id);
      assert.ok(saved, `entry ${entry.id} seen ${killedAt - at} ms before the kill is on disk`);
      assert.ok(
        saved.text.startsWith(entry.text),
        `entry ${entry.id} on disk holds what was seen ${killedAt - at} ms before`,
      );
      if (entry.state !== 'streaming') assert.equal(saved.state, entry.state);
    }
    const savedReply = onDisk.get(reply.id)!;
    assert.equal(savedReply.state, 'streaming', 'the reply was written while it streamed, not only at its end');
    assert.ok(
      due.some((s) => s.entry.id === reply.id && s.entry.text !== ''),
      'the check covered the streaming reply',
    );
    const newestSaved = seen.findLast((s) => s.entry.id === reply.id && s.entry.text === savedReply.text)!;
    t.diagnostic(
      `${seen.length} entry updates seen, ${due.length} due on disk by the kill; the reply on disk is the version seen ` +
        `${(killedAt - newestSaved.at).toFixed(0)} ms before the kill (${savedReply.text.length} of ${reply.text.length} characters)`,
    );

    harness = await Harness.start({
      userDataDir,
      env: { PARLEY_LIVE_URL: emulator.url, GEMINI_API_KEY: 'test-key' },
      settings: { cues: false },
    });
    const page = await harness.page('transcript');
    await expect(page.getByTestId('entry-model')).toHaveCount(2);
    const cut = page.getByTestId('entry-model').last();
    await expect(cut).toHaveAttribute('data-state', 'interrupted');
    await expect(cut.locator('.text')).toHaveText(savedReply.text);
    await expect(cut).toContainText('Parley closed before this was finished.');
    assert.deepEqual(harness.app.conversations.lane(assistantProfile).repaired, {
      badLines: file.badLines,
      tornTail: file.tornTail,
      interrupted: 1,
    });

    // Whichever turn the resumed conversation counts this as, a short answer.
    const back = { reply: { text: 'I am back.', audio: { tone: { frequencyHz: 440, durationMs: 300 } } } };
    await emulator.loadScenario({ turns: [back, back, back, back] });
    await page.getByLabel('Message').fill('Are you back?');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByTestId('entry-model')).toHaveCount(3);
    await expect(page.getByTestId('entry-model').last()).toHaveAttribute('data-state', 'done', { timeout: 15_000 });
    await expect(page.getByTestId('entry-model').last().locator('.text')).toHaveText('I am back.');
    assert.equal(harness.app.conversations.list().length, 1, 'the same conversation carries on');
  });
});
