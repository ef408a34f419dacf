import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildLiveConfig } from '../../electron/main/live/live-config';
import { defaultModel, defaultSessionSettings } from '../../electron/main/live/session-settings';
import {
  LiveConnection,
  LiveConnectError,
  parseDurationMs,
  type LiveEvents,
} from '../../electron/main/live/live-connection';
import { startEmulator, type Emulator } from '../emulator/server';
import {
  bytesOf,
  concatPcm,
  int16FromBytes,
  normalizedCrossCorrelation,
  resample,
  splitFrames,
} from '../support/audio';
import { synthesizeSpeech } from '../support/speech';

/** Every event the wrapper raised, in order, with the reply audio joined up. */
function recorder() {
  const log: string[] = [];
  const audio: Buffer[] = [];
  let resolveTurn: () => void = () => undefined;
  let resolveClose: (close: { code: number; reason: string }) => void = () => undefined;
  const turnDone = new Promise<void>((resolve) => (resolveTurn = resolve));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (resolveClose = resolve));
  const events: LiveEvents = {
    serverActivity: () => undefined,
    audio: (pcm) => audio.push(pcm),
    inputTranscript: (text, finished) => log.push(`in:${text}${finished ? '|' : ''}`),
    outputTranscript: (text, finished) => log.push(`out:${text}${finished ? '|' : ''}`),
    text: (text) => log.push(`text:${text}`),
    interrupted: () => log.push('interrupted'),
    generationComplete: () => log.push('generationComplete'),
    turnComplete: (usage) => {
      log.push(`turnComplete:${usage?.totalTokenCount ?? 'no usage'}`);
      resolveTurn();
    },
    toolCall: (calls) => log.push(`toolCall:${calls.map((call) => call.name).join(',')}`),
    toolCallCancellation: (ids) => log.push(`cancelled:${ids.join(',')}`),
    grounding: (grounding) => log.push(`grounding:${grounding.queries.join(',')}`),
    resumptionHandle: () => log.push('handle'),
    goAway: (ms) => log.push(`goAway:${ms}`),
    closed: (code, reason) => resolveClose({ code, reason }),
  };
  return { events, log, audio, turnDone, closed };
}

