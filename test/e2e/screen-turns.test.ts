import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { assistantProfile } from '../../shared/conversations';
import type { RecordedFrame } from '../emulator/recorder';
import type { ScenarioInput } from '../emulator/scenario';
import { startEmulator, type Emulator } from '../emulator/server';
import { Conversation } from '../harness/conversation';
import { Harness } from '../harness/harness';
import { expect } from '../harness/expect';
import { assertFrameShows, desktop, DESKTOP_COLOURS } from '../support/screen-pictures';

/** Replies and frames come within this on any machine, however busy. */
const generous = { timeout: 20_000 };
const screenKeys = 'ctrl+alt+shift+space';

/** The screen before, and after it changes during the turn (the same panels, other colours). */
const before1 = desktop(1920, 1080);
const later = desktop(1920, 1080, [...DESKTOP_COLOURS].reverse());

type Message = { realtimeInput?: { video?: { data: string; mimeType: string } } & Record<string, unknown> };
const kindOf = (frame: RecordedFrame) => {
  const message = frame.message as Message & { setup?: unknown; clientContent?: unknown; toolResponse?: unknown };
  if (message.setup) return 'setup';
  return Object.keys(message.realtimeInput ?? message)[0] ?? '?';
};
const videoOf = (frame: RecordedFrame) => (frame.message as Message).realtimeInput?.video;
const turnComplete = (frame: RecordedFrame) =>
  frame.direction === 'out' && /"turnComplete":true/.test(JSON.stringify(frame.message));

