// `npm run coverage`: line coverage of the shipped code, per folder. Main-side
// code is measured by Node's V8 coverage; renderer and preload by Chromium's,
// collected by the test harness; c8 maps both back to sources.
import { readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { assertModernNode, run } from './lib.mjs';

assertModernNode();
const root = join(import.meta.dirname, '..');
const rawDir = join(root, 'coverage', 'raw');
rmSync(join(root, 'coverage'), { recursive: true, force: true });

const env = { ...process.env, PARLEY_SOURCEMAPS: '1', PARLEY_RENDERER_COVERAGE_DIR: rawDir };
if ((await run('electron-vite', ['build', '--logLevel', 'warn'], { env })) !== 0) process.exit(1);
const testCode = await run(
  'c8',
  ['--temp-directory', rawDir, '--reporter', 'none', process.execPath, 'scripts/test.mjs', '--no-build'],
  { env },
);
const reportCode = await run(
  'c8',
  [
    'report',
    '--temp-directory',
    rawDir,
    '--reports-dir',
    join(root, 'coverage'),
    '--reporter',
    'json-summary',
    '--reporter',
    'html',
    '--exclude-after-remap',
    // Files no test loads still count, at 0 %.
    '--all',
    ...['.ts', '.svelte', '.js', '.mjs', '.cjs'].flatMap((extension) => ['--extension', extension]),
    ...['electron/**', 'renderer/**', 'shared/**'].flatMap((glob) => ['--include', glob]),
    // Type-only modules compile to nothing.
    ...['**/*.d.ts', 'electron/main/ports.ts'].flatMap((glob) => ['--exclude', glob]),
  ],
  { env },
);

const summary = JSON.parse(readFileSync(join(root, 'coverage', 'coverage-summary.json'), 'utf8'));
const folders = new Map();
for (const [file, { lines }] of Object.entries(summary)) {
  if (file === 'total') continue;
  const folder = folderOf(relative(root, file));
  const sum = folders.get(folder) ?? { covered: 0, total: 0 };
  folders.set(folder, { covered: sum.covered + lines.covered, total: sum.total + lines.total });
}
console.log('\nLine coverage of shipped code (HTML report: coverage/index.html)');
for (const [folder, { covered, total }] of [...folders].sort()) {
  console.log(`  ${folder.padEnd(26)} ${((100 * covered) / total).toFixed(1).padStart(5)} %  (${covered}/${total})`);
}
console.log(`  ${'all'.padEnd(26)} ${summary.total.lines.pct.toFixed(1).padStart(5)} %`);
process.exit(testCode || reportCode);

/** Groups per folder; the Electron shell stands apart because only the Electron binary can run it. */
function folderOf(path) {
  if (path === 'electron/main/index.ts' || path.startsWith('electron/main/shell/')) return 'electron/main (shell)';
  return path.split('/').slice(0, 2).join('/');
}
