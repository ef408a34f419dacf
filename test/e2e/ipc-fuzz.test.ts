import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { z } from 'zod';
import {
  invokeChannels,
  invokeWindows,
  sendChannels,
  sendWindows,
  type InvokeName,
  type SendName,
} from '../../shared/ipc/channels';
import { invokeContract, sendContract } from '../../shared/ipc/contract';
import { WindowKind } from '../../shared/types';
import type { IpcSender } from '../../electron/main/ports';
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

/** The window kinds a channel is open to, and the ones it is closed to. */
function split(windows: readonly WindowKind[]): { allowed: WindowKind[]; refused: WindowKind[] } {
  return {
    allowed: WindowKind.options.filter((kind) => windows.includes(kind)),
    refused: WindowKind.options.filter((kind) => !windows.includes(kind)),
  };
}

/** "the audio window", "the transcript and settings windows", "no window". */
function windowsNamed(kinds: readonly WindowKind[]): string {
  if (kinds.length === 0) return 'no window';
  return `the ${kinds.join(' and ')} window${kinds.length > 1 ? 's' : ''}`;
}

describe('IPC fuzzing: malformed payloads on every channel, from every window', () => {
  let harness: Harness;
  let senders: Record<WindowKind, IpcSender>;
  let settingsBefore: string;
  before(async () => {
    harness = await Harness.start();
    harness.app.windows.show('settings');
    // Each window as main knows it: its web contents, showing its own page.
    senders = Object.fromEntries(
      await Promise.all(
        WindowKind.options.map(async (kind) => {
          await harness.page(kind);
          const sender = {
            webContentsId: harness.window(kind).webContentsId,
            frameUrl: `${harness.rendererOrigin}/${kind}.html`,
            isMainFrame: true,
          };
          return [kind, sender] as const;
        }),
      ),
    ) as Record<WindowKind, IpcSender>;
    settingsBefore = readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8');
  });
  after(() => harness.close());

  (Object.keys(invokeChannels) as InvokeName[]).forEach((name, index) => {
    const { allowed, refused } = split(invokeWindows[name]);
    const title = `${name}: ${perChannel} malformed requests get invalid-payload from ${windowsNamed(allowed)}, forbidden-sender from ${windowsNamed(refused)}`;
    it(title, async () => {
      const payloads = invalidPayloads(invokeContract[name].request, index + 1);
      assert.equal(payloads.length, perChannel);
      for (const kind of WindowKind.options) {
        // The window's kind is checked before the payload: a refused window learns nothing about it.
        const expected = allowed.includes(kind) ? 'invalid-payload' : 'forbidden-sender';
        for (const payload of payloads) {
          const result = (await harness.ipc.invoke(invokeChannels[name], senders[kind], payload)) as {
            ok: boolean;
            error?: { code: string };
          };
          assert.equal(result.ok, false);
          assert.equal(result.error?.code, expected, `${name} from the ${kind} window`);
        }
      }
    });
  });

  (Object.keys(sendChannels) as SendName[]).forEach((name, index) => {
    const { allowed, refused } = split(sendWindows[name]);
    const title = `${name}: ${perChannel} malformed notifications are dropped from ${windowsNamed(allowed)}, refused from ${windowsNamed(refused)}, and logged`;
    it(title, () => {
      const payloads = invalidPayloads(sendContract[name], 100 + index);
      assert.equal(payloads.length, perChannel);
      for (const kind of WindowKind.options) {
        const warningsBefore = harness.log.warnings.length;
        for (const payload of payloads) harness.ipc.send(sendChannels[name], senders[kind], payload);
        const expected = allowed.includes(kind) ? `dropped ${name}:` : `refused ${name} from the ${kind} window`;
        const logged = harness.log.warnings.slice(warningsBefore).filter((line) => line.startsWith(expected));
        assert.equal(logged.length, perChannel, `${name} from the ${kind} window`);
      }
    });
  });

  it('left main serving, the settings file and the key store untouched, and no prototype polluted', async () => {
    const info = (await harness.ipc.invoke(invokeChannels.getAppInfo, senders.transcript, undefined)) as {
      ok: boolean;
    };
    assert.equal(info.ok, true);
    assert.equal(readFileSync(join(harness.userDataDir, 'settings.json'), 'utf8'), settingsBefore);
    assert.equal(existsSync(join(harness.userDataDir, 'api-key.bin')), false);
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
    for (const kind of WindowKind.options) assert.equal(harness.window(kind).isDestroyed(), false, kind);
  });
});
