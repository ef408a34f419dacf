import { spawn } from 'node:child_process';
import { isAbsolute } from 'node:path';

/** Runs a command with inherited output; resolves with its exit code. */
export function run(command, args, options = {}) {
  // On Windows npm's commands (electron-vite, electron-builder) are .cmd files, which only a shell runs.
  const shell = process.platform === 'win32' && !isAbsolute(command);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', shell, ...options });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** The scripts need the Node that npm put first on PATH (node_modules/.bin/node, see README). */
export function assertModernNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return;
  console.error(
    `Parley needs Node >= 22.12, but this is ${process.version}. Run the scripts through npm ` +
      '(npm test, npm start, …): npm installs a suitable Node into node_modules and uses it.',
  );
  process.exit(1);
}
