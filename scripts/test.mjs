// `npm test`: builds the app, then runs every suite (unit, emulator, harness
// end-to-end) in Node's test runner and ends with one "N passed, N failed" line.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertModernNode, run } from './lib.mjs';

assertModernNode();
const suites = ['test/unit/**/*.test.ts', 'test/emulator/**/*.test.ts', 'test/e2e/**/*.test.ts'];
const skipBuild = process.argv.includes('--no-build');
const requested = process.argv.slice(2).filter((arg) => arg !== '--no-build');

if (!skipBuild && (await run('electron-vite', ['build', '--logLevel', 'warn'])) !== 0) process.exit(1);

const tap = join(mkdtempSync(join(tmpdir(), 'parley-tap-')), 'results.tap');
const code = await run(process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${tap}`,
  ...(requested.length > 0 ? requested : suites),
]);

const count = (label) => Number(readFileSync(tap, 'utf8').match(new RegExp(`^# ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
const failed = count('fail') + count('cancelled');
console.log(`\n${count('pass')} passed, ${failed} failed`);
process.exit(code !== 0 || failed > 0 ? 1 : 0);
