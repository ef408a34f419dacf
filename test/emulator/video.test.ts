import {
  MediaResolution,
  TurnCoverage,
  type LiveConnectConfig,
  type LiveServerMessage,
  type Session,
} from '@google/genai';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { tone } from '../support/audio';
import {
  blockRegion,
  blocksPicture,
  colourDistance,
  encodeJpeg,
  meanColour,
  type Picture,
  type Rgb,
} from '../support/pictures';
import {
  connectError,
  connectLive,
  isTurnComplete,
  MANUAL_VAD,
  sendAudio,
  transcript,
  type LiveProbe,
} from './live-probe';
import { startEmulator, type Emulator } from './server';

let emulator: Emulator;
const logLines: string[] = [];
before(async () => {
  emulator = await startEmulator({ pacing: { mode: 'fast' }, log: (line) => logLines.push(line) });
});
beforeEach(async () => {
  await emulator.loadScenario({});
  logLines.length = 0;
});
after(() => emulator.close());

const RED: Rgb = [220, 30, 30];
const BLUE: Rgb = [30, 60, 220];
const picture = (width = 320, height = 180): Picture => blocksPicture(width, height, 2, [RED, BLUE]);
const jpegOf = (source: Picture) => encodeJpeg(source).toString('base64');

function sendFrame(session: Session, source: Picture = picture()): void {
  session.sendRealtimeInput({ video: { data: jpegOf(source), mimeType: 'image/jpeg' } });
}

/** activityStart, the frames, 300 ms of audio, activityEnd. */
function screenTurn(session: Session, frames: Picture[] = [picture()]): void {
  session.sendRealtimeInput({ activityStart: {} });
  for (const frame of frames) sendFrame(session, frame);
  sendAudio(session, tone(16_000, 300, 300));
  session.sendRealtimeInput({ activityEnd: {} });
}

const imageTokens = (message: LiveServerMessage) =>
  message.usageMetadata?.promptTokensDetails?.find((detail) => detail.modality === 'IMAGE')?.tokenCount;

const SAW = { turns: [{ reply: { text: 'I see {frames} frames, the last {lastFrame}', audio: 'none' as const } }] };