describe('a turn that shows the screen, end to end', () => {
  let talk: Conversation;
  before(async () => {
    talk = await Conversation.start({
      screens: [{ id: 'screen:1:0', name: 'Screen 1', displayId: '1', picture: before1 }],
      settings: { mediaResolution: 'MEDIA_RESOLUTION_LOW', showTranscriptOnReply: true },
      emulator: {
        scenario: {
          turns: [
            {
              reply: {
                inputTranscription: 'what is this',
                outputTranscription: 'I saw {frames} frames, the last {lastFrame}',
              },
            },
            { reply: { inputTranscription: 'and now', outputTranscription: 'Voice only this time' } },
          ],
        },
      },
    });
  });
  after(() => talk.close());

  it('sends the screen inside the activity: first right after activityStart, at most one a second, none after; each a JPEG showing the screen', async () => {
    const transcript = await talk.harness.page('transcript');
    await talk.keyDown(screenKeys);
    // The header says so (where Parley's windows can stay on screen: Windows); here, on Linux, the
    // windows hide from the capture and the tray's eye is what the user sees.
    await expect(transcript.getByTestId('seeing-screen')).toBeVisible(generous);
    assert.equal(talk.harness.window('transcript').visible, false, 'out of the pictures');
    await sleep(1500);
    // The screen changes while the key is held: a later frame shows it.
    await talk.harness.displayMedia.show('screen:1:0', later);
    await sleep(1500);
    await talk.keyUp(screenKeys);
    await talk.emulator.waitForFrame(turnComplete, generous.timeout);

    const sent = talk.emulator.connection().frames('in');
    const kinds = sent.map(kindOf);
    const start = kinds.indexOf('activityStart');
    const end = kinds.indexOf('activityEnd');
    assert.equal(
      kinds[start + 1],
      'video',
      `the first frame right after activityStart: ${kinds.slice(start, start + 6).join(', ')}`,
    );
    const videos = sent.flatMap((frame, i) => (videoOf(frame) ? [{ frame, i }] : []));
    assert.ok(
      videos.every(({ i }) => i > start && i < end),
      'no frame outside the activity',
    );
    const activitySeconds = (sent[end]!.t - sent[start]!.t) / 1000;
    assert.ok(videos.length >= 2, `${videos.length} frames in a 3 s turn`);
    assert.ok(
      videos.length <= 1 + Math.ceil(activitySeconds),
      `${videos.length} frames in ${activitySeconds.toFixed(1)} s: at most one a second`,
    );

    const jpegs = videos.map(({ frame }) => {
      const video = videoOf(frame)!;
      assert.equal(video.mimeType, 'image/jpeg');
      return new Uint8Array(Buffer.from(video.data, 'base64'));
    });
    // Each a 768×432 JPEG (LOW) decoded back to the screen's panels: the first before the change, the last after.
    assertFrameShows(jpegs[0]!, before1, 'MEDIA_RESOLUTION_LOW');
    assertFrameShows(jpegs.at(-1)!, later, 'MEDIA_RESOLUTION_LOW');
    // Those between show one screen or the other, whichever was up when they were taken.
    for (const jpeg of jpegs.slice(1, -1)) {
      try {
        assertFrameShows(jpeg, before1, 'MEDIA_RESOLUTION_LOW');
      } catch {
        assertFrameShows(jpeg, later, 'MEDIA_RESOLUTION_LOW');
      }
    }

    // The capture is closed, the header and tray no longer say the screen is seen.
    await expect(transcript.getByTestId('seeing-screen')).toHaveCount(0, generous);
    assert.equal(talk.harness.window('transcript').visible, true, 'back after the turn');
    assert.equal(talk.harness.window('transcript').focused, false, 'without taking the focus');
    assert.deepEqual(await talk.harness.displayMedia.tracks().then((t) => t.live), 0);
    assert.notEqual(talk.harness.tray.icon, 'seeing');
    assert.ok(talk.harness.tray.icons.includes('seeing'), 'the tray showed the eye meanwhile');

    // Gemini's reply shows it saw them, the turn shows each picture and what they cost.
    const reply = transcript.getByTestId('entry-model').first();
    await expect(reply).toContainText(`I saw ${videos.length} frames, the last 768×432 JPEG`, generous);
    const user = transcript.getByTestId('entry-user').first();
    await expect(user.getByTestId('screen-picture')).toHaveCount(videos.length);
    await expect(transcript.getByTestId('image-tokens').first()).toContainText(String(64 * videos.length));

    // Kept next to the conversation, byte for byte what Gemini got.
    const conversation = talk.harness.app.conversations.lane(assistantProfile).id;
    const folder = join(talk.harness.userDataDir, 'conversations', `${conversation}.pictures`);
    await expect.poll(() => (existsSync(folder) ? readdirSync(folder).length : 0)).toBe(videos.length);
  });

  it('shows each picture on its turn, and deleting the conversation deletes them from the disk', async () => {
    const transcript = await talk.harness.page('transcript');
    const thumbnails = transcript.getByTestId('entry-user').first().getByTestId('screen-picture');
    const count = await thumbnails.count();
    assert.ok(count >= 2);
    // The thumbnail is the picture Gemini got: a 768×432 JPEG, shown at its own aspect.
    const size = await thumbnails.first().evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    assert.deepEqual(size, [768, 432]);
    await thumbnails.first().click();
    await expect(transcript.getByTestId('entry-user').first().locator('button[aria-expanded="true"]')).toHaveCount(1);

    const conversation = talk.harness.app.conversations.lane(assistantProfile).id;
    const folder = join(talk.harness.userDataDir, 'conversations', `${conversation}.pictures`);
    assert.equal(readdirSync(folder).length, count);
    await transcript.getByRole('tab', { name: 'History' }).click();
    await transcript.getByTestId('conversation').first().click();
    await expect(transcript.getByTestId('screen-picture')).toHaveCount(count, generous);
    talk.harness.appPort.confirmAnswer = true;
    await transcript.getByRole('button', { name: 'Delete…' }).click();
    await expect(transcript.getByTestId('notice')).toHaveText('Conversation deleted.', generous);
    assert.equal(existsSync(folder), false, 'the pictures went with the conversation');
  });
});

