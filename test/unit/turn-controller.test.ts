import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Transcript } from '../../electron/main/conversation/transcript';
import { TurnController, type AudioLink, type LiveLink } from '../../electron/main/conversation/turn-controller';
import type { LiveConnection } from '../../electron/main/live/live-connection';
import type { SessionStatus } from '../../shared/types';

/** Records what the controller asks of the audio renderer and puts on the wire, in one ordered log. */
function rig() {
  const log: string[] = [];
  const connection = {
    activityStart: () => log.push('wire:activityStart'),
    audio: (pcm: Uint8Array) => log.push(`wire:audio${pcm[0]}`),
    activityEnd: () => log.push('wire:activityEnd'),
    text: (text: string) => log.push(`wire:text:${text}`),
  } as unknown as LiveConnection;
  let connected = false;
  let resolveConnect: (c: LiveConnection) => void = () => undefined;
  const live: LiveLink = {
    get connection() {
      return connected ? connection : undefined;
    },
    connect: () =>
      new Promise<LiveConnection>((resolve) => {
        resolveConnect = (c) => {
          connected = true;
          resolve(c);
        };
      }),
    explain: (error) => ({ message: String(error), retryable: true }),
  };
  const audio: AudioLink = {
    startCapture: (turnId) => log.push(`audio:start${turnId}`),
    stopCapture: (turnId) => log.push(`audio:stop${turnId}`),
    play: () => log.push('audio:play'),
    flush: () => log.push('audio:flush'),
    endOfReply: () => log.push('audio:endOfReply'),
    cue: (name) => log.push(`audio:cue:${name}`),
  };
  const statuses: SessionStatus[] = [];
  const transcript = new Transcript(() => undefined);
  const controller = new TurnController({
    audio,
    live,
    transcript,
    setStatus: (status) => statuses.push(status),
    capture: () => ({ echoCancellation: true, noiseSuppression: true, autoGainControl: true }),
    cues: () => false,
    endMarkTimeoutMs: 250,
  });
  return {
    log,
    statuses,
    controller,
    transcript,
    connectNow: () => resolveConnect(connection),
    setConnected: () => (connected = true),
  };
}

const frame = (n: number) => new Uint8Array([n, 0]);

describe('TurnController', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('keeps the frames captured while connecting and sends them after activityStart, in order', async () => {
    const { log, controller, connectNow } = rig();
    controller.startTurn();
    controller.captureFrame(1, frame(1));
    controller.captureFrame(1, frame(2));
    connectNow();
    await Promise.resolve();
    await Promise.resolve();
    controller.captureFrame(1, frame(3));
    controller.endTurn('released');
    controller.captureFrame(1, frame(4)); // the flushed partial frame, before the end mark
    controller.captureEnded(1);
    assert.deepEqual(
      log.filter((line) => line.startsWith('wire:')),
      ['wire:activityStart', 'wire:audio1', 'wire:audio2', 'wire:audio3', 'wire:audio4', 'wire:activityEnd'],
    );
  });

  it('ends the activity after a short timeout when the renderer never marks the end', () => {
    const { log, controller, setConnected } = rig();
    setConnected();
    controller.startTurn();
    controller.captureFrame(1, frame(1));
    controller.endTurn('released');
    mock.timers.tick(249);
    assert.ok(!log.includes('wire:activityEnd'));
    mock.timers.tick(1);
    assert.equal(log.at(-1), 'wire:activityEnd');
  });

  it('never sends audio outside an activity', () => {
    const { log, controller, setConnected } = rig();
    setConnected();
    controller.captureFrame(1, frame(9)); // before any turn
    controller.startTurn();
    controller.endTurn('released');
    controller.captureEnded(1);
    controller.captureFrame(1, frame(8)); // a straggler after the end mark
    controller.captureFrame(7, frame(7)); // a frame of a turn that does not exist
    assert.deepEqual(
      log.filter((line) => line.startsWith('wire:')),
      ['wire:activityStart', 'wire:activityEnd'],
    );
  });

  it('silences a reply locally before the barge-in reaches the network', () => {
    const { log, controller, setConnected } = rig();
    setConnected();
    controller.startTurn();
    controller.captureEnded(1);
    controller.liveEvents.audio(Buffer.from([1, 0]));
    controller.playbackState(true);
    controller.startTurn();
    const flush = log.indexOf('audio:flush');
    const secondStart = log.lastIndexOf('wire:activityStart');
    assert.ok(flush >= 0 && flush < secondStart, log.join(', '));
    controller.liveEvents.audio(Buffer.from([2, 0])); // the rest of the old reply, still in flight
    assert.equal(log.filter((line) => line === 'audio:play').length, 1, 'the cut reply does not resume');
  });

  it('sends nothing for a turn whose microphone failed while the session was still connecting', async () => {
    const { log, controller, statuses, connectNow } = rig();
    controller.startTurn();
    controller.captureFailed({ turnId: 1, kind: 'permission-denied', message: 'Denied.' });
    connectNow();
    await Promise.resolve();
    await Promise.resolve();
    assert.deepEqual(
      log.filter((line) => line.startsWith('wire:')),
      [],
    );
    assert.equal(statuses.at(-1)?.state, 'error');
  });

  it('closes an open activity when the microphone fails, so the next turn is not nested', () => {
    const { log, controller, statuses, setConnected } = rig();
    setConnected();
    controller.startTurn();
    controller.captureFailed({ turnId: 1, kind: 'no-device', message: 'No microphone.' });
    controller.startTurn();
    assert.deepEqual(
      log.filter((line) => line.startsWith('wire:')),
      ['wire:activityStart', 'wire:activityEnd', 'wire:activityStart'],
    );
    assert.ok(statuses.some((status) => status.state === 'error' && /Connect a microphone/.test(status.detail)));
  });

  it('after a lost connection, sends the whole turn again on the new one, once, and the reply with it', () => {
    const { log, controller, setConnected } = rig();
    setConnected();
    controller.startTurn();
    controller.captureFrame(1, frame(1));
    controller.captureFrame(1, frame(2));
    controller.connectionInterrupted();
    controller.captureFrame(1, frame(3)); // while reconnecting: kept, not sent
    const replacement = {
      activityStart: () => log.push('new:activityStart'),
      audio: (pcm: Uint8Array) => log.push(`new:audio${pcm[0]}`),
      activityEnd: () => log.push('new:activityEnd'),
    } as unknown as LiveConnection;
    controller.reconnected(replacement);
    controller.reconnected(replacement); // a second notice for the same connection sends nothing more
    assert.deepEqual(
      log.filter((line) => line.startsWith('new:')),
      ['new:activityStart', 'new:audio1', 'new:audio2', 'new:audio3'],
    );
    assert.deepEqual(
      log.filter((line) => line.startsWith('wire:')),
      ['wire:activityStart', 'wire:audio1', 'wire:audio2'],
      'nothing more on the lost connection',
    );
  });

  it('keeps an undelivered turn for Retry, and refuses to retry one it no longer has', async () => {
    const { controller, transcript, setConnected } = rig();
    setConnected();
    controller.startTurn();
    controller.captureFrame(1, frame(1));
    controller.connectionInterrupted();
    controller.deliveryFailed('Could not reach Gemini: offline.', true);
    await assert.rejects(controller.retry(2), /can no longer be sent again/);
    const entry = transcript.all()[0];
    assert.equal(entry?.retry, true);
    assert.match(entry?.note ?? '', /Not delivered: Could not reach Gemini: offline\. Press Retry/);
  });
});
