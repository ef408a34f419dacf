import type { BundleSizes } from '../figures/bundle-size';
import type { measureResources } from '../figures/resources';
import type { ResolutionName, ScreenFrameTimes } from '../figures/screen-frame';
import type { SpeechLostCase } from '../figures/speech-lost';
import type { ToolRoundtrips } from '../figures/tool-roundtrip';
import type { TranscriptOpenTimes } from '../figures/transcript-open';
import type { Delivery, UnderrunCount } from '../figures/underruns';
import type { Variant } from './pipelines';
import type { Figure } from './report';
import { summarize, type Summary } from './stats';
import type { TurnFigures } from './turn-analysis';

/** What the bench measured; a part is absent when it could not be measured. */
export interface Measurements {
  turns: Partial<Record<Variant, TurnFigures[]>>;
  /** Turns left out of the figures, and why. */
  excludedTurns: Partial<Record<Variant, string[]>>;
  /** Underruns the player counted during the turns (its cushion grows after each, and so the next replies' wait). */
  turnUnderruns: Partial<Record<Variant, number>>;
  underruns: Partial<Record<Variant, Record<Delivery, UnderrunCount>>>;
  speechLost?: Record<SpeechLostCase, TurnFigures[]>;
  /** First chunk → audible for replies that find the output resting (typed turns). */
  restedOutput?: number[];
  resources?: Awaited<ReturnType<typeof measureResources>>;
  transcript?: TranscriptOpenTimes;
  toolRoundtrip?: ToolRoundtrips;
  screenFrames?: Record<ResolutionName, ScreenFrameTimes>;
  bundles?: BundleSizes;
}

type Pick = (turn: TurnFigures) => number | number[] | undefined;

const summaryOf = (values: number[]): Summary | undefined => (values.length > 0 ? summarize(values) : undefined);
const over = (turns: TurnFigures[] | undefined, pick: Pick) => summaryOf((turns ?? []).flatMap((t) => pick(t) ?? []));

/** The figures of the table, with their budgets; `missing` gets the figures no measurement gave. */
export function assembleFigures(m: Measurements, missing: (problem: string) => void): Figure[] {
  const figures: Figure[] = [];
  const turnFigure = (id: string, budget: number | undefined, pick: Pick) => {
    const parley = over(m.turns.parley, pick);
    if (!parley) return missing(`${id}: no turn measured it`);
    const reference = over(m.turns.reference, pick);
    figures.push({
      id,
      unit: 'ms',
      parley,
      ...(reference ? { reference } : {}),
      ...(budget === undefined ? {} : { budget: { on: 'p95', atMost: budget } }),
    });
  };
  turnFigure('keydown_to_activity_start_ms', 15, (t) => t.keydownToActivityStart);
  turnFigure('keyup_to_activity_end_ms', 30, (t) => t.keyupToActivityEnd);
  turnFigure('mic_to_wire_ms', 40, (t) => t.micToWire);
  turnFigure('first_chunk_to_audible_ms', 60, (t) => t.firstChunkToAudible);
  turnFigure('turnaround_ms', 100, (t) => t.turnaround);
  turnFigure('barge_in_silence_ms', 30, (t) => t.bargeInSilence);
  turnFigure('key_event_delivery_ms', undefined, (t) => t.keyDownDelivery);
  if (m.restedOutput) {
    figures.push({
      id: 'first_chunk_to_audible_ms',
      case: 'output resting (typed turn)',
      unit: 'ms',
      parley: summarize(m.restedOutput),
    });
  } else missing('first_chunk_to_audible_ms after the output rested: not measured');

  if (!m.speechLost) missing('speech_lost_at_keydown_ms: not measured');
  for (const [name, cases] of Object.entries(m.speechLost ?? {}) as [SpeechLostCase, TurnFigures[]][]) {
    figures.push({
      id: 'speech_lost_at_keydown_ms',
      case: name,
      unit: 'ms',
      parley: summarize(cases.map((turn) => turn.speechLost)),
      ...(name.startsWith('warm') ? { budget: { on: 'max', atMost: 0 } } : {}),
    });
  }

  const underrunBudgets: Partial<Record<Delivery, number>> = { smooth: 0, jittered: 2 };
  if (!m.underruns.parley) missing('underruns_per_min: not measured');
  for (const [delivery, parley] of Object.entries(m.underruns.parley ?? {}) as [Delivery, UnderrunCount][]) {
    const budget = underrunBudgets[delivery];
    const reference = m.underruns.reference?.[delivery];
    figures.push({
      id: 'underruns_per_min',
      case: delivery,
      unit: 'per min',
      parley: parley.perMinute,
      ...(reference ? { reference: reference.perMinute } : {}),
      ...(budget === undefined ? {} : { budget: { on: 'value', atMost: budget } }),
    });
  }

  if (!m.resources) missing('idle_cpu_pct, rss_mb: not measured');
  for (const window of m.resources ? (['idle', 'conversation'] as const) : []) {
    const { main, audioRenderer } = m.resources![window];
    const id = window === 'idle' ? 'idle_cpu_pct' : 'conversation_cpu_pct';
    figures.push(
      {
        id,
        case: 'main + audio renderer',
        unit: '%',
        parley: main.cpuPct + audioRenderer.cpuPct,
        ...(window === 'idle' ? { budget: { on: 'value', atMost: 1 } } : {}),
      },
      { id, case: 'main', unit: '%', parley: main.cpuPct },
      { id, case: 'audio renderer', unit: '%', parley: audioRenderer.cpuPct },
      { id: 'rss_mb', case: `main, ${window}`, unit: 'MB', parley: main.rssMb },
      { id: 'rss_mb', case: `audio renderer, ${window}`, unit: 'MB', parley: audioRenderer.rssMb },
    );
  }

  if (m.transcript) {
    figures.push({
      id: 'transcript_open_10k_ms',
      unit: 'ms',
      parley: summarize(m.transcript.openMs),
      budget: { on: 'p95', atMost: 300 },
    });
  } else missing('transcript_open_10k_ms: not measured');

  figures.push(...toolFigures(m.toolRoundtrip, missing));
  figures.push(...screenFigures(m.screenFrames, missing));

  if (!m.bundles) missing('renderer_bundle_kb: not measured');
  for (const [page, kb] of Object.entries(m.bundles?.pages ?? {})) {
    figures.push({ id: 'renderer_bundle_kb', case: page, unit: 'KB', parley: kb });
  }
  if (m.bundles) figures.push({ id: 'renderer_bundle_kb', case: 'all files', unit: 'KB', parley: m.bundles.totalKb });
  return figures;
}

