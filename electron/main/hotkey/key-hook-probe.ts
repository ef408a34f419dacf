import { spawn } from 'node:child_process';
import { childEnvironment } from '../security/child-environment';

export type KeyHookAvailability = { available: true } | { available: false; reason: string; fix: string };

export interface ProbeEnvironment {
  platform: string;
  env: Readonly<Record<string, string | undefined>>;
  /** macOS only: whether the user granted Parley Accessibility access (Electron's systemPreferences). */
  accessibilityTrusted?: () => boolean;
  /** Runs out/main/key-hook-trial.js in a child process, given the environment it is to have. */
  runTrial: KeyHookTrial;
}

/** How a trial process ended, and what it printed. */
export interface TrialOutcome {
  code: number | null;
  output: string;
}

export type KeyHookTrial = (env: Readonly<Record<string, string | undefined>>) => Promise<TrialOutcome>;

/** Long enough for a slow first start, short enough that a hung hook does not hold up the app. */
export const trialTimeoutMs = 5000;

/**
 * Finds out whether uiohook can deliver key-up events here *without* calling
 * its `start()` in this process: where it cannot (no display, no XRecord) it
 * aborts the whole process, so the real trial runs in a child.
 */
export async function probeKeyHook(environment: ProbeEnvironment): Promise<KeyHookAvailability> {
  const { platform, env } = environment;
  if (platform === 'darwin' && environment.accessibilityTrusted && !environment.accessibilityTrusted()) {
    return {
      available: false,
      reason: 'macOS has not given Parley Accessibility access, which it needs to see the hotkey being released.',
      fix: 'Open System Settings → Privacy & Security → Accessibility, turn Parley on, then restart Parley.',
    };
  }
  if (platform === 'linux' && !env.DISPLAY) {
    return env.WAYLAND_DISPLAY
      ? {
          available: false,
          reason: 'This Wayland session has no XWayland display, so Parley cannot see key releases.',
          fix: 'Enable XWayland (most desktops have it on by default) or log in to an X11 session.',
        }
      : {
          available: false,
          reason: 'There is no X display (DISPLAY is not set), so Parley cannot see key releases.',
          fix: 'Start Parley from your desktop session, where DISPLAY is set.',
        };
  }
  return trialStart(environment);
}

async function trialStart({ runTrial, env, platform }: ProbeEnvironment): Promise<KeyHookAvailability> {
  // The display and little else: the child never sees the API key (security/child-environment.ts).
  const outcome = await runTrial(childEnvironment(env, platform));
  if (outcome.code === 0) return { available: true };
  return explainFailure(outcome.output);
}

/**
 * The trial as a Node child process (tests, and Node itself). The packaged
 * app cannot use this: with the RunAsNode fuse off, its executable ignores
 * ELECTRON_RUN_AS_NODE, so the shell runs the trial as a utility process.
 */
export function nodeTrial(execPath: string, trialScript: string): KeyHookTrial {
  return (env) =>
    new Promise((resolve) => {
      const child = spawn(execPath, [trialScript], {
        env: env as NodeJS.ProcessEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: trialTimeoutMs,
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', (error) => resolve({ code: -1, output: String(error) }));
      child.on('close', (code) => resolve({ code, output }));
    });
}

function explainFailure(output: string): KeyHookAvailability {
  if (/record/i.test(output)) {
    return {
      available: false,
      reason: 'The X server lacks the RECORD extension, so Parley cannot see key releases.',
      fix: 'Enable the RECORD extension in your X server (it is on by default in Xorg and XWayland).',
    };
  }
  const detail = output.trim().split('\n').pop() ?? 'no output';
  return {
    available: false,
    reason: `The global key hook could not start (${detail.slice(0, 200)}).`,
    fix: 'Check that Parley runs in a graphical session with access to the keyboard.',
  };
}
