/** Messages between PcmPlayer and its AudioWorklet, over the node's port. */

export const playerProcessorName = 'parley-pcm-player';

/** Given to the processor at construction (`processorOptions`); see PipelineParameters. */
export interface PlayerProcessorOptions {
  initialCushionMs: number;
  scheduleAheadMs: number;
  bargeInFadeMs: number;
}

export type PlayerCommand =
  /** PCM16 little-endian mono at the context's rate. */
  | { type: 'chunk'; pcm: ArrayBuffer }
  | { type: 'end-of-reply' }
  | { type: 'flush' }
  | { type: 'stats' }
  /** Ends the processor for good. */
  | { type: 'close' };

export interface PlaybackStats {
  /** Times the buffer ran dry mid-reply: more of the reply's audio came after. */
  underruns: number;
  /** The current start/resume delay. */
  cushionMs: number;
  /** Audio received and not yet played. */
  bufferedMs: number;
}

export type PlayerEvent = { type: 'playing'; playing: boolean } | ({ type: 'stats' } & PlaybackStats);
