import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
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

  it('lets a global check be justified only in the file named for it, with a reason', () => {
    const window = `import { BrowserWindow } from 'electron';
export const open = (): BrowserWindow =>
  new BrowserWindow({ webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } });
`;
    const noCsp = /\(global\) +MEDIUM\/\w+ +CSP_GLOBAL_CHECK/;
    const stray = lintElectron(
      sources({ 'window.ts': window, 'other.ts': '// eng-disable CSP_GLOBAL_CHECK -- said in passing\n' }),
    );
    assert.match(stray.stderr, noCsp, 'a comment in another file silences nothing');
    const unexplained = lintElectron(
      sources({ 'window.ts': window, 'main/security/renderer-files.ts': '// eng-disable CSP_GLOBAL_CHECK\n' }),
    );
    assert.match(unexplained.stderr, noCsp, 'nor one without a reason');
    const answered = lintElectron(
      sources({
        'window.ts': window,
        'main/security/renderer-files.ts': '// eng-disable CSP_GLOBAL_CHECK -- the CSP is a response header here\n',
      }),
    );
    assert.doesNotMatch(answered.stderr, noCsp, 'the file that answers the check may justify it');
    assert.match(answered.stderr, /LIMIT_NAVIGATION_GLOBAL_CHECK/, 'and only that check');
  });

  it('fails on a file it cannot read, since a skipped file is an unchecked one', () => {
    const run = lintElectron(sources({ 'broken.ts': 'export const = ;' }));
    assert.equal(run.status, 1);
    assert.match(run.stderr, /broken\.ts: cannot parse/);
  });
});
