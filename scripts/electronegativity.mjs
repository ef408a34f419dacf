// `npm run lint:electron`: Electronegativity over the app sources. Fails on any
// finding above LOW, and on any file it cannot parse (a file it skipped is a file
// it did not check). Justify a finding inline, on the line it points at:
//   const win = /* eng-disable AUXCLICK_JS_CHECK */ new BrowserWindow({
// Findings with no file (global checks such as "no CSP found") have no such line:
// each one justified is listed in `globalJustifications` below with the one file
// that answers it, and that file says why in an `eng-disable <ID> -- reason` comment.
// A comment anywhere else justifies nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
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

/**
 * Global check → the file (as scanned: the source folder's name, then the path in it)
 * that answers it, and so must carry the `eng-disable <ID> -- reason` comment.
 */
const globalJustifications = {
  // The CSP is a response header of the app:// protocol, which Electronegativity does not see.
  CSP_GLOBAL_CHECK: 'electron/main/security/renderer-files.ts',
};

/** Whether the file named for a global check carries its justification, with a reason. */
function justifiedGlobally(id) {
  const file = globalJustifications[id];
  if (!file) return false;
  const [folder, ...rest] = file.split('/');
  const dir = dirs.find((candidate) => basename(candidate) === folder);
  if (!dir || !existsSync(join(dir, ...rest))) return false;
  const comment = new RegExp(`(?:\\/\\/|\\/\\*|<!--)[ \\t]*eng-disable[ \\t]+${id}[ \\t]+--[ \\t]*\\S`);
  return comment.test(readFileSync(join(dir, ...rest), 'utf8'));
}

// The runner already dropped findings disabled on their own line.
const failures = result.issues.filter(
  (issue) =>
    !['INFORMATIONAL', 'LOW'].includes(issue.severity.name) && !(issue.file === 'N/A' && justifiedGlobally(issue.id)),
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
