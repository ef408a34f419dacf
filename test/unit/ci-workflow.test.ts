/**
 * The CI workflow cannot run here (it needs GitHub's machines and the Electron download), so what
 * can be checked of it is checked: it parses, names only npm scripts that exist, and runs the real
 * Electron app and its installers on each platform. Prettier (`npm run lint`) checks its format.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../harness/paths';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  container?: string;
  strategy?: { matrix: { os: string[] } };
  steps: Step[];
}

// js-yaml, from where electron-builder (which reads electron-builder.yml with it) loads it.
const builderRequire = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const yaml = createRequire(builderRequire.resolve('app-builder-lib'))('js-yaml') as { load(text: string): unknown };

const workflow = yaml.load(readFileSync(join(projectRoot, '.github/workflows/ci.yml'), 'utf8')) as {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
};
const scripts = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: object }).scripts;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const runs = (job: Job) => job.steps.flatMap((step) => (step.run ? [step.run] : []));

describe('the CI workflow', () => {
  it('runs on every push and pull request, with actions pinned to a release', () => {
    assert.deepEqual(Object.keys(workflow.on).sort(), ['pull_request', 'push']);
    for (const step of steps.filter((s) => s.uses)) assert.match(step.uses!, /^[\w-]+\/[\w-]+@v\d+$/);
  });

  it('names only npm scripts that exist', () => {
    const named = steps.flatMap((step) => [...(step.run ?? '').matchAll(/npm run (\S+)/g)].map((m) => m[1]!));
    assert.ok(named.length > 0);
    for (const script of named) assert.ok(script in scripts, `npm run ${script}`);
  });

  it('runs the workplace checks on Debian', () => {
    const checks = workflow.jobs.checks!;
    assert.match(checks.container ?? '', /^debian:/);
    assert.ok(runs(checks).includes('.ci/run'));
  });

  it('installs the real Electron, builds the installers and then tests the app, on Linux under Xvfb, macOS and Windows', () => {
    const electron = workflow.jobs.electron!;
    const systems = electron.strategy!.matrix.os.map((os) => os.split('-')[0]);
    assert.deepEqual(systems.sort(), ['macos', 'ubuntu', 'windows']);
    const commands = runs(electron).join('\n');
    assert.doesNotMatch(JSON.stringify(electron), /ELECTRON_SKIP_BINARY_DOWNLOAD/, 'Electron is downloaded');
    assert.match(commands, /^npm ci\b/m);
    assert.ok(
      commands.indexOf('npm run dist') < commands.indexOf('npm run test:electron'),
      'packaged checks need dist/',
    );
    const linux = electron.steps.find(
      (step) => step.if === "runner.os == 'Linux'" && /test:electron/.test(step.run ?? ''),
    );
    assert.match(linux?.run ?? '', /^xvfb-run .*npm run test:electron$/);
    const upload = electron.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    assert.ok(upload, 'the installers are uploaded');
  });
});