/** A built-in tool and a stdio MCP server's, each with its budget; the first calls reported apart. */
function toolFigures(times: ToolRoundtrips | undefined, missing: (problem: string) => void): Figure[] {
  if (!times) {
    missing('tool_roundtrip_ms: not measured');
    return [];
  }
  const id = 'tool_roundtrip_ms';
  const unit = 'ms';
  return [
    { id, case: 'get_current_time', unit, parley: summarize(times.clock), budget: { on: 'p95', atMost: 5 } },
    { id, case: 'MCP stdio server: echo', unit, parley: summarize(times.mcpEcho), budget: { on: 'p95', atMost: 30 } },
    { id, case: 'get_current_time, first call', unit, parley: times.firstCall.clock },
    { id, case: 'MCP stdio server: echo, first call', unit, parley: times.firstCall.mcpEcho },
  ];
}

/** Key down → first picture on the wire, budget 150 ms p95, and the pictures' sizes, per media resolution. */
function screenFigures(
  times: Record<ResolutionName, ScreenFrameTimes> | undefined,
  missing: (problem: string) => void,
): Figure[] {
  if (!times) {
    missing('screen_frame_ms: not measured');
    return [];
  }
  return Object.entries(times).flatMap(([name, { ms, kb, firstMs }]): Figure[] => [
    { id: 'screen_frame_ms', case: name, unit: 'ms', parley: summarize(ms), budget: { on: 'p95', atMost: 150 } },
    { id: 'screen_frame_ms', case: `${name}, first screen turn`, unit: 'ms', parley: firstMs },
    { id: 'screen_frame_kb', case: name, unit: 'KB', parley: summarize(kb) },
  ]);
}

/** The parts behind the figures, for the JSON: where each figure's time goes. */
export function assembleDetails(m: Measurements) {
  const parts = (variant: Variant) => {
    const turns = m.turns[variant];
    return {
      turns: turns?.length ?? 0,
      excludedTurns: m.excludedTurns[variant],
      underrunsDuringTurns: m.turnUnderruns[variant],
      keyUpDelivery: over(turns, (t) => t.keyUpDelivery),
      keyupToStopSent: over(turns, (t) => t.keyupToStopSent),
      stopToEndMark: over(turns, (t) => t.stopToEndMark),
      frameTransport: over(turns, (t) => t.frameTransport),
      serverShare: over(turns, (t) => t.serverShare),
      chunkToMainForward: over(turns, (t) => t.chunkToMainForward),
      bargeInFlushSent: over(turns, (t) => t.bargeInFlushSent),
      repliesDrainedBeforeEndMark: turns?.filter((t) => t.drainedBeforeEndMark).length,
      repliesPlayedOut: turns?.filter((t) => t.drainedBeforeEndMark !== undefined).length,
    };
  };
  const speechLost = m.speechLost;
  return {
    parley: parts('parley'),
    reference: parts('reference'),
    underruns: m.underruns,
    speechLostLookback:
      speechLost &&
      Object.fromEntries(Object.entries(speechLost).map(([name, cases]) => [name, over(cases, (t) => t.lookback)])),
    keydownToActivityStartReconnecting:
      speechLost &&
      over([...speechLost['warm, disconnected'], ...speechLost['cold, disconnected']], (t) => t.keydownToActivityStart),
    resources: m.resources,
    transcript: m.transcript && {
      openMs: summaryOf(m.transcript.openMs),
      mainMs: summaryOf(m.transcript.mainMs),
      cloneMs: summaryOf(m.transcript.cloneMs),
      rendererMs: summaryOf(m.transcript.rendererMs),
      overBridgeMs: m.transcript.overBridgeMs,
    },
    bundles: m.bundles,
  };
}
