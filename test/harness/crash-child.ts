/**
 * Parley in the harness, in a process of its own so a test can kill it
 * (SIGKILL) mid-turn, as a crash or a power cut would (see
 * test/e2e/crash-safety.test.ts).
 *
 *   node --import tsx test/harness/crash-child.ts USER_DATA_DIR LIVE_URL MESSAGE...
 *
 * Types each message in the transcript window once the previous reply is done
 * and prints one JSON line per event on stdout: `{"started":true}`, then
 * `{"entry":…,"at":…}` for every transcript entry main published (`at`: epoch
 * ms when it did), `{"replied":n}` after each whole reply. It then waits to be
 * killed.
 */
import { eventChannels } from '../../shared/ipc/channels';
import type { TranscriptEntry } from '../../shared/types';
import { Harness } from './harness';

const [userDataDir, liveUrl, ...messages] = process.argv.slice(2);
if (!userDataDir || !liveUrl) throw new Error('usage: crash-child.ts USER_DATA_DIR LIVE_URL MESSAGE...');

const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const harness = await Harness.start({
  userDataDir,
  env: { PARLEY_LIVE_URL: liveUrl, GEMINI_API_KEY: 'test-key' },
  settings: { cues: false },
});
const page = await harness.page('transcript');
say({ started: true });

// Every entry main publishes is recorded in the IPC log as it is sent to the window.
let reported = 0;
setInterval(() => {
  const log = harness.ipc.log;
  for (; reported < log.length; reported++) {
    const record = log[reported]!;
    if (record.direction === 'event' && record.channel === eventChannels.transcriptEntry) {
      say({ entry: record.payload as TranscriptEntry, at: record.at });
    }
  }
}, 10);

/** Every reply done and heard to the end. */
const repliedTo = (count: number) =>
  harness.app.status.current.state === 'idle' &&
  harness.app.transcript.all().filter((entry) => entry.role === 'model' && entry.state === 'done').length >= count;
for (const [index, message] of messages.entries()) {
  await page.getByLabel('Message').fill(message);
  await page.getByRole('button', { name: 'Send' }).click();
  if (index === messages.length - 1) break;
  while (!repliedTo(index + 1)) await new Promise((resolve) => setTimeout(resolve, 20));
  say({ replied: index + 1 });
}
