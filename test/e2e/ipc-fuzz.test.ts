import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { z } from 'zod';
import { invokeChannels, sendChannels, type InvokeName, type SendName } from '../../shared/ipc/channels';
import { invokeContract, sendContract } from '../../shared/ipc/contract';
import { Harness } from '../harness/harness';

const perChannel = 200;

/** Seeded, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function deep(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = { next: value };
  return value;
}

const nasty: unknown[] = [
  '',
  'x'.repeat(1_000_000),
  '\u0000\u202e<script>alert(1)</script>',
  -1,
  0,
  1e308,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  true,
  null,
  [],
  [1, 'two', null],
  {},
  deep(2_000),
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  new Array(10_000).fill('a'),
  { toString: 'not a function', valueOf: 42 },
  new Uint8Array(3),
];

/** Candidates built from the schema's own field names, each kept only if the contract refuses it. */
function invalidPayloads(schema: z.ZodType, seed: number): unknown[] {
  const pick = random(seed);
  const any = () => nasty[Math.floor(pick() * nasty.length)];
  const shape = 'shape' in schema ? Object.keys((schema as unknown as { shape: object }).shape) : [];
  const found: unknown[] = [];
  for (let attempt = 0; found.length < perChannel && attempt < perChannel * 50; attempt++) {
    let candidate: unknown;
    if (shape.length === 0 || pick() < 0.3) candidate = any();
    else {
      const fields = Object.fromEntries(shape.filter(() => pick() < 0.8).map((key) => [key, any()]));
      if (pick() < 0.3) Object.assign(fields, JSON.parse('{"__proto__": {"polluted": true}, "extra": 1}'));
      candidate = fields;
    }
    if (!schema.safeParse(candidate).success) found.push(candidate);
  }
  return found;
}

describe('IPC fuzzing: malformed payloads on every channel', () => {
  let harness: Harness;
  let sender: { webContentsId: number; frameUrl: string; isMainFrame: boolean };
  let settingsBefore: string;
  before(async () => {
    harness = await Harness.start();
    await harness.page('transcript');
    sender = {
      webContentsId: harness.window('transcript').webContentsId,
      frameUrl: `${harness.rendererOrigin}/transcript.html`,
      isMainFrame: true,
    };
    settingsBefore = readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8');
  });
  after(() => harness.close());

  (Object.keys(invokeChannels) as InvokeName[]).forEach((name, index) => {
    it(`${name}: ${perChannel} malformed requests each get a typed invalid-payload error`, async () => {
      const payloads = invalidPayloads(invokeContract[name].request, index + 1);
      assert.equal(payloads.length, perChannel);
      for (const payload of payloads) {
        const result = (await harness.ipc.invoke(invokeChannels[name], sender, payload)) as {
          ok: boolean;
          error?: { code: string };
        };
        assert.equal(result.ok, false);
        assert.equal(result.error?.code, 'invalid-payload');
      }
    });
  });

  (Object.keys(sendChannels) as SendName[]).forEach((name, index) => {
    it(`${name}: ${perChannel} malformed notifications are dropped and logged`, () => {
      const payloads = invalidPayloads(sendContract[name], 100 + index);
      assert.equal(payloads.length, perChannel);
      const warningsBefore = harness.log.warnings.length;
      for (const payload of payloads) harness.ipc.send(sendChannels[name], sender, payload);
      const dropped = harness.log.warnings.slice(warningsBefore).filter((line) => line.startsWith(`dropped ${name}:`));
      assert.equal(dropped.length, perChannel);
    });
  });

  it('left main serving, the settings file and the key store untouched, and no prototype polluted', async () => {
    const info = (await harness.ipc.invoke(invokeChannels.getAppInfo, sender, undefined)) as { ok: boolean };
    assert.equal(info.ok, true);
    assert.equal(readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8'), settingsBefore);
    assert.equal(existsSync(join(harness.userDataDir, 'api-key.bin')), false);
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
    assert.equal(harness.window('transcript').isDestroyed(), false);
  });
});
