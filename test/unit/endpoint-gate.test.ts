import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EndpointGate } from '../../electron/main/live/endpoint-gate';
import type { Confirmation } from '../../electron/main/ports';
import { endpointProblem, readEndpoint } from '../../electron/main/security/endpoint-policy';

describe('endpoint policy', () => {
  it('knows who runs an endpoint: Google, this computer, or anyone else', () => {
    const owner = (url: string) => readEndpoint(url)?.owner;
    assert.equal(owner('https://generativelanguage.googleapis.com'), 'google');
    assert.equal(owner('wss://generativelanguage.googleapis.com:443/'), 'google');
    assert.equal(owner('http://generativelanguage.googleapis.com'), 'other', 'clear text is not Google’s service');
    assert.equal(owner('https://generativelanguage.googleapis.com:8443'), 'other');
    assert.equal(owner('https://generativelanguage.googleapis.com.attacker.example'), 'other');
    assert.equal(owner('https://generativelanguage.googleapis.com@attacker.example'), 'other');
    for (const local of [
      'http://localhost:9000',
      'http://127.0.0.1:9',
      'ws://127.1:9',
      'http://[::1]:9',
      'https://LOCALHOST',
    ]) {
      assert.equal(owner(local), 'this-computer', local);
    }
    assert.equal(owner('http://192.0.2.2:9'), 'other');
    assert.equal(owner('http://localhost.attacker.example'), 'other');
    assert.equal(readEndpoint('ftp://example.com'), undefined);
    assert.equal(readEndpoint('emulator on my laptop'), undefined);
  });

  it('rewrites ws:// to http:// and wss:// to https://, the forms the SDK opens ws:// and wss:// from', () => {
    assert.deepEqual(readEndpoint('ws://127.0.0.1:9/live'), {
      url: 'http://127.0.0.1:9/live',
      host: '127.0.0.1:9',
      owner: 'this-computer',
      clearText: true,
      rewrittenFrom: 'ws://127.0.0.1:9/live',
    });
    assert.equal(readEndpoint('WSS://proxy.example')?.url, 'https://proxy.example');
    assert.equal(readEndpoint(' http://127.0.0.1:9 ')?.url, 'http://127.0.0.1:9', 'kept as written');
  });

  it('never lets the key leave this computer in clear text', () => {
    const problem = (url: string) => endpointProblem(readEndpoint(url)!);
    assert.match(problem('http://192.0.2.2:9') ?? '', /unencrypted.*https:\/\/ or wss:\/\/ for 192\.0\.2\.2:9/);
    assert.match(problem('ws://proxy.example') ?? '', /unencrypted/);
    assert.equal(problem('http://localhost:9'), undefined);
    assert.equal(problem('https://proxy.example'), undefined);
  });
});

/** The user's side of the native dialog: every question asked, answered with `answer`. */
function user(answer: boolean | (() => Promise<boolean>)) {
  const asked: Confirmation[] = [];
  return {
    asked,
    confirm: (question: Confirmation) => {
      asked.push(question);
      return typeof answer === 'boolean' ? Promise.resolve(answer) : answer();
    },
  };
}

function gate(options: {
  env?: Record<string, string>;
  configured?: string;
  isPackaged?: boolean;
  answer?: boolean | (() => Promise<boolean>);
}) {
  const dialog = user(options.answer ?? true);
  const refusals: string[][] = [];
  let configured = options.configured;
  const endpoints = new EndpointGate({
    env: options.env ?? {},
    configured: () => configured,
    isPackaged: options.isPackaged ?? false,
    confirm: dialog.confirm,
    answered: (passedOver) => refusals.push(passedOver),
  });
  return { endpoints, dialog, refusals, configure: (url: string | undefined) => (configured = url) };
}

