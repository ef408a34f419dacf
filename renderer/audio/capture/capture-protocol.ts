/** Messages between MicrophoneCapture and its AudioWorklet, over the node's port. */

export const captureProcessorName = 'parley-capture';

export type CaptureMode = 'idle' | 'warm' | 'live';

/** Given to the processor at construction (`processorOptions`). */
export interface CaptureProcessorOptions {
  frameSamples: number;
}

export type CaptureCommand =
  /** Start keeping a pre-roll without emitting anything. */
  | { type: 'warm' }
  /** Emit the pre-roll, then live frames, until `stop`. */
  | { type: 'start' }
  /** Emit the partial frame, report `stopped`, then continue in `next` mode. */
  | { type: 'stop'; next: 'warm' | 'idle' }
  | { type: 'idle' }
  /** Ends the processor for good. */
  | { type: 'close' };

export type CaptureEvent =
  /** `time`: audio-clock seconds of the frame's first sample. */
  | { type: 'frame'; pcm: ArrayBuffer; time: number }
  | { type: 'level'; rms: number }
  /** The first live block; `time` as for frames. */
  | { type: 'live'; time: number }
  | { type: 'stopped'; frames: number };
