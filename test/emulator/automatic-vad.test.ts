import { StartSensitivity, TurnCoverage, type LiveConnectConfig } from '@google/genai';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { concatPcm, silence, tone } from '../support/audio';
import { EnergyVad } from './energy-vad';
import { audioIn, connectLive, isTurnComplete, sendAudio, transcript } from './live-probe';
import { startEmulator, type Emulator } from './server';

const RATE = 16_000;

function automatic(extra: LiveConnectConfig['realtimeInputConfig'] = {}): LiveConnectConfig {
  return {
    realtimeInputConfig: { automaticActivityDetection: { silenceDurationMs: 300 }, ...extra },
    inputAudioTranscription: {},
  };
}

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ pacing: { mode: 'fast' } });
});
after(() => emulator.close());

describe('energy-based detection', () => {
  it('ends the turn after silenceDurationMs and keeps only the speech', async () => {
    const probe = await connectLive(emulator.url, { config: automatic() });
    sendAudio(probe.session, concatPcm([silence(RATE, 200), tone(RATE, 300, 600), silence(RATE, 400)]));
    await probe.next(isTurnComplete);
    assert.equal(transcript(probe.messages, 'inputTranscription'), 'heard 0.60 s of audio');
    assert.equal(emulator.connection().turns()[0]?.input.audio.samples.length, 9600);
    assert.equal(audioIn(probe.messages).length, 14_400);
    probe.session.close();
  });

  it('does not end the turn on a pause shorter than silenceDurationMs', async () => {
    const probe = await connectLive(emulator.url, { config: automatic() });
    const speech = concatPcm([tone(RATE, 300, 300), silence(RATE, 200), tone(RATE, 300, 300)]);
    sendAudio(probe.session, concatPcm([speech, silence(RATE, 400)]));
    await probe.next(isTurnComplete);
    assert.deepEqual(emulator.connection().turns()[0]?.input.audio.samples, speech);
    probe.session.close();
  });

  it('ends the turn at audioStreamEnd', async () => {
    const probe = await connectLive(emulator.url, { config: automatic() });
    sendAudio(probe.session, tone(RATE, 300, 500));
    probe.session.sendRealtimeInput({ audioStreamEnd: true });
    await probe.next(isTurnComplete);
    assert.equal(emulator.connection().turns()[0]?.input.audio.samples.length, 8000);
    probe.session.close();
  });

  it('includes the silence before speech under TURN_INCLUDES_ALL_INPUT', async () => {
    const probe = await connectLive(emulator.url, {
      config: automatic({ turnCoverage: TurnCoverage.TURN_INCLUDES_ALL_INPUT }),
    });
    sendAudio(probe.session, concatPcm([silence(RATE, 200), tone(RATE, 300, 400), silence(RATE, 400)]));
    await probe.next(isTurnComplete);
    // 200 ms before, 400 ms of speech, and the 300 ms of silence that ended it.
    assert.equal(emulator.connection().turns()[0]?.input.audio.samples.length, 14_400);
    probe.session.close();
  });

  it('interrupts the reply when speech starts during it', async () => {
    emulator.setPacing({ mode: 'realtime' });
    try {
      const probe = await connectLive(emulator.url, { config: automatic() });
      sendAudio(probe.session, concatPcm([tone(RATE, 300, 1500), silence(RATE, 300)]));
      await probe.next((m) => audioIn([m]).length > 0);
      sendAudio(probe.session, tone(RATE, 300, 100));
      await probe.next((m) => m.serverContent?.interrupted === true);
      await probe.next(isTurnComplete);
      assert.ok(!probe.messages.some((m) => m.serverContent?.generationComplete));
      probe.session.close();
    } finally {
      emulator.setPacing({ mode: 'fast' });
    }
  });

  const signals = ['activityStart', 'activityEnd'] as const;
  for (const signal of signals) {
    it(`closes 1007 on ${signal} while automatic detection is on`, async () => {
      const probe = await connectLive(emulator.url, { config: automatic() });
      probe.session.sendRealtimeInput({ [signal]: {} });
      const close = await probe.closed;
      assert.equal(close.code, 1007);
      assert.match(close.reason, new RegExp(`^${signal} is only valid when automatic activity detection is disabled`));
    });
  }
});

describe('EnergyVad', () => {
  const config = { silenceDurationMs: 300, prefixPaddingMs: 20, startSensitivity: 'HIGH' as const };

  it('works on audio time whatever the chunking', () => {
    const audio = concatPcm([silence(RATE, 100), tone(RATE, 300, 500), silence(RATE, 500)]);
    for (const chunk of [1, 333, 320, audio.length]) {
      const vad = new EnergyVad(RATE, config, false);
      const events = [];
      for (let i = 0; i < audio.length; i += chunk) events.push(...vad.push(audio.subarray(i, i + chunk)));
      assert.deepEqual(
        events.map((e) => (e.type === 'speechEnd' ? e.audio.length : e.type)),
        ['speechStart', 8000],
        `chunks of ${chunk}`,
      );
    }
  });

  it('hears quiet speech only with high start sensitivity', () => {
    const quiet = concatPcm([tone(RATE, 300, 300, 0.01), silence(RATE, 400)]); // about -43 dBFS
    assert.equal(new EnergyVad(RATE, config, false).push(quiet).length, 2);
    assert.equal(new EnergyVad(RATE, { ...config, startSensitivity: 'LOW' }, false).push(quiet).length, 0);
  });

  it('maps the setup sensitivity to the detector', async () => {
    const probe = await connectLive(emulator.url, {
      config: automatic({
        automaticActivityDetection: {
          startOfSpeechSensitivity: StartSensitivity.START_SENSITIVITY_LOW,
          silenceDurationMs: 250,
        },
      }),
    });
    assert.deepEqual(emulator.connection().config?.automaticActivityDetection, {
      silenceDurationMs: 250,
      prefixPaddingMs: 20,
      startSensitivity: 'LOW',
    });
    probe.session.close();
  });
});
