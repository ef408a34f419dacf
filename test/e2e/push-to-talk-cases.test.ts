import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from '../harness/expect';
import type { RecordedFrame } from '../emulator/recorder';
import { DEFAULT_MODELS } from '../emulator/models';
import { Conversation, type ConversationOptions } from '../harness/conversation';
import { xdotoolTogether } from '../harness/xvfb';
import { capturedTurns, inCaptureOrder } from '../harness/capture-tap';
import { tapLevels, wallClock } from '../harness/output-tap';
import { correlationInLoop } from '../support/alignment';
import { base64ToPcm, concatPcm } from '../support/audio';
import { eventChannels, sendChannels } from '../../shared/ipc/channels';
import type { CaptureStart } from '../../shared/types';

type Message = { realtimeInput?: Record<string, unknown>; serverContent?: { turnComplete?: boolean } };

const activity = (kind: 'activityStart' | 'activityEnd') => (frame: RecordedFrame) =>
  frame.direction === 'in' && (frame.message as Message).realtimeInput?.[kind] !== undefined;
const turnComplete = (frame: RecordedFrame) =>
  frame.direction === 'out' && (frame.message as Message).serverContent?.turnComplete === true;
const count = (talk: Conversation, predicate: (frame: RecordedFrame) => boolean) =>
  talk.emulator.frames().filter(predicate).length;

/** Waits until the emulator has seen `n` frames matching. */
async function until(talk: Conversation, predicate: (frame: RecordedFrame) => boolean, n: number, timeoutMs = 10_000) {
  for (let waited = 0; count(talk, predicate) < n; waited += 20) {
    if (waited > timeoutMs)
      throw new Error(`waited ${timeoutMs} ms for ${n} matching frames, saw ${count(talk, predicate)}`);
    await sleep(20);
  }
}

