import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { IpcResult } from '../../shared/ipc/result';
import { startEmulator, type Emulator } from '../emulator/server';
import { expect } from '../harness/expect';
import { Harness, type HarnessOptions } from '../harness/harness';

/** A server on another address of this machine, standing in for someone else's: it notes every connection. */
interface Stranger {
  /** e.g. 192.0.2.2:40123 */
  readonly host: string;
  connections: number;
  close(): Promise<void>;
}

async function startStranger(): Promise<Stranger> {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((nic) => nic?.family === 'IPv4' && !nic.internal)?.address;
  if (!address) throw new Error('These tests need a network address besides loopback (os.networkInterfaces).');
  const stranger = { host: '', connections: 0, close: () => Promise.resolve() };
  const server: Server = createServer((socket) => {
    stranger.connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  stranger.host = `${address}:${(server.address() as AddressInfo).port}`;
  stranger.close = () => new Promise((resolve) => server.close(() => resolve()));
  return stranger;
}

const savedEndpoint = (harness: Harness) =>
  (JSON.parse(readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8')) as { liveEndpoint?: string })
    .liveEndpoint;

/** Types a message in the transcript window and waits for Gemini's reply to it. */
async function typeAndWait(harness: Harness, text: string): Promise<void> {
  const transcript = await harness.page('transcript');
  const replies = await transcript.getByTestId('entry-model').count();
  await transcript.getByLabel('Message').fill(text);
  await transcript.getByRole('button', { name: 'Send' }).click();
  await expect(transcript.getByTestId('entry-model')).toHaveCount(replies + 1);
  await expect(transcript.getByTestId('entry-model').last()).toContainText(`you said: ${text}`);
}

async function changeEndpoint(settings: Page, url: string): Promise<void> {
  await settings.getByTestId('endpoint-input').fill(url);
  await settings.getByTestId('endpoint-input').press('Tab');
}

describe('where the API key may go', () => {
  let emulator: Emulator;
  let stranger: Stranger;
  let harness: Harness | undefined;
  beforeEach(async () => {
    [emulator, stranger] = await Promise.all([startEmulator({ pacing: { mode: 'fast' } }), startStranger()]);
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await Promise.all([emulator.close(), stranger.close()]);
  });

  /** Parley on the emulator (set in Settings, as a user would), with the key in its environment. */
  const start = async (options: HarnessOptions = {}) => {
    harness = await Harness.start({
      ...options,
      env: { GEMINI_API_KEY: 'test-key', ...options.env },
      settings: { cues: false, liveEndpoint: emulator.url },
    });
    return harness;
  };

  it('moves sessions to another computer only once the user confirms its host in a native dialog', async () => {
    // The other host never completes a connection: give up on it after one retry instead of eight.
    const parley = await start({ tuning: { backoff: { baseMs: 50, capMs: 100, attempts: 2 } } });
    const settings = await parley.openSettings();
    const elsewhere = `https://${stranger.host}`;

    parley.appPort.confirmAnswer = false;
    await changeEndpoint(settings, elsewhere);
    await expect(settings.getByTestId('settings-error')).toContainText(
      `you did not confirm that ${stranger.host} may have your API key`,
    );
    assert.equal(parley.appPort.confirmations.length, 1, 'main asked, once');
    assert.equal(parley.appPort.confirmations[0]!.message, `Send your Gemini API key to ${stranger.host}?`);
    await expect(settings.getByTestId('endpoint-input')).toHaveValue(emulator.url);
    assert.equal(savedEndpoint(parley), emulator.url, 'settings unchanged');

    // A compromised window calling the API itself gets the same question, and the same answer.
    const direct = await settings.evaluate(
      (url) => window.parley.updateSettings({ liveEndpoint: url }) as Promise<IpcResult<unknown>>,
      elsewhere,
    );
    assert.equal(direct.ok, false);
    assert.equal(parley.appPort.confirmations.length, 2);

    await typeAndWait(parley, 'Still here?');
    assert.equal(emulator.connections().length, 1, 'the turn went to the emulator');
    assert.equal(stranger.connections, 0, 'nothing ever reached the other host');

    parley.appPort.confirmAnswer = true;
    await changeEndpoint(settings, elsewhere);
    await expect.poll(() => savedEndpoint(parley)).toBe(elsewhere);
    await expect(settings.getByTestId('settings-error')).toBeHidden();
    const transcript = await parley.page('transcript');
    await transcript.getByLabel('Message').fill('And now?');
    await transcript.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => stranger.connections).toBeGreaterThan(0);
    // That host never completes a connection: the turn fails, and nothing is left under way.
    await expect.poll(() => parley.app.status.current.state).toBe('error');
  });

  it('refuses http:// and ws:// to another computer without asking: the key would travel in clear text', async () => {
    const parley = await start();
    const settings = await parley.openSettings();
    for (const scheme of ['http', 'ws']) {
      await changeEndpoint(settings, `${scheme}://${stranger.host}`);
      await expect(settings.getByTestId('settings-error')).toContainText(
        `would send your API key unencrypted, so they are only for this computer`,
      );
      await expect(settings.getByTestId('endpoint-input')).toHaveValue(emulator.url);
    }
    assert.equal(parley.appPort.confirmations.length, 0, 'no answer could make it safe');
    assert.equal(savedEndpoint(parley), emulator.url);
    await typeAndWait(parley, 'Are you there?');
    assert.equal(stranger.connections, 0);
  });

  it('saves a ws:// endpoint on this computer as http://, which the SDK reaches over ws://, and says so', async () => {
    const parley = await start();
    const settings = await parley.openSettings();
    const webSocketUrl = emulator.url.replace(/^http/, 'ws');
    await changeEndpoint(settings, webSocketUrl);
    await expect(settings.getByTestId('endpoint-input')).toHaveValue(emulator.url);
    await expect(settings.getByTestId('connection-note')).toContainText(`${webSocketUrl} is used as ${emulator.url}`);
    assert.equal(savedEndpoint(parley), emulator.url);
    assert.equal(parley.appPort.confirmations.length, 0, 'this computer needs no question');
    await typeAndWait(parley, 'Over a plain socket?');
    assert.equal(emulator.connections().length, 1);
  });

  it('an installed build asks before PARLEY_LIVE_URL gets the key; refused, it is not used, and Parley says why', async () => {
    const parley = await start({
      packaged: true,
      confirmAnswer: false,
      env: { PARLEY_LIVE_URL: `https://${stranger.host}` },
    });
    assert.equal(parley.appPort.confirmations.length, 1);
    assert.match(parley.appPort.confirmations[0]!.detail, new RegExp(`PARLEY_LIVE_URL=https://${stranger.host}`));
    const refusal = `PARLEY_LIVE_URL in the environment (${stranger.host}) is not used`;
    await expect.poll(() => parley.app.status.current.detail).toContain(refusal);
    const settings = await parley.openSettings();
    await expect(settings.getByTestId('connection-note')).toContainText(refusal);
    await expect(settings.getByTestId('endpoint-input')).toBeEnabled();
    await typeAndWait(parley, 'Who answers?');
    assert.equal(emulator.connections().length, 1, 'the endpoint in Settings took over');
    assert.equal(stranger.connections, 0);
  });
});
