// The capability table against the emulator's per-model rules: every model's
// full settings reach setupComplete through the real SDK, and every field the
// table refuses is one the emulator closes the session for.
import { Modality, ThinkingLevel, type LiveConnectConfig } from '@google/genai';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildLiveConfig } from '../../electron/main/live/live-config';
import {
  defaultSessionSettings,
  type ResponseModality,
  type SessionSettings,
} from '../../electron/main/live/session-settings';
import {
  apiVersionFor,
  capabilitiesOf,
  modelTable,
  type Feature,
  type ModelCapabilities,
} from '../../electron/main/live/model-capabilities';
import { connectLive } from '../emulator/live-probe';
import { DEFAULT_MODELS } from '../emulator/models';
import { startEmulator, type Emulator } from '../emulator/server';

let emulator: Emulator;
before(async () => {
  // Revives the shut-down half-cascade models, which our table keeps for typed-in names.
  const revived = DEFAULT_MODELS.filter((model) => model.retired).map((model) => ({ ...model, retired: false }));
  emulator = await startEmulator({ pacing: { mode: 'fast' }, models: revived });
});
after(() => emulator.close());

/** Every setting the model takes turned on or away from its default. */
function fullSettings(capabilities: ModelCapabilities, responseModality: ResponseModality): SessionSettings {
  const takes = (feature: Feature) => capabilities.features[feature].supported;
  return {
    ...defaultSessionSettings,
    responseModality,
    voiceName: capabilities.voices.at(-1),
    languageCode: takes('languageCode') ? 'de-DE' : undefined,
    systemInstruction: 'Answer in one sentence.',
    affectiveDialog: takes('affectiveDialog'),
    proactiveAudio: takes('proactiveAudio'),
    thinking: {
      budget: takes('thinkingBudget') ? 512 : undefined,
      level: capabilities.thinkingLevels.at(-1),
      includeThoughts: takes('includeThoughts'),
    },
    mediaResolution: 'MEDIA_RESOLUTION_LOW',
    contextCompression: { enabled: true, triggerTokens: 20_000 },
    translation: { targetLanguageCode: 'fr', echoTargetLanguage: true },
  };
}

/** Where each feature lands in the setup frame; the response modality is checked on the session instead. */
const wirePaths: Record<Exclude<Feature, 'responseModality'>, string> = {
  voiceName: 'generationConfig.speechConfig.voiceConfig.prebuiltVoiceConfig.voiceName',
  languageCode: 'generationConfig.speechConfig.languageCode',
  systemInstruction: 'systemInstruction',
  inputTranscription: 'inputAudioTranscription',
  outputTranscription: 'outputAudioTranscription',
  affectiveDialog: 'generationConfig.enableAffectiveDialog',
  proactiveAudio: 'proactivity.proactiveAudio',
  thinkingBudget: 'generationConfig.thinkingConfig.thinkingBudget',
  thinkingLevel: 'generationConfig.thinkingConfig.thinkingLevel',
  includeThoughts: 'generationConfig.thinkingConfig.includeThoughts',
  mediaResolution: 'generationConfig.mediaResolution',
  contextCompression: 'contextWindowCompression',
  translation: 'generationConfig.translationConfig',
};

const child = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
const valueAt = (root: unknown, path: string): unknown => path.split('.').reduce(child, root);

async function expectSetupComplete(model: string, config: LiveConnectConfig, apiVersion: string) {
  const probe = await connectLive(emulator.url, { model, config, apiVersion });
  const { setup, config: session } = emulator.connection();
  probe.session.close();
  assert.ok(session, 'the emulator accepted the setup');
  return { setup, session };
}

async function expectRefused(model: string, config: LiveConnectConfig, apiVersion = 'v1beta') {
  await assert.rejects(connectLive(emulator.url, { model, config, apiVersion }), /code 1007/);
  assert.equal(emulator.connection().closed?.code, 1007);
}

