// Shrinks a capture to the frame size by area averaging: each output pixel is
// the mean of the source pixels it covers, fractions included, so thin text
// strokes turn grey instead of vanishing or flickering as with nearest
// neighbour. Separable: rows first, then columns. Also turns BGRA into RGBA.
import type { RgbaPicture, ScreenPicture } from './picture';

/** For each output index along one axis: the first source index it covers and the share of each covered one. */
interface AxisTaps {
  first: Int32Array;
  count: Int32Array;
  /** `maxTaps` weights per output index, summing to 1. */
  weights: Float32Array;
  maxTaps: number;
}

function axisTaps(sourceLength: number, outputLength: number): AxisTaps {
  const ratio = sourceLength / outputLength;
  const maxTaps = Math.ceil(ratio) + 1;
  const first = new Int32Array(outputLength);
  const count = new Int32Array(outputLength);
  const weights = new Float32Array(outputLength * maxTaps);
  for (let o = 0; o < outputLength; o++) {
    const start = o * ratio;
    const end = Math.min(sourceLength, start + ratio);
    const from = Math.floor(start);
    const to = Math.min(sourceLength, Math.ceil(end));
    first[o] = from;
    count[o] = to - from;
    for (let s = from; s < to; s++) {
      const covered = Math.min(end, s + 1) - Math.max(start, s);
      weights[o * maxTaps + (s - from)] = covered / ratio;
    }
  }
  return { first, count, weights, maxTaps };
}

/** The picture at `width` × `height` (no larger than the source), as RGBA. */
export function scalePicture(source: ScreenPicture, width: number, height: number): RgbaPicture {
  if (width > source.width || height > source.height || width < 1 || height < 1) {
    throw new RangeError(`cannot scale ${source.width}×${source.height} to ${width}×${height}: only shrinking`);
  }
  const [red, green, blue] = source.pixelFormat === 'bgra' ? [2, 1, 0] : [0, 1, 2];
  const columns = axisTaps(source.width, width);
  const rows = axisTaps(source.height, height);
  const src = source.data;

  // Rows first: every source row shrunk to `width`, three channels as floats.
  const narrow = new Float32Array(width * source.height * 3);
  for (let y = 0; y < source.height; y++) {
    const rowStart = y * source.width;
    for (let o = 0; o < width; o++) {
      let r = 0;
      let g = 0;
      let b = 0;
      const from = columns.first[o]!;
      const taps = columns.count[o]!;
      const weightAt = o * columns.maxTaps;
      for (let t = 0; t < taps; t++) {
        const weight = columns.weights[weightAt + t]!;
        const at = (rowStart + from + t) * 4;
        r += src[at + red]! * weight;
        g += src[at + green]! * weight;
        b += src[at + blue]! * weight;
      }
      const out = (y * width + o) * 3;
      narrow[out] = r;
      narrow[out + 1] = g;
      narrow[out + 2] = b;
    }
  }

  // Then columns: each output row is a weighted sum of the narrowed rows it covers.
  const data = new Uint8Array(width * height * 4);
  const sums = new Float32Array(width * 3);
  for (let o = 0; o < height; o++) {
    sums.fill(0);
    const from = rows.first[o]!;
    const taps = rows.count[o]!;
    for (let t = 0; t < taps; t++) {
      const weight = rows.weights[o * rows.maxTaps + t]!;
      const rowAt = (from + t) * width * 3;
      for (let i = 0; i < width * 3; i++) sums[i]! += narrow[rowAt + i]! * weight;
    }
    const outRow = o * width * 4;
    for (let x = 0; x < width; x++) {
      const at = outRow + x * 4;
      data[at] = Math.min(255, Math.round(sums[x * 3]!));
      data[at + 1] = Math.min(255, Math.round(sums[x * 3 + 1]!));
      data[at + 2] = Math.min(255, Math.round(sums[x * 3 + 2]!));
      data[at + 3] = 255;
    }
  }
  return { width, height, data };
}
