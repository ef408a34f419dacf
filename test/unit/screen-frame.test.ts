import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScreenSourcePort } from '../../electron/main/ports';
import { frameSize, type MediaResolutionSetting } from '../../shared/frame-size';
import type { ScreenPicture } from '../../electron/main/screen/picture';
import { scalePicture } from '../../electron/main/screen/scale';
import { captureScreenFrame, frameFromPicture } from '../../electron/main/screen/screen-frame';
import {
  blockRegion,
  blocksPicture,
  colourDistance,
  decodeJpeg,
  drawTextLike,
  meanColour,
  toBgra,
  type Picture,
  type Region,
  type Rgb,
} from '../support/pictures';

const COLOURS: Rgb[] = [
  [200, 40, 40],
  [40, 160, 60],
  [40, 70, 200],
  [230, 200, 40],
  [245, 245, 245],
  [25, 25, 30],
  [160, 60, 180],
  [40, 190, 190],
];
const COLUMNS = 4;
const ROWS = 2;

/** A desktop-like capture: coloured panels, two of them covered in 1-px text, as Electron hands it over (BGRA). */
function desktop(width: number, height: number): { picture: ScreenPicture; rgba: Picture } {
  const rgba = blocksPicture(width, height, COLUMNS, COLOURS);
  drawTextLike(rgba, blockRegion(rgba, COLUMNS, ROWS, 0, 1, 0.05), [20, 20, 20]); // dark text on white
  drawTextLike(rgba, blockRegion(rgba, COLUMNS, ROWS, 1, 1, 0.05), [230, 230, 230]); // light text on dark
  return { picture: { ...toBgra(rgba), scaleFactor: 2 }, rgba };
}

/** The same place in a picture of another size. */
function scaleRegion(region: Region, from: Picture, to: Picture): Region {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  return {
    x: Math.round(region.x * sx),
    y: Math.round(region.y * sy),
    width: Math.round(region.width * sx),
    height: Math.round(region.height * sy),
  };
}

const rgbaPicture = (width: number, height: number, values: number[]): ScreenPicture => ({
  width,
  height,
  data: new Uint8Array(values.flatMap((v) => [v, v, v, 255])),
  pixelFormat: 'rgba',
  scaleFactor: 1,
});

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

describe('screen frame scaling', () => {
  it('averages the area each output pixel covers, fractions included', () => {
    const scaled = scalePicture(rgbaPicture(3, 1, [0, 90, 180]), 2, 1);
    // 1.5 source pixels per output pixel: (0 + 90/2) / 1.5 and (90/2 + 180) / 1.5.
    assert.deepEqual([scaled.data[0], scaled.data[4]], [30, 150]);
    const halved = scalePicture(rgbaPicture(4, 2, [0, 100, 200, 40, 20, 60, 100, 80]), 2, 1);
    assert.deepEqual([halved.data[0], halved.data[4]], [45, 105]);
  });

  it('turns a BGRA capture into RGBA', () => {
    const bgra: ScreenPicture = {
      width: 2,
      height: 1,
      data: new Uint8Array([10, 20, 200, 255, 10, 20, 200, 255]),
      pixelFormat: 'bgra',
      scaleFactor: 1,
    };
    assert.deepEqual([...scalePicture(bgra, 1, 1).data], [200, 20, 10, 255]);
  });

  it('keeps 1-px strokes as grey instead of dropping them (text stays readable)', () => {
    // Black 1-px vertical lines every 4 px on white, shrunk 2.5×: nearest neighbour would keep or drop whole lines.
    const width = 400;
    const values = Array.from({ length: width * 4 }, (_, i) => ((i % width) % 4 === 0 ? 0 : 255));
    const scaled = scalePicture(rgbaPicture(width, 4, values), 160, 2);
    const row = Array.from({ length: 160 }, (_, x) => scaled.data[x * 4]!);
    const mean = row.reduce((sum, v) => sum + v, 0) / row.length;
    assert.ok(Math.abs(mean - 191.25) < 1, `mean ${mean}: all the ink is there`);
    // Each output pixel is as dark as the share of a line it covers: [2.5x, 2.5x + 2.5) against [4k, 4k + 1).
    const ink = (x: number) => {
      const [start, end] = [2.5 * x, 2.5 * x + 2.5];
      let covered = 0;
      for (let line = Math.floor(start / 4) * 4; line < end; line += 4) {
        covered += Math.max(0, Math.min(end, line + 1) - Math.max(start, line));
      }
      return covered / 2.5;
    };
    row.forEach((value, x) => assert.ok(Math.abs(value - 255 * (1 - ink(x))) <= 1, `pixel ${x}: ${value}`));
  });

  it('refuses to enlarge', () => {
    assert.throws(() => scalePicture(rgbaPicture(2, 1, [0, 0]), 3, 1), RangeError);
  });
});