describe('endpoint gate', () => {
  it('takes the endpoint from the environment first, then Settings, then Google', () => {
    assert.equal(gate({}).endpoints.choice().from, 'default');
    assert.equal(gate({}).endpoints.choice().baseUrl, undefined);
    const configured = gate({ configured: 'https://proxy.example/live' }).endpoints.choice();
    assert.deepEqual([configured.from, configured.baseUrl], ['settings', 'https://proxy.example/live']);
    const pinned = gate({ env: { PARLEY_LIVE_URL: 'http://127.0.0.1:9' }, configured: 'https://proxy.example' });
    assert.deepEqual(
      [pinned.endpoints.choice().from, pinned.endpoints.choice().baseUrl],
      ['PARLEY_LIVE_URL', 'http://127.0.0.1:9'],
    );
  });

  it('in development, uses what the launch names without asking, as before', async () => {
    const { endpoints, dialog } = gate({ env: { PARLEY_LIVE_URL: 'http://192.0.2.2:9' } });
    assert.equal((await endpoints.settled()).baseUrl, 'http://192.0.2.2:9');
    assert.deepEqual(dialog.asked, []);
  });

  it('in an installed build, asks before PARLEY_LIVE_URL gets the key, naming the host', async () => {
    const { endpoints, dialog, refusals } = gate({
      env: { PARLEY_LIVE_URL: 'https://proxy.example:8443' },
      isPackaged: true,
      answer: true,
    });
    assert.equal((await endpoints.settled()).baseUrl, 'https://proxy.example:8443');
    assert.equal(dialog.asked.length, 1);
    assert.match(dialog.asked[0]!.message, /Send your Gemini API key to proxy\.example:8443\?/);
    assert.match(dialog.asked[0]!.detail, /PARLEY_LIVE_URL=https:\/\/proxy\.example:8443/);
    assert.deepEqual(refusals, [[]], 'answered, nothing refused');
  });

  it('in an installed build, a refused PARLEY_LIVE_URL is not used: Settings’ endpoint or Google’s instead, and why', async () => {
    const refused = gate({ env: { PARLEY_LIVE_URL: 'https://attacker.example' }, isPackaged: true, answer: false });
    const choice = await refused.endpoints.settled();
    assert.deepEqual([choice.from, choice.baseUrl], ['default', undefined]);
    assert.deepEqual(refused.refusals, [
      [
        'PARLEY_LIVE_URL in the environment (attacker.example) is not used: you did not confirm that it may have your API key.',
      ],
    ]);
    const fallback = gate({
      env: { PARLEY_LIVE_URL: 'https://attacker.example' },
      configured: 'http://127.0.0.1:9',
      isPackaged: true,
      answer: false,
    });
    assert.equal((await fallback.endpoints.settled()).baseUrl, 'http://127.0.0.1:9');
  });

  it('in an installed build, this computer and Google need no question, clear text to another host is never used', async () => {
    const local = gate({ env: { PARLEY_LIVE_URL: 'http://localhost:9' }, isPackaged: true });
    assert.equal((await local.endpoints.settled()).baseUrl, 'http://localhost:9');
    assert.deepEqual(local.dialog.asked, []);
    const clear = gate({ env: { PARLEY_LIVE_URL: 'http://192.0.2.2:9' }, isPackaged: true });
    const choice = await clear.endpoints.settled();
    assert.equal(choice.baseUrl, undefined);
    assert.deepEqual(clear.dialog.asked, [], 'no question can make clear text safe');
    assert.match(choice.passedOver[0] ?? '', /PARLEY_LIVE_URL in the environment is not used: .*unencrypted/);
  });

  it('in an installed build, the endpoint in the settings file is asked about too, and connections wait for the answer', async () => {
    let answer: (yes: boolean) => void = () => undefined;
    const { endpoints, dialog } = gate({
      configured: 'https://proxy.example',
      isPackaged: true,
      answer: () => new Promise((resolve) => (answer = resolve)),
    });
    const settled = endpoints.settled();
    await Promise.resolve();
    assert.match(endpoints.choice().passedOver[0] ?? '', /asking whether proxy\.example/);
    assert.equal(dialog.asked.length, 1);
    answer(true);
    assert.equal((await settled).baseUrl, 'https://proxy.example');
  });

  it('asks before a change to another host, once per host, and refuses clear text without asking', async () => {
    const { endpoints, dialog, configure } = gate({ answer: true });
    assert.deepEqual(await endpoints.change('https://proxy.example'), { ok: true, url: 'https://proxy.example' });
    assert.equal(dialog.asked.length, 1);
    assert.match(dialog.asked[0]!.message, /proxy\.example/);
    assert.equal(dialog.asked[0]!.confirmLabel, 'Use proxy.example');
    configure('https://proxy.example');
    assert.deepEqual(await endpoints.change('https://proxy.example/v2'), { ok: true, url: 'https://proxy.example/v2' });
    assert.equal(dialog.asked.length, 1, 'the same host is not asked about twice');
    const clear = await endpoints.change('http://192.0.2.2:9');
    assert.equal(clear.ok, false);
    assert.equal(dialog.asked.length, 1);
    assert.deepEqual(await endpoints.change(undefined), { ok: true, url: undefined }, 'Google’s needs no question');
    assert.deepEqual(await endpoints.change('https://generativelanguage.googleapis.com'), {
      ok: true,
      url: 'https://generativelanguage.googleapis.com',
    });
    assert.equal(dialog.asked.length, 1);
  });

  it('refuses a change the user does not confirm, and says why', async () => {
    const { endpoints, dialog } = gate({ answer: false });
    assert.deepEqual(await endpoints.change('wss://attacker.example'), {
      ok: false,
      problem: 'you did not confirm that attacker.example may have your API key.',
    });
    assert.equal(dialog.asked.length, 1);
    const failing = gate({ answer: () => Promise.reject(new Error('no display')) });
    assert.equal((await failing.endpoints.change('https://proxy.example')).ok, false, 'a dialog that fails is a no');
  });

  it('saves a ws:// endpoint in the form that works, and says so while it is the one saved', async () => {
    const { endpoints, configure } = gate({});
    const change = await endpoints.change('ws://127.0.0.1:9');
    assert.deepEqual(change, { ok: true, url: 'http://127.0.0.1:9' });
    configure('http://127.0.0.1:9');
    assert.match(endpoints.choice().rewrite ?? '', /ws:\/\/127\.0\.0\.1:9 is used as http:\/\/127\.0\.0\.1:9/);
    configure(undefined);
    assert.equal(endpoints.choice().rewrite, undefined);
  });
});
