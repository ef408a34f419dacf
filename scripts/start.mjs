// `npm start`: builds Parley and launches it in Electron, or explains why it cannot.
import { assertModernNode, run } from './lib.mjs';
import { electronBinary, missingElectronHelp } from './electron-binary.mjs';

assertModernNode();
if ((await run('electron-vite', ['build'])) !== 0) process.exit(1);
if (!(await electronBinary())) {
  console.error(`\n${missingElectronHelp}`);
  process.exit(1);
}
process.exit(await run('electron-vite', ['preview']));
