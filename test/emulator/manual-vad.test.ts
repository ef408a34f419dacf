import { ActivityHandling, type LiveServerMessage } from '@google/genai';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { normalizedCrossCorrelation, resample, silence, tone } from '../support/audio';
import { synthesizeSpeech } from '../support/speech';
import {
  audioIn,
  connectLive,
  isTurnComplete,
  MANUAL_VAD,
  sendAudio,
  sendTurn,
  transcript,
  type LiveProbe,
} from './live-probe';
import { startEmulator, type Emulator } from './server';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ pacing: { mode: 'fast' } });
});
beforeEach(() => emulator.setPacing({ mode: 'fast' }));
after(() => emulator.close());

describe('echo persona', () => {
  it('returns 2 s of speech as 24 kHz audio that matches it (correlation >= 0.9)', async () => {
    const speech = await synthesizeSpeech('The quick brown fox jumps over the lazy dog by the river bank.');
    await rm(dirname(speech.path), { recursive: true });
    const input = speech.samples.slice(0, 32_000);
    assert.equal(input.length, 32_000, 'espeak-ng produced less than 2 s');
    const probe = await connectLive(emulator.url);
    sendTurn(probe.session, input);
    await probe.next(isTurnComplete);

    const reply = audioIn(probe.messages);
    assert.equal(reply.length, 48_000);
    const back = resample({ sampleRate: 24_000, samples: reply }, 16_000).samples;
    const { correlation, lag } = normalizedCrossCorrelation(input, back);
    console.info(`echo correlation ${correlation.toFixed(4)} at lag ${lag}`);
    assert.ok(correlation >= 0.9, `correlation ${correlation}`);

    const connection = emulator.connection();
    assert.deepEqual(connection.userAudio()[0]?.samples, input, 'the emulator heard exactly the audio sent');
    assert.deepEqual(connection.replyAudio(), reply, 'the client got exactly the audio the emulator sent');
    probe.session.close();
  });

  it('sends transcriptions, audio, generationComplete then turnComplete with usage', async () => {
    const probe = await connectLive(emulator.url);
    sendTurn(probe.session, tone(16_000, 300, 1500));
    const complete = await probe.next(isTurnComplete);

    assert.equal(transcript(probe.messages, 'inputTranscription'), 'heard 1.50 s of audio');
    assert.equal(transcript(probe.messages, 'outputTranscription'), 'heard 1.50 s of audio');
    for (const kind of ['inputTranscription', 'outputTranscription'] as const) {
      const pieces = probe.messages.flatMap((m) => (m.serverContent?.[kind] ? [m.serverContent[kind]] : []));
      assert.ok(pieces.length > 1, `${kind} comes in pieces`);
      assert.deepEqual(
        pieces.map((piece) => piece.finished === true),
        pieces.map((_, i) => i === pieces.length - 1),
        `only the last ${kind} piece is finished`,
      );
    }
    const mimeTypes = new Set(
      probe.messages.flatMap((m) => m.serverContent?.modelTurn?.parts?.map((p) => p.inlineData?.mimeType) ?? []),
    );
    assert.deepEqual([...mimeTypes], ['audio/pcm;rate=24000']);

    const kinds = probe.messages.map(kindOf);
    assert.equal(kinds[0], 'setupComplete');
    assert.ok(kinds.indexOf('generationComplete') < kinds.indexOf('turnComplete'));
    assert.ok(kinds.lastIndexOf('audio') < kinds.indexOf('generationComplete'));
    assert.equal(kinds.at(-1), 'turnComplete');
    // The turnComplete frame carries usageMetadata too, as the service sends it.
    const usage = complete.usageMetadata;
    assert.equal(usage?.promptTokenCount, 48); // 1.5 s at 32 tokens/s
    assert.equal(usage?.responseTokenCount, 48);
    assert.equal(usage?.totalTokenCount, 96);
    assert.deepEqual(usage?.promptTokensDetails, [{ modality: 'AUDIO', tokenCount: 48 }]);
    probe.session.close();
  });

  it('counts the whole conversation in the prompt of later turns', async () => {
    const probe = await connectLive(emulator.url);
    sendTurn(probe.session, tone(16_000, 300, 1000));
    await probe.next(isTurnComplete);
    sendTurn(probe.session, tone(16_000, 300, 500));
    const second = await probe.next(isTurnComplete);
    assert.equal(second.usageMetadata?.promptTokenCount, 32 + 32 + 16);
    probe.session.close();
  });

  it('compresses the context with a sliding window past triggerTokens', async () => {
    const probe = await connectLive(emulator.url, {
      config: {
        ...MANUAL_VAD,
        contextWindowCompression: { triggerTokens: '40', slidingWindow: { targetTokens: '20' } },
      },
    });
    sendTurn(probe.session, tone(16_000, 300, 1000)); // 32 tokens in and 32 out: past the trigger
    await probe.next(isTurnComplete);
    sendTurn(probe.session, tone(16_000, 300, 500));
    const second = await probe.next(isTurnComplete);
    assert.equal(second.usageMetadata?.promptTokenCount, 20 + 16);
    probe.session.close();
  });
});

