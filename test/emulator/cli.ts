// `npm run emulator -- [--port N] [--api-key K]... [--scenario FILE] [--pacing MODE]`
// The first stdout line is "listening on http://127.0.0.1:PORT"; connection
// events follow. SIGINT or SIGTERM stops it.
import { parseArgs } from 'node:util';
import type { PacingMode } from './pacing';
import { startEmulator } from './server';

const PACING_MODES: readonly string[] = ['realtime', 'fast', 'jittered', 'bursty'] satisfies PacingMode[];

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'api-key': { type: 'string', multiple: true },
    scenario: { type: 'string' },
    pacing: { type: 'string', default: 'realtime' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`--port must be 0..65535, not "${values.port}"`);
if (!PACING_MODES.includes(values.pacing)) usage(`--pacing must be one of ${PACING_MODES.join(', ')}`);

const emulator = await startEmulator({
  port,
  apiKeys: values['api-key'] ?? ['test-key'],
  scenario: values.scenario,
  pacing: { mode: values.pacing as PacingMode },
  log: (line) => console.log(line),
});
console.log(`listening on ${emulator.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}

function usage(problem: string): never {
  console.error(`emulator: ${problem}`);
  console.error('usage: npm run emulator -- [--port N] [--api-key K]... [--scenario FILE] [--pacing MODE]');
  process.exit(2);
}
