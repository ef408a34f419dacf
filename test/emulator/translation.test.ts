import { ActivityHandling, type LiveConnectConfig, type LiveServerMessage, type Transcription } from '@google/genai';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { resample, tone } from '../support/audio';
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

const TRANSLATE_MODEL = 'gemini-3.5-live-translate-preview';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ pacing: { mode: 'fast' } });
});
beforeEach(async () => {
  await emulator.loadScenario({});
  emulator.setPacing({ mode: 'fast' });
});
after(() => emulator.close());

/** A push-to-talk interpreter session, as Parley sets it up: manual activity detection, both transcriptions. */
function interpreter(translationConfig: LiveConnectConfig['translationConfig']): Promise<LiveProbe> {
  return connectLive(emulator.url, { model: TRANSLATE_MODEL, config: { ...MANUAL_VAD, translationConfig } });
}

function pieces(messages: readonly LiveServerMessage[], kind: 'inputTranscription' | 'outputTranscription') {
  return messages.flatMap((message) => {
    const piece: Transcription | undefined = message.serverContent?.[kind];
    return piece ? [piece] : [];
  });
}

const languagesOf = (found: readonly Transcription[]) => [...new Set(found.map((piece) => piece.languageCode))];

describe('translate model', () => {
  it('gets translationConfig from the SDK in setup.generationConfig', async () => {
    const probe = await interpreter({ targetLanguageCode: 'fr', echoTargetLanguage: true });
    const setup = emulator.connection().setup as { generationConfig?: unknown; systemInstruction?: unknown };
    assert.deepEqual(setup.generationConfig, {
      translationConfig: { targetLanguageCode: 'fr', echoTargetLanguage: true },
    });
    assert.equal(setup.systemInstruction, undefined);
    probe.session.close();
  });

  it('translates a turn: what it heard in the spoken language, the translation and its audio in the target', async () => {
    const probe = await interpreter({ targetLanguageCode: 'fr' });
    const speech = tone(16_000, 300, 1500);
    sendTurn(probe.session, speech);
    await probe.next(isTurnComplete);

    const heard = pieces(probe.messages, 'inputTranscription');
    const said = pieces(probe.messages, 'outputTranscription');
    assert.equal(transcript(probe.messages, 'inputTranscription'), 'heard 1.50 s of audio');
    assert.deepEqual(languagesOf(heard), ['en'], 'the user spoke English unless the scenario says otherwise');
    assert.equal(transcript(probe.messages, 'outputTranscription'), 'translated 1.50 s of audio into fr');
    assert.deepEqual(languagesOf(said), ['fr']);
    assert.ok(said.length > 1 && said.at(-1)?.finished === true, 'the translation comes in pieces');
    assert.deepEqual(audioIn(probe.messages), resample({ sampleRate: 16_000, samples: speech }, 24_000).samples);
    assert.ok(probe.messages.some((message) => message.serverContent?.generationComplete));
    probe.session.close();
  });

  it('says which language it heard, as the scenario has the user speak it', async () => {
    await emulator.loadScenario({
      turns: [{ reply: { inputLanguage: 'de-DE', inputTranscription: 'Guten Morgen', text: 'Bonjour' } }],
    });
    const probe = await interpreter({ targetLanguageCode: 'fr' });
    sendTurn(probe.session, tone(16_000, 300, 600));
    await probe.next(isTurnComplete);
    assert.equal(transcript(probe.messages, 'inputTranscription'), 'Guten Morgen');
    assert.deepEqual(languagesOf(pieces(probe.messages, 'inputTranscription')), ['de-DE']);
    assert.equal(transcript(probe.messages, 'outputTranscription'), 'Bonjour');
    assert.deepEqual(languagesOf(pieces(probe.messages, 'outputTranscription')), ['fr']);
    probe.session.close();
  });

  it('translates a typed text too, with audio as long as the words', async () => {
    const probe = await interpreter({ targetLanguageCode: 'es' });
    probe.session.sendRealtimeInput({ text: 'good morning' });
    await probe.next(isTurnComplete);
    assert.equal(transcript(probe.messages, 'outputTranscription'), 'translated "good morning" into es');
    assert.deepEqual(languagesOf(pieces(probe.messages, 'outputTranscription')), ['es']);
    assert.deepEqual(pieces(probe.messages, 'inputTranscription'), [], 'nothing was heard');
    assert.ok(audioIn(probe.messages).length > 0);
    probe.session.close();
  });

  it('refuses a scenario whose spoken language is not BCP-47', async () => {
    await assert.rejects(
      emulator.loadScenario({ turns: [{ reply: { inputLanguage: 'de_DE' } }] }),
      /invalid scenario[\s\S]*not a BCP-47 language tag/,
    );
  });

  it('gives transcriptions no languageCode on other models', async () => {
    const probe = await connectLive(emulator.url);
    sendTurn(probe.session, tone(16_000, 300, 600));
    await probe.next(isTurnComplete);
    const all = [...pieces(probe.messages, 'inputTranscription'), ...pieces(probe.messages, 'outputTranscription')];
    assert.ok(all.length > 0);
    assert.deepEqual(languagesOf(all), [undefined]);
    probe.session.close();
  });
});

