/**
 * The hidden, never-throttled audio renderer: the microphone and the
 * speakers, driven by main over typed IPC. It lives for the whole run so audio
 * works while every visible window is closed.
 */
import { captureFrameMaxBytes } from '../../shared/capture-frame';
import type { AudioSetup } from '../../shared/types';
import { parley, unwrap } from '../lib/parley';
import { ScreenCapture } from '../screen/screen-capture';
import { CaptureError } from './capture/capture-error';
import { MicrophoneCapture } from './capture/microphone-capture';
import { CuePlayer } from './cues/cue-player';
import { listDevices } from './devices/device-list';
import { AudioOutput } from './playback/audio-output';
import { PcmPlayer } from './playback/pcm-player';
import { pipelineFromQuery } from './pipeline-parameters';

// Main opens this page without a query; the benchmark adds one to try other parameters.
const pipeline = pipelineFromQuery(location.search);
const capture = new MicrophoneCapture(pipeline.captureFrameSamples);
// Long enough for a reply to begin after the key is released; the output rests in between.
const outputRestMs = 3000;
const output = new AudioOutput({ suspendWhenIdleMs: outputRestMs });
const cues = new CuePlayer(output);
const player = PcmPlayer.create(output, pipeline);
/** The turn whose frames are flowing; frames belong to no turn outside one. */
let liveTurn: number | undefined;

capture.onFrame((frame) => {
  if (liveTurn === undefined) return;
  // A frame longer than IPC carries (only under other pipeline parameters) goes as consecutive pieces.
  if (frame.byteLength <= captureFrameMaxBytes) {
    parley.captureFrame({ turnId: liveTurn, pcm: new Uint8Array(frame) });
    return;
  }
  for (let offset = 0; offset < frame.byteLength; offset += captureFrameMaxBytes) {
    parley.captureFrame({ turnId: liveTurn, pcm: new Uint8Array(frame.slice(offset, offset + captureFrameMaxBytes)) });
  }
});
capture.onLevel((level) => parley.inputLevel({ level: Math.min(1, level) }));
capture.onError((error) => {
  if (liveTurn !== undefined) parley.captureFailed({ turnId: liveTurn, kind: error.kind, message: error.message });
});

parley.onCaptureStart(async ({ turnId, options, cue }) => {
  liveTurn = turnId;
  // A reply (or the ready cue) follows: have the output running by then.
  void output.resume();
  try {
    await capture.start(options);
    if (cue) cues.play('ready');
    parley.captureStarted({ turnId });
    // The first microphone permission reveals the devices; no devicechange says so.
    void reportDevices().catch(() => undefined);
  } catch (error) {
    if (liveTurn === turnId) liveTurn = undefined;
    output.rest();
    const failure = error instanceof CaptureError ? error : new CaptureError('failed', String(error));
    parley.captureFailed({ turnId, kind: failure.kind, message: failure.message });
  }
});

parley.onCaptureStop(async ({ turnId }) => {
  if (liveTurn !== turnId) return;
  // stop() resolves only after the last (partial) frame went out: the end mark follows it.
  const frames = await capture.stop().catch(() => 0);
  if (liveTurn === turnId) liveTurn = undefined;
  parley.captureEnded({ turnId, frames });
  // The reply, if one comes, holds the output anew.
  output.rest();
});

/** Warm: the stream stays open with a pre-roll between turns; cold: closed until the next press. */
async function applySetup({
  capture: options,
  warmMicrophone,
  outputDeviceId,
  repliesVolume,
}: AudioSetup): Promise<void> {
  output.repliesVolume = repliesVolume;
  await chooseOutput(outputDeviceId ?? '');
  if (warmMicrophone) await capture.warm(options).catch(() => undefined);
  else await capture.release();
}

/** A device that cannot be used (gone, unsupported) leaves replies on the default output, and main hears why. */
async function chooseOutput(deviceId: string): Promise<void> {
  try {
    await output.setSinkId(deviceId);
  } catch (error) {
    parley.outputDeviceFailed({ deviceId, message: error instanceof Error ? error.message : String(error) });
    if (deviceId !== '') await output.setSinkId('').catch(() => undefined);
  }
}
parley.onAudioSetupChanged((setup) => void applySetup(setup));
// Main decides which device to use (a missing one gives way to the default); it needs to know what is plugged in.
async function reportDevices(): Promise<void> {
  const devices = await listDevices();
  if (devices) parley.mediaDevices(devices);
}
navigator.mediaDevices.addEventListener('devicechange', () => void reportDevices().catch(() => undefined));
void reportDevices().catch(() => undefined);
void capture.prepare().catch(() => undefined);
output.rest();
void unwrap(parley.getAudioSetup()).then(applySetup);

parley.onPlayCue(({ cue }) => cues.play(cue));
parley.onPlaybackChunk(async ({ pcm }) => {
  (await player).enqueue(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength) as ArrayBuffer);
});
parley.onPlaybackFlush(async () => (await player).flush());
parley.onPlaybackEndOfReply(async () => (await player).endOfReply());

// The screen, only while a screen turn holds it: main opens it, grabs frames and closes it.
const screen = new ScreenCapture({ frame: parley.screenFrame, failed: parley.screenFailed });
parley.onScreenOpen(({ turnId }) => screen.open(turnId));
parley.onScreenGrab(({ turnId, grabId, resolution }) => void screen.grab(turnId, grabId, resolution));
parley.onScreenClose(({ turnId }) => screen.close(turnId));

void player.then((ready) =>
  ready.onPlayingChange(async (playing) => {
    parley.playbackState({ playing, underruns: (await ready.stats()).underruns });
  }),
);
