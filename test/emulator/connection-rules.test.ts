import { Behavior, MediaResolution, Modality, ThinkingLevel, type LiveConnectConfig } from '@google/genai';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectError, connectLive, liveClient, MANUAL_VAD, type ConnectOptions } from './live-probe';
import { LIVE_PATH, openRaw, SETUP } from './raw-client';
import { startEmulator, type Emulator } from './server';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ pacing: { mode: 'fast' } });
});
after(() => emulator.close());

const INVALID = /^Request contains an invalid argument\.$/;
const TO_FRENCH: LiveConnectConfig = { ...MANUAL_VAD, translationConfig: { targetLanguageCode: 'fr' } };

describe('connection paths', () => {
  for (const apiVersion of ['v1', 'v1beta', 'v1alpha']) {
    it(`accepts the SDK's //ws/ path on ${apiVersion}`, async () => {
      const probe = await connectLive(emulator.url, { apiVersion });
      const connection = emulator.connection();
      assert.match(
        connection.path,
        new RegExp(
          `^//ws/google\\.ai\\.generativelanguage\\.${apiVersion}\\.GenerativeService\\.BidiGenerateContent\\?key=test-key$`,
        ),
      );
      assert.ok(probe.session.setupComplete);
      probe.session.close();
      assert.equal((await connection.waitForClose()).by, 'client');
    });
  }

  it('accepts a single-slash /ws/ path and answers in binary frames, setupComplete first', async () => {
    const client = await openRaw(emulator.url);
    client.send(SETUP);
    await emulator.waitForFrame((frame) => frame.direction === 'out' && frame.message.setupComplete !== undefined);
    await waitUntil(() => client.frames.length > 0);
    assert.deepEqual(Object.keys(client.frames[0]!.json), ['setupComplete']);
    assert.equal(client.frames[0]!.binary, true);
    client.ws.close();
  });

  it('refuses the handshake on an unknown path or API version', async () => {
    await assert.rejects(openRaw(emulator.url, '/ws/google.ai.generativelanguage.v1beta.Other?key=test-key'), /404/);
    const error = await connectError(emulator.url, { apiVersion: 'v2' });
    assert.match(error.message, /Live connection failed before setup completed: Unexpected server response: 404/);
  });

  it('accepts an ephemeral token on BidiGenerateContentConstrained', async (t) => {
    t.mock.method(console, 'warn', () => undefined); // the SDK warns that ephemeral tokens are experimental
    const tokens = await startEmulator({ apiKeys: ['auth_tokens/abc'] });
    try {
      const probe = await connectLive(tokens.url, { apiKey: 'auth_tokens/abc', apiVersion: 'v1alpha' });
      assert.match(tokens.connection().path, /BidiGenerateContentConstrained\?access_token=auth_tokens\/abc$/);
      probe.session.close();
      const error = await connectError(tokens.url, { apiKey: 'auth_tokens/other', apiVersion: 'v1alpha' });
      assert.match(error.message, /\(code 1007\): API key not valid\. Please pass a valid API key\.$/);
    } finally {
      await tokens.close();
    }
  });
});

