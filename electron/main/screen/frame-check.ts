// What main accepts as a screen frame from the renderer that makes them. Main
// never trusts the renderer's word: the bytes must be a whole JPEG whose own
// header gives the size claimed, within what the media resolution allows and
// small enough for the wire. Anything else is refused with a reason.
import { frameLongSide, MAX_FRAME_BYTES, type MediaResolutionSetting } from '../../../shared/frame-size';

export interface FrameClaim {
  jpeg: Uint8Array;
  width: number;
  height: number;
}

export type FrameVerdict = { ok: true; width: number; height: number } | { ok: false; reason: string };

/** Start-of-frame markers: baseline, extended, progressive and lossless, Huffman or arithmetic (not DHT C4, JPG C8, DAC CC). */
const START_OF_FRAME = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const START_OF_SCAN = 0xda;

/** The dimensions in a JPEG's frame header, or why there are none. */
export function jpegDimensions(bytes: Uint8Array): { width: number; height: number } | string {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return 'it does not start like a JPEG';
  if (bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) return 'it does not end like a JPEG';
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return `its header is broken at byte ${offset}`;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    if (length < 2 || offset + 2 + length > bytes.length) return `its header is broken at byte ${offset}`;
    if (START_OF_FRAME.has(marker)) {
      if (length < 8) return `its frame header is too short`;
      const height = (bytes[offset + 5]! << 8) | bytes[offset + 6]!;
      const width = (bytes[offset + 7]! << 8) | bytes[offset + 8]!;
      return { width, height };
    }
    if (marker === START_OF_SCAN) break;
    offset += 2 + length;
  }
  return 'it has no frame header';
}

/** Accepts a frame only when it is what it claims to be, within the media resolution's size and the wire's limit. */
export function checkFrame(frame: FrameClaim, resolution: MediaResolutionSetting | undefined): FrameVerdict {
  const refuse = (reason: string): FrameVerdict => ({ ok: false, reason: `The screen frame was refused: ${reason}.` });
  if (!(frame.jpeg instanceof Uint8Array)) return refuse('it has no bytes');
  if (frame.jpeg.length > MAX_FRAME_BYTES) {
    return refuse(`it is ${Math.ceil(frame.jpeg.length / 1024)} KB, more than ${MAX_FRAME_BYTES / 1024} KB`);
  }
  const found = jpegDimensions(frame.jpeg);
  if (typeof found === 'string') return refuse(found);
  const { width, height } = found;
  if (width === 0 || height === 0) return refuse(`it is empty (${width}×${height})`);
  if (width !== frame.width || height !== frame.height) {
    return refuse(`it is ${width}×${height}, not ${frame.width}×${frame.height} as it claims`);
  }
  const longSide = frameLongSide(resolution);
  if (Math.max(width, height) > longSide) {
    return refuse(`it is ${width}×${height}, larger than ${longSide} px on its long side`);
  }
  return { ok: true, width, height };
}