describe('LiveConnection against the emulator', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ pacing: { mode: 'fast', speedFactor: 20 } });
  });
  after(() => emulator.close());

  const open = (events: LiveEvents, apiKey = 'test-key', model = defaultModel) =>
    LiveConnection.open(
      {
        apiKey,
        endpoint: { baseUrl: emulator.url, apiVersion: 'v1beta' },
        model,
        config: buildLiveConfig(defaultModel, { ...defaultSessionSettings, voiceName: 'Kore' }),
      },
      events,
    );

  it('runs a manual-VAD turn: activityStart, 20 ms frames, activityEnd, then the spoken reply', async () => {
    const speech = await synthesizeSpeech('Parley turns speech into answers.');
    const rec = recorder();
    const connection = await open(rec.events);
    const setup = emulator.connection().setup as { realtimeInputConfig?: unknown };
    assert.deepEqual(setup.realtimeInputConfig, {
      automaticActivityDetection: { disabled: true },
      activityHandling: 'START_OF_ACTIVITY_INTERRUPTS',
    });
    connection.activityStart();
    const frames = splitFrames(speech.samples, 320);
    for (const frame of frames) connection.audio(bytesOf(frame));
    connection.activityEnd();
    await rec.turnDone;
    connection.close();

    const sent = emulator
      .connection()
      .frames('in')
      .map((frame) => Object.keys(frame.message?.realtimeInput ?? {})[0]);
    assert.deepEqual(sent, [undefined, 'activityStart', ...frames.map(() => 'audio'), 'activityEnd']);
    const turnComplete = rec.log.findIndex((entry) => entry.startsWith('turnComplete:'));
    assert.ok(rec.log.indexOf('generationComplete') >= 0 && rec.log.indexOf('generationComplete') < turnComplete);
    assert.equal(rec.log.at(-1), 'handle', 'a fresh resumption handle once the turn is over');
    assert.ok(
      rec.log.some((entry) => entry.startsWith('in:') && entry.endsWith('|')),
      'finished input transcript',
    );
    assert.ok(
      rec.log.some((entry) => entry.startsWith('out:')),
      'output transcript',
    );
    assert.match(
      rec.log.find((entry) => entry.startsWith('turnComplete'))!,
      /turnComplete:\d+/,
    );

    const reply = { sampleRate: 24000, samples: int16FromBytes(Buffer.concat(rec.audio)) };
    const back = resample(reply, 16000).samples;
    const { correlation } = normalizedCrossCorrelation(concatPcm(frames), back);
    assert.ok(correlation >= 0.9, `echo correlation ${correlation.toFixed(3)}`);
  });

  it('rejects a bad key with the service close code, so callers know not to retry', async () => {
    const rec = recorder();
    await assert.rejects(open(rec.events, 'wrong-key'), (error: unknown) => {
      assert.ok(error instanceof LiveConnectError);
      assert.equal(error.code, 1007);
      assert.match(error.message, /API key not valid/);
      return true;
    });
  });

  it('rejects an unknown model with 1008', async () => {
    await assert.rejects(open(recorder().events, 'test-key', 'gemini-0-nonexistent'), { code: 1008 });
  });

  it('reports a closed connection with its code and reason', async () => {
    await emulator.loadScenario({
      events: [{ afterMs: 20, type: 'close', code: 1011, reason: 'Internal error occurred.' }],
    });
    const rec = recorder();
    await open(rec.events);
    assert.deepEqual(await rec.closed, { code: 1011, reason: 'Internal error occurred.' });
    await emulator.loadScenario({});
  });

  it('closes the socket of a setup that never completes, instead of leaving it open', async () => {
    await emulator.loadScenario({ setupCompleteDelayMs: 60_000 });
    const opening = LiveConnection.open(
      {
        apiKey: 'test-key',
        endpoint: { baseUrl: emulator.url, apiVersion: 'v1beta' },
        model: defaultModel,
        config: buildLiveConfig(defaultModel, defaultSessionSettings),
        setupTimeoutMs: 300,
      },
      recorder().events,
    );
    await assert.rejects(opening, { code: 1006 });
    const waiting = emulator.connections().at(-1)!;
    const close = await waiting.waitForClose();
    assert.equal(close.by, 'client', 'Parley hung up; the server did not have to');
    await emulator.loadScenario({});
  });

  it('reports nothing more once closed, though the server is still sending', async () => {
    const speech = await synthesizeSpeech('Quiet now.');
    const rec = recorder();
    const connection = await open(rec.events);
    connection.activityStart();
    for (const frame of splitFrames(speech.samples, 320)) connection.audio(bytesOf(frame));
    connection.activityEnd();
    while (!rec.log.some((line) => line.startsWith('out:'))) await new Promise((resolve) => setTimeout(resolve, 5));
    connection.close();
    const seen = rec.log.length;
    // The rest of the reply, its end and its handle would all arrive within this (20× fast pacing).
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(rec.log.length, seen, rec.log.slice(seen).join(', '));
  });
});

describe('live helpers', () => {
  it('parses goAway durations', () => {
    assert.equal(parseDurationMs('50s'), 50_000);
    assert.equal(parseDurationMs('1.5s'), 1500);
    assert.equal(parseDurationMs('soon'), undefined);
    assert.equal(parseDurationMs(undefined), undefined);
  });

  it('asks for text without output transcription in TEXT mode, and resumes with a handle', () => {
    const halfCascade = 'gemini-2.0-flash-live-001';
    const config = buildLiveConfig(
      halfCascade,
      { ...defaultSessionSettings, responseModality: 'TEXT' },
      { resumptionHandle: 'h1' },
    );
    assert.deepEqual(config.responseModalities, ['TEXT']);
    assert.equal(config.outputAudioTranscription, undefined);
    assert.deepEqual(config.sessionResumption, { handle: 'h1' });
  });
});
