import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { normalizedCrossCorrelation, resample, tone, writeWav } from '../support/audio';
import { audioIn, connectLive, isTurnComplete, sendAudio, sendTurn, transcript } from './live-probe';
import { openRaw, SETUP } from './raw-client';
import { startEmulator, type Emulator } from './server';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ pacing: { mode: 'fast' } });
});
beforeEach(async () => {
  await emulator.loadScenario({});
  emulator.setPacing({ mode: 'fast' });
});
after(() => emulator.close());

const speak = (ms = 300) => tone(16_000, 300, ms);

describe('scripted replies', () => {
  it('sends the scripted transcriptions and a tone', async () => {
    await emulator.loadScenario({
      turns: [
        {
          reply: {
            inputTranscription: 'what time is it',
            text: 'It is {seconds} past noon',
            audio: { tone: { frequencyHz: 440, durationMs: 250 } },
          },
        },
      ],
    });
    const probe = await connectLive(emulator.url);
    sendTurn(probe.session, speak(400));
    await probe.next(isTurnComplete);
    assert.equal(transcript(probe.messages, 'inputTranscription'), 'what time is it');
    assert.equal(transcript(probe.messages, 'outputTranscription'), 'It is 0.40 past noon');
    assert.equal(audioIn(probe.messages).length, 6000);
    probe.session.close();
  });

  it('sends the input transcription after the reply has begun when told to, as the service may', async () => {
    await emulator.loadScenario({
      lateInputTranscription: true,
      turns: [{ reply: { inputTranscription: 'what time is it', text: 'It is noon, more or less.' } }],
    });
    const probe = await connectLive(emulator.url);
    sendTurn(probe.session, speak(400));
    await probe.next(isTurnComplete);
    const firstOf = (kind: 'inputTranscription' | 'outputTranscription') =>
      probe.messages.findIndex((message) => message.serverContent?.[kind]);
    assert.ok(firstOf('outputTranscription') >= 0);
    assert.ok(
      firstOf('inputTranscription') > firstOf('outputTranscription'),
      "the user's words come after the reply's first words",
    );
    const lastOutput = probe.messages.findLastIndex((message) => message.serverContent?.outputTranscription);
    assert.ok(firstOf('inputTranscription') < lastOutput, 'and before the rest of the reply');
    assert.equal(transcript(probe.messages, 'inputTranscription'), 'what time is it');
    assert.equal(transcript(probe.messages, 'outputTranscription'), 'It is noon, more or less.');
    probe.session.close();
  });

  it('loads a scenario file with reply audio from a WAV next to it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-scenario-'));
    try {
      const wav = { sampleRate: 16_000, samples: tone(16_000, 523, 500) };
      await writeWav(join(dir, 'reply.wav'), wav);
      const file = join(dir, 'scenario.json');
      await writeFile(file, JSON.stringify({ turns: [{ reply: { text: 'a chime', audio: { wav: 'reply.wav' } } }] }));
      await emulator.loadScenario(file);
      const probe = await connectLive(emulator.url);
      sendTurn(probe.session, speak());
      await probe.next(isTurnComplete);
      const reply = audioIn(probe.messages);
      assert.equal(reply.length, 12_000);
      const back = resample({ sampleRate: 24_000, samples: reply }, 16_000).samples;
      assert.ok(normalizedCrossCorrelation(wav.samples, back).correlation > 0.99);
      probe.session.close();
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('rejects an invalid scenario with a readable error', async () => {
    const unknownPoint = JSON.parse('{ "turns": [{ "events": [{ "at": "never", "type": "drop" }] }] }');
    await assert.rejects(emulator.loadScenario(unknownPoint), /invalid scenario/);
    await assert.rejects(
      emulator.loadScenario({ events: [{ afterMs: 0, type: 'close', code: 1006 }] }),
      /use drop for 1006/,
    );
  });
});

