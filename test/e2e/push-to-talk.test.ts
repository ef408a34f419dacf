import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from '@playwright/test';
import type { RecordedFrame } from '../emulator/recorder';
import { correlationInLoop, piecewiseCorrelation } from '../support/alignment';
import { base64ToPcm, concatPcm, rms } from '../support/audio';
import { Conversation } from '../harness/conversation';
import { tapLevels, tapSamples, wallClock } from '../harness/output-tap';

type Message = { realtimeInput?: Record<string, { data?: string }>; serverContent?: { turnComplete?: boolean } };

/** What the client sent, in order: setup, activityStart, audio, activityEnd… */
function sentKinds(frames: readonly RecordedFrame[]): string[] {
  return frames.map((frame) => {
    const message = frame.message as Message & { setup?: unknown };
    return message.setup ? 'setup' : (Object.keys(message.realtimeInput ?? message)[0] ?? '?');
  });
}

function sentAudio(frames: readonly RecordedFrame[]): Int16Array[] {
  return frames.flatMap((frame) => {
    const data = (frame.message as Message).realtimeInput?.audio?.data;
    return data ? [base64ToPcm(data)] : [];
  });
}

const turnComplete = (frame: RecordedFrame) =>
  frame.direction === 'out' && (frame.message as Message).serverContent?.turnComplete === true;

