// Test pictures with known content: coloured blocks, encoded as JPEG with
// jpeg-js, and the mean colour of a region to compare a picture after it went
// through lossy encoding and scaling.
import jpeg from 'jpeg-js';

export type Rgb = readonly [number, number, number];

/** RGBA, 4 bytes a pixel, rows top to bottom. */
export interface Picture {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A picture split into `columns` × `rows` blocks of the given colours, row by row. */
export function blocksPicture(width: number, height: number, columns: number, colours: readonly Rgb[]): Picture {
  const rows = Math.ceil(colours.length / columns);
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = Math.min(rows - 1, Math.floor((y * rows) / height));
    for (let x = 0; x < width; x++) {
      const column = Math.min(columns - 1, Math.floor((x * columns) / width));
      const colour = colours[row * columns + column] ?? [0, 0, 0];
      data.set([...colour, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/**
 * Draws text-like marks in `ink` over a region: lines of 7-px glyphs, each a box with a bar through
 * it, in 1-px strokes, the hardest thing for scaling and JPEG to keep.
 */
export function drawTextLike(picture: Picture, region: Region, ink: Rgb): void {
  for (let y = region.y; y < region.y + region.height; y++) {
    const inLine = (y - region.y) % 12; // 9-px glyph rows, 3-px leading
    if (inLine >= 9) continue;
    for (let x = region.x; x < region.x + region.width; x++) {
      const inGlyph = (x - region.x) % 9; // 7-px glyphs, 2-px spacing
      if (inGlyph >= 7) continue;
      const stroke = inLine === 0 || inLine === 4 || inLine === 8 || inGlyph === 0 || inGlyph === 6;
      if (stroke) picture.data.set(ink, (y * picture.width + x) * 4);
    }
  }
}

/** The block at `column`, `row` of a `columns` × `rows` grid over the picture, shrunk by `inset` on each side. */
export function blockRegion(
  picture: Pick<Picture, 'width' | 'height'>,
  columns: number,
  rows: number,
  column: number,
  row: number,
  inset = 0.2,
): Region {
  const blockWidth = picture.width / columns;
  const blockHeight = picture.height / rows;
  return {
    x: Math.round((column + inset) * blockWidth),
    y: Math.round((row + inset) * blockHeight),
    width: Math.max(1, Math.round(blockWidth * (1 - 2 * inset))),
    height: Math.max(1, Math.round(blockHeight * (1 - 2 * inset))),
  };
}

/** The mean RGB of a region of an RGBA picture. */
export function meanColour(picture: Picture, region: Region): Rgb {
  const sums = [0, 0, 0];
  for (let y = region.y; y < region.y + region.height; y++) {
    for (let x = region.x; x < region.x + region.width; x++) {
      const offset = (y * picture.width + x) * 4;
      for (let c = 0; c < 3; c++) sums[c]! += picture.data[offset + c]!;
    }
  }
  const count = region.width * region.height;
  return [sums[0]! / count, sums[1]! / count, sums[2]! / count];
}

/** The largest difference of one channel between two colours. */
export function colourDistance(a: Rgb, b: Rgb): number {
  return Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));
}

export function encodeJpeg(picture: Picture, quality = 80): Buffer {
  return jpeg.encode({ width: picture.width, height: picture.height, data: picture.data }, quality).data;
}

export function decodeJpeg(bytes: Uint8Array): Picture {
  const { width, height, data } = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  return { width, height, data };
}
