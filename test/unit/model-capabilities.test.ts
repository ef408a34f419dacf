import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultModel, defaultSessionSettings, type SessionSettings } from '../../electron/main/live/session-settings';
import {
  apiVersionFor,
  capabilitiesOf,
  controlStates,
  halfCascadeVoices,
  modelTable,
  nativeAudioVoices,
  offeredModels,
  type Feature,
} from '../../electron/main/live/model-capabilities';

const gemini25 = 'gemini-2.5-flash-native-audio-preview-12-2025';
const translate = 'gemini-3.5-live-translate-preview';
const conversationModels = modelTable.filter((model) => model.name !== translate);

/** The features each conversation model takes beyond those all of them take, after the protocol doc's model table. */
const expected: Record<string, Partial<Record<Feature, true | 'v1alpha'>>> = {
  'gemini-3.8-live': {},
  'gemini-3.8-live-extended-thinking': { thinkingLevel: true, includeThoughts: true },
  'gemini-3.1-flash-live-preview': { thinkingLevel: true, includeThoughts: true },
  [gemini25]: { thinkingBudget: true, includeThoughts: true, affectiveDialog: 'v1alpha', proactiveAudio: 'v1alpha' },
  'gemini-live-2.5-flash-preview': { responseModality: true, languageCode: true },
  'gemini-2.0-flash-live-001': { responseModality: true, languageCode: true },
};
const everyConversation: Feature[] = [
  'voiceName',
  'systemInstruction',
  'inputTranscription',
  'outputTranscription',
  'mediaResolution',
  'contextCompression',
];

const settings = (changes: Partial<SessionSettings>): SessionSettings => ({ ...defaultSessionSettings, ...changes });

describe('model table', () => {
  it('states per conversation model which features it takes and on which API version', () => {
    const actual = Object.fromEntries(
      conversationModels.map((model) => {
        const optional = Object.entries(model.features).filter(
          ([feature, support]) => support.supported && !everyConversation.includes(feature as Feature),
        );
        return [model.name, Object.fromEntries(optional.map(([feature, support]) => [feature, marker(support)]))];
      }),
    );
    assert.deepEqual(actual, expected);
    for (const model of conversationModels) {
      for (const feature of everyConversation)
        assert.equal(model.features[feature].supported, true, `${model.name} ${feature}`);
    }
  });

  it('gives the interpreter its target language and both transcriptions, and no tools, pictures or voices', () => {
    const interpreter = capabilitiesOf(translate);
    const taken = Object.entries(interpreter.features).filter(([, support]) => support.supported);
    assert.deepEqual(taken.map(([feature]) => feature).sort(), [
      'inputTranscription',
      'outputTranscription',
      'translation',
    ]);
    assert.ok(
      taken.every(([, support]) => marker(support) === true),
      'on every API version',
    );
    assert.deepEqual(interpreter.tools, { calls: 'none', googleSearch: false, searchWithFunctions: false });
    assert.equal(interpreter.video, false);
    assert.deepEqual(interpreter.voices, []);
  });

  it('takes pictures on every model but the interpreter', () => {
    for (const model of modelTable) assert.equal(model.video, model.name !== translate, model.name);
  });

  it('offers the five current models, the default first, and keeps the shut-down ones for typed names', () => {
    assert.deepEqual(offeredModels, [
      defaultModel,
      'gemini-3.8-live-extended-thinking',
      'gemini-3.1-flash-live-preview',
      gemini25,
      translate,
    ]);
    assert.match(capabilitiesOf('gemini-2.0-flash-live-001').retired ?? '', /shut down/);
  });

  it('lists the 30 native-audio voices and the 8 half-cascade ones, which every conversation model has', () => {
    assert.equal(new Set(nativeAudioVoices).size, 30);
    assert.equal(new Set(halfCascadeVoices).size, 8);
    assert.ok(halfCascadeVoices.every((voice) => nativeAudioVoices.includes(voice)));
    for (const model of conversationModels) {
      assert.deepEqual(model.voices, model.retired ? halfCascadeVoices : nativeAudioVoices, model.name);
    }
  });

  it('gives thinking levels only to the models that take a level', () => {
    const levels = Object.fromEntries(modelTable.map((model) => [model.name, model.thinkingLevels.join(' ')]));
    assert.equal(levels['gemini-3.8-live-extended-thinking'], 'LOW MEDIUM HIGH');
    assert.equal(levels['gemini-3.1-flash-live-preview'], 'MINIMAL LOW MEDIUM HIGH');
    assert.equal(levels[gemini25], '');
  });
});

