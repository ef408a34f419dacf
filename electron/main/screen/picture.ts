// Pictures as they move through the screen pipeline: a raw capture of a
// display from the ScreenSource port, then RGBA pixels scaled for the wire.

/** Byte order of a raw capture: Chromium's bitmaps (NativeImage.toBitmap) are BGRA on every desktop. */
export type PixelFormat = 'rgba' | 'bgra';

/** A display as the ScreenSource port captured it: 4 bytes a pixel, rows top to bottom, no padding. */
export interface ScreenPicture {
  width: number;
  height: number;
  data: Uint8Array;
  pixelFormat: PixelFormat;
  /** Physical pixels per logical pixel of the display (2 on a Retina screen). */
  scaleFactor: number;
}

/** RGBA, 4 bytes a pixel, rows top to bottom: what the JPEG encoder takes. */
export interface RgbaPicture {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A capture the rest of the pipeline cannot read is a capture failure, said plainly, never a crash further on. */
export function checkPicture(picture: ScreenPicture): void {
  const { width, height, data } = picture;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`the screen capture is empty (${width}×${height})`);
  }
  if (data.length !== width * height * 4) {
    throw new Error(`the screen capture has ${data.length} bytes, not ${width * height * 4} for ${width}×${height}`);
  }
}
