// The frame worker: holds the newest picture of the capture track and makes a
// JPEG of it on request, off the page's thread. Only the newest picture is
// kept (older ones are closed at once) because a still screen may send no new
// picture for a long time, and a grab must not wait for one. Once the track
// ends, no grab gets its last picture: the user stopped sharing it.
import { messageOf } from '../../shared/error-message';
import { encodeFrame } from './frame-encoder';
import type { FrameCommand, FrameReply } from './frame-protocol';

let latest: VideoFrame | undefined;
let ended = false;
/** Grabs waiting for the first picture; called with it, or with nothing when the stream ended without one. */
let waiting: (() => void)[] = [];

function wakeWaiting(): void {
  for (const wake of waiting) wake();
  waiting = [];
}

async function readFrames(readable: ReadableStream<VideoFrame>): Promise<void> {
  const reader = readable.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      latest?.close();
      latest = value;
      wakeWaiting();
    }
  } catch {
    // A track that stopped or failed ends the stream the same way: no more pictures.
  } finally {
    forgetPictures();
  }
}

async function newestPicture(): Promise<VideoFrame> {
  if (!latest && !ended) await new Promise<void>((wake) => waiting.push(wake));
  if (!latest) throw new Error('the screen capture ended');
  return latest;
}

function forgetPictures(): void {
  latest?.close();
  latest = undefined;
  ended = true;
  wakeWaiting();
}

async function grab(id: number, resolution: Extract<FrameCommand, { type: 'grab' }>['resolution']): Promise<void> {
  const started = performance.now();
  try {
    const frame = await encodeFrame(await newestPicture(), resolution);
    const reply: FrameReply = { type: 'frame', id, ...frame, encodeMs: performance.now() - started };
    self.postMessage(reply, { transfer: [frame.jpeg.buffer] });
  } catch (error) {
    const reply: FrameReply = { type: 'failed', id, message: messageOf(error) };
    self.postMessage(reply);
  }
}

self.onmessage = (event: MessageEvent<FrameCommand>) => {
  const command = event.data;
  if (command.type === 'frames') void readFrames(command.readable);
  else void grab(command.id, command.resolution);
};
