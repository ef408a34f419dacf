import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultProfile } from '../../electron/main/settings/defaults';
import type { Profile } from '../../shared/settings';
import type { RecordedFrame } from '../emulator/recorder';
import { Conversation } from '../harness/conversation';
import { expect } from '../harness/expect';
import { tapLevels, wallClock } from '../harness/output-tap';

const assistant: Profile = { ...defaultProfile, voiceName: 'Kore', systemInstruction: 'Be brief.' };
const coder: Profile = {
  ...defaultProfile,
  id: 'p-c0de00',
  name: 'Coder',
  hotkey: { accelerator: 'Control+Shift+F1', mode: 'hold' },
  voiceName: 'Puck',
  systemInstruction: 'Answer as a programmer.',
  screen: { ...defaultProfile.screen, enabled: false, accelerator: 'Control+Alt+Shift+F1' },
};
const coderKeys = 'ctrl+shift+F1';

type Message = { realtimeInput?: { activityStart?: unknown }; serverContent?: { turnComplete?: boolean } };
const activityStarts = (talk: Conversation, connection: number) =>
  talk.emulator
    .connection(connection)
    .frames('in')
    .filter((frame) => (frame.message as Message).realtimeInput?.activityStart !== undefined).length;
const turnComplete = (connection: number) => (frame: RecordedFrame) =>
  frame.connectionId === connection &&
  frame.direction === 'out' &&
  (frame.message as Message).serverContent?.turnComplete === true;

