import { Modality } from '@google/genai';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tone } from '../support/audio';
import { audioIn, connectLive, isTurnComplete, MANUAL_VAD, sendTurn, transcript } from './live-probe';
import { DEFAULT_MODELS } from './models';
import { startEmulator, type Emulator } from './server';

let emulator: Emulator;
before(async () => {
  const retired = DEFAULT_MODELS.find((model) => model.name === 'gemini-live-2.5-flash-preview')!;
  // Revives the half-cascade model, the one model family that answered in TEXT.
  emulator = await startEmulator({ pacing: { mode: 'fast' }, models: [{ ...retired, retired: false }] });
});
after(() => emulator.close());

describe('text turns', () => {
  it('answers realtimeInput.text with a text-derived reply and audio', async () => {
    const probe = await connectLive(emulator.url);
    probe.session.sendRealtimeInput({ text: 'hello there' });
    await probe.next(isTurnComplete);
    assert.equal(transcript(probe.messages, 'outputTranscription'), 'you said: hello there');
    assert.equal(transcript(probe.messages, 'inputTranscription'), '', 'no input transcription for text');
    assert.ok(audioIn(probe.messages).length > 0);
    const turn = emulator.connection().turns()[0];
    assert.equal(turn?.input.source, 'text');
    assert.equal(turn?.input.text, 'hello there');
    probe.session.close();
  });

  it('answers clientContent with turnComplete and keeps earlier contents as history', async () => {
    const probe = await connectLive(emulator.url);
    probe.session.sendClientContent({
      turns: [
        { role: 'user', parts: [{ text: 'My name is Ada.' }] },
        { role: 'model', parts: [{ text: 'Hello Ada.' }] },
        { role: 'user', parts: [{ text: 'What is my name?' }] },
      ],
      turnComplete: true,
    });
    await probe.next(isTurnComplete);
    assert.equal(transcript(probe.messages, 'outputTranscription'), 'you said: What is my name?');
    const turns = emulator.connection().conversation();
    assert.deepEqual(
      turns.map((turn) => [turn.input.text, turn.reply?.text]),
      [
        ['My name is Ada.', undefined],
        ['', 'Hello Ada.'],
        ['What is my name?', 'you said: What is my name?'],
      ],
    );
    probe.session.close();
  });

  it('cuts a reply in progress on clientContent with turnComplete (3.8 models)', async () => {
    emulator.setPacing({ mode: 'realtime' });
    try {
      const probe = await connectLive(emulator.url);
      sendTurn(probe.session, tone(16_000, 300, 1000));
      await probe.next((m) => audioIn([m]).length > 0);
      probe.session.sendClientContent({ turns: 'stop', turnComplete: true });
      await probe.next((m) => m.serverContent?.interrupted === true);
      await probe.next(isTurnComplete);
      assert.equal(emulator.connection().turns()[0]?.reply?.interrupted, true);
      probe.session.close();
    } finally {
      emulator.setPacing({ mode: 'fast' });
    }
  });

  it('refuses clientContent after realtime input on the 3.1 preview', async () => {
    const probe = await connectLive(emulator.url, { model: 'gemini-3.1-flash-live-preview' });
    sendTurn(probe.session, tone(16_000, 300, 100));
    probe.session.sendClientContent({ turns: 'more', turnComplete: true });
    const close = await probe.closed;
    assert.equal(close.code, 1007);
    assert.match(
      close.reason,
      /clientContent is only accepted before realtime input on gemini-3\.1-flash-live-preview/,
    );
  });

  it('answers in TEXT parts when the model and setup ask for TEXT', async () => {
    const probe = await connectLive(emulator.url, {
      model: 'gemini-live-2.5-flash-preview',
      config: { responseModalities: [Modality.TEXT] },
    });
    probe.session.sendClientContent({ turns: 'Hi', turnComplete: true });
    const complete = await probe.next(isTurnComplete);
    const texts = probe.messages.flatMap((m) => m.serverContent?.modelTurn?.parts?.map((part) => part.text) ?? []);
    assert.ok(texts.length > 1, 'text comes in pieces');
    assert.equal(texts.join(''), 'you said: Hi');
    assert.equal(audioIn(probe.messages).length, 0);
    assert.equal(complete.usageMetadata?.responseTokensDetails?.[0]?.modality, 'TEXT');
    probe.session.close();
  });

  it('sends a thought part first when thoughts are included', async () => {
    const probe = await connectLive(emulator.url, {
      model: 'gemini-2.5-flash-native-audio-preview-12-2025',
      config: { ...MANUAL_VAD, thinkingConfig: { thinkingBudget: 256, includeThoughts: true } },
    });
    probe.session.sendRealtimeInput({ text: 'think' });
    const complete = await probe.next(isTurnComplete);
    const firstModelTurn = probe.messages.find((m) => m.serverContent?.modelTurn);
    assert.equal(firstModelTurn?.serverContent?.modelTurn?.parts?.[0]?.thought, true);
    assert.ok((complete.usageMetadata?.thoughtsTokenCount ?? 0) > 0);
    probe.session.close();
  });
});