describe('video in', () => {
  it('takes a JPEG frame sent in the activity into the turn, and a scenario reply says what it saw', async () => {
    await emulator.loadScenario(SAW);
    const probe = await connectLive(emulator.url);
    const sent = picture(320, 180);
    screenTurn(probe.session, [picture(64, 48), sent]);
    await probe.next(isTurnComplete);
    assert.equal(transcript(probe.messages, 'outputTranscription'), 'I see 2 frames, the last 320×180 JPEG');
    const frames = emulator.connection().turns()[0]!.input.frames;
    assert.deepEqual(
      frames.map((frame) => [frame.mimeType, frame.width, frame.height]),
      [
        ['image/jpeg', 64, 48],
        ['image/jpeg', 320, 180],
      ],
    );
    assert.equal(frames[1]!.byteLength, encodeJpeg(sent).length);
    // The pixels as the model got them: each half keeps its colour through the JPEG.
    const seen = frames[1]!.pixels();
    for (const [column, colour] of [RED, BLUE].entries()) {
      const mean = meanColour(seen, blockRegion(seen, 2, 1, column, 0));
      assert.ok(colourDistance(mean, colour) < 12, `block ${column}: ${mean.join(',')} vs ${colour.join(',')}`);
    }
    probe.session.close();
  });

  it('by default says how many frames it saw and the size of the last', async () => {
    const probe = await connectLive(emulator.url);
    screenTurn(probe.session, [picture(), picture(640, 360)]);
    await probe.next(isTurnComplete);
    assert.equal(
      transcript(probe.messages, 'outputTranscription'),
      'heard 0.30 s of audio, saw 2 frames, the last 640×360 JPEG',
    );
    probe.session.close();
  });

  it('reads pictures in the deprecated mediaChunks like video', async () => {
    await emulator.loadScenario(SAW);
    const probe = await connectLive(emulator.url);
    probe.session.sendRealtimeInput({ activityStart: {} });
    probe.session.sendRealtimeInput({ media: { data: jpegOf(picture(160, 90)), mimeType: 'image/jpeg' } });
    probe.session.sendRealtimeInput({ activityEnd: {} });
    await probe.next(isTurnComplete);
    assert.equal(transcript(probe.messages, 'outputTranscription'), 'I see 1 frames, the last 160×90 JPEG');
    probe.session.close();
  });

  it('refuses a media resolution that does not exist, in the setup', async () => {
    const mediaResolution = 'MEDIA_RESOLUTION_ULTRA' as MediaResolution;
    const error = await connectError(emulator.url, { config: { ...MANUAL_VAD, mediaResolution } });
    assert.match(
      error.message,
      /\(code 1007\): Invalid JSON payload received\. Invalid value at 'setup\.generation_config\.media_resolution'/,
    );
  });

  describe('counts each frame into the usage by media resolution', () => {
    const cases: [string, MediaResolution | undefined, number][] = [
      ['LOW', MediaResolution.MEDIA_RESOLUTION_LOW, 64],
      ['MEDIUM', MediaResolution.MEDIA_RESOLUTION_MEDIUM, 256],
      ['HIGH', MediaResolution.MEDIA_RESOLUTION_HIGH, 256],
      ['unset (MEDIUM)', undefined, 256],
    ];
    for (const [name, mediaResolution, perFrame] of cases) {
      it(name, async () => {
        const config: LiveConnectConfig = mediaResolution ? { ...MANUAL_VAD, mediaResolution } : MANUAL_VAD;
        const probe = await connectLive(emulator.url, { config });
        screenTurn(probe.session, [picture(), picture(), picture()]);
        const first = await probe.next(isTurnComplete);
        assert.equal(imageTokens(first), 3 * perFrame);
        // The frames stay in the context: the next turn's prompt still holds them.
        screenTurn(probe.session, []);
        const second = await probe.next(isTurnComplete);
        assert.equal(imageTokens(second), 3 * perFrame);
        assert.ok(second.usageMetadata!.promptTokenCount! > 3 * perFrame);
        probe.session.close();
      });
    }
  });

  it('takes into a turn all video sent since the previous turn on 3.8 (frames after the activity go to the next)', async () => {
    await emulator.loadScenario({ turns: [SAW.turns[0]!, SAW.turns[0]!] });
    const probe = await connectLive(emulator.url);
    sendFrame(probe.session, picture(100, 100));
    screenTurn(probe.session, [picture(200, 100)]);
    await probe.next(isTurnComplete);
    sendFrame(probe.session, picture(300, 100));
    screenTurn(probe.session, []);
    await probe.next(isTurnComplete);
    const sizes = emulator
      .connection()
      .turns()
      .map((turn) => turn.input.frames.map((frame) => frame.width));
    assert.deepEqual(sizes, [[100, 200], [300]]);
    assert.equal(
      transcript(probe.messages, 'outputTranscription'),
      'I see 2 frames, the last 200×100 JPEGI see 1 frames, the last 300×100 JPEG',
    );
    probe.session.close();
  });

  it('takes only frames sent during the activity on 2.5 unless turnCoverage includes all video', async () => {
    const model = 'gemini-2.5-flash-native-audio-preview-12-2025';
    const framesTaken = async (turnCoverage?: TurnCoverage) => {
      const config = { ...MANUAL_VAD, realtimeInputConfig: { ...MANUAL_VAD.realtimeInputConfig, turnCoverage } };
      const probe = await connectLive(emulator.url, { model, config });
      sendFrame(probe.session, picture(100, 100));
      screenTurn(probe.session, [picture(200, 100)]);
      await probe.next(isTurnComplete);
      probe.session.close();
      return emulator
        .connection()
        .turns()[0]!
        .input.frames.map((frame) => frame.width);
    };
    assert.deepEqual(await framesTaken(), [200]);
    assert.ok(logLines.some((line) => /video frame 100×100 JPEG ignored: outside an activity/.test(line)));
    assert.deepEqual(await framesTaken(TurnCoverage.TURN_INCLUDES_AUDIO_ACTIVITY_AND_ALL_VIDEO), [100, 200]);
    assert.deepEqual(await framesTaken(TurnCoverage.TURN_INCLUDES_ALL_INPUT), [100, 200]);
  });

  it('lets the reply about a tool result see a frame sent with the result', async () => {
    await emulator.loadScenario({
      turns: [
        {
          toolCalls: [{ name: 'look_at_screen' }],
          reply: { text: 'Let me look.', audio: 'none' },
          resultReply: { text: 'On the screen: {lastFrame}', audio: 'none' },
        },
      ],
    });
    const config = { ...MANUAL_VAD, tools: [{ functionDeclarations: [{ name: 'look_at_screen' }] }] };
    const probe = await connectLive(emulator.url, { config });
    screenTurn(probe.session, []);
    const call = await probe.next((message) => message.toolCall !== undefined);
    await probe.next(isTurnComplete);
    sendFrame(probe.session, picture(800, 450));
    const id = call.toolCall!.functionCalls![0]!.id;
    probe.session.sendToolResponse({
      functionResponses: [{ id, name: 'look_at_screen', response: { output: 'sent' } }],
    });
    await probe.next(isTurnComplete);
    assert.equal(transcript(probe.messages, 'outputTranscription'), 'Let me look.On the screen: 800×450 JPEG');
    const resultTurn = emulator.connection().turns()[1]!;
    assert.equal(resultTurn.input.source, 'toolResult');
    assert.deepEqual(
      resultTurn.input.frames.map((frame) => frame.width),
      [800],
    );
    probe.session.close();
  });

  it('lets a reply waiting for a BLOCKING result see a frame sent before the result (3.1)', async () => {
    await emulator.loadScenario({
      turns: [{ toolCalls: [{ name: 'look_at_screen' }], reply: { text: 'I see {lastFrame}', audio: 'none' } }],
    });
    const config = { ...MANUAL_VAD, tools: [{ functionDeclarations: [{ name: 'look_at_screen' }] }] };
    const probe = await connectLive(emulator.url, { model: 'gemini-3.1-flash-live-preview', config });
    screenTurn(probe.session, []);
    const call = await probe.next((message) => message.toolCall !== undefined);
    sendFrame(probe.session, picture(640, 480));
    const id = call.toolCall!.functionCalls![0]!.id;
    probe.session.sendToolResponse({
      functionResponses: [{ id, name: 'look_at_screen', response: { output: 'sent' } }],
    });
    const done = await probe.next(isTurnComplete);
    assert.equal(transcript(probe.messages, 'outputTranscription'), 'I see 640×480 JPEG');
    assert.equal(imageTokens(done), 256, 'the frame counts in the prompt of the reply that waited');
    assert.deepEqual(
      emulator
        .connection()
        .turns()[0]!
        .input.frames.map((frame) => frame.width),
      [640],
    );
    probe.session.close();
  });

  describe('refuses with 1007', () => {
    const refusals: {
      name: string;
      model?: string;
      config?: LiveConnectConfig;
      send: (probe: LiveProbe) => void;
      reason: RegExp;
    }[] = [
      {
        name: 'a picture that is not a JPEG (the SDK lets any image/* through)',
        send: ({ session }) => session.sendRealtimeInput({ video: { data: 'iVBORw0KGgo=', mimeType: 'image/png' } }),
        reason: /^Unsupported video mime type "image\/png"; send image\/jpeg\.$/,
      },
      {
        name: 'data that is not a JPEG',
        send: ({ session }) =>
          session.sendRealtimeInput({
            video: { data: Buffer.from('not a picture').toString('base64'), mimeType: 'image/jpeg' },
          }),
        reason: /^Unable to process the video frame: not a valid JPEG/,
      },
      {
        name: 'a JPEG cut short',
        send: ({ session }) => {
          const whole = encodeJpeg(picture());
          const data = whole.subarray(0, whole.length / 2).toString('base64');
          session.sendRealtimeInput({ video: { data, mimeType: 'image/jpeg' } });
        },
        reason: /^Unable to process the video frame: not a valid JPEG/,
      },
      {
        name: 'video on a model that takes none (the translate model)',
        model: 'gemini-3.5-live-translate-preview',
        config: { ...MANUAL_VAD, translationConfig: { targetLanguageCode: 'fr' } },
        send: ({ session }) => sendFrame(session),
        reason: /^Video input is not supported by gemini-3\.5-live-translate-preview\.$/,
      },
    ];
    for (const { name, model, config, send, reason } of refusals) {
      it(name, async () => {
        const probe = await connectLive(emulator.url, { model, config });
        send(probe);
        const close = await probe.closed;
        assert.equal(close.code, 1007);
        assert.match(close.reason, reason);
      });
    }
  });
});