describe('push-to-talk, end to end', () => {
  let talk: Conversation;
  before(async () => {
    talk = await Conversation.start({
      emulator: {
        scenario: {
          turns: [
            { reply: { inputTranscription: 'first words from the user', outputTranscription: 'the first answer' } },
            { reply: { inputTranscription: 'second words', outputTranscription: 'the second answer' } },
            { reply: { inputTranscription: 'third words', outputTranscription: 'the third answer' } },
          ],
        },
      },
    });
  });
  after(() => talk.close());

  it('holds to talk: activityStart, the speech in 640-byte frames, activityEnd, then the reply is heard and transcribed', async (t) => {
    const keyDownAt = wallClock();
    talk.keyDown();
    const window = await talk.harness.page('transcript');
    await sleep(800);
    await expect(window.getByTestId('connection-state')).toHaveText('listening');
    const meter = Number(await window.getByTestId('input-level').getAttribute('value'));
    assert.ok(meter > 0.005, `the header's input meter moves while listening (${meter})`);
    await sleep(1600 - (wallClock() - keyDownAt));
    talk.keyUp();
    const keyUpAt = wallClock();
    await talk.emulator.waitForFrame(turnComplete, 15_000);

    const connection = talk.emulator.connection();
    const sent = connection.frames('in');
    const kinds = sentKinds(sent);
    assert.equal(kinds[0], 'setup');
    assert.equal(kinds[1], 'activityStart');
    assert.equal(kinds.at(-1), 'activityEnd');
    assert.ok(
      kinds.slice(2, -1).every((kind) => kind === 'audio'),
      'nothing but audio inside the activity',
    );
    const frames = sentAudio(sent);
    assert.ok(
      frames.slice(0, -1).every((frame) => frame.length === 320),
      'every frame but the last is 20 ms',
    );
    assert.ok(frames.at(-1)!.length <= 320);

    // First press, session not connected yet: every captured frame still went out.
    const ended = talk.harness.ipc.log.find((entry) => entry.channel === 'capture:ended');
    assert.equal((ended?.payload as { frames: number }).frames, frames.length, 'no frame lost to the connect');
    const heldMs = keyUpAt - keyDownAt;
    // From the moment the microphone really delivered audio to main telling it to stop (after the release).
    const capturedFrom = talk.harness.ipc.log.find((entry) => entry.channel === 'capture:started')!.at;
    const stoppedAt = talk.harness.ipc.log.find((entry) => entry.channel === 'capture:stop')!.at;
    const capturedMs = stoppedAt - capturedFrom;
    assert.ok(
      // Within 3 frames: both ends are timed as main saw them; the IPC either way adds a little on a loaded machine.
      Math.abs(frames.length - capturedMs / 20) <= 3,
      `${frames.length} frames for ${capturedMs.toFixed(0)} ms captured`,
    );
    const keyEventAt = talk.harness.keyEvents.find((event) => event.type === 'down' && event.at >= keyDownAt)!.at;
    t.diagnostic(
      `key event to microphone delivering audio: ${(capturedFrom - keyEventAt).toFixed(0)} ms (cold microphone)`,
    );

    const levels = talk.harness.ipc.log.filter((entry) => entry.channel === 'capture:level');
    const loudest = Math.max(...levels.map((entry) => (entry.payload as { level: number }).level));
    assert.ok(
      levels.length >= heldMs / 100 && loudest > 0.02,
      `input level published (${levels.length}, max ${loudest})`,
    );

    const captured = concatPcm(frames);
    const correlation = correlationInLoop(talk.speech.samples, captured);
    assert.ok(correlation >= 0.8, `captured speech correlates ${correlation.toFixed(3)} with the microphone file`);

    await sleep(300);
    const reply = connection.replyAudio();
    const heard = await tapSamples(talk.audioPage, keyUpAt);
    assert.ok(rms(heard) > 0.02, `reply audible at the master gain (rms ${rms(heard).toFixed(4)})`);
    const echo = piecewiseCorrelation(reply, heard);
    t.diagnostic(
      `frames ${frames.length}, mic correlation ${correlation.toFixed(3)}, heard-reply correlation ${echo.toFixed(3)}`,
    );
    assert.ok(echo >= 0.8, `heard reply correlates ${echo.toFixed(3)} with what was sent`);

    const transcript = await talk.harness.page('transcript');
    await expect(transcript.getByTestId('entry-user').last()).toContainText('first words from the user');
    await expect(transcript.getByTestId('entry-model').last()).toContainText('the first answer');
    await expect(transcript.getByTestId('usage').last()).toContainText('tokens');
    await expect(transcript.getByTestId('connection-state')).toHaveText('idle', { timeout: 10_000 });
  });

  it('barges in: key down during the reply silences it at once and marks it interrupted', async (t) => {
    const turnsBefore = talk.emulator
      .connection()
      .frames('in')
      .filter((f) => sentKinds([f])[0] === 'activityStart').length;
    talk.keyDown();
    await sleep(1500);
    talk.keyUp();
    const transcript = await talk.harness.page('transcript');
    await expect(transcript.getByTestId('connection-state')).toHaveText('speaking', { timeout: 10_000 });
    await sleep(300);

    const pressedAt = wallClock();
    talk.keyDown();
    await sleep(400);
    // From the moment the key event reached main, as a user's key press would.
    const bargeAt = talk.harness.keyEvents.find((event) => event.type === 'down' && event.at >= pressedAt)!.at;
    const levels = await tapLevels(talk.audioPage, pressedAt - 200);
    const loudBefore = levels.filter((l) => l.at < bargeAt).some((l) => l.rms > 0.02);
    assert.ok(loudBefore, 'the reply was playing before the key went down');
    const silentFrom = levels.find((l, i) => l.at >= bargeAt && levels.slice(i).every((later) => later.rms < 0.001));
    assert.ok(silentFrom, 'the tap went silent');
    const silenceMs = silentFrom.at - bargeAt;
    t.diagnostic(`barge-in: silent ${silenceMs.toFixed(1)} ms after the key event reached main`);
    assert.ok(silenceMs <= 50, `silent ${silenceMs.toFixed(1)} ms after key down`);

    const starts = talk.emulator
      .connection()
      .frames('in')
      .filter((f) => sentKinds([f])[0] === 'activityStart').length;
    assert.equal(starts, turnsBefore + 2, 'the barge-in sent activityStart');
    await expect(transcript.getByTestId('interrupted')).toHaveCount(1);
    talk.keyUp();
    await talk.emulator.waitForFrame(
      (frame) => turnComplete(frame) && frame.seq > talk.emulator.frames().at(-1)!.seq - 1000,
      15_000,
    );
    await expect(transcript.getByTestId('entry-model').last()).toContainText('the third answer', { timeout: 15_000 });
  });
});
