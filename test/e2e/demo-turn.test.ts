import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { it } from 'node:test';
import { promisify } from 'node:util';
import { projectRoot } from '../harness/paths';
import { synthesizeSpeech } from '../support/speech';

const run = promisify(execFile);

it('npm run demo:turn runs real turns against the emulator and reports them as JSON', async () => {
  const speech = await synthesizeSpeech('A newcomer watches the whole loop work.');
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'test/demo/demo-turn.ts', '--wav', speech.path, '--hold-ms', '1200', '--turns', '2', '--json'],
    { cwd: projectRoot, env: { ...process.env, PARLEY_LIVE_URL: '', GEMINI_API_KEY: '' }, timeout: 90_000 },
  );
  const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  assert.equal(summary.ok, true, String(summary.error));
  assert.equal(summary.turns, 2);
  assert.equal(summary.activityStartBeforeFirstFrame, true);
  assert.equal(summary.activityEndAfterLastFrame, true);
  assert.ok((summary.frameBytes as number[]).includes(640));
  assert.ok((summary.framesCaptured as number) > 0);
  assert.equal(summary.capturedFramesSent, true, 'every captured frame went on the wire, in order');
  // What the microphone file said, across the skips Chromium's fake microphone makes on a busy machine.
  assert.ok((summary.inputCorrelation as number) >= 0.8, `input correlation ${String(summary.inputCorrelation)}`);
  assert.ok((summary.replyChunks as number) > 0 && (summary.replyAudibleRms as number) > 0.02);
  assert.match(summary.replyText as string, /heard .* \| heard/);
  assert.equal(summary.error, null);
});