describe('profiles: two hotkeys, each with its own session, voice and instructions', () => {
  let talk: Conversation;
  before(async () => {
    talk = await Conversation.start({
      settings: { profiles: [assistant, coder] },
      emulator: {
        scenario: {
          // Each conversation's first reply is short; its second is long enough to be cut off.
          turns: [
            {
              reply: { outputTranscription: 'a short answer', audio: { tone: { frequencyHz: 440, durationMs: 600 } } },
            },
            {
              reply: {
                outputTranscription: 'a long answer',
                audio: { tone: { frequencyHz: 330, durationMs: 15_000 } },
              },
            },
          ],
        },
      },
    });
  });
  after(() => talk.close());

  /** Holds `keys` for a second of speech, then lets go. */
  const speak = async (keys: string) => {
    await talk.keyDown(keys);
    await sleep(1000);
    await talk.keyUp(keys);
  };

  it('sends each turn to its own profile’s session, set up with its voice and instruction, and keeps the transcripts apart', async () => {
    const window = await talk.harness.page('transcript');
    await speak('ctrl+shift+space');
    await talk.emulator.waitForFrame(turnComplete(0), 15_000);
    await expect(window.getByTestId('connection-state')).toHaveText('idle', { timeout: 15_000 });
    await expect(window.getByTestId('status-profile')).toHaveText('Assistant');

    await speak(coderKeys);
    await talk.emulator.waitForFrame(turnComplete(1), 15_000);
    await expect(window.getByTestId('connection-state')).toHaveText('idle', { timeout: 15_000 });
    // The state line names whose state it is, with that profile's own hotkey.
    await expect(window.getByTestId('status-profile')).toHaveText('Coder');
    await expect(window.getByTestId('hotkey')).toContainText('F1');
    await expect(window.getByTestId('profile-switch')).toHaveValue(coder.id);

    const [first, second] = talk.emulator.connections();
    assert.equal(talk.emulator.connections().length, 2, 'one session per profile');
    const voiceOf = (setup: Record<string, unknown> | undefined) =>
      JSON.stringify((setup?.generationConfig as { speechConfig?: unknown } | undefined)?.speechConfig);
    const instructionOf = (setup: Record<string, unknown> | undefined) => JSON.stringify(setup?.systemInstruction);
    assert.match(voiceOf(first!.setup), /Kore/);
    assert.match(instructionOf(first!.setup), /Be brief\./);
    assert.match(voiceOf(second!.setup), /Puck/);
    assert.match(instructionOf(second!.setup), /Answer as a programmer\./);
    assert.equal(first!.turns().length, 1, "the Assistant's turn went to the Assistant's session only");
    assert.equal(second!.turns().length, 1, "Coder's turn went to Coder's session only");
    assert.notEqual(first!.sessionId, second!.sessionId, 'two conversations on the server');

    const conversations = talk.harness.app.conversations;
    const mine = conversations.lane(assistant).entries();
    const coders = conversations.lane(coder).entries();
    assert.notEqual(conversations.lane(assistant).id, conversations.lane(coder).id);
    assert.deepEqual(
      mine.map((entry) => entry.role),
      ['user', 'model'],
    );
    assert.deepEqual(
      coders.map((entry) => entry.role),
      ['user', 'model'],
    );
    // The window shows the conversation of the profile that spoke last: Coder's, alone.
    await expect(window.getByTestId('entry-model')).toHaveCount(1);
    await expect(window.getByTestId('entry-model')).toContainText('a short answer');
  });

  it("a press of Coder's hotkey while the Assistant replies cuts the reply off at once, and Coder's turn is heard", async () => {
    const window = await talk.harness.page('transcript');
    const assistantTurnsBefore = activityStarts(talk, 0);
    await speak('ctrl+shift+space');
    await expect(window.getByTestId('connection-state')).toHaveText('speaking', { timeout: 15_000 });
    const speakingAt = wallClock();
    const loud = async () => (await tapLevels(talk.audioPage, speakingAt)).some((level) => level.rms > 0.02);
    await expect.poll(loud, { message: "the Assistant's long reply is heard" }).toBe(true);

    const pressedAt = wallClock();
    await talk.keyDown(coderKeys);
    await expect
      .poll(() => talk.harness.keyEvents.some((event) => event.type === 'down' && event.at >= pressedAt))
      .toBe(true);
    const cutAt = talk.harness.keyEvents.find((event) => event.type === 'down' && event.at >= pressedAt)!.at;
    // The long reply had 14 s left: silence within a few seconds of the key, on however busy a machine, is the cut.
    const silentAfterCut = async () => {
      const levels = await tapLevels(talk.audioPage, speakingAt);
      const from = levels.findIndex((l, i) => l.at >= cutAt && levels.slice(i).every((later) => later.rms < 0.001));
      return from >= 0 && levels.length - from > 10;
    };
    await expect.poll(silentAfterCut, { message: "the Assistant's reply went silent", timeout: 5_000 }).toBe(true);
    await sleep(1000);
    await talk.keyUp(coderKeys);

    const cut = talk.harness.app.conversations.lane(assistant).entries().at(-1)!;
    assert.equal(cut.role, 'model');
    assert.equal(cut.state, 'interrupted');
    assert.equal(cut.note, "Cut off: you pressed Coder's hotkey.");
    assert.equal(activityStarts(talk, 0), assistantTurnsBefore + 1, "the Assistant's session got no new turn");
    assert.equal(activityStarts(talk, 1), 2, "Coder's session got Coder's turn");

    const releasedAt = wallClock();
    const heardAfter = async () => (await tapLevels(talk.audioPage, releasedAt)).some((level) => level.rms > 0.02);
    await expect.poll(heardAfter, { message: "Coder's reply is heard", timeout: 15_000 }).toBe(true);
    // Its words come as it speaks them: the first ones are enough to show whose reply is on screen.
    await expect(window.getByTestId('entry-model').last()).toContainText('a long', { timeout: 15_000 });
  });

  it("the window's profile switch shows the other profile's live conversation and state, and Settings edits it; the reply under way plays on", async () => {
    const window = await talk.harness.page('transcript');
    const cutNote = window.getByText("Cut off: you pressed Coder's hotkey.");
    await expect(cutNote).toHaveCount(0);

    await window.getByTestId('profile-switch').selectOption({ label: 'Assistant' });
    await expect(window.getByTestId('status-profile')).toHaveText('Assistant');
    await expect(window.getByTestId('hotkey')).toContainText('Space');
    await expect(cutNote).toHaveCount(1, { timeout: 10_000 });
    await expect(window.getByTestId('entry-model')).toHaveCount(2);
    const trayChecks = () => {
      const item = talk.harness.tray.item('profile:assistant');
      return item?.kind === 'choice' && item.checked;
    };
    await expect.poll(trayChecks, { message: 'the tray (and Settings) act on the profile chosen' }).toBe(true);

    await window.getByTestId('profile-switch').selectOption({ label: 'Coder' });
    await expect(window.getByTestId('status-profile')).toHaveText('Coder');
    await expect(cutNote).toHaveCount(0, { timeout: 10_000 });
    await expect(window.getByTestId('entry-model').last()).toContainText('a long');
    assert.equal(
      talk.harness.app.conversations.lane(coder).entries().at(-1)?.state === 'interrupted',
      false,
      "choosing a profile cut nothing off: Coder's reply was not interrupted",
    );
  });
});