describe('speech already in the target language', () => {
  for (const spoken of ['fr', 'fr-CA']) {
    it(`is left unanswered without echoTargetLanguage (spoken ${spoken}, target fr): no audio, no translation`, async () => {
      await emulator.loadScenario({ turns: [{ reply: { inputLanguage: spoken } }] });
      const probe = await interpreter({ targetLanguageCode: 'fr' });
      sendTurn(probe.session, tone(16_000, 300, 1000));
      await probe.next(isTurnComplete);

      assert.equal(transcript(probe.messages, 'inputTranscription'), 'heard 1.00 s of audio');
      assert.deepEqual(languagesOf(pieces(probe.messages, 'inputTranscription')), [spoken]);
      assert.deepEqual(pieces(probe.messages, 'outputTranscription'), []);
      assert.equal(audioIn(probe.messages).length, 0);
      const content = probe.messages.flatMap((message) => (message.serverContent ? [message.serverContent] : []));
      assert.ok(!content.some((c) => c.generationComplete), 'nothing was generated');
      assert.deepEqual(Object.keys(content.at(-1)!), ['turnComplete']);
      assert.equal(emulator.connection().turns()[0]?.reply?.interrupted, false);
      probe.session.close();
    });
  }

  it('is repeated with echoTargetLanguage', async () => {
    await emulator.loadScenario({ turns: [{ reply: { inputLanguage: 'fr' } }] });
    const probe = await interpreter({ targetLanguageCode: 'fr', echoTargetLanguage: true });
    const speech = tone(16_000, 300, 1000);
    sendTurn(probe.session, speech);
    await probe.next(isTurnComplete);
    assert.equal(transcript(probe.messages, 'outputTranscription'), 'repeated 1.00 s of audio in fr');
    assert.deepEqual(languagesOf(pieces(probe.messages, 'outputTranscription')), ['fr']);
    assert.deepEqual(audioIn(probe.messages), resample({ sampleRate: 16_000, samples: speech }, 24_000).samples);
    probe.session.close();
  });

  it('does not keep the next turn, in another language, from being translated', async () => {
    await emulator.loadScenario({ turns: [{ reply: { inputLanguage: 'fr' } }, { reply: { inputLanguage: 'es' } }] });
    const probe = await interpreter({ targetLanguageCode: 'fr' });
    sendTurn(probe.session, tone(16_000, 300, 500));
    await probe.next(isTurnComplete);
    sendTurn(probe.session, tone(16_000, 300, 500));
    await probe.next(isTurnComplete);
    assert.equal(transcript(probe.messages, 'outputTranscription'), 'translated 0.50 s of audio into fr');
    assert.equal(audioIn(probe.messages).length, 12_000);
    probe.session.close();
  });
});

// Undocumented for this model: these follow the assumption in TRANSLATION_UNDER_MANUAL_VAD (models.ts).
describe('manual activity detection on the translate model (assumed like the other models)', () => {
  it('translates an activity only after its activityEnd', async () => {
    const probe = await interpreter({ targetLanguageCode: 'fr' });
    probe.session.sendRealtimeInput({ activityStart: {} });
    sendAudio(probe.session, tone(16_000, 300, 600));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(!probe.messages.some((message) => message.serverContent), 'nothing before activityEnd');
    probe.session.sendRealtimeInput({ activityEnd: {} });
    await probe.next(isTurnComplete);
    assert.equal(transcript(probe.messages, 'outputTranscription'), 'translated 0.60 s of audio into fr');
    probe.session.close();
  });

  it('cuts off a translation in progress at activityStart, then translates the new activity in full', async () => {
    emulator.setPacing({ mode: 'realtime' });
    const probe = await interpreter({ targetLanguageCode: 'fr' });
    const speech = tone(16_000, 300, 3000);
    sendTurn(probe.session, speech);
    await probe.next((message) => audioIn([message]).length > 0);
    probe.session.sendRealtimeInput({ activityStart: {} });
    await probe.next((message) => message.serverContent?.interrupted === true);
    await probe.next(isTurnComplete);

    const first = emulator.connection().turns()[0]!.reply!;
    assert.equal(first.interrupted, true);
    assert.ok(first.audio.length < 72_000, 'the translation was cut short');
    assert.ok(first.text.startsWith(first.transcript), 'only the part spoken was transcribed');
    assert.ok(!probe.messages.some((message) => message.serverContent?.generationComplete));

    emulator.setPacing({ mode: 'fast' });
    const cutAt = probe.messages.length;
    sendAudio(probe.session, tone(16_000, 300, 500));
    probe.session.sendRealtimeInput({ activityEnd: {} });
    await probe.next(isTurnComplete);
    const second = probe.messages.slice(cutAt);
    assert.equal(transcript(second, 'outputTranscription'), 'translated 0.50 s of audio into fr');
    assert.equal(audioIn(second).length, 12_000);
    assert.ok(second.some((message) => message.serverContent?.generationComplete));
    probe.session.close();
  });

  it('lets a translation finish under NO_INTERRUPTION, then translates the next activity', async () => {
    emulator.setPacing({ mode: 'realtime' });
    const probe = await connectLive(emulator.url, {
      model: TRANSLATE_MODEL,
      config: {
        ...MANUAL_VAD,
        realtimeInputConfig: { ...MANUAL_VAD.realtimeInputConfig, activityHandling: ActivityHandling.NO_INTERRUPTION },
        translationConfig: { targetLanguageCode: 'fr' },
      },
    });
    sendTurn(probe.session, tone(16_000, 300, 400));
    await probe.next((message) => audioIn([message]).length > 0);
    emulator.setPacing({ mode: 'fast' });
    sendTurn(probe.session, tone(16_000, 300, 200));
    await probe.next(isTurnComplete);
    await probe.next(isTurnComplete);
    assert.ok(!probe.messages.some((message) => message.serverContent?.interrupted));
    assert.equal(
      transcript(probe.messages, 'outputTranscription'),
      'translated 0.40 s of audio into frtranslated 0.20 s of audio into fr',
    );
    probe.session.close();
  });
});
