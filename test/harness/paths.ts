import { resolve } from 'node:path';

export const projectRoot = resolve(import.meta.dirname, '../..');
export const builtRenderer = resolve(projectRoot, 'out/renderer');
export const builtPreload = resolve(projectRoot, 'out/preload/index.cjs');
export const builtKeyHookTrial = resolve(projectRoot, 'out/main/key-hook-trial.js');
export const chromiumPath = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';
