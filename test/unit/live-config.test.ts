import type { LiveConnectConfig } from '@google/genai';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildLiveConfig } from '../../electron/main/live/live-config';
import { defaultProfile, defaultSettings } from '../../electron/main/settings/defaults';
import { profileSettings } from '../../electron/main/settings/profiles';
import { SessionDeclaration } from '../../electron/main/tools/session-declaration';
import type { Tool } from '../../electron/main/tools/tool';
import { defaultSessionSettings, type SessionSettings } from '../../electron/main/live/session-settings';
import {
  capabilitiesOf,
  modelTable,
  nativeAudioVoices,
  type Feature,
  type ModelCapabilities,
} from '../../electron/main/live/model-capabilities';

const customModel = 'my-own-live-model';
const models = [...modelTable.map((model) => model.name), customModel];

/** Settings that ask for nothing optional, so each probe below changes exactly one thing. */
const nothingAsked: SessionSettings = {
  ...defaultSessionSettings,
  inputTranscription: false,
  outputTranscription: false,
  contextCompression: { enabled: false, triggerTokens: 20_000 },
};

interface Probe {
  /** The settings that ask for the feature, with a value the model's lists allow where it has lists. */
  ask: (capabilities: ModelCapabilities) => Partial<SessionSettings>;
  /** The top-level config field that carries it. */
  field: keyof LiveConnectConfig;
  /** What that field holds when the feature is sent. */
  sent: (capabilities: ModelCapabilities) => unknown;
}

const levelFor = (capabilities: ModelCapabilities) => capabilities.thinkingLevels.at(-1) ?? 'HIGH';
/** A model without voices to choose from is still asked for one, which it must leave out. */
const voiceFor = (capabilities: ModelCapabilities) => capabilities.voices.at(-1) ?? 'Kore';

const probes: Record<Feature, Probe> = {
  responseModality: { ask: () => ({ responseModality: 'TEXT' }), field: 'responseModalities', sent: () => ['TEXT'] },
  voiceName: {
    ask: (capabilities) => ({ voiceName: voiceFor(capabilities) }),
    field: 'speechConfig',
    sent: (capabilities) => ({ voiceConfig: { prebuiltVoiceConfig: { voiceName: voiceFor(capabilities) } } }),
  },
  languageCode: {
    ask: () => ({ languageCode: 'de-DE' }),
    field: 'speechConfig',
    sent: () => ({ languageCode: 'de-DE' }),
  },
  systemInstruction: {
    ask: () => ({ systemInstruction: 'Answer briefly.' }),
    field: 'systemInstruction',
    sent: () => 'Answer briefly.',
  },
  inputTranscription: { ask: () => ({ inputTranscription: true }), field: 'inputAudioTranscription', sent: () => ({}) },
  outputTranscription: {
    ask: () => ({ outputTranscription: true }),
    field: 'outputAudioTranscription',
    sent: () => ({}),
  },
  affectiveDialog: { ask: () => ({ affectiveDialog: true }), field: 'enableAffectiveDialog', sent: () => true },
  proactiveAudio: {
    ask: () => ({ proactiveAudio: true }),
    field: 'proactivity',
    sent: () => ({ proactiveAudio: true }),
  },
  thinkingBudget: {
    ask: () => ({ thinking: { budget: 512 } }),
    field: 'thinkingConfig',
    sent: () => ({ thinkingBudget: 512 }),
  },
  thinkingLevel: {
    ask: (capabilities) => ({ thinking: { level: levelFor(capabilities) } }),
    field: 'thinkingConfig',
    sent: (capabilities) => ({ thinkingLevel: levelFor(capabilities) }),
  },
  includeThoughts: {
    ask: () => ({ thinking: { includeThoughts: true } }),
    field: 'thinkingConfig',
    sent: () => ({ includeThoughts: true }),
  },
  mediaResolution: {
    ask: () => ({ mediaResolution: 'MEDIA_RESOLUTION_LOW' }),
    field: 'mediaResolution',
    sent: () => 'MEDIA_RESOLUTION_LOW',
  },
  contextCompression: {
    ask: () => ({ contextCompression: { enabled: true, triggerTokens: 20_000 } }),
    field: 'contextWindowCompression',
    sent: () => ({ triggerTokens: '20000', slidingWindow: { targetTokens: '10000' } }),
  },
  translation: {
    ask: () => ({ translation: { targetLanguageCode: 'fr', echoTargetLanguage: true } }),
    field: 'translationConfig',
    sent: () => ({ targetLanguageCode: 'fr', echoTargetLanguage: true }),
  },
};

