import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from '../harness/expect';
import { Conversation } from '../harness/conversation';

const key = 'AIzaLeakCheck-0123456789abcdefghijklmnopq';
const forms = [key, Buffer.from(key).toString('base64'), Buffer.from(key).toString('base64url')];
const leaks = (text: string) => forms.filter((form) => text.includes(form));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The browser deletes cache files as it likes: one gone since the listing holds no key. */
function contentOf(file: string): string {
  try {
    return readFileSync(file).toString('latin1');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

let talk: Conversation;
before(async () => {
  talk = await Conversation.start({ noApiKey: true, emulator: { apiKeys: [key] } });
});
after(() => talk.close());

it('the API key never reaches a renderer, renderer storage, or any file but its ciphertext', async () => {
  const settings = await talk.harness.openSettings();
  await settings.getByTestId('key-input').fill(key);
  await settings.getByRole('button', { name: 'Check and save' }).click();
  await expect(settings.getByTestId('key-status')).toHaveText(`Set · …${key.slice(-4)}`);

  // A whole session with it: a spoken turn, a typed one, and the settings window reopened.
  const transcript = await talk.harness.page('transcript');
  await talk.keyDown();
  await sleep(800);
  await talk.keyUp();
  await expect(transcript.getByTestId('entry-model').last()).toContainText('heard', { timeout: 10_000 });
  await transcript.getByLabel('Message').fill('Hello');
  await transcript.getByRole('button', { name: 'Send' }).click();
  await expect(transcript.getByTestId('entry-model').last()).toContainText('you said: Hello', { timeout: 10_000 });
  await settings.reload();
  await expect(settings.getByTestId('key-status')).toContainText('Set ·');

  const toRenderers = talk.harness.ipc.log.filter(
    (entry) => entry.direction === 'reply' || entry.direction === 'event',
  );
  assert.ok(toRenderers.length > 50, 'the session exchanged plenty of messages');
  assert.deepEqual(
    toRenderers.filter((entry) => leaks(JSON.stringify(entry.payload)).length > 0),
    [],
  );

  for (const kind of ['audio', 'transcript', 'settings'] as const) {
    const page = await talk.harness.page(kind);
    const stored = await page.evaluate(() =>
      JSON.stringify({
        local: { ...localStorage },
        session: { ...sessionStorage },
        dom: document.documentElement.outerHTML,
      }),
    );
    assert.deepEqual(leaks(stored), [], `${kind} window`);
  }

  for (const file of filesUnder(talk.harness.userDataDir)) {
    assert.deepEqual(leaks(contentOf(file)), [], file);
  }
});