describe('screen frame', () => {
  const source = desktop(2560, 1440);
  const cases: [MediaResolutionSetting | undefined, number, number][] = [
    ['MEDIA_RESOLUTION_LOW', 768, 432],
    ['MEDIA_RESOLUTION_MEDIUM', 1024, 576],
    ['MEDIA_RESOLUTION_HIGH', 1280, 720],
  ];
  for (const [resolution, width, height] of cases) {
    it(`is a JPEG of ${width}×${height} whose panels and text keep their colour (${resolution})`, () => {
      const frame = frameFromPicture(source.picture, resolution);
      assert.equal(frame.mimeType, 'image/jpeg');
      assert.deepEqual([frame.width, frame.height], [width, height]);
      assert.deepEqual(frame.source, { width: 2560, height: 1440, scaleFactor: 2 });
      const decoded = decodeJpeg(frame.jpeg);
      assert.deepEqual([decoded.width, decoded.height], [width, height]);
      for (let row = 0; row < ROWS; row++) {
        for (let column = 0; column < COLUMNS; column++) {
          const region = blockRegion(source.rgba, COLUMNS, ROWS, column, row);
          const expected = meanColour(source.rgba, region);
          const seen = meanColour(decoded, scaleRegion(region, source.rgba, decoded));
          const distance = colourDistance(expected, seen);
          assert.ok(distance < 8, `block ${column},${row}: ${seen.map(Math.round)} vs ${expected.map(Math.round)}`);
        }
      }
    });
  }

  it('keeps text strokes distinct from the paper at the lowest size', () => {
    const frame = frameFromPicture(source.picture, 'MEDIA_RESOLUTION_LOW');
    const decoded = decodeJpeg(frame.jpeg);
    const text = scaleRegion(blockRegion(source.rgba, COLUMNS, ROWS, 0, 1, 0.05), source.rgba, decoded);
    let darkest = 255;
    let lightest = 0;
    for (let y = text.y; y < text.y + text.height; y++) {
      for (let x = text.x; x < text.x + text.width; x++) {
        const value = decoded.data[(y * decoded.width + x) * 4]!;
        darkest = Math.min(darkest, value);
        lightest = Math.max(lightest, value);
      }
    }
    // Strokes one third as wide as a frame pixel still show as a clear contrast, not a flat grey.
    assert.ok(lightest - darkest > 60, `contrast ${lightest - darkest}`);
  });

  it('says plainly when a capture is not a picture it can read', () => {
    const short = { ...rgbaPicture(2, 2, [0, 0, 0, 0]), data: new Uint8Array(8) };
    assert.throws(() => frameFromPicture(short, undefined), /the screen capture has 8 bytes, not 16 for 2×2/);
    assert.throws(() => frameFromPicture(rgbaPicture(0, 0, []), undefined), /the screen capture is empty/);
  });

  it('captures through the port and reports what each step took', async () => {
    const screen: ScreenSourcePort = { captureDisplayUnderPointer: async () => desktop(640, 360).picture };
    const frame = await captureScreenFrame(screen, 'MEDIA_RESOLUTION_HIGH');
    assert.deepEqual([frame.width, frame.height], [640, 360], 'never enlarged');
    for (const step of ['captureMs', 'scaleMs', 'encodeMs'] as const) assert.ok(frame.timings[step] >= 0);
    const failing: ScreenSourcePort = {
      captureDisplayUnderPointer: () => Promise.reject(new Error('Screen Recording not allowed')),
    };
    await assert.rejects(captureScreenFrame(failing, undefined), /Screen Recording not allowed/);
  });
});