/** The top-level fields whose value differs between two configs. */
function changedFields(before: LiveConnectConfig, after: LiveConnectConfig): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof LiveConnectConfig>;
  return [...names].filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
}

describe('buildLiveConfig: every model × every setting', () => {
  for (const model of models) {
    const capabilities = capabilitiesOf(model);
    const baseline = buildLiveConfig(model, nothingAsked);

    describe(model, () => {
      for (const [feature, probe] of Object.entries(probes) as [Feature, Probe][]) {
        const supported = capabilities.features[feature].supported;
        it(`${supported ? 'sends' : 'leaves out'} ${feature}`, () => {
          const config = buildLiveConfig(model, { ...nothingAsked, ...probe.ask(capabilities) });
          assert.deepEqual(changedFields(baseline, config), supported ? [probe.field] : []);
          if (supported) assert.deepEqual(config[probe.field], probe.sent(capabilities));
        });
      }

      it('always sets manual activity detection and session resumption', () => {
        for (const settings of [nothingAsked, defaultSessionSettings]) {
          const config = buildLiveConfig(model, settings);
          assert.deepEqual(config.realtimeInputConfig, {
            automaticActivityDetection: { disabled: true },
            activityHandling: 'START_OF_ACTIVITY_INTERRUPTS',
          });
          assert.deepEqual(config.sessionResumption, {});
        }
        const resumed = buildLiveConfig(model, defaultSessionSettings, { resumptionHandle: 'h1' });
        assert.deepEqual(resumed.sessionResumption, { handle: 'h1' });
      });

      it('sends a voice only from its own list', () => {
        for (const voiceName of [...nativeAudioVoices, 'Nobody']) {
          const config = buildLiveConfig(model, { ...nothingAsked, voiceName });
          const sent = config.speechConfig?.voiceConfig?.prebuiltVoiceConfig?.voiceName;
          assert.equal(sent, capabilities.voices.includes(voiceName) ? voiceName : undefined, voiceName);
        }
      });
    });
  }
});

describe('buildLiveConfig: values and combinations', () => {
  it('sends the default settings to the default model as push-to-talk with transcripts and compression', () => {
    assert.deepEqual(buildLiveConfig('gemini-3.8-live', defaultSessionSettings), {
      responseModalities: ['AUDIO'],
      realtimeInputConfig: {
        automaticActivityDetection: { disabled: true },
        activityHandling: 'START_OF_ACTIVITY_INTERRUPTS',
      },
      sessionResumption: {},
      inputAudioTranscription: {},
      outputAudioTranscription: {},
      contextWindowCompression: { triggerTokens: '25600', slidingWindow: { targetTokens: '12800' } },
    });
  });

  it('asks for TEXT only where the model answers in text, and then drops output transcription', () => {
    for (const model of models) {
      const config = buildLiveConfig(model, { ...defaultSessionSettings, responseModality: 'TEXT' });
      const text = capabilitiesOf(model).features.responseModality.supported;
      assert.deepEqual(config.responseModalities, [text ? 'TEXT' : 'AUDIO'], model);
      assert.deepEqual(config.outputAudioTranscription, text ? undefined : {}, model);
    }
  });

  it('sends voice and language together in one speech config', () => {
    const config = buildLiveConfig('gemini-2.0-flash-live-001', {
      ...nothingAsked,
      voiceName: 'Kore',
      languageCode: 'fr-FR',
    });
    assert.deepEqual(config.speechConfig, {
      voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Kore' } },
      languageCode: 'fr-FR',
    });
  });

  it('sends only the thinking option the model understands when both are kept', () => {
    const thinking = { budget: 1024, level: 'LOW', includeThoughts: true } as const;
    const settings = { ...nothingAsked, thinking };
    assert.deepEqual(buildLiveConfig('gemini-2.5-flash-native-audio-preview-12-2025', settings).thinkingConfig, {
      thinkingBudget: 1024,
      includeThoughts: true,
    });
    assert.deepEqual(buildLiveConfig('gemini-3.8-live-extended-thinking', settings).thinkingConfig, {
      thinkingLevel: 'LOW',
      includeThoughts: true,
    });
  });

  it('leaves out a thinking level the model lacks', () => {
    const settings: SessionSettings = { ...nothingAsked, thinking: { level: 'MINIMAL' } };
    assert.equal(buildLiveConfig('gemini-3.8-live-extended-thinking', settings).thinkingConfig, undefined);
    assert.deepEqual(buildLiveConfig('gemini-3.1-flash-live-preview', settings).thinkingConfig, {
      thinkingLevel: 'MINIMAL',
    });
  });

  it('leaves out v1alpha-only features when the connection uses another API version', () => {
    const model = 'gemini-2.5-flash-native-audio-preview-12-2025';
    const settings = { ...nothingAsked, affectiveDialog: true, proactiveAudio: true };
    const pinned = buildLiveConfig(model, settings, { apiVersion: 'v1beta' });
    assert.equal(pinned.enableAffectiveDialog, undefined);
    assert.equal(pinned.proactivity, undefined);
    const chosen = buildLiveConfig(model, settings);
    assert.equal(chosen.enableAffectiveDialog, true);
    assert.deepEqual(chosen.proactivity, { proactiveAudio: true });
  });

  it('sends whole token counts as strings, the target half the trigger', () => {
    const config = buildLiveConfig('gemini-3.8-live', {
      ...nothingAsked,
      contextCompression: { enabled: true, triggerTokens: 9_999.6 },
    });
    assert.deepEqual(config.contextWindowCompression, {
      triggerTokens: '10000',
      slidingWindow: { targetTokens: '5000' },
    });
  });

  it('treats an empty voice, language or system instruction as unset', () => {
    const config = buildLiveConfig('gemini-2.0-flash-live-001', {
      ...nothingAsked,
      voiceName: '',
      languageCode: '',
      systemInstruction: '',
    });
    assert.deepEqual(changedFields(buildLiveConfig('gemini-2.0-flash-live-001', nothingAsked), config), []);
  });
});

