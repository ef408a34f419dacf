import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Coverage builds keep source maps so V8 coverage can be mapped back to sources.
const sourcemap = process.env.PARLEY_SOURCEMAPS === '1';

export default defineConfig({
  main: {
    build: {
      sourcemap,
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          // Run in a child process by the key-hook probe (see key-hook-probe.ts).
          'key-hook-trial': resolve('electron/main/hotkey/key-hook-trial.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      sourcemap,
      // Sandboxed preloads can only be CommonJS, and may require nothing but 'electron'.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
    build: {
      sourcemap,
      minify: true,
      rollupOptions: {
        input: {
          audio: resolve('renderer/audio.html'),
          transcript: resolve('renderer/transcript.html'),
          settings: resolve('renderer/settings.html'),
        },
      },
    },
  },
});
