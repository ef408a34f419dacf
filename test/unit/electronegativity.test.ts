import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../harness/paths';

/** `npm run lint:electron` on the given source folders. */
function lintElectron(...dirs: string[]) {
  return spawnSync(process.execPath, [join(projectRoot, 'scripts/electronegativity.mjs'), ...dirs], {
    encoding: 'utf8',
  });
}

function sources(files: Record<string, string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'parley-eneg-')), 'electron');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('Electronegativity in lint', () => {
  it('passes on Parley, whose findings are each justified inline', () => {
    const run = lintElectron();
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /no findings above LOW/);
  });

  it('fails on a window with Node in the renderer and no isolation, naming the checks', () => {
    const run = lintElectron(
      sources({
        'window.ts': `import { BrowserWindow } from 'electron';
export const open = (): BrowserWindow =>
  new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });
`,
      }),
    );
    assert.equal(run.status, 1);
    assert.match(run.stderr, /window\.ts:3:\d+ +HIGH\/\w+ +CONTEXT_ISOLATION_JS_CHECK/);
    assert.match(run.stderr, /SANDBOX_JS_CHECK/);
  });

  it('fails on a file it cannot read, since a skipped file is an unchecked one', () => {
    const run = lintElectron(sources({ 'broken.ts': 'export const = ;' }));
    assert.equal(run.status, 1);
    assert.match(run.stderr, /broken\.ts: cannot parse/);
  });
});