describe('full settings of every model reach setupComplete', () => {
  for (const capabilities of modelTable) {
    const modalities: ResponseModality[] = capabilities.features.responseModality.supported
      ? ['AUDIO', 'TEXT']
      : ['AUDIO'];
    for (const modality of modalities) {
      it(`${capabilities.name}, ${modality}`, async () => {
        const settings = fullSettings(capabilities, modality);
        const apiVersion = apiVersionFor(capabilities.name, settings);
        const config = buildLiveConfig(capabilities.name, settings, { apiVersion });
        const { setup, session } = await expectSetupComplete(capabilities.name, config, apiVersion);
        for (const [feature, path] of Object.entries(wirePaths) as [Feature, string][]) {
          const textReply = feature === 'outputTranscription' && modality === 'TEXT';
          const sent = capabilities.features[feature].supported && !textReply;
          assert.equal(valueAt(setup, path) !== undefined, sent, feature);
        }
        assert.equal(session.model.name, capabilities.name);
        assert.equal(session.apiVersion, apiVersion);
        assert.equal(session.responseModality, modality);
        assert.equal(session.automaticActivityDetection, undefined, 'manual activity detection');
        const takes = (feature: Feature) => capabilities.features[feature].supported;
        assert.equal(session.systemInstruction, takes('systemInstruction') ? 'Answer in one sentence.' : '');
        assert.equal(session.outputTranscription, modality === 'AUDIO');
        assert.equal(session.includeThoughts, takes('includeThoughts'));
        const compression = { triggerTokens: 20_000, targetTokens: 10_000 };
        assert.deepEqual(session.compression, takes('contextCompression') ? compression : undefined);
      });
    }
  }

  it('needs v1alpha for affective dialog and proactive audio on 2.5 native audio', () => {
    const model = 'gemini-2.5-flash-native-audio-preview-12-2025';
    assert.equal(apiVersionFor(model, fullSettings(capabilitiesOf(model), 'AUDIO')), 'v1alpha');
  });
});

// Not the interpreter: it needs a target language, which Parley sends only to a model it knows interprets.
describe('the settings of a model not in the table suit every conversation model the emulator knows', () => {
  const custom = capabilitiesOf('a-model-parley-does-not-know');
  const config = buildLiveConfig(custom.name, fullSettings(custom, 'AUDIO'));
  for (const model of DEFAULT_MODELS.filter((known) => !known.translation)) {
    it(model.name, async () => {
      await expectSetupComplete(model.name, config, 'v1beta');
    });
  }
});

/** A field the table refuses, as a client that ignored the table would send it. */
const forcedFields: Partial<Record<Feature, LiveConnectConfig>> = {
  responseModality: { responseModalities: [Modality.TEXT] },
  affectiveDialog: { enableAffectiveDialog: true },
  // `false`: on gemini-3.8-live, where proactive audio is always on, only switching it off is an error.
  proactiveAudio: { proactivity: { proactiveAudio: false } },
  thinkingBudget: { thinkingConfig: { thinkingBudget: 512 } },
  thinkingLevel: { thinkingConfig: { thinkingLevel: ThinkingLevel.HIGH } },
  includeThoughts: { thinkingConfig: { includeThoughts: true } },
  translation: { translationConfig: { targetLanguageCode: 'fr', echoTargetLanguage: false } },
  systemInstruction: { systemInstruction: 'Answer briefly.' },
};
// languageCode is refused on native-audio models after the doc, but the emulator accepts it everywhere.

describe('a field the table refuses closes the session with 1007', () => {
  for (const capabilities of modelTable) {
    const base = buildLiveConfig(capabilities.name, defaultSessionSettings);
    for (const [feature, forced] of Object.entries(forcedFields) as [Feature, LiveConnectConfig][]) {
      if (capabilities.features[feature].supported) continue;
      it(`${capabilities.name}: ${feature}`, async () => {
        await expectRefused(capabilities.name, { ...base, ...forced });
      });
    }
  }

  it('a v1alpha-only field on v1beta', async () => {
    const model = 'gemini-2.5-flash-native-audio-preview-12-2025';
    const config = buildLiveConfig(model, { ...defaultSessionSettings, affectiveDialog: true });
    await expectRefused(model, config, 'v1beta');
  });

  it('a voice not in the model’s list', async () => {
    const model = 'gemini-2.0-flash-live-001';
    const config = buildLiveConfig(model, defaultSessionSettings);
    await expectRefused(model, {
      ...config,
      speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Sulafat' } } },
    });
  });
});
