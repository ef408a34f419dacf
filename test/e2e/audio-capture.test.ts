import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expect } from '../harness/expect';
import type { Page } from 'playwright-core';
import { FrameAssembler, type PcmFrame } from '../../renderer/audio/capture/frame-assembler';
import { correlationInLoop } from '../support/alignment';
import { openAudioPage, type AudioPage } from '../fixtures/audio-page/driver';
import { rms } from '../support/audio';
import { synthesizeSpeech, type SpeechClip } from '../support/speech';

const frameBytes = 640;
/** The tests compare the samples, so the browser's voice processing must leave them alone. */
const unprocessed = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('microphone capture in Chromium', () => {
  let speech: SpeechClip;
  let audio: AudioPage;
  let page: Page;
  before(async () => {
    speech = await synthesizeSpeech('Hello Parley, what is the weather like in Paris today?');
    audio = await openAudioPage({ microphoneWav: speech.path });
    page = audio.page;
  });
  after(() => audio?.close());

  it('delivers the microphone as 20 ms PCM16 frames that match the spoken audio', async () => {
    const start = await page.evaluate((options) => window.audioTest.capture.start(options), unprocessed);
    assert.ok(start.ok, JSON.stringify(start));
    await sleep(1500);
    const turn = await page.evaluate(() => window.audioTest.capture.stop());

    const last = turn.frameBytes.at(-1)!;
    assert.ok(
      turn.frameBytes.slice(0, -1).every((bytes) => bytes === frameBytes),
      'every frame but the last is 640 B',
    );
    assert.ok(last > 0 && last <= frameBytes && last % 2 === 0, `last frame ${last} B`);
    assert.equal(turn.stopCount, turn.frameBytes.length, "stop() counts the turn's frames");
    assert.equal(turn.framesWhenStopResolved, turn.stopCount, 'every frame arrived before stop() resolved');
    // In capture order on the audio clock, each frame at least 20 ms after the one before: nothing doubled.
    // (How much audio a wall-clock second yields is Chromium's business: its fake devices fall behind on a busy
    // machine, and sometimes deliver nothing for a few render quanta.)
    assert.ok(
      turn.frameTimes.every((time, i) => i === 0 || time - turn.frameTimes[i - 1]! >= 20 - 1e-6),
      'in capture order',
    );

    const correlation = correlationInLoop(speech.samples, Int16Array.from(turn.samples));
    assert.ok(correlation >= 0.8, `correlation with the spoken WAV: ${correlation}`);
    assert.ok(rms(Int16Array.from(turn.samples)) > 0.02, 'the capture is not silence');

    assert.equal(turn.frameTimes[0], 0, 'the first frame starts with the first live audio');
    // A level for every 50 ms of audio.
    const expectedLevels = (turn.samples.length / 16000) * 20;
    assert.ok(
      Math.abs(turn.levels.length - expectedLevels) <= 1,
      `${turn.levels.length} levels for ${turn.stopCount} frames`,
    );
    assert.ok(Math.max(...turn.levels) > 0.05, `peak level ${Math.max(...turn.levels)} is speech`);
    console.info(
      `capture: start ${start.latencyMs.toFixed(1)} ms (first audio +${start.firstAudioAfterMs.toFixed(1)} ms), ` +
        `${turn.stopCount} frames in ${turn.liveMs.toFixed(0)} ms, last ${last} B, correlation ${correlation.toFixed(3)}`,
    );
  });

  it('sends the ~300 ms pre-roll of a warm microphone first, seamlessly followed by live frames', async () => {
    const warm = await page.evaluate((options) => window.audioTest.capture.warm(options), unprocessed);
    assert.ok(warm.ok, JSON.stringify(warm));
    await sleep(600);
    const start = await page.evaluate((options) => window.audioTest.capture.start(options), unprocessed);
    assert.ok(start.ok, JSON.stringify(start));
    await sleep(500);
    const turn = await page.evaluate(() => window.audioTest.capture.stop());
    assert.equal(await page.evaluate(() => window.audioTest.capture.state()), 'warm', 'stays warm after the turn');
    await page.evaluate(() => window.audioTest.capture.release());

    // 15 whole frames, and the one that was filling when the turn went live.
    const preRoll = turn.frameTimes.filter((time) => time < 0).length;
    assert.ok(preRoll >= 15 && preRoll <= 16, `${preRoll} frames from before the turn went live`);
    assert.ok(
      turn.frameTimes.every((time, i) => i === 0 || time > turn.frameTimes[i - 1]!),
      'pre-roll first, then live, in capture order',
    );
    assert.ok(turn.frameTimes[0]! <= -300, `the oldest pre-roll frame is ${turn.frameTimes[0]} ms old`);
    const correlation = correlationInLoop(speech.samples, Int16Array.from(turn.samples));
    assert.ok(correlation >= 0.8, `pre-roll and live audio are one seamless piece: ${correlation}`);
    console.info(`warm: start ${start.latencyMs.toFixed(1)} ms, ${preRoll} pre-roll frames`);
  });

  it('reports a missing device as "no-device", then starts normally', async () => {
    const missing = await page.evaluate(
      (options) => window.audioTest.capture.start({ ...options, deviceId: 'no-such-microphone' }),
      unprocessed,
    );
    assert.deepEqual(missing.ok ? missing : { ok: missing.ok, kind: missing.kind }, { ok: false, kind: 'no-device' });
    assert.ok(!missing.ok && missing.message.length > 0);
    await assertCaptureWorks(page);
  });

  it('reports a refused permission as "permission-denied" on every attempt, without crashing', async () => {
    // The harness's --use-fake-ui-for-media-stream grants every request, even with the permission
    // set to denied (Browser.setPermission); a Permissions-Policy makes Chromium refuse for real.
    const refusing = await audio.openPage({ 'Permissions-Policy': 'microphone=()' });
    for (let attempt = 1; attempt <= 2; attempt++) {
      const denied = await refusing.evaluate((options) => window.audioTest.capture.start(options), unprocessed);
      assert.deepEqual(denied.ok ? denied : { ok: denied.ok, kind: denied.kind }, {
        ok: false,
        kind: 'permission-denied',
      });
      assert.match(!denied.ok ? denied.message : '', /denied/);
    }
    assert.equal(await refusing.evaluate(() => window.audioTest.capture.state()), 'closed');
    await refusing.close();
  });
});

