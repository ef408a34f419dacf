import { parleyPipeline, type PipelineParameters } from '../../renderer/audio/pipeline-parameters';

/**
 * Google's reference web console (github.com/google-gemini/live-api-web-console):
 * - capture: src/lib/worklets/audio-processing.ts posts every 2048 samples of a
 *   16 kHz context (`buffer = new Int16Array(2048)`), 128 ms;
 * - playback: src/lib/audio-streamer.ts starts a reply `initialBufferTime = 0.1`
 *   s ahead and keeps `SCHEDULE_AHEAD_TIME = 0.2` s of AudioBufferSourceNodes
 *   scheduled;
 * - interruption: its stop() ramps the gain to 0 with
 *   `linearRampToValueAtTime(0, currentTime + 0.1)` over the scheduled audio.
 * Applied to Parley's own pipeline through the audio page's `?pipeline=` query.
 */
export const referencePipeline: PipelineParameters = {
  captureFrameSamples: 2048,
  initialCushionMs: 100,
  scheduleAheadMs: 200,
  bargeInFadeMs: 100,
};

export type Variant = 'parley' | 'reference';

export const pipelines: Record<Variant, PipelineParameters> = {
  parley: parleyPipeline,
  reference: referencePipeline,
};

/** The audio page query that applies a variant's parameters (none for Parley's own). */
export function audioPageQuery(variant: Variant): string {
  return variant === 'parley' ? '' : `?pipeline=${encodeURIComponent(JSON.stringify(pipelines[variant]))}`;
}