describe('turn boundaries', () => {
  it('takes exactly the audio between activityStart and activityEnd', async () => {
    const probe = await connectLive(emulator.url);
    const inside = tone(16_000, 500, 400);
    sendAudio(probe.session, tone(16_000, 200, 300)); // before: not part of any turn
    sendTurn(probe.session, inside);
    sendAudio(probe.session, tone(16_000, 200, 300)); // after: not part of any turn
    await probe.next(isTurnComplete);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const turns = emulator.connection().turns();
    assert.equal(turns.length, 1);
    assert.deepEqual(turns[0]?.input.audio.samples, inside);
    assert.equal(audioIn(probe.messages).length, (inside.length * 3) / 2);
    probe.session.close();
  });

  it('starts the reply only after activityEnd', async () => {
    const probe = await connectLive(emulator.url);
    probe.session.sendRealtimeInput({ activityStart: {} });
    sendAudio(probe.session, tone(16_000, 300, 600));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(probe.messages.map(kindOf), ['setupComplete'], 'nothing before activityEnd');
    probe.session.sendRealtimeInput({ activityEnd: {} });
    await probe.next(isTurnComplete);

    const frames = emulator.connection().frames();
    const activityEnd = frames.find((f) => f.direction === 'in' && f.message?.realtimeInput?.activityEnd);
    const firstReply = frames.find((f) => f.direction === 'out' && f.message.serverContent);
    assert.ok(activityEnd && firstReply && activityEnd.seq < firstReply.seq && activityEnd.t <= firstReply.t);
    probe.session.close();
  });

  it('records every frame with a monotonic timestamp, direction and connection id', async () => {
    const probe = await connectLive(emulator.url);
    sendTurn(probe.session, tone(16_000, 300, 200));
    await probe.next(isTurnComplete);
    const connection = emulator.connection();
    const frames = connection.frames();
    assert.ok(frames.every((frame) => frame.connectionId === connection.id));
    assert.ok(frames.every((frame, i) => i === 0 || (frame.t >= frames[i - 1]!.t && frame.seq > frames[i - 1]!.seq)));
    assert.ok(frames[0]?.direction === 'in' && frames[0].message?.setup);
    assert.equal(connection.frames('in').length, 1 + 1 + 10 + 1); // setup, activityStart, 10 audio frames, activityEnd
    assert.equal(frames.filter((f) => f.direction === 'out').length, probe.messages.length);
    probe.session.close();
  });
});

