// `npm run bench [-- --quick]`: builds the app, then runs the benchmark (bench/run.ts).
import { assertModernNode, run } from './lib.mjs';

assertModernNode();
if ((await run('electron-vite', ['build', '--logLevel', 'warn'])) !== 0) process.exit(1);
process.exit(await run(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...process.argv.slice(2)]));