describe('connection faults', () => {
  it('sends goAway with timeLeft, then closes 1011 when it runs out', async () => {
    await emulator.loadScenario({ events: [{ afterMs: 20, type: 'goAway', timeLeftMs: 150 }] });
    const probe = await connectLive(emulator.url);
    const goAway = await probe.next((m) => m.goAway !== undefined);
    assert.equal(goAway.goAway?.timeLeft, '0.150s');
    assert.deepEqual(await probe.closed, { code: 1011, reason: 'Deadline expired before operation could complete.' });
    // Timed where both were sent: a busy client may take the notice and the close in one go.
    const connection = emulator.connection();
    const sentAt = connection.frames('out').find((f) => f.message.goAway !== undefined)!.t;
    assert.ok(connection.closed!.t - sentAt >= 145, `closed ${connection.closed!.t - sentAt} ms after the notice`);
  });

  it('ends each connection after its lifetime, with goAway first', async () => {
    const short = await startEmulator({ connectionLifetime: { ms: 150, goAwayNoticeMs: 100 } });
    try {
      const probe = await connectLive(short.url);
      assert.equal((await probe.next((m) => m.goAway !== undefined)).goAway?.timeLeft, '0.100s');
      assert.equal((await probe.closed).code, 1011);
    } finally {
      await short.close();
    }
  });

  it('drops the socket mid-turn', async () => {
    await emulator.loadScenario({ turns: [{ events: [{ at: 'midTurn', type: 'drop' }] }] });
    const probe = await connectLive(emulator.url);
    probe.session.sendRealtimeInput({ activityStart: {} });
    sendAudio(probe.session, speak(100));
    assert.equal((await probe.closed).code, 1006);
    assert.equal(emulator.connection().closed?.by, 'drop');
  });

  it('drops the socket mid-reply, after part of the audio', async () => {
    await emulator.loadScenario({ turns: [{ events: [{ at: 'midReply', type: 'drop' }] }] });
    const probe = await connectLive(emulator.url);
    sendTurn(probe.session, speak(1000));
    assert.equal((await probe.closed).code, 1006);
    const received = audioIn(probe.messages).length;
    assert.ok(received > 0 && received < 24_000, `${received} samples`);
    assert.ok(!probe.messages.some(isTurnComplete));
  });

  it('closes with a chosen code and reason at a chosen point', async () => {
    await emulator.loadScenario({
      turns: [{}, { events: [{ at: 'turnEnd', type: 'close', code: 4000, reason: 'scripted' }] }],
    });
    const probe = await connectLive(emulator.url);
    sendTurn(probe.session, speak());
    await probe.next(isTurnComplete);
    sendTurn(probe.session, speak());
    assert.deepEqual(await probe.closed, { code: 4000, reason: 'scripted' });
  });

  it('closes 1011 with the internal-error reason by default', async () => {
    await emulator.loadScenario({
      events: [{ afterMs: 0, type: 'close', code: 1011, connection: emulator.connections().length }],
    });
    const first = await connectLive(emulator.url);
    assert.deepEqual(await first.closed, { code: 1011, reason: 'Internal error occurred.' });
    const second = await connectLive(emulator.url);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(emulator.connection().closed, undefined, 'the event was for the first connection only');
    second.session.close();
  });

  it('delays setupComplete and holds early frames until it is sent', async () => {
    await emulator.loadScenario({ setupCompleteDelayMs: 200 });
    const started = performance.now();
    const probe = await connectLive(emulator.url);
    assert.ok(performance.now() - started >= 190);
    probe.session.close();

    const client = await openRaw(emulator.url);
    client.send(SETUP);
    client.send({ realtimeInput: { activityStart: {} } });
    client.send({ realtimeInput: { activityEnd: {} } });
    const connection = emulator.connection();
    await emulator.waitForFrame(
      (f) =>
        f.connectionId === connection.id && f.direction === 'out' && f.message.serverContent?.turnComplete === true,
      2000,
    );
    const sent = connection.frames('out');
    assert.ok(sent[0]?.message.setupComplete, 'setupComplete comes before anything else');
    client.ws.close();
  });

  it('stops answering from a chosen turn on', async () => {
    await emulator.loadScenario({ turns: [{}, { events: [{ at: 'turnEnd', type: 'stopAnswering' }] }] });
    const probe = await connectLive(emulator.url);
    sendTurn(probe.session, speak());
    await probe.next(isTurnComplete);
    const answered = probe.messages.length;
    sendTurn(probe.session, speak());
    sendTurn(probe.session, speak());
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(probe.messages.length, answered);
    assert.equal(emulator.connection().turns().length, 3, 'the turns are still received');
    assert.equal(emulator.connection().closed, undefined);
    probe.session.close();
  });
});