describe('keys and models', () => {
  it('closes 1007 for an invalid key, reported by connect() and onclose', async () => {
    let closeCode: number | undefined;
    let closeReason = '';
    const error = await connectErrorWithClose({ apiKey: 'wrong' }, (code, reason) => {
      closeCode = code;
      closeReason = reason;
    });
    assert.equal(
      error.message,
      'Live connection closed before setup completed (code 1007): API key not valid. Please pass a valid API key.',
    );
    assert.equal(closeCode, 1007);
    assert.equal(closeReason, 'API key not valid. Please pass a valid API key.');
  });

  it('closes 1007 when the key is missing', async () => {
    const error = await connectError(emulator.url, { apiKey: '' }); // the SDK sends "?key="
    assert.match(error.message, /\(code 1007\): API key not valid\. Please pass a valid API key\.$/);
    const client = await openRaw(emulator.url, LIVE_PATH); // no key parameter at all
    client.send(SETUP);
    assert.deepEqual(await client.closed, { code: 1007, reason: 'API key not valid. Please pass a valid API key.' });
  });

  it('uses the keys it was given', async () => {
    const keyed = await startEmulator({ apiKeys: ['k1', 'k2'] });
    try {
      (await connectLive(keyed.url, { apiKey: 'k2' })).session.close();
      assert.match((await connectError(keyed.url, { apiKey: 'test-key' })).message, /code 1007/);
    } finally {
      await keyed.close();
    }
  });

  const notFound: [string, string][] = [
    ['gemini-9-live', 'v1beta'],
    ['gemini-live-2.5-flash-preview', 'v1beta'],
    ['gemini-2.0-flash-live-001', 'v1'],
  ];
  for (const [model, apiVersion] of notFound) {
    it(`closes 1008 for unknown or retired model ${model}`, async () => {
      const error = await connectError(emulator.url, { model, apiVersion });
      assert.match(
        error.message,
        new RegExp(
          `\\(code 1008\\): models/${model.replaceAll('.', '\\.')} is not found for API version ${apiVersion}, or is not supported for bidiGenerateContent`,
        ),
      );
    });
  }
});

