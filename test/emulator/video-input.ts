// Realtime video as the service reads it: one JPEG picture per
// `realtimeInput.video` frame, base64 in `data`. Each frame costs tokens by the
// session's media resolution (see ../shared/docs/live-protocol.md, "Images and video in").
import jpeg from 'jpeg-js';
import { invalidArgument, invalidValue } from './protocol-error';

export const VIDEO_MIME = 'image/jpeg';

export type MediaResolution = 'LOW' | 'MEDIUM' | 'HIGH';

/**
 * Tokens per frame: LOW 64, MEDIUM 256, HIGH a zoomed reframing at 256. Without `mediaResolution`
 * the emulator counts MEDIUM, the Gemini API's default cost of a picture (258 tokens a frame).
 */
const TOKENS_PER_FRAME: Record<MediaResolution, number> = { LOW: 64, MEDIUM: 256, HIGH: 256 };
export const DEFAULT_MEDIA_RESOLUTION: MediaResolution = 'MEDIUM';

export function frameTokens(resolution: MediaResolution, frames: number): number {
  return TOKENS_PER_FRAME[resolution] * frames;
}

/** A decoded picture: RGBA, 4 bytes a pixel, rows top to bottom. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A picture the emulator received and decoded. */
export class VideoFrame {
  readonly receivedAt = performance.now();

  constructor(
    readonly mimeType: string,
    readonly width: number,
    readonly height: number,
    /** The JPEG as received. */
    readonly jpeg: Uint8Array,
  ) {}

  get byteLength(): number {
    return this.jpeg.length;
  }

  /** "1280×720 JPEG": what a scenario's `{lastFrame}` says. */
  describe(): string {
    return `${this.width}×${this.height} JPEG`;
  }

  /** Decoded again on demand, so a long session does not keep every frame's pixels. */
  pixels(): RgbaImage {
    return decodeJpeg(this.jpeg);
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Bounds on what the decoder allocates: a frame is a screen or camera picture, not a poster. */
const MAX_MEGAPIXELS = 40;
const MAX_DECODE_MB = 256;

/**
 * The reference names only `image/jpeg` (the SDK lets any `image/*` through): the emulator refuses
 * other types, and data that does not decode as a JPEG, with a 1007 like any invalid payload.
 */
export function readVideoFrame(mimeType: string, data: string): VideoFrame {
  if (mimeType.trim().toLowerCase() !== VIDEO_MIME) {
    throw invalidArgument(`Unsupported video mime type "${mimeType}"; send ${VIDEO_MIME}.`);
  }
  if (!BASE64.test(data)) throw invalidValue('realtime_input.video.data');
  const bytes = Buffer.from(data, 'base64');
  let picture: RgbaImage;
  try {
    picture = decodeJpeg(bytes);
  } catch (error) {
    throw invalidArgument(`Unable to process the video frame: not a valid JPEG (${(error as Error).message}).`);
  }
  if (picture.width === 0 || picture.height === 0) {
    throw invalidArgument('Unable to process the video frame: the picture is empty.');
  }
  return new VideoFrame(VIDEO_MIME, picture.width, picture.height, new Uint8Array(bytes));
}

function decodeJpeg(bytes: Uint8Array): RgbaImage {
  const { width, height, data } = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    maxResolutionInMP: MAX_MEGAPIXELS,
    maxMemoryUsageInMB: MAX_DECODE_MB,
  });
  return { width, height, data };
}
