import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { frameSize, type MediaResolutionSetting } from '../../shared/frame-size';
import { eventChannels, sendChannels } from '../../shared/ipc/channels';
import type { EventPayload } from '../../shared/ipc/contract';
import type { ScreenFailed, ScreenFrame } from '../../shared/screen-frame';
import { expect } from '../harness/expect';
import { Harness } from '../harness/harness';
import { assertFrameShows, desktop, DESKTOP_COLOURS } from '../support/screen-pictures';

type ScreenEvent = 'screenOpen' | 'screenGrab' | 'screenClose';
/** What the audio page sent main for a grab (or, without a grab id, for the open). */
type Answer = { frame: ScreenFrame } | { failed: ScreenFailed };

const LOW = 'MEDIA_RESOLUTION_LOW';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the audio page captures the screen when main asks', () => {
  let harness: Harness;
  const screen = { id: 'screen:7:0', name: 'Built-in display', displayId: '7', picture: desktop(2560, 1440) };
  /** The screen the answerer gives the page; undefined refuses the capture. */
  let chosen: string | undefined;
  /** How long the answerer takes: an open still under way meanwhile. */
  let answerDelayMs = 0;
  let nextGrabId = 0;

  before(async () => {
    harness = await Harness.start({ screens: [screen] });
    await harness.page('audio');
    // No screen turn of main's asks here: the test answers the page's getDisplayMedia in main's place.
    harness.displayMedia.testAnswer = async () => {
      await sleep(answerDelayMs);
      return chosen;
    };
  });
  beforeEach(() => {
    chosen = screen.id;
    answerDelayMs = 0;
  });
  after(() => harness?.close());

  /** Main's events to the audio window, through the harness's window as main sends them. */
  const emit = <K extends ScreenEvent>(name: K, payload: EventPayload<K>) =>
    harness.window('audio').send(eventChannels[name], payload);
  const open = (turnId: number) => emit('screenOpen', { turnId });
  const close = (turnId: number) => emit('screenClose', { turnId });
  const grab = (turnId: number, resolution?: MediaResolutionSetting): number => {
    const grabId = nextGrabId++;
    emit('screenGrab', { turnId, grabId, resolution });
    return grabId;
  };

  function answersTo(turnId: number, grabId: number | undefined): Answer[] {
    return harness.ipc.log.flatMap((record): Answer[] => {
      if (record.direction !== 'send') return [];
      const payload = record.payload as { turnId: number; grabId?: number };
      if (payload.turnId !== turnId || payload.grabId !== grabId) return [];
      if (record.channel === sendChannels.screenFrame) return [{ frame: record.payload as ScreenFrame }];
      if (record.channel === sendChannels.screenFailed) return [{ failed: record.payload as ScreenFailed }];
      return [];
    });
  }

  async function answerTo(turnId: number, grabId?: number): Promise<Answer> {
    await expect.poll(() => answersTo(turnId, grabId).length, { message: `an answer to ${turnId}/${grabId}` }).toBe(1);
    return answersTo(turnId, grabId)[0]!;
  }

  async function frameOf(turnId: number, resolution?: MediaResolutionSetting): Promise<ScreenFrame> {
    const answer = await answerTo(turnId, grab(turnId, resolution));
    if ('failed' in answer) assert.fail(`the grab failed: ${answer.failed.message}`);
    return answer.frame;
  }

  async function failureOf(turnId: number, grabId?: number): Promise<ScreenFailed> {
    const answer = await answerTo(turnId, grabId);
    assert.ok('failed' in answer, `a failure for ${turnId}/${grabId}, not a frame`);
    return answer.failed;
  }

  const tracks = () => harness.displayMedia.tracks();
  const liveTracks = async () => (await tracks()).live;

  it("opens the screen main chose, for the audio page, and grabs JPEG frames of the resolution's size that show it", async () => {
    const asked = harness.displayMedia.requests.length;
    open(1);
    const resolutions = [LOW, 'MEDIA_RESOLUTION_MEDIUM', 'MEDIA_RESOLUTION_HIGH', undefined] as const;
    for (const resolution of resolutions) {
      const frame = await frameOf(1, resolution);
      const expected = frameSize(screen.picture, resolution);
      assert.deepEqual([frame.width, frame.height], [expected.width, expected.height], resolution);
      assertFrameShows(frame.jpeg, screen.picture, resolution);
    }
    assert.equal(await liveTracks(), 1, 'the capture stays open for the turn');

    const requests = harness.displayMedia.requests.slice(asked);
    assert.equal(requests.length, 1, 'one capture for the turn, however many grabs');
    const [request] = requests;
    assert.equal(request!.from.webContentsId, harness.window('audio').webContentsId);
    assert.equal(new URL(request!.from.frameUrl).pathname, '/audio.html');
    assert.equal(request!.from.isMainFrame, true);
    // The whole screen at its own size (the worker scales), no sound, and no more pictures than needed.
    assert.deepEqual(request!.constraints, { video: { frameRate: { max: 5 } }, audio: false });
    assert.equal(request!.screenId, screen.id);

    close(1);
    await expect.poll(liveTracks).toBe(0);
  });

  it('shows a changed screen in a later grab', async () => {
    open(2);
    assertFrameShows((await frameOf(2, LOW)).jpeg, screen.picture, LOW);
    const changed = desktop(2560, 1440, DESKTOP_COLOURS.toReversed());
    await harness.displayMedia.show(screen.id, changed);
    // The track shows the change from its next picture on; that picture reaches the frame worker a
    // moment later (pictures and grabs travel separately between threads), so a grab or two may miss it.
    for (let tries = 1; ; tries++) {
      try {
        assertFrameShows((await frameOf(2, LOW)).jpeg, changed, LOW);
        break;
      } catch (error) {
        if (tries === 20) throw error;
      }
    }
    close(2);
    await harness.displayMedia.show(screen.id, screen.picture);
    await expect.poll(liveTracks).toBe(0);
  });

  it('lets a grab that comes while the capture is still opening wait for it', async () => {
    answerDelayMs = 500;
    open(3);
    const grabId = grab(3, LOW);
    const answer = await answerTo(3, grabId);
    if ('failed' in answer) assert.fail(`the grab failed: ${answer.failed.message}`);
    assertFrameShows(answer.frame.jpeg, screen.picture, LOW);
    close(3);
    await expect.poll(liveTracks).toBe(0);
  });

  it("stops the track as soon as the turn closes, and answers the turn's later grabs with a failure, never a frame", async () => {
    const before = await tracks();
    open(4);
    await frameOf(4, LOW);
    assert.deepEqual(await tracks(), { live: 1, ended: before.ended });
    // A grab under way when the turn closes fails rather than sending what it caught.
    const underWay = grab(4, LOW);
    close(4);
    assert.equal((await failureOf(4, underWay)).message, 'the screen capture was closed');
    await expect.poll(tracks).toEqual({ live: 0, ended: before.ended + 1 });

    const late = grab(4, LOW);
    assert.deepEqual(await failureOf(4, late), {
      turnId: 4,
      grabId: late,
      kind: 'failed',
      message: 'turn 4 has no open screen capture',
    });
    // Still one answer each: no frame came after the failures.
    assert.equal(answersTo(4, underWay).length, 1);
    assert.equal(answersTo(4, late).length, 1);
  });

  it('stops a track that arrives after its turn closed, at once', async () => {
    const before = await tracks();
    const asked = harness.displayMedia.requests.length;
    answerDelayMs = 500;
    open(10);
    close(10);
    await expect.poll(() => harness.displayMedia.requests.length).toBe(asked + 1);
    await expect.poll(tracks).toEqual({ live: 0, ended: before.ended + 1 });
  });

  it("refuses grabs for another turn, and closes a turn's capture when another turn opens one", async () => {
    open(5);
    await frameOf(5, LOW);
    const other = grab(6, LOW);
    assert.equal((await failureOf(6, other)).message, 'turn 6 has no open screen capture');

    const before = await tracks();
    open(6);
    await expect.poll(tracks).toEqual({ live: 1, ended: before.ended + 1 });
    assert.equal((await failureOf(5, grab(5, LOW))).kind, 'failed');
    assertFrameShows((await frameOf(6, LOW)).jpeg, screen.picture, LOW);
    close(6);
    await expect.poll(liveTracks).toBe(0);
  });

  it("says the capture was refused when main's answerer gives no screen, and opens no track", async () => {
    const before = await tracks();
    chosen = undefined;
    open(7);
    const waiting = grab(7, LOW);
    const refused = await failureOf(7);
    assert.equal(refused.kind, 'refused');
    assert.match(refused.message, /not allowed/);
    assert.deepEqual(await failureOf(7, waiting), { ...refused, grabId: waiting });
    assert.equal(harness.displayMedia.requests.at(-1)!.screenId, undefined);

    // A screen that is not listed (unplugged since main chose it) is refused the same way.
    chosen = 'screen:99:0';
    open(8);
    assert.equal((await failureOf(8)).kind, 'refused');
    close(8);
    assert.deepEqual(await tracks(), before, 'no track was opened');
  });

  it('fails the next grab with the reason when the user stops sharing', async () => {
    open(9);
    await frameOf(9, LOW);
    assert.equal(await harness.displayMedia.stopSharing(), 1);
    assert.equal(await liveTracks(), 0);
    const after = grab(9, LOW);
    assert.deepEqual(await failureOf(9, after), {
      turnId: 9,
      grabId: after,
      kind: 'failed',
      message: 'the screen capture ended',
    });
    close(9);
  });
});
