// Messages between the screen page and its frame worker.
import type { MediaResolutionSetting } from '../../shared/frame-size';
import type { EncodedFrame } from './frame-encoder';

export type FrameCommand =
  /** The capture track's frames, moved into the worker (a ReadableStream is transferable, the track is not). */
  | { type: 'frames'; readable: ReadableStream<VideoFrame> }
  /** Make a frame of the latest picture. */
  | { type: 'grab'; id: number; resolution: MediaResolutionSetting | undefined };

export type FrameReply =
  ({ type: 'frame'; id: number; encodeMs: number } & EncodedFrame) | { type: 'failed'; id: number; message: string };
