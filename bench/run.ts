// `npm run bench [-- --quick]`: measures Parley's pipeline against its
// budgets, and again with the reference console's parameters, on this
// machine in this run. Writes bench/results.json and bench/results.md; fails
// only when a figure could not be measured. See bench/README.md.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { chromiumPath, projectRoot } from '../test/harness/paths';
import { measureBundleSizes } from './figures/bundle-size';
import { measureResources } from './figures/resources';
import { measureRestedOutput } from './figures/rested-output';
import { measureScreenFrames } from './figures/screen-frame';
import { measureSpeechLost } from './figures/speech-lost';
import { measureToolRoundtrips } from './figures/tool-roundtrip';
import { measureTranscriptOpen } from './figures/transcript-open';
import { measureTurns } from './figures/turn-latency';
import { measureUnderruns, underrunsSoFar } from './figures/underruns';
import { assembleDetails, assembleFigures, type Measurements } from './lib/assemble';
import { BenchApp } from './lib/bench-app';
import { wallClock } from './lib/clock';
import { pipelines, type Variant } from './lib/pipelines';
import { outputLatency } from './lib/probe';
import { Recording } from './lib/recording';
import { judge, markdownTable } from './lib/report';
import { summarize } from './lib/stats';

const quick = process.argv.includes('--quick');
/** Full: ≥ 30 turns of each kind per pipeline, under 10 minutes on a loaded 2-core machine. */
const plan = quick
  ? {
      cycles: 2,
      speechLostTurns: 1,
      underrunSeconds: { smooth: 1, jittered: 1, bursty: 1 },
      idleSeconds: 2,
      conversationSeconds: 3,
      transcriptOpens: 2,
      restedReplies: 1,
      toolCalls: 3,
      screenTurns: 2,
    }
  : {
      cycles: 30,
      speechLostTurns: 8,
      underrunSeconds: { smooth: 20, jittered: 30, bursty: 20 },
      idleSeconds: 30,
      conversationSeconds: 60,
      transcriptOpens: 10,
      restedReplies: 5,
      toolCalls: 40,
      screenTurns: 12,
    };

const problems: string[] = [];
const phases: { name: string; seconds: number; loadAverage: string }[] = [];
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** Runs one measurement; a failure is recorded as a figure that could not be measured. */
async function attempt<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  const startedAt = wallClock();
  console.log(`bench: ${name}…`);
  try {
    return await run();
  } catch (error) {
    problems.push(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    console.error(`bench: ${name} could not be measured: ${String(error)}`);
    return undefined;
  } finally {
    phases.push({ name, seconds: (wallClock() - startedAt) / 1000, loadAverage: loadAverage() });
  }
}

const startedAt = wallClock();
const loadAtStart = loadAverage();
const measured: Measurements = { turns: {}, excludedTurns: {}, turnUnderruns: {}, underruns: {} };
const outputLatencies: Partial<Record<Variant, { base: number; output: number }>> = {};
const clockOffsets: number[] = [];

// First, while this process holds nothing else: main's memory is then the harness and the app alone.
measured.resources = await attempt('CPU and memory', () =>
  measureResources(plan.idleSeconds, plan.conversationSeconds),
);
for (const variant of ['parley', 'reference'] as const) {
  const app = await attempt(`${variant} pipeline: start`, () => BenchApp.start({ variant }));
  if (!app) continue;
  const recording = new Recording(app);
  const turns = await attempt(`${variant} pipeline: turns`, () => measureTurns(app, recording, plan.cycles));
  measured.turns[variant] = turns?.turns;
  measured.excludedTurns[variant] = turns?.excluded;
  measured.turnUnderruns[variant] = underrunsSoFar(recording);
  measured.underruns[variant] = await attempt(`${variant} pipeline: underruns`, () =>
    measureUnderruns(app, recording, plan.underrunSeconds),
  );
  if (variant === 'parley') {
    measured.speechLost = await attempt('speech lost at key down', () =>
      measureSpeechLost(app, recording, plan.speechLostTurns),
    );
    measured.restedOutput = await attempt('reply after the output rested', () =>
      measureRestedOutput(app, recording, plan.restedReplies),
    );
  }
  outputLatencies[variant] = await attempt(`${variant} pipeline: output latency`, () => outputLatency(app.audioPage));
  clockOffsets.push(...recording.clockOffsets);
  await app.close();
}
measured.transcript = await attempt('transcript: open 10,000 turns', () => measureTranscriptOpen(plan.transcriptOpens));
measured.toolRoundtrip = await attempt('tool calls: round trip in main', () => measureToolRoundtrips(plan.toolCalls));
measured.screenFrames = await attempt('screen turns: key down to the first picture', () =>
  measureScreenFrames(plan.screenTurns),
);
measured.bundles = await attempt('renderer bundles', async () => measureBundleSizes());

const judged = assembleFigures(measured, (problem) => problems.push(problem)).map(judge);
const meta = {
  mode: quick ? 'quick' : 'full',
  date: new Date().toISOString(),
  seconds: (wallClock() - startedAt) / 1000,
  commit: git(['rev-parse', '--short', 'HEAD']),
  uncommittedFiles: git(['status', '--porcelain']).split('\n').filter(Boolean).length,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
  loadAverage: { start: loadAtStart, end: loadAverage() },
  node: process.version,
  chromium: execFileSync(chromiumPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
  pipelines,
  outputLatencies,
  /** System clock minus wall clock at each read-out of the probes: its spread bounds their clock error. */
  clockOffsetMs: clockOffsets.length > 0 ? summarize(clockOffsets) : undefined,
  phases,
};
const results = { meta, figures: judged, details: assembleDetails(measured), problems };
writeFileSync(join(projectRoot, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
const table = markdownTable(judged);
writeFileSync(
  join(projectRoot, 'bench/results.md'),
  [
    `# Bench results (${meta.mode}, ${meta.date})`,
    '',
    `${meta.cpus}; load average ${meta.loadAverage.start} at the start, ${meta.loadAverage.end} at the end; ` +
      `${meta.chromium}; ${meta.seconds.toFixed(0)} s. Distributions: n, p50, p95, max of every sample; ` +
      'budgets on p95. Ratio: reference / Parley. How each figure is measured: bench/README.md.',
    '',
    table,
    '',
    ...(problems.length > 0 ? ['## Not measured', '', ...problems.map((p) => `- ${p.split('\n')[0]}`), ''] : []),
  ].join('\n'),
);
console.log(`\n${table}\n`);
const missed = judged.filter((figure) => figure.status === 'miss').length;
console.log(
  `bench (${meta.mode}): ${judged.length} figures, ${missed} over budget, ${problems.length} not measured; ` +
    `${meta.seconds.toFixed(0)} s, load ${meta.loadAverage.start} → ${meta.loadAverage.end}. bench/results.{json,md}`,
);
process.exit(problems.length > 0 ? 1 : 0);

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8' }).trim();
}
