// `npm run demo:turn`: real push-to-talk turns through the built app in the
// harness (Chromium with a WAV as the microphone, real key events under Xvfb),
// against the emulator or, with PARLEY_LIVE_URL and GEMINI_API_KEY, any Live server.
// The tools Gemini may call, and how their approval cards are answered with nobody at the
// keyboard, come from --tools and --approve (demo-tools.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultModel } from '../../electron/main/live/session-settings';
import { hotkeyBinding } from '../../shared/hotkey-status';
import type { TranscriptEntry } from '../../shared/types';
import { startEmulator, type Emulator } from '../emulator/server';
import { sharedXDisplay } from '../harness/conversation';
import { Harness } from '../harness/harness';
import { tapLevels, wallClock } from '../harness/output-tap';
import { xdotool } from '../harness/xvfb';
import { correlationInLoop } from '../support/alignment';
import { concatPcm, readWav } from '../support/audio';
import {
  approveChoice,
  checkMcpFile,
  denyEveryCard,
  everyTool,
  groundingSources,
  installMcpFile,
  runPermission,
  toolCallSummaries,
  toolsChoice,
  toolsReady,
  type ApproveChoice,
  type ToolCallSummary,
  type ToolsChoice,
} from './demo-tools';
import { watchToolWire } from './tool-wire';
import { watchVideoWire } from './video-wire';
import { watchLiveWire } from './wire-log';

const usage = [
  'usage: npm run demo:turn -- --wav FILE.wav [--hold-ms N] [--model M] [--mode hold|toggle|hybrid] [--turns N]',
  '         [--tools builtin|none|MCP_JSON] [--approve all|none] [--search] [--look] [--scenario FILE] [--json]',
  "  --tools    builtin (default): Parley's own tools; none: no tool declared; a path: its mcp.json servers too",
  '  --approve  all: every tool runs without asking; none: every call denied;',
  "             default: Parley's permissions (read-only built-ins run), every approval card denied",
  '  --search   turns Google Search on',
  "  --look     holds the screen hotkey instead: Gemini also sees the harness's test screen",
  '  --scenario an emulator scenario JSON (what the emulator replies, the tools it calls)',
].join('\n');

interface Summary {
  ok: boolean;
  model: string;
  turns: number;
  framesSent: number;
  /** Frames the audio renderer says it captured (its own count at each turn's end). */
  framesCaptured: number;
  /** Every frame the audio renderer captured went on the wire, byte for byte, in order, and nothing else did. */
  capturedFramesSent: boolean;
  frameBytes: number[];
  activityStartBeforeFirstFrame: boolean;
  activityEndAfterLastFrame: boolean;
  inputCorrelation: number;
  replyChunks: number;
  replyAudibleRms: number;
  userText: string;
  replyText: string;
  interrupted: boolean;
  /** The functions the run's sessions declared to Gemini. */
  declaredFunctions: string[];
  toolCalls: ToolCallSummary[];
  groundingSources: { title: string; uri: string }[];
  /** Pictures of the screen on the wire (--look), and their sizes. */
  videoFrames: number;
  videoFrameSizes: string[];
  closeCode: number | null;
  error: string | null;
}

