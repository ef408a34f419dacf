/**
 * Starts uiohook for a moment and exits 0. Run in a child process by the
 * key-hook probe: where uiohook cannot run (no display, no RECORD extension)
 * it aborts its process, and that must not be Parley's main process.
 * Built as its own entry (out/main/key-hook-trial.js).
 */
import { uIOhook } from 'uiohook-napi';

uIOhook.start();
setTimeout(() => {
  uIOhook.stop();
  process.exit(0);
}, 150);