describe('push-to-talk modes and failures', () => {
  let talk: Conversation | undefined;
  const start = async (options: ConversationOptions) => (talk = await Conversation.start(options));
  afterEach(async () => {
    await talk?.close();
    talk = undefined;
  });

  it('toggle: a tap starts the turn, the next tap ends it', async () => {
    const t = await start({ settings: { hotkey: { accelerator: 'Control+Shift+Space', mode: 'toggle' } } });
    await t.keyDown();
    await t.keyUp();
    await until(t, activity('activityStart'), 1);
    await sleep(800);
    assert.equal(count(t, activity('activityEnd')), 0, 'releasing the key does not end a toggled turn');
    await t.keyDown();
    await t.keyUp();
    await until(t, activity('activityEnd'), 1);
    await until(t, turnComplete, 1);
  });

  it('hybrid: a long press is push-to-talk, a short tap is hands-free until the next tap', async () => {
    const t = await start({ settings: { hotkey: { accelerator: 'Control+Shift+Space', mode: 'hybrid' } } });
    await t.keyDown();
    await sleep(700);
    await t.keyUp();
    await until(t, activity('activityEnd'), 1);
    await until(t, turnComplete, 1);
    await t.tap();
    await until(t, activity('activityStart'), 2);
    await sleep(800);
    assert.equal(count(t, activity('activityEnd')), 1, 'a short tap keeps listening');
    await t.tap();
    await until(t, activity('activityEnd'), 2);
  });

  it('hold: X11 auto-repeat while the key is held does not end the turn', async () => {
    const t = await start({ settings: { hotkey: { accelerator: 'F9', mode: 'hold' } } });
    await t.keyDown('F9');
    await until(t, activity('activityStart'), 1);
    for (let i = 0; i < 10; i++) {
      // As X11 auto-repeat makes them: the release and the press back to back (xdotool would wait 12 ms
      // after each key unless told not to, and a release followed 12 ms later by a press is a real one;
      // so would be one a busy core split from its press by preempting xdotool).
      await xdotoolTogether(t.display, 'keyup', '--delay', '0', 'F9', 'keydown', '--delay', '0', 'F9');
      await sleep(30);
    }
    await sleep(200);
    assert.equal(count(t, activity('activityEnd')), 0);
    await t.keyUp('F9');
    await until(t, activity('activityEnd'), 1);
  });

  it('warm microphone: the turn starts with the ~300 ms heard before it went live, then goes on in order', async () => {
    const t = await start({ settings: { warmMicrophone: true } });
    await sleep(1000); // the pre-roll fills while the user has not pressed yet
    await t.keyDown();
    await sleep(1000);
    await t.keyUp();
    await until(t, activity('activityEnd'), 1);
    // Counted on the audio clock, which a busy machine cannot stretch as it does the wall clock.
    const [turn] = await capturedTurns(t.audioPage);
    const preRoll = turn!.frames.filter((frame) => frame.time < turn!.liveTime);
    // 15 whole frames, and the one that was filling when the turn went live.
    assert.ok(preRoll.length >= 15 && preRoll.length <= 16, `${preRoll.length} frames from before the turn went live`);
    assert.ok(
      turn!.liveTime - preRoll[0]!.time >= 0.3 - 1e-6,
      'the oldest is at least 300 ms older than the turn going live',
    );
    assert.ok(inCaptureOrder(turn!.frames), 'pre-roll first, then live, in capture order, nothing doubled');
    // The wire got them pre-roll first, exactly as captured.
    const sent = t.emulator.frames({ direction: 'in' }).flatMap((f) => {
      const data = (f.message as { realtimeInput?: { audio?: { data: string } } }).realtimeInput?.audio?.data;
      return data ? [data] : [];
    });
    const captured = t.harness.ipc.log
      .filter((record) => record.channel === sendChannels.captureFrame)
      .map((record) => Buffer.from((record.payload as { pcm: Uint8Array }).pcm).toString('base64'));
    assert.equal(captured.length, turn!.frames.length, 'the audio renderer passed every frame on');
    assert.deepEqual(sent.slice(0, preRoll.length + 1), captured.slice(0, preRoll.length + 1));
    const correlation = correlationInLoop(t.speech.samples, concatPcm(sent.map(base64ToPcm)));
    assert.ok(correlation >= 0.8, `what was sent is the microphone's speech (correlation ${correlation.toFixed(3)})`);
  });

  it('cues: a short ready sound once the key is down, and another after release, through the speakers', async () => {
    const t = await start({
      settings: { cues: true },
      emulator: { scenario: { turns: [{ reply: { audio: 'none' } }] } },
    });
    /** The loud tap blocks since `from`, once a sound has played and ~100 ms of quiet followed it. */
    const soundOver = async (from: number) => {
      const levels = await tapLevels(t.audioPage, from);
      const last = levels.findLastIndex((level) => level.rms > 0.01);
      return last >= 0 && levels.length - last > 10 ? levels.filter((level) => level.rms > 0.01) : undefined;
    };
    // How soon a cue comes is for the bench to say; 10 s only tells a missing cue from a busy machine.
    const heard = (from: number) => expect.poll(() => soundOver(from), { timeout: 10_000 }).toBeDefined();
    const since = wallClock();
    await t.keyDown();
    await heard(since);
    const ready = (await soundOver(since))!;
    const releasedAt = wallClock();
    await t.keyUp();
    await heard(releasedAt);
    const stop = (await soundOver(releasedAt))!;
    const pressedAt = t.harness.keyEvents.find((event) => event.type === 'down' && event.at >= since)!.at;
    assert.ok(ready[0]!.at > pressedAt, 'the ready cue came after the press');
    // Short: counted in samples heard, which load cannot stretch (a tap block is 256 samples at 24 kHz).
    const lengthMs = (blocks: unknown[]) => (blocks.length * 256 * 1000) / 24_000;
    assert.ok(lengthMs(ready) < 200, `a short ready cue (${lengthMs(ready).toFixed(0)} ms)`);
    assert.ok(lengthMs(stop) < 200, `a short stop cue (${lengthMs(stop).toFixed(0)} ms)`);
  });

  it('ends a turn whose key is stuck after the maximum length, and says so', async () => {
    const t = await start({ settings: { maxTurnMs: 1200 } });
    const pressedAt = wallClock();
    await t.keyDown();
    // Never before the maximum; 15 s only tells a turn that never ends from a busy machine.
    await until(t, activity('activityEnd'), 1, 15_000);
    const endedAfter = wallClock() - pressedAt;
    await t.keyUp();
    assert.ok(endedAfter >= 1200, `ended ${endedAfter.toFixed(0)} ms after the press`);
    const transcript = await t.harness.page('transcript');
    await expect(transcript.getByTestId('entry-user').first()).toContainText('maximum turn length');
  });

  it('microphone permission denied: a clear error, no crash, and the next turn works once allowed', async () => {
    const t = await start({ microphonePermission: 'denied' });
    const transcript = await t.harness.page('transcript');
    await t.keyDown();
    await expect(transcript.getByTestId('connection-state')).toHaveText('error');
    await expect(transcript.getByTestId('status-detail')).toContainText('Allow microphone access');
    await t.keyUp();
    await expect(transcript.getByTestId('entry-user').first()).toHaveAttribute('data-state', 'failed');
    await t.harness.grantMicrophone();
    await t.keyDown();
    await sleep(1000);
    await t.keyUp();
    await until(t, turnComplete, 1);
    await expect(transcript.getByTestId('entry-model').last()).toContainText('heard');
  });

  it('no microphone at all: a clear error, and the next turn works once one is there', async () => {
    const t = await start({});
    const transcript = await t.harness.page('transcript');
    // What Chromium answers on a machine without any microphone.
    await t.audioPage.evaluate(() => {
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));
    });
    await t.keyDown();
    await expect(transcript.getByTestId('status-detail')).toContainText(
      'Connect a microphone or choose another input device',
    );
    await t.keyUp();
    await t.audioPage.evaluate(() => delete (navigator.mediaDevices as { getUserMedia?: unknown }).getUserMedia);
    // A person's next press comes later than X11 auto-repeat's release/press pairs.
    await sleep(150);
    await t.keyDown();
    await sleep(1000);
    await t.keyUp();
    await until(t, turnComplete, 1);
    await expect(transcript.getByTestId('entry-model').last()).toContainText('heard');
  });

  it('a chosen microphone that is unplugged: the turn uses the default one, and Parley says so', async () => {
    const capture = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };
    const t = await start({ settings: { capture: { ...capture, deviceId: 'unplugged-mic' } } });
    const transcript = await t.harness.page('transcript');
    await expect(transcript.getByTestId('status-detail')).toContainText(
      'The chosen microphone is not connected: Parley uses the system default microphone',
    );
    await t.keyDown();
    await sleep(1000);
    await t.keyUp();
    await until(t, turnComplete, 1);
    await expect(transcript.getByTestId('entry-model').last()).toContainText('heard');
    const opened = t.harness.ipc.log.find((r) => r.channel === eventChannels.captureStart)?.payload as CaptureStart;
    assert.equal(opened.options.deviceId, undefined, 'captured from the default microphone');
  });

  it('an output device that is not there: replies play on the default device, and Parley says so', async () => {
    const t = await start({});
    await t.harness.app.updateSettings({ outputDeviceId: 'unplugged-speakers' });
    const transcript = await t.harness.page('transcript');
    // Either main already knows the device is not plugged in, or the renderer finds out when it tries it.
    await expect(transcript.getByTestId('status-detail')).toContainText(
      /(uses the system default output device|Replies play on the default output device)/,
    );
    const since = wallClock();
    await t.keyDown();
    await sleep(1000);
    await t.keyUp();
    await until(t, turnComplete, 1);
    await sleep(300);
    const loud = (await tapLevels(t.audioPage, since)).filter((level) => level.rms > 0.02);
    assert.ok(loud.length > 10, 'the reply was heard');
  });

  it('Talk in the tray starts a hands-free turn, and Stop talking ends it', async () => {
    const t = await start({});
    t.harness.tray.click('talk');
    await until(t, activity('activityStart'), 1);
    await sleep(800);
    assert.equal(count(t, activity('activityEnd')), 0, 'hands-free: nothing ends it but the tray or the hotkey');
    assert.equal(t.harness.tray.item('talk')?.label, 'Stop talking');
    t.harness.tray.click('talk');
    await until(t, activity('activityEnd'), 1);
    await until(t, turnComplete, 1);
  });

  it('a typed text turn gets its reply in the transcript', async () => {
    const t = await start({});
    const transcript = await t.harness.page('transcript');
    await transcript.getByLabel('Message').fill('What is the capital of France?');
    await transcript.getByRole('button', { name: 'Send' }).click();
    await expect(transcript.getByTestId('entry-user').last()).toHaveText(/What is the capital of France\?/);
    await expect(transcript.getByTestId('entry-model').last()).toContainText(
      'you said: What is the capital of France?',
    );
    assert.equal(
      t.emulator.frames({ direction: 'in' }).filter((f) => (f.message as Message).realtimeInput?.text !== undefined)
        .length,
      1,
    );
  });

  it('TEXT responses: the reply appears as text and nothing is played', async () => {
    const halfCascade = DEFAULT_MODELS.find((model) => model.responseModalities.includes('TEXT'))!;
    const t = await start({
      emulator: { models: [{ ...halfCascade, retired: false }] },
      settings: { model: halfCascade.name, responseModality: 'TEXT' },
    });
    const since = wallClock();
    await t.keyDown();
    await sleep(1000);
    await t.keyUp();
    const transcript = await t.harness.page('transcript');
    await expect(transcript.getByTestId('entry-model').last()).toContainText('heard', { timeout: 10_000 });
    await expect(transcript.getByTestId('connection-state')).toHaveText('idle');
    assert.deepEqual(
      t.harness.ipc.log.filter((entry) => entry.channel === 'playback:chunk'),
      [],
      'no audio sent to the speakers',
    );
    const levels = await tapLevels(t.audioPage, since);
    assert.ok(
      levels.every((level) => level.rms < 0.001),
      'the speakers stayed silent',
    );
  });
});
