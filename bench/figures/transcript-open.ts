import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { invokeChannels } from '../../shared/ipc/channels';
import { Harness } from '../../test/harness/harness';
import { writeConversationFile } from '../../test/support/conversation-files';

/**
 * Opening a stored conversation, part by part (ms, one value per opening):
 * the harness carries IPC over Playwright's JSON bridge, many times slower
 * than Electron's structured clone for a 20,000-entry reply, so the bridge is
 * timed apart and replaced by what Electron does in its place.
 */
export interface TranscriptOpenTimes {
  /** Main: the request in → the reply out (reading and parsing the file). */
  mainMs: number[];
  /** structuredClone of the reply in the page: Electron's IPC serializes and deserializes it this way. */
  cloneMs: number[];
  /** Renderer: the click's input event → the first frame with the conversation scrollable, reply at hand. */
  rendererMs: number[];
  /** main + clone + renderer: Parley's own time. */
  openMs: number[];
  /** For the record, once: the same click with the reply over the harness's bridge. */
  overBridgeMs: number;
}

const long = { id: '20261001-083000-0a0a0a', turns: 10_000 };

/**
 * A stored 10,000-turn conversation (and a newer short one, the current
 * conversation), opened `times` from the History view of the transcript
 * window and closed again.
 */
export async function measureTranscriptOpen(times: number): Promise<TranscriptOpenTimes> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'parley-bench-history-'));
  const conversations = join(userDataDir, 'conversations');
  writeConversationFile(conversations, {
    ...long,
    startedAt: Date.now() - 86_400_000,
    text: (n, role) =>
      role === 'user' ? `Question ${n}` : `Answer ${n}. ${'Some longer reply text that wraps. '.repeat(n % 7)}`,
  });
  writeConversationFile(conversations, {
    id: '20261101-083000-0b0b0b',
    startedAt: Date.now(),
    turns: 1,
    text: (_n, role) => (role === 'user' ? 'Small talk' : 'Indeed.'),
  });
  const harness = await Harness.start({ userDataDir, settings: { cues: false }, outputTap: false });
  try {
    const page = await harness.page('transcript');
    await page.bringToFront();
    await page.getByRole('tab', { name: 'History' }).click();
    const item = page.getByTestId('conversation').filter({ hasText: '10000 turns' });
    await item.waitFor();
    const open = async (): Promise<number> => {
      const [ms] = await Promise.all([untilScrollable(page), item.click()]);
      await page.getByRole('button', { name: '← All conversations' }).click();
      await item.waitFor();
      return ms;
    };
    const result: TranscriptOpenTimes = {
      mainMs: [],
      cloneMs: [],
      rendererMs: [],
      openMs: [],
      overBridgeMs: await open(),
    };
    for (let i = 0; i < times; i++) {
      const logged = harness.ipc.log.length;
      result.cloneMs.push(await fetchAndClone(page));
      const calls = harness.ipc.log.slice(logged).filter((record) => record.channel === invokeChannels.getConversation);
      result.mainMs.push(
        calls.find((r) => r.direction === 'reply')!.at - calls.find((r) => r.direction === 'invoke')!.at,
      );
      await serveFromPage(page, true);
      result.rendererMs.push(await open());
      await serveFromPage(page, false);
      result.openMs.push(result.mainMs[i]! + result.cloneMs[i]! + result.rendererMs[i]!);
    }
    return result;
  } finally {
    await harness.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

// The page scripts are strings: tsx would wrap their named inner functions with a helper the page lacks.

/** Fetches the conversation over the bridge into the page, then times a structured clone of it. */
function fetchAndClone(page: Page): Promise<number> {
  return page.evaluate<number>(`(async () => {
    window.__benchReply = await window.__parleyIpcInvoke('${invokeChannels.getConversation}', { id: '${long.id}' });
    const startedAt = performance.now();
    structuredClone(window.__benchReply);
    return performance.now() - startedAt;
  })()`);
}

/** While on, the page's getConversation calls get the fetched reply at once instead of crossing the bridge. */
function serveFromPage(page: Page, on: boolean): Promise<void> {
  return page.evaluate(`(() => {
    window.__benchBridge ??= window.__parleyIpcInvoke;
    window.__parleyIpcInvoke = ${on}
      ? (channel, payload) => channel === '${invokeChannels.getConversation}' ? Promise.resolve(window.__benchReply) : window.__benchBridge(channel, payload)
      : window.__benchBridge;
  })()`);
}

/**
 * Resolves with the ms from the next click's input event to the first
 * animation frame in which the saved conversation shows its first turn and
 * scrolls (its content over 100 screens tall).
 */
function untilScrollable(page: Page): Promise<number> {
  return page.evaluate<number>(`new Promise((resolve) => {
    let clickedAt;
    addEventListener('click', (event) => (clickedAt = event.timeStamp), { capture: true, once: true });
    function check() {
      const list = document.querySelector('[aria-label="Saved conversation"]');
      const first = list?.querySelector('article.entry')?.textContent ?? '';
      if (clickedAt !== undefined && first.includes('Question 1') && list.scrollHeight > list.clientHeight * 100) {
        resolve(performance.now() - clickedAt);
      } else requestAnimationFrame(check);
    }
    requestAnimationFrame(check);
  })`);
}
