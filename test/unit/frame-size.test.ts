import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameLongSide, frameSize, type MediaResolutionSetting } from '../../shared/frame-size';

describe('screen frame size', () => {
  const cases: [MediaResolutionSetting | undefined, number, number][] = [
    ['MEDIA_RESOLUTION_LOW', 768, 432],
    ['MEDIA_RESOLUTION_MEDIUM', 1024, 576],
    ['MEDIA_RESOLUTION_HIGH', 1280, 720],
    [undefined, 1024, 576],
  ];
  for (const [resolution, width, height] of cases) {
    it(`brings the long side of a 2560×1440 screen to ${width} at ${resolution ?? 'the default (MEDIUM)'}`, () => {
      assert.deepEqual(frameSize({ width: 2560, height: 1440 }, resolution), { width, height });
      assert.equal(frameLongSide(resolution), width);
    });
  }

  it('keeps the shape of a portrait screen and never goes above 1280 px', () => {
    assert.deepEqual(frameSize({ width: 1440, height: 2560 }, 'MEDIA_RESOLUTION_HIGH'), { width: 720, height: 1280 });
    assert.deepEqual(frameSize({ width: 6016, height: 3384 }, 'MEDIA_RESOLUTION_HIGH'), { width: 1280, height: 720 });
  });

  it('never enlarges a small screen, and keeps at least one pixel on a sliver', () => {
    assert.deepEqual(frameSize({ width: 800, height: 600 }, 'MEDIA_RESOLUTION_HIGH'), { width: 800, height: 600 });
    assert.deepEqual(frameSize({ width: 5000, height: 2 }, 'MEDIA_RESOLUTION_LOW'), { width: 768, height: 1 });
  });
});
