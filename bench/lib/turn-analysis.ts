import type { RecordedFrame } from '../../test/emulator/recorder';
import type { CapturePortEvent } from './probe';
import { captureFrameAt, channels, wallOf, type Recording, type TimedQuantum, type TurnMarks } from './recording';

/** Above this peak a quantum is heard (the bench's replies are tones at 0.5). */
export const audiblePeak = 0.01;
/** Below this peak a quantum is silence (as the e2e barge-in test has it). */
export const silentPeak = 0.001;
/** mic_to_wire follows every this many samples (2.5 ms at 16 kHz). */
const sampleStride = 40;

/** What the bench did in one turn, on the wall clock. */
/** One turn's figures, ms; a figure is absent where the turn does not have it. */
export interface TurnFigures {
  keyDownDelivery: number;
  keyUpDelivery: number;
  keydownToActivityStart: number;
  keyupToActivityEnd: number;
  /** Key up → main asks the renderer to stop (the auto-repeat filter's wait is in here). */
  keyupToStopSent: number;
  /** Stop sent → the renderer's end mark back in main (IPC both ways, the worklet's last frame). */
  stopToEndMark: number;
  serverShare?: number;
  firstChunkToAudible?: number;
  /** First chunk sent by the emulator → main forwards it to the renderer. */
  chunkToMainForward?: number;
  turnaround?: number;
  /**
   * A reply played to its end went silent before main even sent the end mark
   * (the emulator reports the turn complete when playback should end, so the
   * two race): the player ran dry at the reply's end, not in its middle.
   */
  drainedBeforeEndMark?: boolean;
  bargeInSilence?: number;
  /** Key down → main sends the flush. */
  bargeInFlushSent?: number;
  /** Sample-by-sample, live samples only. */
  micToWire: number[];
  /** Each frame's last sample → its wire frame: the transport alone. */
  frameTransport: number[];
  /** How much of what was said from the key press on was not sent (0 when the first sent sample is older). */
  speechLost: number;
  /** Key press − the first sent sample's capture: how far back the turn's audio reaches. */
  lookback: number;
}

const isIn = (frame: RecordedFrame, kind: 'activityStart' | 'activityEnd' | 'audio') =>
  frame.direction === 'in' && frame.message?.realtimeInput?.[kind] !== undefined;

const isReplyAudio = (frame: RecordedFrame) =>
  frame.direction === 'out' && frame.message.serverContent?.modelTurn?.parts.some((part) => part.inlineData) === true;

/** The port events of the `index`-th turn the page captured: its live mark and its frames. */
export function turnCapture(port: readonly CapturePortEvent[], index: number) {
  const lives = port.flatMap((event, position) => (event.type === 'live' ? [position] : []));
  const from = lives[index];
  if (from === undefined) throw new Error(`the capture worklet reported no turn ${index}`);
  const to = lives[index + 1] ?? port.length;
  const frames = port.slice(from + 1, to).filter((event) => event.type === 'frame');
  return { liveFrame: captureFrameAt(port[from]!.time), frames };
}

export function analyzeTurn(
  recording: Recording,
  marks: TurnMarks,
  captureIndex: number,
  next?: TurnMarks,
): TurnFigures {
  const keyDown = findKeyEvent(recording, 'down', marks.downInvokedAt);
  const keyUp = findKeyEvent(recording, 'up', marks.upInvokedAt);
  const wire = recording.frames;
  const start = firstFrom(wire, marks.framesAtDown, (frame) => isIn(frame, 'activityStart'), 'activityStart');
  const end = firstFrom(wire, marks.framesAtUp, (frame) => isIn(frame, 'activityEnd'), 'activityEnd');
  const audio = wire.filter(
    (frame) =>
      frame.seq > start.seq && frame.seq < end.seq && frame.connectionId === end.connectionId && isIn(frame, 'audio'),
  );
  const stopSent = firstAt(recording.ipcOn(channels.captureStop, 'event'), keyUp.at, 'capture stop');
  const endMark = firstAt(recording.ipcOn(channels.captureEnded, 'send'), stopSent, 'capture end mark');
  const capture = samplesToWire(recording, turnCapture(recording.port, captureIndex), audio);
  const figures: TurnFigures = {
    keyDownDelivery: keyDown.at - marks.downInvokedAt,
    keyUpDelivery: keyUp.at - marks.upInvokedAt,
    keydownToActivityStart: wallOf(start) - keyDown.at,
    keyupToActivityEnd: wallOf(end) - keyUp.at,
    keyupToStopSent: stopSent - keyUp.at,
    stopToEndMark: endMark - stopSent,
    micToWire: capture.micToWire,
    frameTransport: capture.frameTransport,
    speechLost: Math.max(0, capture.firstEnteredAt - keyDown.at),
    lookback: keyDown.at - capture.firstEnteredAt,
  };
  const chunk = wire.find((frame) => frame.seq > end.seq && isReplyAudio(frame));
  if (chunk) {
    const chunkAt = wallOf(chunk);
    const heard = recording.output.find((q) => q.at >= chunkAt && q.peak > audiblePeak);
    figures.serverShare = chunkAt - wallOf(end);
    figures.chunkToMainForward = firstAt(recording.ipcOn(channels.playbackChunk, 'event'), chunkAt, 'chunk') - chunkAt;
    if (heard) {
      figures.firstChunkToAudible = heard.at - chunkAt;
      figures.turnaround = heard.at - keyUp.at;
    }
    if (!next?.bargeIn) {
      const endMark = firstAt(recording.ipcOn(channels.playbackEndOfReply, 'event'), chunkAt, 'end of reply');
      const lastHeard = recording.output.findLast((q) => q.at < endMark + 1000 && q.peak > audiblePeak);
      if (lastHeard) figures.drainedBeforeEndMark = lastHeard.at < endMark;
    }
  }
  if (next?.bargeIn) Object.assign(figures, bargeIn(recording, next));
  return figures;
}