async function assertCaptureWorks(page: Page): Promise<void> {
  const start = await page.evaluate((options) => window.audioTest.capture.start(options), unprocessed);
  assert.ok(start.ok, JSON.stringify(start));
  await expect.poll(() => page.evaluate(() => window.audioTest.capture.framesSoFar())).toBeGreaterThanOrEqual(5);
  const turn = await page.evaluate(() => window.audioTest.capture.stop());
  assert.ok(turn.stopCount >= 5, `${turn.stopCount} frames after recovering`);
}

describe('FrameAssembler', () => {
  const assemble = (blocks: number[]) => {
    const frames: PcmFrame[] = [];
    const assembler = new FrameAssembler(320, 16000, (frame) => frames.push(frame));
    let time = 0;
    for (const length of blocks) {
      assembler.push(new Float32Array(length).fill(0.5), time);
      time += length / 16000;
    }
    return { frames, assembler };
  };

  it('cuts 128-sample blocks into 320-sample frames stamped with their first sample', () => {
    const { frames } = assemble([128, 128, 128, 128, 128]);
    assert.deepEqual(
      frames.map((frame) => [frame.pcm.byteLength, frame.time]),
      [
        [640, 0],
        [640, 0.02],
      ],
    );
  });

  it('flushes the partial frame with its real samples only', () => {
    const { frames, assembler } = assemble([128, 128, 128]);
    assembler.flush();
    assert.deepEqual(
      frames.map((frame) => frame.pcm.byteLength),
      [640, 128],
    );
    assembler.flush();
    assert.equal(frames.length, 2, 'nothing left to flush');
  });

  it('clamps out-of-range samples instead of wrapping around', () => {
    const frames: PcmFrame[] = [];
    const assembler = new FrameAssembler(4, 16000, (frame) => frames.push(frame));
    assembler.push(Float32Array.from([1.5, -1.5, 1, -1]), 0);
    assert.deepEqual(Array.from(new Int16Array(frames[0]!.pcm)), [32767, -32768, 32767, -32768]);
  });
});
