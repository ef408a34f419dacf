import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Transcript } from '../../electron/main/conversation/transcript';
import {
  maxTurnFrames,
  TurnController,
  type AudioLink,
  type LiveLink,
  type ScreenLink,
} from '../../electron/main/conversation/turn-controller';
import type { LiveConnection } from '../../electron/main/live/live-connection';
import { Settings } from '../../shared/settings';
import type { SessionStatus } from '../../shared/types';

/** A connection that logs what goes on the wire under `name`. */
function wire(log: string[], name: string): LiveConnection {
  return {
    activityStart: () => log.push(`${name}:activityStart`),
    audio: (pcm: Uint8Array) => log.push(`${name}:audio${pcm[0]}`),
    video: (jpeg: Uint8Array) => log.push(`${name}:video${jpeg[0]}`),
    activityEnd: () => log.push(`${name}:activityEnd`),
    text: (text: string) => log.push(`${name}:text:${text}`),
  } as unknown as LiveConnection;
}

/** Records what the controller asks of the audio renderer and puts on the wire, in one ordered log. */
function rig(options: { replyTimeoutMs?: number } = {}) {
  const log: string[] = [];
  const connection = wire(log, 'wire');
  let current: LiveConnection | undefined;
  const waiting: { resolve: (c: LiveConnection) => void; reject: (error: Error) => void }[] = [];
  const live: LiveLink = {
    get connection() {
      return current;
    },
    connect: () => new Promise<LiveConnection>((resolve, reject) => waiting.push({ resolve, reject })),
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
  const screen: ScreenLink = {
    open: (turnId) => log.push(`screen:open${turnId}`),
    close: (turnId) => log.push(`screen:close${turnId}`),
  };
  const statuses: SessionStatus[] = [];
  const transcript = new Transcript(() => undefined);
  const controller = new TurnController({
    audio,
    screen,
    live,
    transcript,
    setStatus: (status) => statuses.push(status),
    capture: () => ({ echoCancellation: true, noiseSuppression: true, autoGainControl: true }),
    cues: () => false,
    endMarkTimeoutMs: 250,
    replyTimeoutMs: options.replyTimeoutMs,
    unresponsive: options.replyTimeoutMs ? (detail, recover) => log.push(`unresponsive:${recover}`) : undefined,
    captureEndedHere: () => log.push('ptt:ended'),
    warn: (message) => log.push(`warn:${message}`),
  });
  const settle = async () => {
    for (let i = 0; i < 3; i++) await Promise.resolve();
  };
  return {
    log,
    statuses,
    controller,
    transcript,
    connection,
    /** The pending connect succeeds (with a fresh connection when given one). */
    connectNow: async (to: LiveConnection = connection) => {
      current = to;
      for (const pending of waiting.splice(0)) pending.resolve(to);
      await settle();
    },
    failConnect: async (message: string) => {
      for (const pending of waiting.splice(0)) pending.reject(new Error(message));
      await settle();
    },
    setConnected: (to: LiveConnection = connection) => (current = to),
    /** The line dropped: no connection until the next one comes. */
    drop: () => (current = undefined),
    wire: (name: string) => wire(log, name),
    sent: (name = 'wire') => log.filter((line) => line.startsWith(`${name}:`)),
    entry: (turnId: number, role: 'user' | 'model') =>
      transcript.all().find((e) => e.turnId === turnId && e.role === role),
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
    await connectNow();
    controller.captureFrame(1, frame(3));
    controller.endTurn('released');
    controller.captureFrame(1, frame(4)); // the flushed partial frame, before the end mark
    controller.captureEnded(1);
    assert.deepEqual(
      log.filter((line) => line.startsWith('wire:')),
      ['wire:activityStart', 'wire:audio1', 'wire:audio2', 'wire:audio3', 'wire:audio4', 'wire:activityEnd'],
    );
  });

  it('a turn that shows the screen opens it at the start, sends its pictures among the audio inside the activity, and closes it at the release', async () => {
    const { log, controller, connectNow } = rig();
    controller.startTurn({ look: true });
    assert.ok(log.indexOf('screen:open1') > log.indexOf('audio:start1'), 'the microphone is asked first');
    controller.captureFrame(1, frame(1));
    controller.picture(1, frame(50)); // the first picture, taken while connecting: it goes first
    await connectNow();
    controller.captureFrame(1, frame(2));
    controller.picture(1, frame(51));
    controller.captureFrame(1, frame(3));
    controller.endTurn('released');
    assert.equal(log.filter((line) => line === 'screen:close1').length, 1, 'the screen closes at the release');
    assert.equal(controller.picture(1, frame(52)), false, 'taken before the release, arriving after it: not taken');
    controller.captureFrame(1, frame(4));
    controller.captureEnded(1);
    controller.picture(1, frame(53));
    assert.deepEqual(
      log.filter((line) => line.startsWith('wire:')),
      [
        'wire:activityStart',
        'wire:video50',
        'wire:audio1',
        'wire:audio2',
        'wire:video51',
        'wire:audio3',
        'wire:audio4',
        'wire:activityEnd',
      ],
    );
    assert.equal(log.filter((line) => line === 'screen:close1').length, 1, 'closed once');
  });

  it("a screen turn's words wait for its first picture, so Gemini gets the picture first", () => {
    const { log, controller, setConnected, sent } = rig();
    setConnected();
    controller.startTurn({ look: true });
    controller.captureFrame(1, frame(1));
    controller.captureFrame(1, frame(2));
    assert.deepEqual(sent(), ['wire:activityStart'], 'the words are held');
    controller.picture(1, frame(50));
    controller.captureFrame(1, frame(3));
    assert.deepEqual(sent(), ['wire:activityStart', 'wire:video50', 'wire:audio1', 'wire:audio2', 'wire:audio3']);
    assert.ok(!log.some((line) => line.startsWith('warn')));
  });

  it('pictures taken while the connection is still opening go in the order they were taken, after the first', async () => {
    const { controller, connectNow, sent } = rig();
    controller.startTurn({ look: true });
    controller.captureFrame(1, frame(1));
    controller.picture(1, frame(50));
    controller.captureFrame(1, frame(2));
    controller.picture(1, frame(51));
    controller.captureFrame(1, frame(3));
    controller.picture(1, frame(52));
    await connectNow();
    assert.deepEqual(sent(), [
      'wire:activityStart',
      'wire:video50',
      'wire:audio1',
      'wire:audio2',
      'wire:video51',
      'wire:audio3',
      'wire:video52',
    ]);
  });

  it('the words stop waiting when the screen gives no picture, when it is slow, or at the release', () => {
    const none = rig();
    none.setConnected();
    none.controller.startTurn({ look: true });
    none.controller.captureFrame(1, frame(1));
    none.controller.noPicture(1);
    assert.deepEqual(none.sent(), ['wire:activityStart', 'wire:audio1'], 'the capture failed: at once');

    const slow = rig();
    slow.setConnected();
    slow.controller.startTurn({ look: true });
    slow.controller.captureFrame(1, frame(1));
    mock.timers.tick(3999);
    assert.deepEqual(slow.sent(), ['wire:activityStart']);
    mock.timers.tick(1);
    assert.deepEqual(slow.sent(), ['wire:activityStart', 'wire:audio1'], 'a stuck capture holds the words 4 s at most');

    const released = rig();
    released.setConnected();
    released.controller.startTurn({ look: true });
    released.controller.captureFrame(1, frame(1));
    released.controller.endTurn('released');
    released.controller.captureEnded(1);
    assert.deepEqual(released.sent(), ['wire:activityStart', 'wire:audio1', 'wire:activityEnd']);
  });

  it('a screen turn withdrawn while its words wait for a picture sends none of them', () => {
    const { controller, setConnected, sent } = rig();
    setConnected();
    controller.startTurn({ look: true });
    controller.captureFrame(1, frame(1));
    controller.captureFailed({ turnId: 1, kind: 'no-device', message: 'No microphone.' });
    mock.timers.tick(2000);
    assert.deepEqual(sent(), ['wire:activityStart', 'wire:activityEnd']);
  });

  it('a voice turn never opens the screen nor takes a picture', () => {
    const { log, controller, setConnected } = rig();
    setConnected();
    controller.startTurn();
    controller.picture(1, frame(50));
    controller.captureEnded(1);
    assert.ok(!log.some((line) => line.startsWith('screen:')));
    assert.deepEqual(
      log.filter((line) => line.startsWith('wire:')),
      ['wire:activityStart', 'wire:activityEnd'],
    );
  });

  it('a new turn over a screen turn closes its screen, and its pictures go nowhere', () => {
    const { log, controller, setConnected } = rig();
    setConnected();
    controller.startTurn({ look: true });
    controller.startTurn();
    controller.picture(1, frame(50));
    assert.ok(log.includes('screen:close1'));
    assert.ok(!log.includes('wire:video50'));
  });

  it('a screen turn whose microphone fails closes the screen too', () => {
    const { log, controller, setConnected } = rig();
    setConnected();
    controller.startTurn({ look: true });
    controller.captureFailed({ turnId: 1, kind: 'no-device', message: 'No microphone.' });
    assert.ok(log.includes('screen:close1'));
  });

  it('a screen turn sent again on a new connection carries its pictures again, in their place', () => {
    const { log, controller, setConnected, drop } = rig();
    setConnected();
    controller.startTurn({ look: true });
    controller.picture(1, frame(50));
    controller.captureFrame(1, frame(1));
    drop();
    controller.connectionInterrupted();
    setConnected(wire(log, 'new'));
    controller.reconnected();
    assert.deepEqual(
      log.filter((line) => line.startsWith('new:')),
      ['new:activityStart', 'new:video50', 'new:audio1'],
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

  it('keeps waiting for the end mark while a slow renderer still delivers the last frames', () => {
    const { log, controller, setConnected } = rig();
    setConnected();
    controller.startTurn();
    controller.endTurn('released');
    for (const n of [1, 2, 3]) {
      mock.timers.tick(200);
      controller.captureFrame(1, frame(n));
    }
    mock.timers.tick(200);
    controller.captureEnded(1);
    assert.deepEqual(
      log.filter((line) => line.startsWith('wire:')),
      ['wire:activityStart', 'wire:audio1', 'wire:audio2', 'wire:audio3', 'wire:activityEnd'],
      'the last words count, however long after the release they arrive',
    );
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

  it('ends a turn whose microphone sends more than the longest turn allows, as if released, and drops the rest', () => {
    const { log, controller, statuses, setConnected, entry } = rig();
    setConnected();
    controller.startTurn();
    controller.captureStarted(1);
    const pcm = frame(1);
    // The longest turn the settings allow, in 20 ms frames, with the warm microphone's 300 ms pre-roll.
    const longestTurn = Settings.shape.maxTurnMs.maxValue! / 20 + 15;
    for (let i = 0; i < longestTurn; i++) controller.captureFrame(1, pcm);
    assert.ok(!log.includes('audio:stop1'), 'the longest turn allowed is not cut');
    for (let i = longestTurn; i < maxTurnFrames + 100; i++) controller.captureFrame(1, pcm);
    assert.equal(log.filter((line) => line === 'wire:audio1').length, maxTurnFrames, 'nothing beyond the cap is sent');
    assert.ok(log.includes('audio:stop1'), 'the microphone is stopped');
    assert.equal(log.filter((line) => line === 'ptt:ended').length, 1, 'the hotkey no longer counts as held');
    assert.equal(log.filter((line) => line.startsWith('warn:')).length, 1, 'logged once');
    assert.match(entry(1, 'user')?.note ?? '', /more audio than the longest turn allows/);
    controller.captureEnded(1);
    assert.equal(log.filter((line) => line.startsWith('wire:')).at(-1), 'wire:activityEnd');
    assert.deepEqual(statuses.at(-1), { state: 'thinking', detail: 'Thinking…' });
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

  it("another profile's turn cuts a reply off at once, saying why, and no later audio of it plays", () => {
    const { log, controller, setConnected, statuses, entry } = rig();
    setConnected();
    controller.startTurn();
    controller.captureEnded(1);
    controller.liveEvents.audio(Buffer.from([1, 0]));
    controller.playbackState(true);
    assert.equal(controller.replying, true);
    controller.cutOff("Cut off: you pressed Coder's hotkey.");
    assert.ok(log.includes('audio:flush'), 'playback stops here and now');
    assert.equal(controller.replying, false, 'the next "stopped" from the audio window is the new turn\'s');
    assert.equal(entry(1, 'model')?.state, 'interrupted');
    assert.equal(entry(1, 'model')?.note, "Cut off: you pressed Coder's hotkey.");
    controller.liveEvents.audio(Buffer.from([2, 0]));
    assert.equal(log.filter((line) => line === 'audio:play').length, 1, 'the rest of the reply is dropped');
    assert.equal(controller.busy, false);
    assert.equal(statuses.at(-1)?.state, 'idle');
  });

  it("another profile's turn ends a capture under way: its words still go to this session, but no reply to them is wanted", () => {
    const { log, controller, setConnected, entry } = rig();
    setConnected();
    controller.startTurn();
    controller.captureFrame(1, frame(1));
    controller.cutOff("Cut off: you pressed Coder's hotkey.");
    assert.ok(log.includes('audio:stop1'), 'the microphone stops');
    assert.ok(!log.includes('ptt:ended'), "the hotkeys already know: the other profile's turn is starting");
    controller.captureEnded(1);
    assert.deepEqual(controller.busy, false, 'nothing is awaited');
    assert.equal(log.filter((line) => line === 'wire:activityEnd').length, 1, 'the activity is closed');
    controller.liveEvents.audio(Buffer.from([3, 0]));
    assert.ok(!log.includes('audio:play'), 'a reply to the cut turn is not played');
    assert.equal(entry(1, 'model'), undefined);
    assert.equal(entry(1, 'user')?.note, "Cut off: you pressed Coder's hotkey.");
  });

  it('sends nothing for a turn whose microphone failed while the session was still connecting', async () => {
    const { log, controller, statuses, connectNow } = rig();
    controller.startTurn();
    controller.captureFailed({ turnId: 1, kind: 'permission-denied', message: 'Denied.' });
    await connectNow();
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
    const { log, controller, setConnected, drop } = rig();
    setConnected();
    controller.startTurn();
    controller.captureFrame(1, frame(1));
    controller.captureFrame(1, frame(2));
    drop();
    controller.connectionInterrupted();
    controller.captureFrame(1, frame(3)); // while reconnecting: kept, not sent
    setConnected(wire(log, 'new'));
    controller.reconnected();
    controller.reconnected(); // a second notice for the same connection sends nothing more
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

  it('a playing notice sent before a reconnect flushed the reply does not show "Speaking…"', () => {
    const { controller, statuses, setConnected, drop } = rig();
    setConnected();
    controller.startTurn();
    controller.endTurn('released');
    controller.captureEnded(1);
    controller.liveEvents.audio(Buffer.from(frame(1)));
    drop();
    controller.connectionInterrupted();
    controller.playbackState(true); // the renderer said so before it heard of the flush
    assert.notEqual(statuses.at(-1)?.state, 'speaking');
    setConnected(wire([], 'new'));
    controller.reconnected();
    controller.liveEvents.audio(Buffer.from(frame(2)));
    controller.playbackState(true);
    assert.equal(statuses.at(-1)?.state, 'speaking', 'the reply on the new connection plays');
  });

  it('is not ready while Gemini still owes a reply about a tool result, and says so', async () => {
    const { controller, statuses, setConnected, transcript } = rig();
    setConnected();
    await controller.sendText('What time is it?');
    controller.liveEvents.outputTranscript('Let me look at the clock.', false);
    controller.toolAnswered(true); // a model that went on while the tool ran replies about it once idle
    controller.liveEvents.turnComplete({ promptTokenCount: 1, responseTokenCount: 5 });
    assert.equal(statuses.at(-1)?.state, 'thinking', 'the reply about the result is still to come');
    controller.liveEvents.outputTranscript('It is 19:47.', false);
    controller.liveEvents.turnComplete({ promptTokenCount: 1, responseTokenCount: 5 });
    assert.equal(statuses.at(-1)?.state, 'idle');
    assert.deepEqual(
      transcript.all().map((e) => `${e.role}: ${e.text} (${e.state})`),
      ['user: What time is it? (done)', 'model: Let me look at the clock. (done)', 'model: It is 19:47. (done)'],
    );
  });

  it('says a reply about a tool result is coming when the result went after the reply that asked for it', async () => {
    const { controller, statuses, setConnected } = rig();
    setConnected();
    await controller.sendText('What time is it?');
    controller.liveEvents.turnComplete({ promptTokenCount: 1, responseTokenCount: 5 });
    assert.equal(statuses.at(-1)?.state, 'idle');
    controller.toolAnswered(true);
    assert.equal(statuses.at(-1)?.state, 'thinking');
  });

  it('after a loss while only a reply about a tool result was owed, the new connection is ready', async () => {
    const { controller, statuses, setConnected, drop } = rig();
    setConnected();
    await controller.sendText('What time is it?');
    controller.toolAnswered(true);
    controller.liveEvents.turnComplete({ promptTokenCount: 1, responseTokenCount: 5 });
    assert.ok(controller.busy, 'a lost connection now is recovered at once');
    drop();
    controller.connectionInterrupted();
    setConnected();
    controller.reconnected();
    assert.equal(statuses.at(-1)?.state, 'idle', 'not left "reconnecting"');
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

/** The server answers the turn it is on: audio, its transcript, then the end of the turn with its usage. */
function serverReplies(controller: TurnController, text: string, responseTokenCount = 10): void {
  controller.liveEvents.audio(Buffer.from([7, 0]));
  controller.liveEvents.outputTranscript(text, false);
  controller.liveEvents.turnComplete({ promptTokenCount: 1, responseTokenCount });
}

/** The server cuts its current reply off, as it does when a new activity starts. */
function serverInterrupts(controller: TurnController, responseTokenCount = 3): void {
  controller.liveEvents.interrupted();
  controller.liveEvents.turnComplete({ promptTokenCount: 1, responseTokenCount });
}

describe('TurnController when the user acts while the connection changes', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('a press during a reconnect: the old turn goes again, cut off, and the new reply is heard at once', async () => {
    const { log, controller, statuses, connectNow, setConnected, drop, entry, sent, wire } = rig();
    setConnected();
    controller.startTurn();
    controller.captureFrame(1, frame(1));
    controller.captureEnded(1);
    controller.liveEvents.outputTranscript('the answer to', false);
    controller.playbackState(true);
    drop();
    controller.connectionInterrupted();
    controller.startTurn(); // pressed while reconnecting
    controller.captureFrame(2, frame(2));
    await connectNow(wire('fresh'));
    controller.reconnected();
    controller.endTurn('released');
    controller.captureEnded(2);
    assert.deepEqual(sent('fresh'), [
      'fresh:activityStart',
      'fresh:audio1',
      'fresh:activityEnd',
      'fresh:activityStart',
      'fresh:audio2',
      'fresh:activityEnd',
    ]);
    assert.deepEqual(
      sent('wire'),
      ['wire:activityStart', 'wire:audio1', 'wire:activityEnd'],
      'nothing more on the lost line',
    );
    serverInterrupts(controller); // the server's answer to turn 1, cut by turn 2's activity
    const playsBefore = log.filter((line) => line === 'audio:play').length;
    serverReplies(controller, 'heard turn two');
    assert.equal(log.filter((line) => line === 'audio:play').length, playsBefore + 1, 'the new reply is played');
    assert.equal(entry(2, 'model')?.text, 'heard turn two');
    assert.equal(entry(2, 'model')?.state, 'done');
    assert.equal(entry(1, 'model')?.state, 'interrupted');
    controller.playbackState(false);
    assert.equal(statuses.at(-1)?.state, 'idle', 'not stuck on "Thinking…"');
  });

  it('a typed turn still connecting when the hotkey is pressed is sent first, not lost', async () => {
    const { controller, connectNow, entry, sent } = rig();
    await controller.sendText('remind me at noon');
    controller.startTurn();
    controller.captureFrame(2, frame(5));
    await connectNow();
    controller.endTurn('released');
    controller.captureEnded(2);
    assert.deepEqual(sent(), ['wire:text:remind me at noon', 'wire:activityStart', 'wire:audio5', 'wire:activityEnd']);
    serverInterrupts(controller);
    serverReplies(controller, 'noted, and heard you');
    assert.equal(entry(1, 'user')?.state, 'done');
    assert.equal(entry(1, 'model'), undefined, 'no reply of its own: the next turn cut it off before it began');
    assert.equal(entry(2, 'model')?.text, 'noted, and heard you');
  });

  it('a second press while connecting: both turns go out in order, or both are kept for Retry if the connect fails', async () => {
    const first = rig();
    first.controller.startTurn();
    first.controller.captureFrame(1, frame(1));
    first.controller.endTurn('released');
    first.controller.captureEnded(1);
    first.controller.startTurn();
    first.controller.captureFrame(2, frame(2));
    await first.connectNow();
    assert.deepEqual(first.sent(), [
      'wire:activityStart',
      'wire:audio1',
      'wire:activityEnd',
      'wire:activityStart',
      'wire:audio2',
    ]);

    const failing = rig();
    failing.controller.startTurn();
    failing.controller.endTurn('released');
    failing.controller.captureEnded(1);
    failing.controller.startTurn();
    await failing.failConnect('offline');
    for (const turnId of [1, 2]) {
      assert.equal(failing.entry(turnId, 'user')?.state, 'failed', `turn ${turnId}`);
      assert.equal(failing.entry(turnId, 'user')?.retry, true, `turn ${turnId} can be retried`);
    }
    assert.ok(failing.log.includes('audio:stop2'), 'the microphone of the second turn stops');
    assert.ok(failing.log.includes('ptt:ended'), 'push-to-talk knows the turn is over');
    assert.equal(failing.statuses.at(-1)?.state, 'error');
  });

  it('a Retry replaced by a press while connecting still goes out, before the new turn', async () => {
    const { controller, connectNow, failConnect, sent, entry } = rig();
    await controller.sendText('first try');
    await failConnect('offline');
    await controller.retry(1);
    controller.startTurn();
    await connectNow();
    assert.deepEqual(sent(), ['wire:text:first try', 'wire:activityStart']);
    assert.equal(entry(1, 'user')?.state, 'done');
  });

  it('typing or retrying during a voice turn stops the microphone and tells push-to-talk', async () => {
    const { log, controller, setConnected } = rig();
    setConnected();
    controller.startTurn();
    await controller.sendText('never mind');
    assert.ok(log.includes('audio:stop1'), log.join(', '));
    assert.ok(log.includes('ptt:ended'));
    assert.equal(controller.talking, false);
  });

  it('a failed microphone tells push-to-talk, so a toggle press starts the next turn', () => {
    const { log, controller, setConnected } = rig();
    setConnected();
    controller.startTurn();
    controller.captureFailed({ turnId: 1, kind: 'failed', message: 'It broke.' });
    assert.ok(log.includes('ptt:ended'));
    assert.equal(controller.busy, false);
  });

  it('a late interruption of the old reply is credited to it, with its usage; the new reply keeps its own', () => {
    const { controller, setConnected, entry } = rig();
    setConnected();
    controller.startTurn();
    controller.captureEnded(1);
    controller.liveEvents.outputTranscript('the answer to one', false);
    controller.startTurn(); // barge-in on a slow link: the server has not cut reply 1 yet
    controller.captureEnded(2);
    serverInterrupts(controller, 4);
    serverReplies(controller, 'the answer to two', 12);
    assert.equal(entry(1, 'model')?.state, 'interrupted');
    assert.equal(entry(1, 'model')?.usage?.responseTokens, 4);
    assert.equal(entry(2, 'model')?.state, 'done');
    assert.equal(entry(2, 'model')?.text, 'the answer to two');
    assert.equal(entry(2, 'model')?.usage?.responseTokens, 12);
  });

  it('a drop during the new reply after a barge-in is recovered: the new turn goes again', () => {
    const { controller, setConnected, drop, wire, sent } = rig();
    setConnected();
    controller.startTurn();
    controller.captureEnded(1);
    controller.startTurn();
    controller.captureFrame(2, frame(2));
    controller.captureEnded(2);
    serverInterrupts(controller);
    drop();
    controller.connectionInterrupted();
    assert.equal(controller.busy, true, 'the reply to turn 2 is still due');
    setConnected(wire('next'));
    controller.reconnected();
    assert.deepEqual(sent('next'), ['next:activityStart', 'next:audio2', 'next:activityEnd']);
  });

  it('hands a turn back for Retry after the server fell silent on three connections', () => {
    const { log, controller, setConnected, wire, entry } = rig({ replyTimeoutMs: 1000 });
    setConnected();
    controller.startTurn();
    controller.captureEnded(1);
    for (const name of ['second', 'third']) {
      mock.timers.tick(1000);
      controller.connectionInterrupted();
      setConnected(wire(name));
      controller.reconnected();
    }
    mock.timers.tick(1000);
    assert.deepEqual(
      log.filter((line) => line.startsWith('unresponsive')),
      ['unresponsive:true', 'unresponsive:true', 'unresponsive:false'],
    );
    assert.equal(entry(1, 'user')?.retry, true);
    assert.match(entry(1, 'user')?.note ?? '', /3 connections in a row.*Retry/);
  });
});
