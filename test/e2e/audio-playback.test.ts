import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { expect } from '../harness/expect';
import type { Page } from 'playwright-core';
import type { CueKind } from '../../renderer/audio/cues/cue-player';
import { JitterCushion } from '../../renderer/audio/playback/jitter-cushion';
import { Playout, type PlayoutEvent } from '../../renderer/audio/playback/playout';
import { SampleRing } from '../../renderer/audio/playback/sample-ring';
import type { Delivery } from '../fixtures/audio-page/api';
import { align } from '../support/alignment';
import { openAudioPage, type AudioPage } from '../fixtures/audio-page/driver';
import { resample } from '../support/audio';
import { synthesizeSpeech } from '../support/speech';

const sampleRate = 24000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('reply playback in Chromium', () => {
  let audio: AudioPage;
  let page: Page;
  let reply: number[];
  before(async () => {
    const [speech, opened] = await Promise.all([synthesizeSpeech('Sure, here is the forecast.'), openAudioPage()]);
    reply = Array.from(resample(speech, sampleRate).samples);
    audio = opened;
    page = audio.page;
  });
  after(() => audio?.close());

  const deliver = (delivery: Delivery, lateAfterMs?: number) =>
    page.evaluate(async ([d, late]) => (await window.audioTest.playback).deliver(d, late), [
      delivery,
      lateAfterMs,
    ] as const);
  const untilIdle = () => page.evaluate(async () => (await window.audioTest.playback).untilIdle(5000));
  const stats = () => page.evaluate(async () => (await window.audioTest.playback).stats());
  const cuePeak = (kind: CueKind) =>
    page.evaluate(async (cue) => {
      const probe = await window.audioTest.playback;
      probe.playCue(cue);
      return probe.peakTapLevel(150);
    }, kind);
  const peakTapLevel = (ms: number) =>
    page.evaluate(async (duration) => (await window.audioTest.playback).peakTapLevel(duration), ms);

  it('builds the worklets as same-origin files and runs the 24 kHz context under the app CSP', async () => {
    const worklets = (await readdir(`${audio.builtDir}/assets`))
      .map((file) => /^(\w+-worklet)-.*\.js$/.exec(file)?.[1])
      .filter((name) => name !== undefined);
    assert.deepEqual(worklets.sort(), ['capture-worklet', 'player-worklet', 'recorder-worklet']);
    const context = await page.evaluate(async () => (await window.audioTest.playback).contextState());
    assert.deepEqual(context, { state: 'running', sampleRate });
  });

  it('plays a reply streamed in real-time 40 ms chunks audibly, sample for sample, without underruns', async () => {
    const earlier = await stats();
    await page.evaluate(async () => (await window.audioTest.playback).startRecording());
    const [{ startDelayMs, lateChunks }, peak] = await Promise.all([
      // A chunk later than the cushion (when the page's timers are held back) is no longer smooth delivery.
      deliver({ samples: reply, chunkMs: 40, endOfReply: true }, earlier.cushionMs),
      peakTapLevel(1000),
      untilIdle(),
    ]);
    const recorded = Int16Array.from(
      await page.evaluate(async () => (await window.audioTest.playback).stopRecording()),
    );
    const later = await stats();

    assert.ok(peak > 0.05, `tap level ${peak} while playing`);
    // Smooth delivery never runs dry; each chunk the machine delayed beyond the cushion may cost one underrun.
    assert.ok(
      later.underruns - earlier.underruns <= lateChunks,
      `${later.underruns - earlier.underruns} underruns, ${lateChunks} chunks delivered late`,
    );
    const input = Int16Array.from(reply);
    const match = align(recorded, input, recorded.length - input.length);
    const found = `correlation ${match.correlation} at ${match.lag} in ${recorded.length} recorded samples`;
    assert.ok(match.correlation > 0.99, `output vs input: ${found}`);
    const changes = await page.evaluate(async () => (await window.audioTest.playback).playingChanges());
    assert.deepEqual(changes, [true, false]);
    console.info(
      `playback: correlation ${match.correlation.toFixed(4)}, first enqueue → playing ${startDelayMs.toFixed(1)} ms ` +
        `(cushion ${earlier.cushionMs} ms), tap peak ${peak.toFixed(3)}`,
    );
  });

  it('flush() silences the master output and drops the buffered audio', async () => {
    await deliver({ samples: reply, chunkMs: 100, burst: true, endOfReply: false });
    await sleep(400);
    const silentAfterMs = await page.evaluate(async () => (await window.audioTest.playback).flushToSilenceMs(0.001));
    // How fast is the bench's barge_in_silence_ms (p95 ≤ 30 ms). Here: within a second, which a busy machine
    // holding back the page's polling stays far below, while a flush that let the buffered reply play would not.
    assert.ok(silentAfterMs < 1000, `silent ${silentAfterMs} ms after flush()`);
    assert.equal((await stats()).bufferedMs, 0);
    assert.ok((await peakTapLevel(150)) < 0.001, 'nothing plays after the flush');
    const changes = await page.evaluate(async () => (await window.audioTest.playback).playingChanges());
    assert.equal(changes.at(-1), false, 'the reply stopped playing');
    console.info(`flush: silent at the tap after ${silentAfterMs.toFixed(1)} ms`);
  });

  it('counts a delivery gap mid-reply as an underrun and grows the cushion', async () => {
    const earlier = await stats();
    const { lateChunks } = await deliver(
      { samples: reply.slice(0, sampleRate), chunkMs: 40, gap: { afterMs: 400, ms: 250 }, endOfReply: true },
      earlier.cushionMs,
    );
    await untilIdle();
    const later = await stats();
    // The gap, and each chunk a busy machine delivered later than the cushion (as in the smooth case).
    const underruns = later.underruns - earlier.underruns;
    assert.ok(underruns >= 1 && underruns <= 1 + lateChunks, `${underruns} underruns, ${lateChunks} chunks late`);
    assert.ok(later.cushionMs > earlier.cushionMs, `cushion ${earlier.cushionMs} → ${later.cushionMs} ms`);
    console.info(`underrun: cushion ${earlier.cushionMs} → ${later.cushionMs} ms`);
  });

  it('does not count the drain at the end of a reply as an underrun', async () => {
    const earlier = await stats();
    await deliver({ samples: reply.slice(0, sampleRate / 2), chunkMs: 100, burst: true, endOfReply: true });
    await untilIdle();
    assert.equal((await stats()).underruns, earlier.underruns);
  });

  it('plays the cues audibly through the master gain, and not when disabled or muted', async () => {
    for (const kind of ['start', 'stop', 'ready'] as const) {
      const peak = await cuePeak(kind);
      assert.ok(peak > 0.1, `${kind} cue peak ${peak}`);
    }
    await page.evaluate(async () => (await window.audioTest.playback).setVolume(0));
    // The volume glides down on the audio clock, which a busy machine may run behind the wall clock.
    await expect.poll(() => cuePeak('start'), { message: 'muted by the master gain' }).toBeLessThan(0.001);
    await page.evaluate(async () => (await window.audioTest.playback).setVolume(1));
    await page.evaluate(async () => (await window.audioTest.playback).setCuesEnabled(false));
    assert.ok((await cuePeak('start')) < 0.001, 'disabled');
    await page.evaluate(async () => (await window.audioTest.playback).setCuesEnabled(true));
  });

  it('switches the output device, and reports an unknown one clearly', async () => {
    const setSinkId = (deviceId: string) =>
      page.evaluate(async (id) => (await window.audioTest.playback).setSinkId(id), deviceId);
    const unknown = await setSinkId('no-such-speaker');
    assert.deepEqual(unknown.ok ? unknown : { ok: false, kind: unknown.kind }, { ok: false, kind: 'not-found' });
    const speakers = await page.evaluate(async () =>
      (await navigator.mediaDevices.enumerateDevices())
        .filter((device) => device.kind === 'audiooutput' && device.deviceId !== 'default')
        .map((device) => device.deviceId),
    );
    assert.ok(speakers[0], 'Chromium lists its fake output devices');
    assert.deepEqual(await setSinkId(speakers[0]), { ok: true });
    assert.ok((await cuePeak('ready')) > 0.1, 'plays on the chosen device');
    assert.deepEqual(await setSinkId(''), { ok: true });
  });
});

