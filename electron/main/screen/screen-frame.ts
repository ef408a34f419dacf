// One frame of the screen for the wire: capture (through the ScreenSource
// port), scale to the media resolution's size, encode as JPEG. Everything after
// the capture is plain code that tests run on real pixels.
import type { ScreenSourcePort } from '../ports';
import { frameSize, type MediaResolutionSetting } from '../../../shared/frame-size';
import { encodeJpeg } from './jpeg-frame';
import { checkPicture, type ScreenPicture } from './picture';
import { scalePicture } from './scale';

export const FRAME_MIME = 'image/jpeg';

export interface ScreenFrame {
  mimeType: typeof FRAME_MIME;
  jpeg: Uint8Array;
  width: number;
  height: number;
  /** The capture it was made from, in physical pixels. */
  source: { width: number; height: number; scaleFactor: number };
  /** Milliseconds spent on each step, for the bench. */
  timings: { captureMs: number; scaleMs: number; encodeMs: number };
}

/** Scales and encodes a capture; throws when the capture is not a readable picture. */
export function frameFromPicture(
  picture: ScreenPicture,
  resolution: MediaResolutionSetting | undefined,
): Omit<ScreenFrame, 'timings'> & { timings: Omit<ScreenFrame['timings'], 'captureMs'> } {
  checkPicture(picture);
  const { width, height } = frameSize(picture, resolution);
  const scaleStart = performance.now();
  const scaled = scalePicture(picture, width, height);
  const encodeStart = performance.now();
  const jpeg = encodeJpeg(scaled);
  const done = performance.now();
  return {
    mimeType: FRAME_MIME,
    jpeg,
    width,
    height,
    source: { width: picture.width, height: picture.height, scaleFactor: picture.scaleFactor },
    timings: { scaleMs: encodeStart - scaleStart, encodeMs: done - encodeStart },
  };
}

/** Captures the display under the pointer and makes a frame of it. */
export async function captureScreenFrame(
  screen: ScreenSourcePort,
  resolution: MediaResolutionSetting | undefined,
): Promise<ScreenFrame> {
  const captureStart = performance.now();
  const picture = await screen.captureDisplayUnderPointer();
  const captureMs = performance.now() - captureStart;
  const frame = frameFromPicture(picture, resolution);
  return { ...frame, timings: { captureMs, ...frame.timings } };
}
