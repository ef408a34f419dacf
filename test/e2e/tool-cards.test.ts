import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { eventChannels } from '../../shared/ipc/channels';
import type { TranscriptEntry } from '../../shared/types';
import type { ScenarioInput } from '../emulator/scenario';
import { startEmulator, type Emulator } from '../emulator/server';
import { expect } from '../harness/expect';
import { Harness } from '../harness/harness';
import { defaultProfile } from '../../electron/main/settings/defaults';
import type { SessionTuning } from '../../electron/main/session/session-tuning';

/** A model that waits for every result, so each card holds the reply until the user answers. */
const blockingModel = 'gemini-3.1-flash-live-preview';
/** Replies, cards and rows come within this on any machine, however busy. */
const generous = { timeout: 15_000 };

const copyHello = { toolCalls: [{ name: 'copy_to_clipboard', args: { text: 'hello' } }] };

describe('tool calls in the transcript window', () => {
  let harness: Harness | undefined;
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await harness?.close();
    await emulator?.close();
    harness = emulator = undefined;
  });

  async function start(scenario: ScenarioInput, tuning?: Partial<SessionTuning>): Promise<Page> {
    emulator = await startEmulator({ pacing: { mode: 'fast' }, scenario });
    harness = await Harness.start({
      env: { PARLEY_LIVE_URL: emulator.url, GEMINI_API_KEY: 'test-key' },
      settings: { cues: false, model: blockingModel },
      ...(tuning ? { tuning } : {}),
    });
    return harness.page('transcript');
  }

  async function type(page: Page, text: string): Promise<void> {
    await page.getByLabel('Message').fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  }

  /** What Parley answered Gemini for a call. */
  const responseTo = async (callId: string) => {
    const frame = await emulator!.waitForFrame(
      (frame) =>
        frame.direction === 'in' &&
        (
          frame.message as { toolResponse?: { functionResponses?: { id?: string }[] } }
        ).toolResponse?.functionResponses?.some((response) => response.id === callId) === true,
      generous.timeout,
    );
    const responses = (frame.message as { toolResponse: { functionResponses: FunctionResponse[] } }).toolResponse
      .functionResponses;
    return responses.find((response) => response.id === callId)!;
  };
  const answersSent = () =>
    emulator!.frames({ direction: 'in' }).filter((frame) => 'toolResponse' in (frame.message as object)).length;

  /** Every state a call's entry went through, as main sent them to the window. */
  const statesOf = (entryId: number) =>
    harness!.ipc.log
      .filter((record) => record.direction === 'event' && record.channel === eventChannels.transcriptEntry)
      .map((record) => record.payload as TranscriptEntry)
      .filter((entry) => entry.id === entryId)
      .map((entry) => entry.tool!.state);

  const savedTools = () =>
    (
      JSON.parse(readFileSync(join(harness!.userDataDir, 'settings.json'), 'utf8')) as {
        profiles: { tools: { permissions: Record<string, string> } }[];
      }
    ).profiles[0]!.tools;

  it('asks before a tool that writes, and Allow once runs it: the clipboard gets the text, Gemini the result', async () => {
    const page = await start({ turns: [copyHello] });
    await type(page, 'Copy hello for me');
    const card = page.getByTestId('tool-approval');
    await expect(card).toBeVisible(generous);
    await expect(card).toContainText('copy_to_clipboard');
    await expect(page.getByTestId('approval-args')).toHaveText(JSON.stringify({ text: 'hello' }, null, 2));
    await expect(page.getByTestId('approval-countdown')).toContainText(/answers Deny in \d+ s/);
    await expect(page.getByTestId('entry-tool')).toHaveAttribute('data-state', 'approval');
    assert.deepEqual(harness!.clipboard.texts, [], 'nothing runs before the user answers');
    assert.equal(harness!.window('transcript').visible, true, 'the card is shown');

    await card.getByRole('button', { name: 'Allow once' }).click();
    await expect(card).toHaveCount(0);
    const row = page.getByTestId('entry-tool');
    await expect(row).toHaveAttribute('data-state', 'done', generous);
    await expect(row.getByTestId('tool-state')).toHaveText('done');
    await expect(row.getByTestId('tool-duration')).toHaveText(/^\d+(\.\d)? s$/);
    // Folded until the user opens it.
    await expect(row.getByTestId('tool-result').locator('pre')).toBeHidden();
    await row.getByText('Result').click();
    await expect(row.getByTestId('tool-result').locator('pre')).toContainText('"status": "copied"');
    assert.deepEqual(harness!.clipboard.texts, ['hello']);
    const answer = await responseTo('call-0-0');
    assert.deepEqual(answer.response, { output: { status: 'copied', characters: 5 } });
    await expect(page.getByTestId('entry-model')).toHaveCount(1, generous);
    assert.equal(savedTools().permissions.copy_to_clipboard, undefined, 'Allow once changes no setting');
  });

  it('Always allow runs the call and every later one without asking, and Settings keeps the choice', async () => {
    // The same call both times: the second turn is scripted alike whether or not the session was renewed meanwhile.
    const page = await start({ turns: [copyHello, copyHello] });
    await type(page, 'Copy hello');
    await page.getByTestId('tool-approval').getByRole('button', { name: 'Always allow' }).click();
    await expect(page.getByTestId('entry-tool')).toHaveAttribute('data-state', 'done', generous);
    await expect(page.getByTestId('entry-model')).toHaveCount(1, generous);
    await expect.poll(() => savedTools().permissions.copy_to_clipboard).toBe('always');

    await type(page, 'Copy it again');
    const second = page.getByTestId('entry-tool').nth(1);
    await expect(second).toHaveAttribute('data-state', 'done', generous);
    assert.deepEqual(harness!.clipboard.texts, ['hello', 'hello']);
    const secondEntry = harness!.app.transcript.all().findLast((entry) => entry.role === 'tool')!;
    const states = statesOf(secondEntry.id);
    assert.ok(states.length > 0 && !states.includes('approval'), `no card the second time: ${states.join(', ')}`);
    await expect(page.getByTestId('tool-approval')).toHaveCount(0);
  });

  it('Deny runs nothing and tells Gemini the user declined', async () => {
    const page = await start({ turns: [copyHello] });
    await type(page, 'Copy hello');
    await page.getByTestId('tool-approval').getByRole('button', { name: 'Deny' }).click();
    const row = page.getByTestId('entry-tool');
    await expect(row).toHaveAttribute('data-state', 'denied', generous);
    await expect(row.getByTestId('tool-state')).toHaveText('denied');
    await expect(row.getByTestId('tool-result')).toHaveText('The user declined this call.');
    const answer = await responseTo('call-0-0');
    assert.match((answer.response as { error: string }).error, /user declined/);
    assert.deepEqual(harness!.clipboard.texts, []);
  });

  it('no answer in time counts as Deny', async () => {
    // The real wait is 60 s; two seconds go through the same countdown and timer without a minute of idling.
    const page = await start({ turns: [copyHello] }, { approvalTimeoutMs: 2000 });
    await type(page, 'Copy hello');
    await expect(page.getByTestId('approval-countdown')).toHaveText(/answers Deny in [12] s/, generous);
    const row = page.getByTestId('entry-tool');
    await expect(row).toHaveAttribute('data-state', 'denied', generous);
    await expect(page.getByTestId('tool-approval')).toHaveCount(0);
    await expect(row.getByTestId('tool-result')).toContainText('did not answer within 2 s');
    const answer = await responseTo('call-0-0');
    assert.match((answer.response as { error: string }).error, /did not answer/);
    assert.deepEqual(harness!.clipboard.texts, []);
  });

  it('a card is withdrawn when the user moves on: the call shows cancelled and is never answered', async () => {
    const page = await start({ turns: [copyHello] });
    await type(page, 'Copy hello');
    await expect(page.getByTestId('tool-approval')).toBeVisible(generous);
    await type(page, 'Never mind, something else');
    await expect(page.getByTestId('tool-approval')).toHaveCount(0, generous);
    const row = page.getByTestId('entry-tool');
    await expect(row).toHaveAttribute('data-state', 'cancelled');
    await expect(row.getByTestId('tool-result')).toContainText('cancelled');
    assert.equal(answersSent(), 0, 'a cancelled call gets no answer');
    assert.deepEqual(harness!.clipboard.texts, []);
  });

  it('works with the keyboard alone: the card takes the focus, Tab moves along it, Enter allows, Escape denies', async () => {
    const page = await start({
      turns: [copyHello, { toolCalls: [{ name: 'copy_to_clipboard', args: { text: 'no' } }] }],
    });
    const message = page.getByLabel('Message');
    await message.focus();
    await page.keyboard.type('Copy hello');
    await page.keyboard.press('Enter');
    const card = page.getByTestId('tool-approval');
    const allowOnce = card.getByRole('button', { name: 'Allow once' });
    await expect(allowOnce).toBeFocused(generous);
    await page.keyboard.press('Tab');
    await expect(card.getByRole('button', { name: 'Always allow' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(card.getByRole('button', { name: 'Deny' })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await expect(allowOnce).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('entry-tool')).toHaveAttribute('data-state', 'done', generous);
    // The keyboard keeps its place on the row the card was in.
    await expect(page.getByTestId('entry-tool')).toBeFocused();
    await expect(page.getByTestId('entry-model')).toHaveCount(1, generous);

    await message.focus();
    await page.keyboard.type('Copy no');
    await page.keyboard.press('Enter');
    await expect(allowOnce).toBeFocused(generous);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('entry-tool').nth(1)).toHaveAttribute('data-state', 'denied', generous);
    assert.deepEqual(harness!.clipboard.texts, ['hello']);
  });

  it('a card never takes the keyboard from a window the user is not in', async () => {
    const page = await start({ turns: [copyHello] });
    const message = page.getByLabel('Message');
    // Playwright's pages all act focused; this is the window as it is when the user works in another app.
    await page.evaluate(() => (document.hasFocus = () => false));
    await message.focus();
    await page.keyboard.type('Copy hello');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('tool-approval')).toBeVisible(generous);
    await expect(message).toBeFocused();
    await expect(page.getByTestId('tool-approval').getByRole('button', { name: 'Allow once' })).not.toBeFocused();
  });

  it('keeps calls in the conversation: History shows them, and the Markdown export writes each on lines of its own', async () => {
    const page = await start({
      turns: [copyHello, { toolCalls: [{ name: 'open_url', args: { url: 'file:///etc/passwd' } }] }],
    });
    await type(page, 'Copy hello');
    await page.getByTestId('tool-approval').getByRole('button', { name: 'Allow once' }).click();
    await expect(page.getByTestId('entry-model')).toHaveCount(1, generous);
    await expect.poll(() => harness!.app.status.current.state, generous).toBe('idle');
    await type(page, 'Open my passwords');
    await page.getByTestId('tool-approval').getByRole('button', { name: 'Deny' }).click();
    await expect(page.getByTestId('entry-model')).toHaveCount(2, generous);

    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByTestId('conversation').click();
    const saved = page.getByTestId('entry-tool');
    await expect(saved).toHaveCount(2);
    await expect(saved.nth(0)).toHaveAttribute('data-state', 'done');
    await expect(saved.nth(1)).toHaveAttribute('data-state', 'denied');
    await expect(saved.nth(1).getByTestId('tool-result')).toHaveText('The user declined this call.');

    await page.getByRole('button', { name: 'Export as Markdown…' }).click();
    await expect(page.getByTestId('notice')).toContainText('Saved as');
    const markdown = readFileSync(harness!.saveDialog.saved[0]!, 'utf8');
    assert.match(
      markdown,
      /\*\*Tool\*\* · \d\d:\d\d:\d\d · ` copy_to_clipboard `: done, \d+\.\d s\n\nArguments:\n\n```json\n\{\n {2}"text": "hello"\n\}\n```\n\nResult:\n\n```\n\{\n {2}"status": "copied",\n {2}"characters": 5\n\}\n```\n/,
    );
    assert.match(
      markdown,
      /\*\*Tool\*\* · \d\d:\d\d:\d\d · ` open_url `: denied\n\nArguments:\n\n```json\n\{\n {2}"url": "file:\/\/\/etc\/passwd"\n\}\n```\n\nResult:\n\n```\nThe user declined this call\.\n```\n/,
    );
  });

  it('lists what Google Search looked for and the sources under the reply; a source opens in the browser, never in the window', async () => {
    emulator = await startEmulator({
      pacing: { mode: 'fast' },
      scenario: {
        turns: [
          {
            reply: {
              text: 'Sunny, 24 degrees.',
              grounding: {
                queries: ['weather Lisbon', 'Lisbon forecast'],
                sources: [
                  { title: 'Météo <b>Lisbon</b>', uri: 'https://example.org/meteo' },
                  { title: 'A trap', uri: 'javascript:alert(1)' },
                ],
              },
            },
          },
        ],
      },
    });
    harness = await Harness.start({
      env: { PARLEY_LIVE_URL: emulator.url, GEMINI_API_KEY: 'test-key' },
      settings: { cues: false, model: blockingModel, tools: { ...defaultProfile.tools, googleSearch: true } },
    });
    const page = await harness.page('transcript');
    const address = page.url();
    await type(page, 'Weather in Lisbon?');
    const reply = page.getByTestId('entry-model');
    await expect(reply.getByTestId('search-queries')).toHaveText('Searched: weather Lisbon, Lisbon forecast', generous);
    const sources = reply.getByTestId('source');
    await expect(sources).toHaveCount(2);
    await expect(sources.nth(0)).toContainText('Météo <b>Lisbon</b>');
    await expect(sources.nth(0)).toContainText('example.org');

    await sources.nth(0).getByRole('link').click();
    await expect.poll(() => harness!.desktop.opened).toEqual(['https://example.org/meteo']);
    await sources.nth(1).getByRole('link').click();
    await expect(page.getByRole('alert')).toContainText('Only http and https addresses can be opened');
    assert.deepEqual(harness.desktop.opened, ['https://example.org/meteo'], 'nothing else opened');
    assert.equal(page.url(), address, 'the window never navigated');
    assert.equal(await page.locator('main b').count(), 0);
  });

  it('shows what tools and Gemini say as text, never as HTML, and a refused address as a failed call', async () => {
    const html = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
    const page = await start({
      turns: [
        {},
        { toolCalls: [{ name: 'search_conversations', args: { query: 'onerror' } }] },
        { toolCalls: [{ name: 'open_url', args: { url: 'javascript:alert(1)//<b>bold</b>' } }] },
      ],
    });
    await type(page, html);
    await expect(page.getByTestId('entry-model')).toHaveCount(1, generous);
    await expect.poll(() => harness!.app.status.current.state, generous).toBe('idle');

    await type(page, 'Find what I wrote');
    const search = page.getByTestId('entry-tool').first();
    await expect(search).toHaveAttribute('data-state', 'done', generous);
    await search.getByText('Result').click();
    await expect(search.getByTestId('tool-result').locator('pre')).toContainText('<img src=x onerror=');
    await expect(page.getByTestId('entry-model')).toHaveCount(2, generous);
    await expect.poll(() => harness!.app.status.current.state, generous).toBe('idle');

    await type(page, 'Open it');
    const card = page.getByTestId('tool-approval');
    await expect(page.getByTestId('approval-args')).toContainText('<b>bold</b>', generous);
    await card.getByRole('button', { name: 'Allow once' }).click();
    const open = page.getByTestId('entry-tool').nth(1);
    await expect(open).toHaveAttribute('data-state', 'failed', generous);
    await expect(open.getByTestId('tool-result')).toHaveText(
      'Only http and https addresses can be opened, not javascript: ones.',
    );
    assert.deepEqual(harness!.desktop.opened, [], 'nothing opened');
    assert.equal(await page.locator('main img, main script, main b').count(), 0, 'no element came from the text');
    assert.equal(await page.evaluate(() => (window as { pwned?: number }).pwned), undefined, 'no script ran');
  });
});

interface FunctionResponse {
  id: string;
  name: string;
  response: unknown;
}
