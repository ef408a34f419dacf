/**
 * The audio pipeline's latency-against-robustness choices, in one place.
 * Parley runs with `parleyPipeline`. The benchmark (bench/) loads the audio
 * page with `?pipeline=` JSON to run this same pipeline under another
 * client's choices, so the two are compared on one machine in one run.
 */
export interface PipelineParameters {
  /** Samples per capture frame at 16 kHz: a sample waits until its frame is full. */
  captureFrameSamples: number;
  /** Reply audio collected before playback starts (and, after an underrun, resumes). */
  initialCushionMs: number;
  /** Reply audio already handed to the output when a barge-in comes: it can be faded, not dropped. */
  scheduleAheadMs: number;
  /** The barge-in fade of that audio; 0 is the few-sample decay that only avoids a click. */
  bargeInFadeMs: number;
}

/** 20 ms frames, a 30 ms cushion, and nothing beyond recall: a barge-in is silent within a render quantum. */
export const parleyPipeline: Readonly<PipelineParameters> = {
  captureFrameSamples: 320,
  initialCushionMs: 30,
  scheduleAheadMs: 0,
  bargeInFadeMs: 0,
};

/** Bounds that keep any value workable: a frame of 8 ms to 256 ms, at most a second of delay. */
const limits: Record<keyof PipelineParameters, [number, number]> = {
  captureFrameSamples: [128, 4096],
  initialCushionMs: [0, 1000],
  scheduleAheadMs: [0, 1000],
  bargeInFadeMs: [0, 1000],
};

/**
 * Parley's parameters, with those given in the page URL's `pipeline` query
 * (JSON) in their place. A value that is not a whole number within its
 * bounds is ignored, and said so on the console.
 */
export function pipelineFromQuery(search: string): PipelineParameters {
  const given = new URLSearchParams(search).get('pipeline');
  if (given === null) return { ...parleyPipeline };
  let parsed: unknown;
  try {
    parsed = JSON.parse(given);
  } catch {
    parsed = undefined;
  }
  const chosen: PipelineParameters = { ...parleyPipeline };
  for (const [key, [min, max]] of Object.entries(limits) as [keyof PipelineParameters, [number, number]][]) {
    const value = (parsed as Partial<Record<string, unknown>> | undefined)?.[key];
    if (value === undefined) continue;
    if (Number.isInteger(value) && (value as number) >= min && (value as number) <= max) chosen[key] = value as number;
    else console.error(`pipeline: ${key} must be a whole number from ${min} to ${max}; keeping ${chosen[key]}`);
  }
  return chosen;
}
