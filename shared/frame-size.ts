// How big a screen frame is on the wire, by the media resolution setting. The
// service reduces each frame to a fixed number of tokens (LOW 64, MEDIUM 256,
// HIGH a zoomed reframing at 256); a bigger picture costs encoding time and
// bandwidth without giving the model more, a smaller one loses text it could read.
// Shared by the renderer that makes frames and main that checks them.
import type { ProfileSettings } from './settings';

export type MediaResolutionSetting = NonNullable<ProfileSettings['mediaResolution']>;

/**
 * The long side of a frame, in pixels. LOW: one 768-px tile, all 64 tokens can say. MEDIUM (also
 * when the setting is unset, as the service then counts a frame like MEDIUM): 1024, where screen
 * text stays legible. HIGH: 1280, Google's example size (1280×720) and the most Parley ever sends.
 */
export const FRAME_LONG_SIDE: Record<MediaResolutionSetting, number> = {
  MEDIA_RESOLUTION_LOW: 768,
  MEDIA_RESOLUTION_MEDIUM: 1024,
  MEDIA_RESOLUTION_HIGH: 1280,
};

export const MAX_FRAME_LONG_SIDE = 1280;

/** A frame at 1280 px of dense screen text stays well under this at JPEG quality 0.75; more means it is not one of ours. */
export const MAX_FRAME_BYTES = 1024 * 1024;

export interface Size {
  width: number;
  height: number;
}

/** The longest side a frame may have at this setting. */
export function frameLongSide(resolution: MediaResolutionSetting | undefined): number {
  return Math.min(FRAME_LONG_SIDE[resolution ?? 'MEDIA_RESOLUTION_MEDIUM'], MAX_FRAME_LONG_SIDE);
}

/** The source's shape with its long side brought down to the setting's; never enlarged. */
export function frameSize(source: Size, resolution: MediaResolutionSetting | undefined): Size {
  const target = frameLongSide(resolution);
  const longSide = Math.max(source.width, source.height);
  if (longSide <= target) return { width: source.width, height: source.height };
  const scale = target / longSide;
  return {
    width: Math.max(1, Math.round(source.width * scale)),
    height: Math.max(1, Math.round(source.height * scale)),
  };
}
