// `npm run lint:electron`: Electronegativity over the app sources. Fails on any
// finding above LOW, and on any file it cannot parse (a file it skipped is a file
// it did not check). Justify a finding inline, on the line it points at:
//   const win = /* eng-disable AUXCLICK_JS_CHECK */ new BrowserWindow({
// Findings with no file (global checks such as "no CSP found") have no such line:
// an `eng-disable <ID>` comment anywhere in the scanned sources justifies them.
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');
const dirs =
  process.argv.length > 2
    ? process.argv.slice(2).map((d) => resolve(d))
    : ['electron', 'renderer', 'shared'].map((d) => join(root, d));

// It fetches translations (and Electron's release notes) at run time; lint stays
// offline and deterministic if every request is answered "not found".
const electronegativity = require.resolve('@doyensec/electronegativity');
const got = createRequire(electronegativity).resolve('got');
const notFound = async () => ({ statusCode: 404, headers: {}, body: '' });
require.cache[got] = { id: got, filename: got, loaded: true, exports: Object.assign(notFound, { head: notFound }) };
const scan = require(electronegativity);

// It scans one directory: link ours into one, so global checks (CSP, navigation,
// permissions) see all of them together, and nothing else (out/, test/, coverage/).
const stage = mkdtempSync(join(tmpdir(), 'parley-eneg-'));
let result;
try {
  for (const dir of dirs) symlinkSync(dir, join(stage, basename(dir)), 'junction');
  result = await scan({
    input: stage,
    isRelative: true,
    // Its defaults (sandbox, contextIsolation, …) depend on the Electron version.
    electronVersionOverride: require('electron/package.json').version,
    // Needs the network; Electron updates are the dependency bot's job.
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    customScan: [],
    parserPlugins: [],
  });
} finally {
  rmSync(stage, { recursive: true, force: true });
}

const justifiedAnywhere = new Set(
  dirs
    .flatMap((dir) => readdirSync(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .flatMap((entry) => [
      ...readFileSync(join(entry.parentPath, entry.name), 'utf8').matchAll(
        /(?:\/\/|\/\*|<!--)[ \t]*eng-disable[ \t]+([\w \t]+)/g,
      ),
    ])
    .flatMap((match) => match[1].trim().split(/[ \t]+/)),
);
// The runner already dropped findings disabled on their own line.
const failures = result.issues.filter(
  (issue) =>
    !['INFORMATIONAL', 'LOW'].includes(issue.severity.name) &&
    !(issue.file === 'N/A' && justifiedAnywhere.has(issue.id)),
);

for (const { file, message } of result.errors) console.error(`${relative(stage, file)}: cannot parse: ${message}`);
for (const issue of failures) {
  const where = issue.file === 'N/A' ? '(global)' : `${issue.file}:${issue.location.line}:${issue.location.column}`;
  console.error(`${where}  ${issue.severity.name}/${issue.confidence.name}  ${issue.id}`);
  console.error(`  ${issue.description}${issue.manualReview ? ' (review required)' : ''}`);
  console.error(`  https://github.com/doyensec/electronegativity/wiki/${issue.id}`);
}
const checks = result.globalChecks + result.atomicChecks;
if (failures.length > 0 || result.errors.length > 0) {
  console.error(`electronegativity: ${failures.length} finding(s) above LOW, ${result.errors.length} unparsed file(s)`);
  process.exit(1);
}
console.log(`electronegativity: ${checks} checks, no findings above LOW`);
