// A desktop-like test picture, and the check that a screen frame shows it
// (for frames made in Chromium: the screen page's and the audio page's).
import assert from 'node:assert/strict';
import { frameSize, type MediaResolutionSetting } from '../../shared/frame-size';
import {
  blockRegion,
  blocksPicture,
  colourDistance,
  decodeJpeg,
  drawTextLike,
  meanColour,
  type Picture,
  type Region,
  type Rgb,
} from './pictures';

export const DESKTOP_COLOURS: Rgb[] = [
  [200, 40, 40],
  [40, 160, 60],
  [40, 70, 200],
  [230, 200, 40],
  [245, 245, 245],
  [25, 25, 30],
  [160, 60, 180],
  [40, 190, 190],
];
export const DESKTOP_COLUMNS = 4;
export const DESKTOP_ROWS = 2;

/** A desktop-like picture: coloured panels, two of them covered in 1-px text. */
export function desktop(width: number, height: number, colours = DESKTOP_COLOURS): Picture {
  const picture = blocksPicture(width, height, DESKTOP_COLUMNS, colours);
  const textPanel = (column: number) => blockRegion(picture, DESKTOP_COLUMNS, DESKTOP_ROWS, column, 1, 0.05);
  drawTextLike(picture, textPanel(0), [20, 20, 20]); // dark text on white
  drawTextLike(picture, textPanel(1), [230, 230, 230]); // light text on dark
  return picture;
}

/** The same place in a picture of another size. */
export function scaleRegion(region: Region, from: Picture, to: Picture): Region {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  return {
    x: Math.round(region.x * sx),
    y: Math.round(region.y * sy),
    width: Math.round(region.width * sx),
    height: Math.round(region.height * sy),
  };
}

/**
 * Decodes a JPEG frame of a desktop picture and checks that it is the resolution's size for it and
 * that every panel (text included) kept its mean colour; returns the decoded picture.
 */
export function assertFrameShows(
  jpeg: Uint8Array,
  source: Picture,
  resolution: MediaResolutionSetting | undefined,
): Picture {
  const expected = frameSize(source, resolution);
  assert.deepEqual([jpeg[0], jpeg[1], jpeg.at(-2), jpeg.at(-1)], [0xff, 0xd8, 0xff, 0xd9], 'JPEG markers');
  const decoded = decodeJpeg(jpeg);
  assert.deepEqual([decoded.width, decoded.height], [expected.width, expected.height], 'the JPEG is that size');
  for (let row = 0; row < DESKTOP_ROWS; row++) {
    for (let column = 0; column < DESKTOP_COLUMNS; column++) {
      const region = blockRegion(source, DESKTOP_COLUMNS, DESKTOP_ROWS, column, row);
      const wanted = meanColour(source, region);
      const seen = meanColour(decoded, scaleRegion(region, source, decoded));
      // JPEG at 0.75 with 4:2:0 chroma moves a flat panel's mean by a few levels; text panels average out.
      assert.ok(
        colourDistance(wanted, seen) < 10,
        `block ${column},${row}: ${seen.map(Math.round)} vs ${wanted.map(Math.round)}`,
      );
    }
  }
  return decoded;
}
