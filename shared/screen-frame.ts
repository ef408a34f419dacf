// The screen frame a renderer sends main, as the IPC contract validates it.
// Main checks the bytes themselves (electron/main/screen/frame-check.ts): this
// only keeps out what is not even shaped like a frame.
import { z } from 'zod';
import { MAX_FRAME_BYTES, MAX_FRAME_LONG_SIDE } from './frame-size';

const Side = z.number().int().min(1).max(MAX_FRAME_LONG_SIDE);

/** One JPEG frame of the screen for a turn, at the media resolution's size. */
export const ScreenFrame = z.object({
  turnId: z.number().int().nonnegative(),
  jpeg: z
    .custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes')
    .refine((bytes) => bytes.byteLength > 0 && bytes.byteLength <= MAX_FRAME_BYTES, 'not 1 byte to 1 MB'),
  width: Side,
  height: Side,
});
export type ScreenFrame = z.infer<typeof ScreenFrame>;