describe('capabilitiesOf a name not in the table', () => {
  const custom = capabilitiesOf('my-proxy/live-model');

  it('takes only what every conversation model in the table takes', () => {
    for (const [feature, support] of Object.entries(custom.features)) {
      const everyModelTakes = conversationModels.every((model) => model.features[feature as Feature].supported);
      assert.equal(support.supported, everyModelTakes, feature);
    }
    assert.deepEqual(custom.voices, halfCascadeVoices);
    assert.deepEqual(custom.thinkingLevels, []);
    assert.equal(custom.retired, undefined);
    assert.equal(custom.video, true, 'pictures are sent as before');
  });

  it('says why the other controls are off', () => {
    const states = controlStates('my-proxy/live-model', settings({}));
    assert.equal(states.affectiveDialog.enabled, false);
    assert.match(states.affectiveDialog.reason ?? '', /my-proxy\/live-model is not in Parley's model table/);
  });
});

describe('apiVersionFor', () => {
  it('uses v1beta unless a chosen feature exists only on v1alpha', () => {
    assert.equal(apiVersionFor(gemini25, defaultSessionSettings), 'v1beta');
    assert.equal(apiVersionFor(gemini25, settings({ affectiveDialog: true })), 'v1alpha');
    assert.equal(apiVersionFor(gemini25, settings({ proactiveAudio: true })), 'v1alpha');
    assert.equal(apiVersionFor(gemini25, settings({ thinking: { budget: 256, includeThoughts: true } })), 'v1beta');
  });

  it('ignores features the model lacks altogether', () => {
    const everything = settings({ affectiveDialog: true, proactiveAudio: true });
    for (const model of ['gemini-3.8-live', 'gemini-3.1-flash-live-preview', 'someone-elses-model']) {
      assert.equal(apiVersionFor(model, everything), 'v1beta', model);
    }
  });

  it('keeps a pinned version', () => {
    assert.equal(apiVersionFor(gemini25, settings({ affectiveDialog: true }), 'v1beta'), 'v1beta');
    assert.equal(apiVersionFor('gemini-3.8-live', defaultSessionSettings, 'v1'), 'v1');
  });
});

describe('controlStates', () => {
  it('disables what gemini-3.8-live lacks, with the reason', () => {
    const states = controlStates('gemini-3.8-live', defaultSessionSettings);
    assert.deepEqual(states.responseModality, {
      enabled: false,
      reason: 'gemini-3.8-live always answers in audio; use output transcription for text',
    });
    assert.deepEqual(states.affectiveDialog, {
      enabled: false,
      reason: 'Affective dialog was removed from gemini-3.8-live',
    });
    assert.deepEqual(states.proactiveAudio, {
      enabled: false,
      reason: 'Proactive audio is always on for gemini-3.8-live',
    });
    assert.match(states.thinkingLevel.reason ?? '', /does not think; gemini-3.8-live-extended-thinking does/);
    assert.deepEqual(states.voiceName, { enabled: true });
  });

  it('disables what the interpreter lacks, with the reason, and sets its target language', () => {
    const asked = settings({
      systemInstruction: 'Be brief.',
      voiceName: 'Kore',
      mediaResolution: 'MEDIA_RESOLUTION_LOW',
    });
    const states = controlStates(translate, asked);
    assert.deepEqual(states.translation, { enabled: true });
    assert.deepEqual(states.inputTranscription, { enabled: true });
    assert.deepEqual(states.outputTranscription, { enabled: true });
    assert.deepEqual(states.systemInstruction, {
      enabled: false,
      reason: 'gemini-3.5-live-translate-preview only interprets: it takes no system instruction',
    });
    assert.deepEqual(states.mediaResolution, {
      enabled: false,
      reason: 'gemini-3.5-live-translate-preview takes no pictures',
    });
    assert.match(states.languageCode.reason ?? '', /speaks the target language chosen for interpreting/);
    assert.match(states.affectiveDialog.reason ?? '', /only interprets: it has no affective dialog/);
    for (const undocumented of ['voiceName', 'contextCompression', 'compressionTriggerTokens'] as const) {
      assert.equal(states[undocumented].enabled, false, undocumented);
      assert.match(states[undocumented].reason ?? '', /^Not documented for gemini-3.5-live-translate-preview/);
    }
  });

  it('says on every other model that only the interpreter interprets', () => {
    for (const model of conversationModels) {
      assert.deepEqual(
        controlStates(model.name, defaultSessionSettings).translation,
        { enabled: false, reason: 'Only gemini-3.5-live-translate-preview interprets' },
        model.name,
      );
    }
    assert.match(
      controlStates('my-proxy/live-model', defaultSessionSettings).translation.reason ?? '',
      /not in Parley's/,
    );
  });

  it('names the thinking option a model takes instead', () => {
    assert.match(controlStates(gemini25, defaultSessionSettings).thinkingLevel.reason ?? '', /budget, not a level/);
    const levelModel = controlStates('gemini-3.1-flash-live-preview', defaultSessionSettings);
    assert.match(levelModel.thinkingBudget.reason ?? '', /level, not a budget/);
  });

  it('enables v1alpha-only features unless the connection is pinned to another version', () => {
    assert.deepEqual(controlStates(gemini25, defaultSessionSettings).affectiveDialog, { enabled: true });
    assert.deepEqual(controlStates(gemini25, defaultSessionSettings, 'v1alpha').proactiveAudio, { enabled: true });
    assert.deepEqual(controlStates(gemini25, defaultSessionSettings, 'v1beta').affectiveDialog, {
      enabled: false,
      reason: 'Needs API version v1alpha, but the connection uses v1beta',
    });
  });

  it('disables output transcription for text replies, only where text replies are possible', () => {
    const text = settings({ responseModality: 'TEXT' });
    assert.deepEqual(controlStates('gemini-2.0-flash-live-001', text).outputTranscription, {
      enabled: false,
      reason: 'Text replies need no transcription',
    });
    assert.deepEqual(controlStates('gemini-3.8-live', text).outputTranscription, { enabled: true });
  });

  it('disables the compression trigger while compression is off', () => {
    assert.deepEqual(controlStates(defaultModel, defaultSessionSettings).compressionTriggerTokens, { enabled: true });
    const off = settings({ contextCompression: { enabled: false, triggerTokens: 25_600 } });
    assert.deepEqual(controlStates(defaultModel, off).compressionTriggerTokens, {
      enabled: false,
      reason: 'Context compression is off',
    });
  });

  it('keeps a control enabled but says so when its value is not the model’s', () => {
    assert.deepEqual(controlStates('gemini-live-2.5-flash-preview', settings({ voiceName: 'Sulafat' })).voiceName, {
      enabled: true,
      reason: 'gemini-live-2.5-flash-preview has no Sulafat; its default is used',
    });
    const minimal = settings({ thinking: { level: 'MINIMAL' } });
    assert.deepEqual(controlStates('gemini-3.8-live-extended-thinking', minimal).thinkingLevel, {
      enabled: true,
      reason: 'gemini-3.8-live-extended-thinking has no MINIMAL; its default is used',
    });
    assert.deepEqual(controlStates('gemini-3.1-flash-live-preview', minimal).thinkingLevel, { enabled: true });
  });
});

function marker(support: { supported: boolean; apiVersion?: string }): true | 'v1alpha' {
  return support.apiVersion === 'v1alpha' ? 'v1alpha' : true;
}