describe('the focused window instead of the display', () => {
  let talk: Conversation | undefined;
  after(() => talk?.close());

  it('shows the window that has the focus, as the window manager says, when the user chose it', async () => {
    talk = await Conversation.start({
      settings: { screen: { enabled: true, accelerator: 'Control+Alt+Shift+Space', target: 'window' } },
      emulator: { scenario: { turns: [{ reply: { outputTranscription: 'I saw {lastFrame}' } }] } },
    });
    const editor = desktop(1280, 800, [...DESKTOP_COLOURS].reverse());
    const xid = 0x4a00007;
    talk.harness.displayMedia.setWindows([{ id: `window:${xid}:0`, name: 'Editor', picture: editor }]);
    // What a window manager does when the editor gets the focus.
    await promisify(execFile)('xprop', [
      ...['-display', talk.display, '-root', '-f', '_NET_ACTIVE_WINDOW', '32x'],
      ...['-set', '_NET_ACTIVE_WINDOW', `0x${xid.toString(16)}`],
    ]);
    await talk.keyDown(screenKeys);
    await sleep(1200);
    await talk.keyUp(screenKeys);
    await talk.emulator.waitForFrame(turnComplete, generous.timeout);
    const videos = talk.emulator
      .connection()
      .frames('in')
      .flatMap((frame) => videoOf(frame) ?? []);
    assert.ok(videos.length >= 1);
    // The editor's own pixels at the default resolution (MEDIUM: 1024 px on the long side), not the display's.
    for (const video of videos) assertFrameShows(new Uint8Array(Buffer.from(video.data, 'base64')), editor, undefined);
    assert.equal(talk.harness.displayMedia.requests.at(-1)?.screenId, `window:${xid}:0`);
    const transcript = await talk.harness.page('transcript');
    await expect(transcript.getByTestId('entry-model').first()).toContainText('I saw 1024×640 JPEG', generous);
  });
});

describe('when the screen cannot be seen', () => {
  let talk: Conversation | undefined;
  afterEach(async () => {
    await talk?.close();
    talk = undefined;
  });

  const heardReply = { reply: { inputTranscription: 'what is this', outputTranscription: 'I saw {frames} frames' } };

  async function screenTurn(conversation: Conversation): Promise<Page> {
    const transcript = await conversation.harness.page('transcript');
    await conversation.keyDown(screenKeys);
    await sleep(1500);
    await conversation.keyUp(screenKeys);
    return transcript;
  }

  it('a capture the system refuses leaves the turn voice only, and says why and what to do', async () => {
    talk = await Conversation.start({ emulator: { scenario: { turns: [heardReply] } } });
    const problem = 'macOS has not allowed Parley to record the screen. Allow it in System Settings.';
    talk.harness.displayMedia.problem = problem;
    const transcript = await screenTurn(talk);
    await expect(transcript.getByTestId('entry-model').first()).toContainText('I saw 0 frames', generous);
    const user = transcript.getByTestId('entry-user').first();
    await expect(user.locator('.note')).toHaveText(`Voice only: Gemini did not see the screen. ${problem}`);
    const sent = talk.emulator.connection().frames('in').map(kindOf);
    assert.ok(sent.includes('audio'), 'the words went');
    assert.ok(!sent.includes('video'), 'no picture went');
    assert.equal((await talk.harness.displayMedia.tracks()).live, 0);
  });

  it('with screen sharing off, the screen hotkey is push to talk with Alt held and shows nothing, and Gemini is offered no look_at_screen', async () => {
    talk = await Conversation.start({
      settings: { screen: { enabled: false, accelerator: 'Control+Alt+Shift+Space', target: 'display' } },
      emulator: { scenario: { turns: [heardReply] } },
    });
    await talk.keyDown(screenKeys);
    await sleep(800);
    await talk.keyUp(screenKeys);
    await talk.emulator.waitForFrame(turnComplete, generous.timeout);
    const sent = talk.emulator.connection().frames('in');
    assert.equal(sent.map(kindOf).filter((kind) => kind === 'activityStart').length, 1, 'a voice turn');
    assert.ok(!sent.some((frame) => videoOf(frame)), 'no picture');
    assert.equal(talk.harness.tray.icons.includes('seeing'), false, 'the tray never said the screen was seen');
    assert.equal(talk.harness.displayMedia.requests.length, 0, 'no capture was even asked for');
    const setup = JSON.stringify(sent[0]!.message);
    assert.ok(setup.includes('get_current_time'), 'tools are declared');
    assert.ok(!setup.includes('look_at_screen'), 'but not look_at_screen');
  });
});