describe('buildLiveConfig: the interpreter', () => {
  const interpreter = 'gemini-3.5-live-translate-preview';
  const everythingAsked: SessionSettings = {
    ...defaultSessionSettings,
    systemInstruction: 'Answer briefly.',
    voiceName: 'Kore',
    languageCode: 'de-DE',
    affectiveDialog: true,
    proactiveAudio: true,
    thinking: { budget: 512, level: 'LOW', includeThoughts: true },
    mediaResolution: 'MEDIA_RESOLUTION_LOW',
    translation: { targetLanguageCode: 'fr', echoTargetLanguage: false },
  };

  it('sends the target language with audio replies and both transcriptions, and nothing else asked for', () => {
    assert.deepEqual(buildLiveConfig(interpreter, everythingAsked), {
      responseModalities: ['AUDIO'],
      realtimeInputConfig: {
        automaticActivityDetection: { disabled: true },
        activityHandling: 'START_OF_ACTIVITY_INTERRUPTS',
      },
      sessionResumption: {},
      inputAudioTranscription: {},
      outputAudioTranscription: {},
      translationConfig: { targetLanguageCode: 'fr', echoTargetLanguage: false },
    });
  });

  it('interprets into English, silent on English, when no target is set', () => {
    assert.deepEqual(buildLiveConfig(interpreter, defaultSessionSettings).translationConfig, {
      targetLanguageCode: 'en',
      echoTargetLanguage: false,
    });
  });

  describe('the setup a session sends, with its tools and the notes Parley keeps', () => {
    const tool: Tool = {
      name: 'get_time',
      title: 'get_time',
      description: 'The time now.',
      parameters: { type: 'object', properties: {} },
      readOnly: true,
      scheduling: 'WHEN_IDLE',
      run: () => Promise.resolve('12:00'),
    };
    const setupFor = (model: string) => {
      const declaration = new SessionDeclaration({
        settings: () => ({
          ...profileSettings(defaultSettings, 'assistant')!,
          ...everythingAsked,
          model,
          tools: { ...defaultProfile.tools, googleSearch: true },
        }),
        enabled: () => [tool],
        notes: () => ['The user likes tea.'],
      });
      return declaration.setup(model, buildLiveConfig(model, everythingAsked));
    };

    it('gives the interpreter no system instruction, notes or tools, even with Search on', () => {
      const setup = setupFor(interpreter);
      assert.equal(setup.systemInstruction, undefined);
      assert.equal(setup.tools, undefined);
      assert.deepEqual(setup.translationConfig, { targetLanguageCode: 'fr', echoTargetLanguage: false });
    });

    it('gives a conversation model all three, and no translation target', () => {
      const setup = setupFor('gemini-2.5-flash-native-audio-preview-12-2025');
      assert.match(String(setup.systemInstruction), /^Answer briefly\.\n\n.*remember[^]*The user likes tea\./);
      assert.deepEqual(setup.tools, [
        {
          functionDeclarations: [
            { name: 'get_time', description: 'The time now.', parametersJsonSchema: tool.parameters },
          ],
        },
        { googleSearch: {} },
      ]);
      assert.equal(setup.translationConfig, undefined);
    });
  });
});