/** The next turn's key down cut this turn's reply: how long until the master gain was silent. */
function bargeIn(recording: Recording, next: TurnMarks): Pick<TurnFigures, 'bargeInSilence' | 'bargeInFlushSent'> {
  const keyDown = findKeyEvent(recording, 'down', next.downInvokedAt);
  const nextChunk = recording.frames.find((frame) => frame.seq >= next.framesAtUp && isReplyAudio(frame));
  const until = nextChunk ? wallOf(nextChunk) : Infinity;
  const output = recording.output;
  const playing = output.some((q) => q.at >= keyDown.at - 100 && q.at < keyDown.at && q.peak > audiblePeak);
  if (!playing) throw new Error(`no reply was playing at the barge-in at ${keyDown.at}`);
  const after = output.filter((q) => q.at >= keyDown.at && q.at < until);
  const lastLoud = after.findLastIndex((q) => q.peak >= silentPeak);
  const silent: TimedQuantum | undefined = after[lastLoud + 1];
  if (!silent) throw new Error(`the reply never went silent after the barge-in at ${keyDown.at}`);
  const flush = firstAt(recording.ipcOn(channels.playbackFlush, 'event'), keyDown.at, 'flush');
  return { bargeInSilence: silent.at - keyDown.at, bargeInFlushSent: flush - keyDown.at };
}

interface CaptureLatencies {
  micToWire: number[];
  frameTransport: number[];
  firstEnteredAt: number;
}

/**
 * Lines the turn's captured frames (pre-roll first) up with its audio on the
 * wire sample by sample (the wire may carry a frame in several pieces), and
 * times each followed sample from entering capture to reaching the emulator.
 */
function samplesToWire(
  recording: Recording,
  capture: ReturnType<typeof turnCapture>,
  wire: readonly RecordedFrame[],
): CaptureLatencies {
  const wireEnds: number[] = [];
  let total = 0;
  for (const frame of wire) {
    const data = frame.direction === 'in' ? frame.message?.realtimeInput?.audio?.data : undefined;
    wireEnds.push((total += Buffer.from(data ?? '', 'base64').length / 2));
  }
  const captured = capture.frames.reduce((sum, frame) => sum + frame.samples, 0);
  if (captured !== total) throw new Error(`${captured} samples captured but ${total} on the wire`);
  const first = capture.frames[0];
  const firstEnteredAt = first && recording.captureEnteredAt(captureFrameAt(first.time));
  if (firstEnteredAt === undefined) throw new Error('the capture probe missed the turn’s first sample');
  const arrival = (sample: number) => wallOf(wire[upperBound(wireEnds, sample)]!);
  const micToWire: number[] = [];
  const frameTransport: number[] = [];
  let offset = 0;
  for (const frame of capture.frames) {
    const firstFrame = captureFrameAt(frame.time);
    for (let k = 0; k < frame.samples; k += sampleStride) {
      if (firstFrame + k < capture.liveFrame) continue;
      const entered = recording.captureEnteredAt(firstFrame + k);
      if (entered !== undefined) micToWire.push(arrival(offset + k) - entered);
    }
    const last = frame.samples - 1;
    const lastEntered = recording.captureEnteredAt(firstFrame + last);
    if (lastEntered !== undefined && firstFrame >= capture.liveFrame) {
      frameTransport.push(arrival(offset + last) - lastEntered);
    }
    offset += frame.samples;
  }
  return { micToWire, frameTransport, firstEnteredAt };
}

/** The index of the first end greater than `sample`: the wire frame holding it. */
function upperBound(ends: readonly number[], sample: number): number {
  let low = 0;
  let high = ends.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (ends[middle]! > sample) high = middle;
    else low = middle + 1;
  }
  return low;
}

function findKeyEvent(recording: Recording, type: 'down' | 'up', since: number) {
  // Down: the chord's last key (Space, keycode 57) completes it; up: its first key breaks it.
  const event = recording.keyEvents.find((e) => e.type === type && e.at >= since && (type === 'up' || e.code === 57));
  if (!event) throw new Error(`main never got the key ${type} sent at ${since}`);
  return event;
}

function firstFrom(
  frames: readonly RecordedFrame[],
  from: number,
  predicate: (frame: RecordedFrame) => boolean,
  what: string,
): RecordedFrame {
  const found = frames.slice(from).find(predicate);
  if (!found) throw new Error(`no ${what} on the wire`);
  return found;
}

function firstAt(records: readonly { at: number }[], since: number, what: string): number {
  const found = records.find((record) => record.at >= since);
  if (!found) throw new Error(`main recorded no ${what} after ${since}`);
  return found.at;
}
