// One screen frame for the wire, made from a video frame with the browser's own
// image code: Skia's 'high' resize (mipmapped, keeps screen text readable) and
// its JPEG encoder. Runs in a window or a worker; both have these APIs.
import { frameSize, type MediaResolutionSetting } from '../../shared/frame-size';

export const FRAME_MIME = 'image/jpeg';

/** JPEG quality, 0–1; Google's Live examples send 0.7, screen text wants a little more. */
export const FRAME_JPEG_QUALITY = 0.75;

export interface EncodedFrame {
  jpeg: Uint8Array;
  width: number;
  height: number;
}

/** What a frame can be made from: a frame of a capture track, or a picture (tests, stills). */
export type FrameSource = VideoFrame | ImageBitmap;

function sourceSize(source: FrameSource): { width: number; height: number } {
  return source instanceof ImageBitmap
    ? { width: source.width, height: source.height }
    : { width: source.displayWidth, height: source.displayHeight };
}

/** Scales `source` so its long side matches the media resolution (never enlarged) and encodes it as JPEG. */
export async function encodeFrame(
  source: FrameSource,
  resolution: MediaResolutionSetting | undefined,
  quality = FRAME_JPEG_QUALITY,
): Promise<EncodedFrame> {
  const { width, height } = frameSize(sourceSize(source), resolution);
  const scaled = await createImageBitmap(source, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('bitmaprenderer');
  if (!context) {
    scaled.close();
    throw new Error('this page cannot draw frames (no bitmaprenderer context)');
  }
  // Hands the bitmap over without a copy; the canvas owns it from here.
  context.transferFromImageBitmap(scaled);
  const blob = await canvas.convertToBlob({ type: FRAME_MIME, quality });
  return { jpeg: new Uint8Array(await blob.arrayBuffer()), width, height };
}