describe('setup fields per model', () => {
  const rejected: { name: string; options: ConnectOptions; reason: RegExp }[] = [
    {
      name: 'enableAffectiveDialog on gemini-3.8-live',
      options: { config: { enableAffectiveDialog: true } },
      reason:
        /^Invalid JSON payload received\. Unknown name "enableAffectiveDialog" at 'setup\.generation_config': Cannot find field\.$/,
    },
    {
      name: 'thinkingConfig on gemini-3.8-live',
      options: { config: { thinkingConfig: { thinkingBudget: 1024 } } },
      reason: /Unknown name "thinkingConfig" at 'setup\.generation_config'/,
    },
    {
      name: 'proactivity on the 2.5 native-audio model outside v1alpha',
      options: {
        model: 'gemini-2.5-flash-native-audio-preview-12-2025',
        config: { proactivity: { proactiveAudio: true } },
      },
      reason: /^Invalid JSON payload received\. Unknown name "proactivity" at 'setup': Cannot find field\.$/,
    },
    {
      name: 'enableAffectiveDialog on the 2.5 native-audio model on v1',
      options: {
        model: 'gemini-2.5-flash-native-audio-preview-12-2025',
        apiVersion: 'v1',
        config: { enableAffectiveDialog: true },
      },
      reason: /Unknown name "enableAffectiveDialog"/,
    },
    {
      name: 'a system instruction on the translate model',
      options: {
        model: 'gemini-3.5-live-translate-preview',
        config: { ...TO_FRENCH, systemInstruction: 'Be brief.' },
      },
      reason: /^Invalid JSON payload received\. Unknown name "systemInstruction" at 'setup': Cannot find field\.$/,
    },
    {
      name: 'the translate model without translationConfig',
      options: { model: 'gemini-3.5-live-translate-preview' },
      reason: INVALID,
    },
    {
      name: 'a translationConfig without targetLanguageCode',
      options: {
        model: 'gemini-3.5-live-translate-preview',
        config: { ...MANUAL_VAD, translationConfig: { echoTargetLanguage: true } },
      },
      reason: INVALID,
    },
    ...['en_US', '', 'français'].map((code) => ({
      name: `the target language "${code}", which is not BCP-47`,
      options: {
        model: 'gemini-3.5-live-translate-preview',
        config: { ...MANUAL_VAD, translationConfig: { targetLanguageCode: code } },
      },
      reason: INVALID,
    })),
    {
      name: 'translationConfig outside the translate model',
      options: { config: { translationConfig: { targetLanguageCode: 'fr' } } },
      reason:
        /^Invalid JSON payload received\. Unknown name "translationConfig" at 'setup\.generation_config': Cannot find field\.$/,
    },
    {
      name: 'two response modalities',
      options: { config: { responseModalities: [Modality.AUDIO, Modality.TEXT] } },
      reason: INVALID,
    },
    {
      name: 'TEXT responses on an audio-only model',
      options: { config: { responseModalities: [Modality.TEXT] } },
      reason: INVALID,
    },
    {
      name: 'proactiveAudio false where it is always on',
      options: { config: { proactivity: { proactiveAudio: false } } },
      reason: INVALID,
    },
    {
      name: 'a voice the model does not have',
      options: { config: { speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Bob' } } } } },
      reason: INVALID,
    },
    {
      name: 'thinkingBudget on a thinking-level model',
      options: { model: 'gemini-3.8-live-extended-thinking', config: { thinkingConfig: { thinkingBudget: 512 } } },
      reason: INVALID,
    },
    {
      name: 'a thinking level the model does not offer',
      options: {
        model: 'gemini-3.8-live-extended-thinking',
        config: { thinkingConfig: { thinkingLevel: ThinkingLevel.MINIMAL } },
      },
      reason: INVALID,
    },
    {
      name: 'blocking function calls on an async-only model',
      options: {
        model: 'gemini-3.8-live-extended-thinking',
        config: { tools: [{ functionDeclarations: [{ name: 'f', behavior: Behavior.BLOCKING }] }] },
      },
      reason: INVALID,
    },
    {
      name: 'a token count that is not an int64',
      options: { config: { contextWindowCompression: { triggerTokens: 'lots' } } },
      reason:
        /^Invalid JSON payload received\. Invalid value at 'setup\.context_window_compression\.trigger_tokens'\.$/,
    },
  ];
  for (const { name, options, reason } of rejected) {
    it(`closes 1007 for ${name}`, async () => {
      const error = await connectError(emulator.url, options);
      const match = /^Live connection closed before setup completed \(code (\d+)\): (.*)$/.exec(error.message);
      assert.ok(match, error.message);
      assert.equal(match[1], '1007');
      assert.match(match[2]!, reason);
    });
  }

  const accepted: { name: string; options: ConnectOptions }[] = [
    {
      name: 'the full 3.8 setup of the protocol doc',
      options: { config: fullSetup() },
    },
    {
      name: 'affective dialog, proactivity and a thinking budget on the 2.5 model on v1alpha',
      options: {
        model: 'gemini-2.5-flash-native-audio-preview-12-2025',
        apiVersion: 'v1alpha',
        config: {
          enableAffectiveDialog: true,
          proactivity: { proactiveAudio: true },
          thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
        },
      },
    },
    {
      name: 'a thinking level on the extended-thinking model',
      options: {
        model: 'gemini-3.8-live-extended-thinking',
        config: { thinkingConfig: { thinkingLevel: ThinkingLevel.HIGH } },
      },
    },
    {
      name: 'translationConfig on the translate model',
      options: { model: 'gemini-3.5-live-translate-preview', config: TO_FRENCH },
    },
    {
      name: 'a target language with a region and script',
      options: {
        model: 'gemini-3.5-live-translate-preview',
        config: { ...MANUAL_VAD, translationConfig: { targetLanguageCode: 'zh-Hant-TW', echoTargetLanguage: true } },
      },
    },
  ];
  for (const { name, options } of accepted) {
    it(`accepts ${name}`, async () => {
      const probe = await connectLive(emulator.url, options);
      probe.session.close();
    });
  }

  it('runs a translate session with the target it was given, not echoing the target language by default', async () => {
    (
      await connectLive(emulator.url, { model: 'gemini-3.5-live-translate-preview', config: TO_FRENCH })
    ).session.close();
    const setup = emulator.connection().setup as { generationConfig: unknown };
    assert.deepEqual(setup.generationConfig, { translationConfig: { targetLanguageCode: 'fr' } });
    assert.deepEqual(emulator.connection().config?.translation, {
      targetLanguageCode: 'fr',
      echoTargetLanguage: false,
    });
  });

  it('receives int64 token counts as strings, as the SDK sends them', async () => {
    (await connectLive(emulator.url, { config: fullSetup() })).session.close();
    const setup = emulator.connection().setup as { contextWindowCompression: unknown; systemInstruction: unknown };
    assert.deepEqual(setup.contextWindowCompression, {
      triggerTokens: '25600',
      slidingWindow: { targetTokens: '12800' },
    });
    assert.deepEqual(setup.systemInstruction, { parts: [{ text: 'Be brief.' }], role: 'user' });
    assert.deepEqual(emulator.connection().config?.compression, { triggerTokens: 25600, targetTokens: 12800 });
  });
});

describe('frame rules', () => {
  it('closes 1007 when the first frame is not setup', async () => {
    const client = await openRaw(emulator.url);
    client.send({ realtimeInput: { activityStart: {} } });
    assert.deepEqual(await client.closed, { code: 1007, reason: 'Request contains an invalid argument.' });
  });

  const broken: { name: string; frame: string; reason: RegExp }[] = [
    { name: 'malformed JSON', frame: '{"realtimeInput":', reason: INVALID },
    { name: 'a JSON array', frame: '[]', reason: INVALID },
    {
      name: 'an unknown message field',
      frame: '{"bogus":{}}',
      reason: /^Invalid JSON payload received\. Unknown name "bogus": Cannot find field\.$/,
    },
    {
      name: 'an unknown realtimeInput field',
      frame: '{"realtimeInput":{"audioChunk":{}}}',
      reason: /Unknown name "audioChunk" at 'realtime_input'/,
    },
    { name: 'two message fields in one frame', frame: '{"realtimeInput":{},"clientContent":{}}', reason: INVALID },
    { name: 'a second setup', frame: JSON.stringify(SETUP), reason: INVALID },
    {
      name: 'audio that is not PCM',
      frame: '{"realtimeInput":{"audio":{"data":"AAAA","mimeType":"audio/wav"}}}',
      reason: /Unsupported audio mime type "audio\/wav"/,
    },
  ];
  for (const { name, frame, reason } of broken) {
    it(`closes 1007 on ${name}, reported by onclose`, async () => {
      const probe = await connectLive(emulator.url);
      probe.session.conn.send(frame);
      const close = await probe.closed;
      assert.equal(close.code, 1007);
      assert.match(close.reason, reason);
    });
  }

  it('records a frame that is not JSON as raw text', async () => {
    const probe = await connectLive(emulator.url);
    probe.session.conn.send('not json');
    await probe.closed;
    const last = emulator.connection().frames('in').at(-1);
    assert.equal(last?.message, undefined);
    assert.equal(last?.direction === 'in' && last.raw, 'not json');
  });
});

function fullSetup(): LiveConnectConfig {
  return {
    ...MANUAL_VAD,
    responseModalities: [Modality.AUDIO],
    speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Kore' } }, languageCode: 'en-US' },
    mediaResolution: MediaResolution.MEDIA_RESOLUTION_LOW,
    systemInstruction: 'Be brief.',
    // Google Search is refused together with function declarations on 3.8 (see tools.test.ts).
    tools: [{ functionDeclarations: [{ name: 'get_time', description: 'Current time' }] }],
    sessionResumption: {},
    contextWindowCompression: { triggerTokens: '25600', slidingWindow: { targetTokens: '12800' } },
    proactivity: { proactiveAudio: true },
  };
}

async function connectErrorWithClose(options: ConnectOptions, onClose: (code: number, reason: string) => void) {
  try {
    await liveClient(emulator.url, options).live.connect({
      model: 'gemini-3.8-live',
      callbacks: { onmessage: () => undefined, onclose: (event) => onClose(event.code, event.reason) },
    });
  } catch (error) {
    return error as Error;
  }
  throw new Error('connected');
}

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
