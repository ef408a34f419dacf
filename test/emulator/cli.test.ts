import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { tone } from '../support/audio';
import { connectError, connectLive, isTurnComplete, sendTurn, transcript } from './live-probe';

const CLI = join(import.meta.dirname, 'cli.ts');

interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  firstLine: string;
}

async function startCli(args: string[]): Promise<RunningCli> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args]);
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout });
  reader.on('line', (line) => lines.push(line));
  const [firstLine] = (await once(reader, 'line')) as [string];
  return { child, lines, firstLine };
}

async function stop(cli: RunningCli, signal: NodeJS.Signals): Promise<number | null> {
  const exited = once(cli.child, 'exit');
  cli.child.kill(signal);
  const [code] = (await exited) as [number | null];
  return code;
}

describe('npm run emulator', () => {
  it('prints the URL first, takes --api-key and --scenario, and exits cleanly on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
    const scenario = join(dir, 'scenario.json');
    await writeFile(scenario, JSON.stringify({ turns: [{ reply: { text: 'from the file' } }] }));
    const cli = await startCli([
      '--port',
      '0',
      '--api-key',
      'k1',
      '--api-key',
      'k2',
      '--scenario',
      scenario,
      '--pacing',
      'fast',
    ]);
    try {
      const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(cli.firstLine);
      assert.ok(match, cli.firstLine);
      const url = match[1]!;
      assert.match((await connectError(url, { apiKey: 'test-key' })).message, /code 1007/);
      const probe = await connectLive(url, { apiKey: 'k2' });
      sendTurn(probe.session, tone(16_000, 300, 200));
      await probe.next(isTurnComplete);
      assert.equal(transcript(probe.messages, 'outputTranscription'), 'from the file');
      probe.session.close();
      assert.equal(await stop(cli, 'SIGTERM'), 0);
      assert.ok(cli.lines.some((line) => line.startsWith('connection 1: gemini-3.8-live on v1beta')));
    } finally {
      cli.child.kill();
      await rm(dir, { recursive: true });
    }
  });

  it('exits cleanly on SIGINT while a client is connected', async () => {
    const cli = await startCli([]);
    const url = cli.firstLine.replace('listening on ', '');
    const probe = await connectLive(url);
    assert.equal(await stop(cli, 'SIGINT'), 0);
    assert.equal((await probe.closed).code, 1006);
  });

  it('refuses a bad option with a usage message', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', 'x']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 2);
    assert.match(stderr, /--port must be 0\.\.65535/);
  });
});