describe('look_at_screen: Gemini asks to see the screen', () => {
  /** A model that waits for its calls: the card holds the reply until the user answers. */
  const blockingModel = 'gemini-3.1-flash-live-preview';
  const look = {
    toolCalls: [{ name: 'look_at_screen' }],
    reply: { text: 'On the screen: {lastFrame}', audio: 'none' as const },
  };
  let harness: Harness | undefined;
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await harness?.close();
    await emulator?.close();
    harness = emulator = undefined;
  });

  async function ask(turns: ScenarioInput['turns']): Promise<Page> {
    emulator = await startEmulator({ pacing: { mode: 'fast' }, scenario: { turns } });
    harness = await Harness.start({
      env: { PARLEY_LIVE_URL: emulator.url, GEMINI_API_KEY: 'test-key' },
      settings: { cues: false, model: blockingModel },
    });
    const page = await harness.page('transcript');
    await page.getByLabel('Message').fill('What does this error say?');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByTestId('tool-approval')).toContainText('look_at_screen', generous);
    assert.equal(harness.displayMedia.requests.length, 0, 'nothing is captured before the user answers');
    return page;
  }

  const sentVideos = () =>
    emulator!
      .connection()
      .frames('in')
      .filter((frame) => videoOf(frame) !== undefined);
  const toolResponses = () =>
    emulator!
      .connection()
      .frames('in')
      .flatMap((frame) => {
        const message = frame.message as {
          toolResponse?: { functionResponses: { response: Record<string, unknown> }[] };
        };
        return message.toolResponse?.functionResponses ?? [];
      });

  it('allowed: one picture goes as video just before the result, Gemini sees it, and the turn shows it', async () => {
    const page = await ask([look]);
    await page.getByTestId('tool-approval').getByRole('button', { name: 'Allow once' }).click();
    await expect(page.getByTestId('entry-model')).toContainText('On the screen: 1024×576 JPEG', generous);
    const frames = emulator!.connection().frames('in');
    const video = frames.findIndex((frame) => videoOf(frame) !== undefined);
    const answer = frames.findIndex((frame) => 'toolResponse' in (frame.message as object));
    assert.ok(video >= 0 && video < answer, 'the picture before the result');
    assert.equal(sentVideos().length, 1, 'one picture');
    assertFrameShows(
      new Uint8Array(Buffer.from(videoOf(frames[video]!)!.data, 'base64')),
      harness!.displayMedia.testScreens[0]!.picture,
      undefined,
    );
    assert.deepEqual((toolResponses()[0]!.response.output as { status: string }).status, 'sent');
    await expect(page.getByTestId('entry-user').getByTestId('screen-picture')).toHaveCount(1);
    assert.equal((await harness!.displayMedia.tracks()).live, 0, 'the capture closed at once');
  });

  it('denied: nothing is captured and Gemini hears that the user declined', async () => {
    const page = await ask([look]);
    await page.getByTestId('tool-approval').getByRole('button', { name: 'Deny' }).click();
    await expect(page.getByTestId('entry-tool')).toHaveAttribute('data-state', 'denied', generous);
    await expect.poll(() => toolResponses().length).toBe(1);
    assert.match(String(toolResponses()[0]!.response.error), /user declined/);
    assert.equal(harness!.displayMedia.requests.length, 0);
    assert.equal(sentVideos().length, 0);
  });

  it('cancelled: the user moves on while the card waits; nothing is captured or sent', async () => {
    const page = await ask([look, { reply: { text: 'Something else, then.', audio: 'none' } }]);
    await page.getByLabel('Message').fill('Never mind.');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByTestId('tool-approval')).toHaveCount(0, generous);
    await expect(page.getByTestId('entry-tool')).toHaveAttribute('data-state', 'cancelled', generous);
    await expect(page.getByTestId('entry-model').last()).toContainText('Something else, then.', generous);
    assert.equal(harness!.displayMedia.requests.length, 0);
    assert.equal(sentVideos().length, 0);
  });
});
