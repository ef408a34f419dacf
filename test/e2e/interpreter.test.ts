import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultProfile } from '../../electron/main/settings/defaults';
import type { Profile } from '../../shared/settings';
import type { RecordedFrame } from '../emulator/recorder';
import { Conversation } from '../harness/conversation';
import { expect } from '../harness/expect';
import { tapLevels, wallClock } from '../harness/output-tap';

/** An interpreter asked, on purpose, for everything its model does not take: none of it may reach the setup. */
const interpreter: Profile = {
  ...defaultProfile,
  name: 'Interpreter',
  model: 'gemini-3.5-live-translate-preview',
  systemInstruction: 'Be brief.',
  translation: { targetLanguageCode: 'fr', echoTargetLanguage: false },
  tools: { ...defaultProfile.tools, googleSearch: true },
  screen: { ...defaultProfile.screen, enabled: true },
};

type Message = { serverContent?: { turnComplete?: boolean } };
const turnComplete = (frame: RecordedFrame) =>
  frame.direction === 'out' && (frame.message as Message).serverContent?.turnComplete === true;

describe('the interpreter: hold the key, speak, hear the translation', () => {
  let talk: Conversation;
  before(async () => {
    talk = await Conversation.start({
      settings: { profiles: [interpreter] },
      emulator: { scenario: { turns: [{ reply: { inputLanguage: 'en' } }] } },
    });
  });
  after(() => talk.close());

  it('has no screen hotkey, even with screen sharing on: its model takes no pictures', async () => {
    const { bindings } = await talk.harness.app.hotkeyReady;
    assert.deepEqual(
      bindings.map(({ look }) => look),
      [false],
    );
  });

  it('translates a held turn: the words go out, the translation is heard, and each side says its language', async () => {
    const window = await talk.harness.page('transcript');
    await talk.keyDown();
    await sleep(1500);
    await talk.keyUp();
    const releasedAt = wallClock();
    await talk.emulator.waitForFrame(turnComplete, 15_000);

    const { setup } = talk.emulator.connection(0);
    const generation = setup?.generationConfig as { translationConfig?: unknown } | undefined;
    assert.deepEqual(generation?.translationConfig, { targetLanguageCode: 'fr', echoTargetLanguage: false });
    assert.equal(setup?.systemInstruction, undefined, 'the translate model takes no system instruction');
    assert.equal(setup?.tools, undefined, 'nor tools');

    const heard = async () => (await tapLevels(talk.audioPage, releasedAt)).some((level) => level.rms > 0.02);
    await expect.poll(heard, { message: 'the translation is heard', timeout: 15_000 }).toBe(true);
    await expect(window.getByTestId('entry-model').last()).toContainText('into fr', { timeout: 15_000 });
    await expect(window.getByTestId('entry-user').last().getByTestId('language')).toHaveText('English');
    await expect(window.getByTestId('entry-model').last().getByTestId('language')).toHaveText('French');
    await expect(window.getByTestId('entry-model').last().locator('.text')).toHaveAttribute('lang', 'fr');
  });
});
