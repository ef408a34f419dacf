// Frames of a screen capture track, made in a worker: the page hands the
// track's pictures to the worker, and each grab returns a JPEG of the newest
// one at the media resolution's size.
import frameWorkerUrl from './frame-worker.ts?worker&url';
import type { MediaResolutionSetting } from '../../shared/frame-size';
import type { EncodedFrame } from './frame-encoder';
import type { FrameCommand, FrameReply } from './frame-protocol';

export interface GrabbedFrame extends EncodedFrame {
  /** Milliseconds the worker spent on it, from the request to the JPEG (waiting for a first picture included). */
  encodeMs: number;
}

/** Chromium's MediaStreamTrackProcessor (window scope; not in the DOM typings, and not standard there). */
type TrackProcessorConstructor = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => {
  readable: ReadableStream<VideoFrame>;
};

export class ScreenGrabber {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(frame: GrabbedFrame): void; reject(error: Error): void }>();
  private endedBecause: string | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly track: MediaStreamTrack,
  ) {
    worker.onmessage = (event: MessageEvent<FrameReply>) => this.receive(event.data);
    worker.onerror = (event) => this.failAll(`the frame worker failed: ${event.message}`);
    // The user stopped sharing (the browser's or the system's own control). The worker learns it from
    // its stream too, but not when the track ended before the worker began to read.
    track.addEventListener('ended', () => this.end('the screen capture ended'));
  }

  /** Starts taking the track's pictures; throws when this browser cannot read a video track. */
  static open(track: MediaStreamTrack): ScreenGrabber {
    const Processor = (globalThis as { MediaStreamTrackProcessor?: TrackProcessorConstructor })
      .MediaStreamTrackProcessor;
    if (!Processor) throw new Error('this browser cannot read a video track (no MediaStreamTrackProcessor)');
    // One picture in its queue: the worker keeps only the newest anyway.
    const { readable } = new Processor({ track, maxBufferSize: 1 });
    const worker = new Worker(frameWorkerUrl, { type: 'module', name: 'screen-frames' });
    const command: FrameCommand = { type: 'frames', readable };
    worker.postMessage(command, [readable]);
    return new ScreenGrabber(worker, track);
  }

  /** A JPEG of the newest picture, its long side at the resolution's size; waits for the first picture. */
  grab(resolution: MediaResolutionSetting | undefined): Promise<GrabbedFrame> {
    if (this.endedBecause !== undefined) return Promise.reject(new Error(this.endedBecause));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const command: FrameCommand = { type: 'grab', id, resolution };
      this.worker.postMessage(command);
    });
  }

  /** Stops the track and the worker; grabs still waiting fail. */
  close(): void {
    this.track.stop();
    this.end('the screen capture was closed');
  }

  private end(reason: string): void {
    if (this.endedBecause !== undefined) return;
    this.endedBecause = reason;
    // Ending the worker lets go of its pictures too.
    this.worker.terminate();
    this.failAll(reason);
  }

  private receive(reply: FrameReply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (reply.type === 'frame') {
      const { jpeg, width, height, encodeMs } = reply;
      waiter.resolve({ jpeg, width, height, encodeMs });
    } else {
      waiter.reject(new Error(reply.message));
    }
  }

  private failAll(message: string): void {
    for (const waiter of this.pending.values()) waiter.reject(new Error(message));
    this.pending.clear();
  }
}
