import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from '@playwright/test';
import type { RecordedFrame } from '../emulator/recorder';
import { DEFAULT_MODELS } from '../emulator/models';
import { Conversation, type ConversationOptions } from '../harness/conversation';
import { xdotool } from '../harness/xvfb';
import { tapLevels, wallClock } from '../harness/output-tap';
import { correlationInLoop } from '../support/alignment';
import { base64ToPcm, concatPcm } from '../support/audio';
import { eventChannels } from '../../shared/ipc/channels';
import { autoRepeatWindowMs } from '../../electron/main/hotkey/chord-tracker';
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
    t.keyDown();
    t.keyUp();
    await until(t, activity('activityStart'), 1);
    await sleep(800);
    assert.equal(count(t, activity('activityEnd')), 0, 'releasing the key does not end a toggled turn');
    t.keyDown();
    t.keyUp();
    await until(t, activity('activityEnd'), 1);
    await until(t, turnComplete, 1);
  });

  it('hybrid: a long press is push-to-talk, a short tap is hands-free until the next tap', async () => {
    const t = await start({ settings: { hotkey: { accelerator: 'Control+Shift+Space', mode: 'hybrid' } } });
    t.keyDown();
    await sleep(700);
    t.keyUp();
    await until(t, activity('activityEnd'), 1);
    await until(t, turnComplete, 1);
    t.keyDown();
    t.keyUp();
    await until(t, activity('activityStart'), 2);
    await sleep(800);
    assert.equal(count(t, activity('activityEnd')), 1, 'a short tap keeps listening');
    t.keyDown();
    t.keyUp();
    await until(t, activity('activityEnd'), 2);
  });

  it('hold: X11 auto-repeat while the key is held does not end the turn', async () => {
    const t = await start({ settings: { hotkey: { accelerator: 'F9', mode: 'hold' } } });
    t.keyDown('F9');
    await until(t, activity('activityStart'), 1);
    for (let i = 0; i < 10; i++) {
      // As X11 auto-repeat makes them: the release and the press back to back.
      xdotool(t.display, 'keyup', 'F9', 'keydown', 'F9');
      await sleep(30);
    }
    await sleep(200);
    assert.equal(count(t, activity('activityEnd')), 0);
    t.keyUp('F9');
    await until(t, activity('activityEnd'), 1);
  });

  it('warm microphone: the turn starts with the ~300 ms spoken before the key went down', async () => {
    const t = await start({ settings: { warmMicrophone: true } });
    await sleep(1000); // the pre-roll fills while the user has not pressed yet
    t.keyDown();
    await sleep(1000);
    t.keyUp();
    await until(t, activity('activityEnd'), 1);
    // As main saw the key: from its press to its release, plus the auto-repeat filter.
    const [down, up] = [
      t.harness.keyEvents.find((e) => e.type === 'down')!,
      t.harness.keyEvents.findLast((e) => e.type === 'up')!,
    ];
    const heldMs = up.at + autoRepeatWindowMs - down.at;
    const audio = t.emulator.frames({ direction: 'in' }).flatMap((f) => {
      const data = (f.message as { realtimeInput?: { audio?: { data: string } } }).realtimeInput?.audio?.data;
      return data ? [base64ToPcm(data)] : [];
    });
    const extraMs = audio.length * 20 - heldMs;
    // ~300 ms of pre-roll; the bounds leave room for the key event reaching main late on a loaded machine.
    assert.ok(extraMs >= 180 && extraMs <= 420, `${extraMs.toFixed(0)} ms more audio than the key was held`);
    const correlation = correlationInLoop(t.speech.samples, concatPcm(audio));
    assert.ok(correlation >= 0.8, `pre-roll and live audio join seamlessly (correlation ${correlation.toFixed(3)})`);
  });

  it('cues: a short ready sound when the microphone opens and another at release, through the speakers', async () => {
    const t = await start({
      settings: { cues: true },
      emulator: { scenario: { turns: [{ reply: { audio: 'none' } }] } },
    });
    const pressedAt = wallClock();
    t.keyDown();
    await sleep(700);
    const releasedAt = wallClock();
    t.keyUp();
    await sleep(500);
    const loud = (await tapLevels(t.audioPage, pressedAt)).filter((level) => level.rms > 0.01);
    const ready = loud.filter((level) => level.at < releasedAt);
    const stop = loud.filter((level) => level.at >= releasedAt);
    assert.ok(ready.length > 0 && ready.at(-1)!.at - ready[0]!.at < 200, 'a short ready cue while listening');
    assert.ok(ready[0]!.at - pressedAt < 400, `ready cue ${(ready[0]!.at - pressedAt).toFixed(0)} ms after the press`);
    assert.ok(stop.length > 0 && stop.at(-1)!.at - stop[0]!.at < 200, 'a short stop cue after release');
  });

  it('ends a turn whose key is stuck after the maximum length, and says so', async () => {
    const t = await start({ settings: { maxTurnMs: 1200 } });
    const pressedAt = wallClock();
    t.keyDown();
    await until(t, activity('activityEnd'), 1, 5000);
    const endedAfter = wallClock() - pressedAt;
    t.keyUp();
    assert.ok(endedAfter >= 1200 && endedAfter < 2500, `ended ${endedAfter.toFixed(0)} ms after the press`);
    const transcript = await t.harness.page('transcript');
    await expect(transcript.getByTestId('entry-user').first()).toContainText('maximum turn length');
  });

  it('microphone permission denied: a clear error, no crash, and the next turn works once allowed', async () => {
    const t = await start({ microphonePermission: 'denied' });
    const transcript = await t.harness.page('transcript');
    t.keyDown();
    await expect(transcript.getByTestId('connection-state')).toHaveText('error');
    await expect(transcript.getByTestId('status-detail')).toContainText('Allow microphone access');
    t.keyUp();
    await expect(transcript.getByTestId('entry-user').first()).toHaveAttribute('data-state', 'failed');
    await t.harness.grantMicrophone();
    t.keyDown();
    await sleep(1000);
    t.keyUp();
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
    t.keyDown();
    await expect(transcript.getByTestId('status-detail')).toContainText(
      'Connect a microphone or choose another input device',
    );
    t.keyUp();
    await t.audioPage.evaluate(() => delete (navigator.mediaDevices as { getUserMedia?: unknown }).getUserMedia);
    // A person's next press comes later than X11 auto-repeat's release/press pairs.
    await sleep(150);
    t.keyDown();
    await sleep(1000);
    t.keyUp();
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
    t.keyDown();
    await sleep(1000);
    t.keyUp();
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
    t.keyDown();
    await sleep(1000);
    t.keyUp();
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
    t.keyDown();
    await sleep(1000);
    t.keyUp();
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
