// What passes between main and the audio renderer for a turn that shows the
// screen, as the IPC contract validates it. Main checks a frame's bytes
// themselves (electron/main/screen/frame-check.ts): this only keeps out what is
// not even shaped like a frame.
import { z } from 'zod';
import { MAX_FRAME_BYTES, MAX_FRAME_LONG_SIDE } from './frame-size';

const Side = z.number().int().min(1).max(MAX_FRAME_LONG_SIDE);
const TurnId = z.number().int().nonnegative();
const GrabId = z.number().int().nonnegative();
const MediaResolution = z.enum(['MEDIA_RESOLUTION_LOW', 'MEDIA_RESOLUTION_MEDIUM', 'MEDIA_RESOLUTION_HIGH']).optional();

/** Main → audio renderer: open a capture of the screen for this turn (main's display-media handler picks what). */
export const ScreenOpen = z.object({ turnId: TurnId });
/** Main → audio renderer: make one frame of the newest picture, its long side as the resolution says. */
export const ScreenGrab = z.object({ turnId: TurnId, grabId: GrabId, resolution: MediaResolution });
/** Main → audio renderer: the turn no longer shows the screen: stop the capture. */
export const ScreenClose = z.object({ turnId: TurnId });

/** One JPEG frame of the screen for a grab, at the media resolution's size. */
export const ScreenFrame = z.object({
  turnId: TurnId,
  grabId: GrabId,
  jpeg: z
    .custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes')
    .refine((bytes) => bytes.byteLength > 0 && bytes.byteLength <= MAX_FRAME_BYTES, 'not 1 byte to 1 MB'),
  width: Side,
  height: Side,
});
export type ScreenFrame = z.infer<typeof ScreenFrame>;

/**
 * Why the screen could not be captured: the capture was refused (by main's handler, the
 * system's permission or the user in a system picker), or failed on the way.
 */
export const ScreenFailureKind = z.enum(['refused', 'failed']);
export const ScreenFailed = z.object({
  turnId: TurnId,
  /** The grab that failed; absent when the capture itself could not open. */
  grabId: GrabId.optional(),
  kind: ScreenFailureKind,
  message: z.string().max(2000),
});
export type ScreenFailed = z.infer<typeof ScreenFailed>;
