import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { frameSize, type MediaResolutionSetting } from '../../shared/frame-size';
import type { FrameReport, PictureRequest } from '../fixtures/screen-page/api';
import { openScreenPage, type ScreenPage } from '../fixtures/screen-page/driver';
import { blockRegion, decodeJpeg, type Picture } from '../support/pictures';
import {
  assertFrameShows,
  desktop,
  DESKTOP_COLOURS,
  DESKTOP_COLUMNS,
  DESKTOP_ROWS,
  scaleRegion,
} from '../support/screen-pictures';

/** Checks a frame's reported size, then decodes it and checks that it shows the source (see assertFrameShows). */
function assertShows(frame: FrameReport, source: Picture, resolution: MediaResolutionSetting | undefined): Picture {
  const expected = frameSize(source, resolution);
  assert.deepEqual([frame.width, frame.height], [expected.width, expected.height]);
  return assertFrameShows(Buffer.from(frame.jpegBase64, 'base64'), source, resolution);
}

const resolutions: MediaResolutionSetting[] = [
  'MEDIA_RESOLUTION_LOW',
  'MEDIA_RESOLUTION_MEDIUM',
  'MEDIA_RESOLUTION_HIGH',
];

describe('screen frames made in Chromium', () => {
  let screen: ScreenPage;
  let page: Page;
  const source = desktop(2560, 1440);
  let picture: PictureRequest;
  before(async () => {
    screen = await openScreenPage();
    page = screen.page;
    picture = await screen.offer('desktop', source);
  });
  after(() => screen?.close());

  for (const resolution of [...resolutions, undefined]) {
    it(`scales a 2560×1440 screen to the long side of ${resolution ?? 'the default (MEDIUM)'} and encodes it as a JPEG that shows it`, async () => {
      const frame = await page.evaluate(([p, r]) => window.screenTest.encode(p, r, 'videoFrame'), [
        picture,
        resolution,
      ] as const);
      assertShows(frame, source, resolution);
    });
  }

  it('makes the same frame from a still picture, and never enlarges a small screen', async () => {
    const small = desktop(800, 600);
    const request = await screen.offer('small', small);
    const frame = await page.evaluate((p) => window.screenTest.encode(p, 'MEDIA_RESOLUTION_HIGH', 'bitmap'), request);
    assertShows(frame, small, 'MEDIA_RESOLUTION_HIGH');
    assert.deepEqual([frame.width, frame.height], [800, 600]);
  });

  it('keeps 1-px text strokes distinct from the paper at the lowest size', async () => {
    const frame = await page.evaluate(
      (p) => window.screenTest.encode(p, 'MEDIA_RESOLUTION_LOW', 'videoFrame'),
      picture,
    );
    const decoded = decodeJpeg(Buffer.from(frame.jpegBase64, 'base64'));
    const text = scaleRegion(blockRegion(source, DESKTOP_COLUMNS, DESKTOP_ROWS, 0, 1, 0.05), source, decoded);
    let darkest = 255;
    let lightest = 0;
    for (let y = text.y; y < text.y + text.height; y++) {
      for (let x = text.x; x < text.x + text.width; x++) {
        const value = decoded.data[(y * decoded.width + x) * 4]!;
        darkest = Math.min(darkest, value);
        lightest = Math.max(lightest, value);
      }
    }
    // Strokes a third of a frame pixel wide still show as clear contrast, not a flat grey.
    assert.ok(lightest - darkest > 60, `contrast ${lightest - darkest}`);
  });

  it('builds the frame worker as a same-origin file, which the app CSP lets the page start', async () => {
    const assets = await readdir(`${screen.builtDir}/assets`);
    assert.ok(
      assets.some((file) => /^frame-worker-.*\.js$/.test(file)),
      assets.join(', '),
    );
  });

  describe('from a capture track, in the worker', () => {
    after(() => page.evaluate(() => window.screenTest.closeTrack()));

    it('grabs the newest picture of the track at each resolution, and a changed screen in the next grab', async () => {
      const opened = await page.evaluate(() => window.screenTest.openTrack('generator'));
      assert.ok(opened.ok, JSON.stringify(opened));
      // The first grab waits for the track's first picture.
      const first = page.evaluate(() => window.screenTest.grab('MEDIA_RESOLUTION_MEDIUM'));
      await page.evaluate((p) => window.screenTest.show(p), picture);
      const grabbed = await first;
      assert.ok(grabbed.ok, JSON.stringify(grabbed));
      assertShows(grabbed, source, 'MEDIA_RESOLUTION_MEDIUM');
      for (const resolution of resolutions) {
        const again = await page.evaluate((r) => window.screenTest.grab(r), resolution);
        assert.ok(again.ok, JSON.stringify(again));
        assertShows(again, source, resolution);
      }
      const changed = desktop(2560, 1440, DESKTOP_COLOURS.toReversed());
      await page.evaluate((p) => window.screenTest.show(p), await screen.offer('changed', changed));
      // The worker reads the track as pictures come: the changed one may take a moment to be the newest.
      let latest = await page.evaluate(() => window.screenTest.grab('MEDIA_RESOLUTION_LOW'));
      for (let tries = 0; latest.ok && latest.jpegBase64 === grabbed.jpegBase64 && tries < 20; tries++) {
        latest = await page.evaluate(() => window.screenTest.grab('MEDIA_RESOLUTION_LOW'));
      }
      assert.ok(latest.ok, JSON.stringify(latest));
      const deadline = Date.now() + 5000;
      for (;;) {
        try {
          assertShows(latest, changed, 'MEDIA_RESOLUTION_LOW');
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          latest = await page.evaluate(() => window.screenTest.grab('MEDIA_RESOLUTION_LOW'));
          assert.ok(latest.ok, JSON.stringify(latest));
        }
      }
    });

    it('gives no stale picture once the track ended, and says why a grab failed', async () => {
      const endedMessage = { ok: false, message: 'the screen capture ended' };
      // The track stops after a picture: later grabs fail rather than send what the screen showed before.
      await page.evaluate(() => window.screenTest.closeTrack());
      await page.evaluate(() => window.screenTest.openTrack('generator'));
      await page.evaluate((p) => window.screenTest.show(p), picture);
      assert.ok((await page.evaluate(() => window.screenTest.grab(undefined))).ok);
      await page.evaluate(() => window.screenTest.endTrack('stream'));
      let after = await page.evaluate(() => window.screenTest.grab(undefined));
      // The end reaches the worker through the track's stream, a moment after the stop.
      for (let tries = 0; after.ok && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = await page.evaluate(() => window.screenTest.grab(undefined));
      }
      assert.deepEqual(after, endedMessage);

      // The user stops sharing while a grab waits for the first picture: the grab fails, and so do later ones.
      await page.evaluate(() => window.screenTest.closeTrack());
      await page.evaluate(() => window.screenTest.openTrack('generator'));
      const waiting = page.evaluate(() => window.screenTest.grab(undefined));
      await page.evaluate(() => window.screenTest.endTrack('user'));
      assert.deepEqual(await waiting, endedMessage);
      assert.deepEqual(await page.evaluate(() => window.screenTest.grab(undefined)), endedMessage);

      // Closed by Parley (the turn is over) while a grab waits.
      await page.evaluate(() => window.screenTest.closeTrack());
      await page.evaluate(() => window.screenTest.openTrack('generator'));
      const pending = page.evaluate(() => window.screenTest.grab(undefined));
      await page.evaluate(() => window.screenTest.closeTrack());
      assert.deepEqual(await pending, { ok: false, message: 'the screen capture was closed' });
    });

    it("grabs frames of Chromium's own getDisplayMedia screen (its fake device) at the resolution's size", async () => {
      const opened = await page.evaluate(() => window.screenTest.openTrack('displayMedia'));
      assert.ok(opened.ok, JSON.stringify(opened));
      const { width = 0, height = 0 } = opened.settings;
      assert.ok(width > 0 && height > 0, JSON.stringify(opened.settings));
      const grabbed = await page.evaluate(() => window.screenTest.grab('MEDIA_RESOLUTION_LOW'));
      assert.ok(grabbed.ok, JSON.stringify(grabbed));
      const expected = frameSize({ width, height }, 'MEDIA_RESOLUTION_LOW');
      const decoded = decodeJpeg(Buffer.from(grabbed.jpegBase64, 'base64'));
      assert.deepEqual([decoded.width, decoded.height], [expected.width, expected.height]);
      await page.evaluate(() => window.screenTest.closeTrack());
    });
  });
});