describe('Playout', () => {
  const quantum = 128;
  const rate = 24000;
  const setup = () => {
    const events: PlayoutEvent[] = [];
    const cushion = new JitterCushion(30, 240);
    const playout = new Playout(rate, new SampleRing(256), cushion, (event) => events.push(event));
    const render = (quanta = 1) => {
      const out = new Float32Array(quantum);
      for (let i = 0; i < quanta; i++) playout.render(out);
      return out;
    };
    return { events, cushion, playout, render };
  };
  const audioMs = (ms: number) => new Float32Array((rate * ms) / 1000).fill(0.5);

  it('waits for the cushion, plays, and ends the reply on the drain after endOfReply()', () => {
    const { events, playout, render } = setup();
    playout.append(audioMs(100));
    assert.equal(render(6)[0], 0, 'silent while the 30 ms cushion fills');
    assert.equal(render()[0], 0.5);
    assert.deepEqual(events, ['started']);
    playout.endOfReply();
    render(20);
    assert.deepEqual(events, ['started', 'finished']);
    assert.equal(playout.underruns, 0);
  });

  it('counts running dry mid-reply as an underrun once more audio comes, doubles the cushion and keeps the reply going', () => {
    const { events, cushion, playout, render } = setup();
    playout.append(audioMs(40));
    render(20);
    assert.equal(playout.underruns, 0, 'dry: an underrun or the end, which the next message tells');
    assert.deepEqual(events, ['started']);
    playout.append(audioMs(40));
    assert.equal(playout.underruns, 1);
    assert.equal(cushion.milliseconds, 60);
    playout.endOfReply();
    render(30);
    assert.deepEqual(events, ['started', 'finished']);
    assert.equal(playout.underruns, 1);
  });

  it('does not count running dry just before a late end mark as an underrun', () => {
    const { events, cushion, playout, render } = setup();
    playout.append(audioMs(40));
    render(20);
    playout.endOfReply();
    render(2);
    assert.equal(playout.underruns, 0);
    assert.equal(cushion.milliseconds, 30);
    assert.deepEqual(events, ['started', 'finished']);
  });

  it('flush() empties the buffer, ends the reply and fades out instead of clicking', () => {
    const { events, playout, render } = setup();
    playout.append(audioMs(500));
    render(10);
    playout.flush();
    assert.equal(playout.bufferedMs, 0);
    assert.deepEqual(events, ['started', 'finished']);
    const out = render();
    assert.ok(out[0]! > 0 && out[0]! < 0.5 && Math.abs(out[quantum - 1]!) < 0.005, 'a short decay to silence');
  });

  it('grows the ring instead of dropping audio', () => {
    const ring = new SampleRing(4);
    ring.write(Float32Array.from([1, 2, 3]));
    ring.read(new Float32Array(2));
    ring.write(Float32Array.from([4, 5, 6, 7, 8]));
    const out = new Float32Array(6);
    assert.equal(ring.read(out), 6);
    assert.deepEqual(Array.from(out), [3, 4, 5, 6, 7, 8]);
  });
});
