// `npm run dist`: builds Parley and its installers for this platform into dist/
// (electron-builder.yml), or explains why it cannot. Arguments after `--` go to
// electron-builder, e.g. `npm run dist -- --linux deb`.
import { assertModernNode, run } from './lib.mjs';
import { electronBinary } from './electron-binary.mjs';

const missingElectronHelp = `The Electron binary is not installed, so Parley's installers cannot be built here.
Every installer carries a copy of Electron: electron-builder takes it from the
download cache that npm's electron package fills, and fetches its packaging tools
(AppImage, fpm for deb, NSIS) from GitHub. The Electron download failed or was
skipped (ELECTRON_SKIP_BINARY_DOWNLOAD, no internet access, or a proxy). On a
machine with internet access, run "npx install-electron" (or delete
node_modules/electron and run "npm install"), then "npm run dist" again.`;

assertModernNode();
// Checked first: without Electron there is nothing to package, so no build is wasted.
if (!(await electronBinary())) {
  console.error(`\n${missingElectronHelp}`);
  process.exit(1);
}
if ((await run('electron-vite', ['build'])) !== 0) process.exit(1);
// `--publish never`: electron-builder would otherwise try to upload from CI on a tag.
process.exit(await run('electron-builder', ['--publish', 'never', ...process.argv.slice(2)]));