describe('interruption', () => {
  it('cuts the reply on activityStart under START_OF_ACTIVITY_INTERRUPTS', async () => {
    emulator.setPacing({ mode: 'realtime' });
    const probe = await connectLive(emulator.url);
    sendTurn(probe.session, tone(16_000, 300, 2000));
    await probe.next((m) => audioIn([m]).length > 0);
    probe.session.sendRealtimeInput({ activityStart: {} });
    await probe.next((m) => m.serverContent?.interrupted === true);
    await probe.next(isTurnComplete);

    const kinds = probe.messages.map(kindOf);
    assert.ok(!kinds.includes('generationComplete'), 'no generationComplete on an interrupted turn');
    const interrupted = kinds.indexOf('interrupted');
    assert.deepEqual(kinds.slice(interrupted), ['interrupted', 'turnComplete']);
    assert.ok(audioIn(probe.messages).length < 48_000, 'the reply was cut short');
    const turn = emulator.connection().turns()[0];
    assert.equal(turn?.reply?.interrupted, true);
    assert.deepEqual(turn?.reply?.audio, audioIn(probe.messages));

    // The interrupting activity is the next turn, answered in full.
    sendAudio(probe.session, tone(16_000, 300, 200));
    probe.session.sendRealtimeInput({ activityEnd: {} });
    await probe.next((m) => m.serverContent?.generationComplete === true, 2000);
    probe.session.close();
  });

  it('lets the reply finish under NO_INTERRUPTION, then answers the next turn', async () => {
    emulator.setPacing({ mode: 'realtime' });
    const probe = await connectLive(emulator.url, {
      config: {
        ...MANUAL_VAD,
        realtimeInputConfig: { ...MANUAL_VAD.realtimeInputConfig, activityHandling: ActivityHandling.NO_INTERRUPTION },
      },
    });
    sendTurn(probe.session, tone(16_000, 300, 400));
    await probe.next((m) => audioIn([m]).length > 0);
    emulator.setPacing({ mode: 'fast' });
    sendTurn(probe.session, tone(16_000, 300, 200));
    await probe.next(isTurnComplete);
    await probe.next(isTurnComplete);
    const kinds = probe.messages.map(kindOf);
    assert.ok(!kinds.includes('interrupted'));
    assert.equal(kinds.filter((kind) => kind === 'generationComplete').length, 2);
    const replies = emulator
      .connection()
      .turns()
      .map((turn) => turn.reply?.audio.length);
    assert.deepEqual(replies, [9600, 4800]);
    probe.session.close();
  });
});

describe('activity signal errors', () => {
  const cases: { name: string; act: (probe: LiveProbe) => void; reason: RegExp }[] = [
    {
      name: 'a nested activityStart',
      act: ({ session }) => {
        session.sendRealtimeInput({ activityStart: {} });
        session.sendRealtimeInput({ activityStart: {} });
      },
      reason: /activityStart received while an activity is already in progress/,
    },
    {
      name: 'activityEnd without activityStart',
      act: ({ session }) => session.sendRealtimeInput({ activityEnd: {} }),
      reason: /activityEnd received without a matching activityStart/,
    },
    {
      name: 'audioStreamEnd with automatic detection disabled',
      act: ({ session }) => session.sendRealtimeInput({ audioStreamEnd: true }),
      reason: /audioStreamEnd is only valid when automatic activity detection is enabled/,
    },
    {
      name: 'a sample rate change within the session',
      act: ({ session }) => {
        sendAudio(session, silence(16_000, 40), 16_000);
        sendAudio(session, silence(24_000, 40), 24_000);
      },
      reason: /^Sample rate changed from 16000 to 24000/,
    },
  ];
  for (const { name, act, reason } of cases) {
    it(`closes 1007 on ${name}`, async () => {
      const probe = await connectLive(emulator.url);
      act(probe);
      const close = await probe.closed;
      assert.equal(close.code, 1007);
      assert.match(close.reason, reason);
    });
  }

  it('accepts audio at another rate when it stays the same, and echoes it at 24 kHz', async () => {
    const probe = await connectLive(emulator.url);
    sendTurn(probe.session, tone(48_000, 300, 500), 48_000);
    await probe.next(isTurnComplete);
    assert.equal(emulator.connection().turns()[0]?.input.audio.sampleRate, 48_000);
    assert.equal(audioIn(probe.messages).length, 12_000);
    probe.session.close();
  });
});

function kindOf(message: LiveServerMessage): string {
  if (message.setupComplete) return 'setupComplete';
  const content = message.serverContent;
  if (content?.turnComplete) return 'turnComplete';
  if (content?.generationComplete) return 'generationComplete';
  if (content?.interrupted) return 'interrupted';
  if (content?.inputTranscription) return 'inputTranscription';
  if (content?.outputTranscription) return 'outputTranscription';
  if (content?.modelTurn) return 'audio';
  return Object.keys(message).join('+');
}
