import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from '../harness/expect';
import { Conversation } from '../harness/conversation';
import { Harness } from '../harness/harness';

/** The first profile's settings with the global ones, as saved. */
const saved = (harness: Harness): Record<string, unknown> => {
  const { profiles, ...globals } = JSON.parse(readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8')) as {
    profiles: Record<string, unknown>[];
  };
  return { ...globals, ...profiles[0] };
};

describe('settings window', () => {
  let harness: Harness | undefined;
  let talk: Conversation | undefined;
  afterEach(async () => {
    await harness?.close();
    await talk?.close();
    harness = talk = undefined;
  });

  it('disables what the chosen model does not take, with the reason, and follows a model change', async () => {
    harness = await Harness.start();
    const page = await harness.openSettings();
    await expect(page.getByTestId('toggle-affectiveDialog')).toBeDisabled();
    await expect(page.getByTestId('reason-affectiveDialog')).toContainText('gemini-3.8-live');
    await page.getByTestId('model-select').selectOption('gemini-2.5-flash-native-audio-preview-12-2025');
    await expect(page.getByTestId('toggle-affectiveDialog')).toBeEnabled();
    await page.getByTestId('toggle-affectiveDialog').check();
    await expect.poll(() => saved(harness!).affectiveDialog).toBe(true);
    assert.equal(saved(harness).model, 'gemini-2.5-flash-native-audio-preview-12-2025');
  });

  it('a new voice applies from the next session, at an idle moment, never cutting a turn', async () => {
    talk = await Conversation.start();
    await talk.keyDown();
    await sleep(800);
    const page = await talk.harness.openSettings();
    // Changed while the user is still talking: the session must survive this turn.
    await page.getByTestId('voice-select').selectOption('Puck');
    await sleep(300);
    assert.equal(talk.emulator.connections().length, 1);
    assert.equal(talk.emulator.connection().closed, undefined, 'no cut while talking');
    await talk.keyUp();
    await talk.emulator.connection(0).waitForClose(15_000);
    await talk.keyDown();
    await sleep(600);
    await talk.keyUp();
    await expect.poll(() => talk!.emulator.connections().length, { timeout: 10_000 }).toBe(2);
    const setup = talk.emulator.connection(1).setup as { generationConfig?: { speechConfig?: unknown } };
    assert.deepEqual(setup.generationConfig?.speechConfig, {
      voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Puck' } },
    });
  });
});
