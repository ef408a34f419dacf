/**
 * The hidden, never-throttled audio renderer. Capture and playback live here
 * (issue 3/6) so audio keeps working while every visible window is closed.
 * For now it only announces its state, so a broken preload shows in the log.
 */
import { parley, unwrap } from '../lib/parley';

void unwrap(parley.getSessionStatus()).then(
  (status) => console.info(`[audio] renderer ready, session ${status.state}`),
  (error: unknown) => console.error(`[audio] cannot reach main: ${String(error)}`),
);