const { values } = parseArgs({
  options: {
    wav: { type: 'string' },
    'hold-ms': { type: 'string', default: '2000' },
    model: { type: 'string', default: defaultModel },
    mode: { type: 'string', default: 'hold' },
    turns: { type: 'string', default: '1' },
    tools: { type: 'string', default: 'builtin' },
    approve: { type: 'string' },
    search: { type: 'boolean', default: false },
    look: { type: 'boolean', default: false },
    scenario: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const holdMs = Number(values['hold-ms']);
const turns = Number(values.turns);
const mode = values.mode as 'hold' | 'toggle' | 'hybrid';
const external = Boolean(process.env.PARLEY_LIVE_URL && process.env.GEMINI_API_KEY);
if (!values.wav || !(holdMs > 0) || !(turns >= 1) || !['hold', 'toggle', 'hybrid'].includes(mode)) {
  console.error(usage);
  process.exit(2);
}
const { tools, approve } = toolFlags();

const wire = watchLiveWire();
const toolWire = watchToolWire();
const videoWire = watchVideoWire();
const summary = await runDemo(values.wav, values.model).catch((error: unknown) => failure(String(error)));
printSummary(summary);
process.exit(summary.ok ? 0 : 1);

/** The tool flags, checked before anything starts: a bad one exits with what to give instead. */
function toolFlags(): { tools: ToolsChoice; approve: ApproveChoice } {
  try {
    const tools = toolsChoice(values.tools);
    if (tools.kind === 'mcp') checkMcpFile(tools.file);
    if (values.scenario && external) {
      throw new Error('--scenario scripts the emulator: it does not apply with PARLEY_LIVE_URL');
    }
    return { tools, approve: approveChoice(values.approve) };
  } catch (error) {
    console.error(`demo:turn: ${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
}

async function runDemo(wav: string, model: string): Promise<Summary> {
  const microphone = await readWav(wav).catch((error: unknown) => {
    throw new Error(`${wav} is not a 16-bit PCM mono WAV file (${String(error)})`);
  });
  const emulator: Emulator | undefined = external ? undefined : await startEmulator({ scenario: values.scenario });
  const display = await sharedXDisplay();
  // Parley reads mcp.json from its user-data folder as it starts: the folder is made here to hold it.
  const userDataDir = tools.kind === 'mcp' ? mkdtempSync(join(tmpdir(), 'parley-demo-')) : undefined;
  if (tools.kind === 'mcp') installMcpFile(tools.file, userDataDir!);
  const harness = await Harness.start({
    userDataDir,
    env: {
      DISPLAY: display,
      PARLEY_LIVE_URL: emulator?.url ?? process.env.PARLEY_LIVE_URL,
      GEMINI_API_KEY: emulator ? 'test-key' : process.env.GEMINI_API_KEY,
      PARLEY_API_VERSION: process.env.PARLEY_API_VERSION,
    },
    microphoneWav: wav,
    settings: {
      model,
      hotkey: { accelerator: 'Control+Shift+Space', mode },
      capture: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      cues: false,
    },
  });
  let stopDenying: () => Promise<void> = () => Promise.resolve();
  try {
    const hotkey = await harness.app.hotkeyReady;
    const pushToTalk = hotkeyBinding(hotkey, false);
    if (!hotkey.keyReleases || pushToTalk?.problem)
      throw new Error(`the key hook did not start: ${(hotkey.problem ?? pushToTalk?.problem)?.reason}`);
    await prepareTools(harness);
    const audioPage = await harness.page('audio');
    if (approve !== 'all') stopDenying = denyEveryCard(harness, await harness.page('transcript'));
    const startedAt = wallClock();
    for (let turn = 1; turn <= turns; turn++) {
      if (!values.json) console.log(`turn ${turn}: ${mode}, ${holdMs} ms`);
      await talk(display, holdMs);
      await replyDone(harness, turn);
    }
    return summarize(harness, model, microphone.samples, await tapLevels(audioPage, startedAt));
  } finally {
    await stopDenying();
    await harness.close();
    await emulator?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  }
}

/** Waits for the MCP servers, then sets the permissions and Google Search for the run (before any session). */
async function prepareTools(harness: Harness): Promise<void> {
  if (tools.kind === 'builtin' && approve === 'default' && !values.search) return;
  const view = await toolsReady(harness);
  const permission = runPermission(tools, approve);
  const toolSettings = permission ? everyTool(view, permission) : view.settings.tools;
  await harness.app.updateSettings({ tools: { ...toolSettings, googleSearch: values.search } });
  // As the user closes Settings: the turns run as they would with it closed.
  harness.window('settings').requestClose();
}

async function talk(display: string, ms: number): Promise<void> {
  // The screen hotkey (the default one) with --look: the same turn, and Gemini sees the screen.
  const chord = values.look ? 'ctrl+alt+shift+space' : 'ctrl+shift+space';
  if (mode === 'hold' || mode === 'hybrid') {
    // Hybrid treats a press held past 300 ms as push-to-talk, like hold.
    await xdotool(display, 'keydown', chord);
    await sleep(ms);
    await xdotool(display, 'keyup', chord);
  } else {
    await xdotool(display, 'key', chord);
    await sleep(ms);
    await xdotool(display, 'key', chord);
  }
}

/** A turn is done once idle with its reply complete and none of its tool calls waiting or running. */
async function replyDone(harness: Harness, turn: number, timeoutMs = 30_000): Promise<void> {
  for (let waited = 0; waited < timeoutMs; waited += 50) {
    const entries = harness.app.transcript.all();
    const replies = entries.filter((entry) => entry.role === 'model' && entry.state !== 'streaming');
    const callsOpen = entries.some((entry) => entry.role === 'tool' && entry.state === 'streaming');
    if (replies.length >= turn && !callsOpen && harness.app.status.current.state === 'idle') return;
    if (harness.app.status.current.state === 'error') throw new Error(harness.app.status.current.detail);
    await sleep(50);
  }
  throw new Error(`no complete reply to turn ${turn} within ${timeoutMs / 1000} s`);
}

function summarize(harness: Harness, model: string, mic: Int16Array, levels: { rms: number }[]): Summary {
  const captured = harness.ipc.log
    .filter((entry) => entry.channel === 'capture:frame')
    .map((entry) => entry.payload as { turnId: number; pcm: Uint8Array });
  // Each turn picks the looping microphone file up at another point: correlate turn by turn.
  const turnAudio = new Map<number, Int16Array[]>();
  for (const { turnId, pcm } of captured) {
    const frames = turnAudio.get(turnId) ?? [];
    frames.push(new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 2));
    turnAudio.set(turnId, frames);
  }
  const correlations = [...turnAudio.values()].map((frames) => correlationInLoop(mic, concatPcm(frames)));
  const framesCaptured = harness.ipc.log
    .filter((entry) => entry.channel === 'capture:ended')
    .reduce((sum, entry) => sum + (entry.payload as { frames: number }).frames, 0);
  const sentAudio = wire.sent.flatMap((event) => (event.kind === 'audio' ? [event.data] : []));
  const kinds = wire.sent.map((event) => event.kind);
  const firstAudio = kinds.indexOf('audio');
  const lastAudio = kinds.lastIndexOf('audio');
  const entries = harness.app.transcript.all();
  const text = (role: TranscriptEntry['role']) =>
    entries
      .filter((entry) => entry.role === role)
      .map((entry) => entry.text)
      .join(' | ');
  const audible = levels.filter((level) => level.rms > 0.001);
  const summary: Summary = {
    ok: false,
    model,
    turns,
    framesSent: sentAudio.length,
    framesCaptured,
    capturedFramesSent:
      captured.length === framesCaptured &&
      sentAudio.length === captured.length &&
      captured.every(({ pcm }, i) => Buffer.from(pcm).toString('base64') === sentAudio[i]),
    frameBytes: [...new Set(wire.sent.flatMap((event) => (event.bytes === undefined ? [] : [event.bytes])))],
    activityStartBeforeFirstFrame: firstAudio > 0 && kinds.indexOf('activityStart') < firstAudio,
    activityEndAfterLastFrame: lastAudio >= 0 && kinds.lastIndexOf('activityEnd') > lastAudio,
    inputCorrelation: correlations.length > 0 ? round(Math.min(...correlations)) : 0,
    replyChunks: harness.ipc.log.filter((entry) => entry.channel === 'playback:chunk').length,
    replyAudibleRms: round(
      Math.sqrt(audible.reduce((sum, level) => sum + level.rms ** 2, 0) / Math.max(1, audible.length)),
    ),
    userText: text('user'),
    replyText: text('model'),
    interrupted: entries.some((entry) => entry.state === 'interrupted'),
    declaredFunctions: declaredFunctions(),
    toolCalls: toolCallSummaries(toolWire, entries),
    groundingSources: groundingSources(entries),
    ...videoFigures(),
    closeCode: wire.closeCodes.at(-1) ?? null,
    error: null,
  };
  summary.ok =
    summary.activityStartBeforeFirstFrame &&
    summary.activityEndAfterLastFrame &&
    summary.capturedFramesSent &&
    summary.replyText.length > 0 &&
    summary.toolCalls.every((call) => call.ms !== null) &&
    (!values.look || summary.videoFrames > 0);
  return summary;
}

function failure(error: string): Summary {
  return {
    ok: false,
    model: values.model ?? defaultModel,
    turns,
    framesSent: wire.sent.filter((event) => event.kind === 'audio').length,
    framesCaptured: 0,
    capturedFramesSent: false,
    frameBytes: [],
    activityStartBeforeFirstFrame: false,
    activityEndAfterLastFrame: false,
    inputCorrelation: 0,
    replyChunks: 0,
    replyAudibleRms: 0,
    userText: '',
    replyText: '',
    interrupted: false,
    declaredFunctions: declaredFunctions(),
    toolCalls: toolCallSummaries(toolWire, []),
    groundingSources: [],
    ...videoFigures(),
    closeCode: wire.closeCodes.at(-1) ?? null,
    error,
  };
}

/** "768×432, 61 KB" for each picture sent. */
function videoFigures(): Pick<Summary, 'videoFrames' | 'videoFrameSizes'> {
  const sizes = videoWire.videos.map((video) => `${video.width}×${video.height}, ${Math.round(video.bytes / 1024)} KB`);
  return { videoFrames: sizes.length, videoFrameSizes: sizes };
}

function declaredFunctions(): string[] {
  return [...new Set(toolWire.setups.flatMap((setup) => setup.functions))];
}

function printSummary(summary: Summary): void {
  if (values.json) {
    console.log(JSON.stringify(summary));
    return;
  }
  console.log(`\n${summary.ok ? 'OK' : 'FAILED'}: ${summary.turns} turn(s) on ${summary.model}`);
  console.log(
    `  sent ${summary.framesSent} frames (${summary.frameBytes.join(', ')} bytes), input correlation ${summary.inputCorrelation}`,
  );
  console.log(
    `  captured ${summary.framesCaptured} frames, ${summary.capturedFramesSent ? 'every one' : 'NOT every one'} sent as captured, in order`,
  );
  console.log(
    `  activityStart before the first frame: ${summary.activityStartBeforeFirstFrame}; activityEnd after the last: ${summary.activityEndAfterLastFrame}`,
  );
  console.log(
    `  reply: ${summary.replyChunks} chunks, audible rms ${summary.replyAudibleRms}, interrupted: ${summary.interrupted}`,
  );
  console.log(`  you: ${summary.userText || '(nothing)'}\n  gemini: ${summary.replyText || '(nothing)'}`);
  console.log(`  tools declared: ${summary.declaredFunctions.join(', ') || '(none)'}`);
  for (const call of summary.toolCalls) {
    const outcome = JSON.stringify(call.output ?? call.error);
    console.log(`  tool ${call.name} ${JSON.stringify(call.args)}: ${call.status} in ${call.ms ?? '—'} ms: ${outcome}`);
  }
  for (const source of summary.groundingSources) console.log(`  source: ${source.title} <${source.uri}>`);
  if (values.look)
    console.log(`  pictures of the screen sent: ${summary.videoFrames} (${summary.videoFrameSizes.join('; ')})`);
  if (summary.error) console.log(`  error: ${summary.error}`);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
