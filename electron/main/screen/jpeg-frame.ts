// JPEG encoding of a frame, in plain JavaScript (jpeg-js) so that tests run
// the same encoder as the app, on real pixels.
import jpeg from 'jpeg-js';
import type { RgbaPicture } from './picture';

/** jpeg-js quality, 1–100; Google's Live examples send quality 0.7, screen text wants a little more. */
export const FRAME_JPEG_QUALITY = 75;

export function encodeJpeg(picture: RgbaPicture, quality = FRAME_JPEG_QUALITY): Uint8Array {
  const { data } = jpeg.encode({ width: picture.width, height: picture.height, data: picture.data }, quality);
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}
