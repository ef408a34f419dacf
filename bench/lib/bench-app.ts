import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { hotkeyBinding } from '../../shared/hotkey-status';
import type { ConnectionState } from '../../shared/types';
import type { RecordedFrame } from '../../test/emulator/recorder';
import type { ScenarioInput } from '../../test/emulator/scenario';
import { startEmulator, type Emulator } from '../../test/emulator/server';
import { sharedXDisplay } from '../../test/harness/conversation';
import { Harness } from '../../test/harness/harness';
import { synthesizeSpeech } from '../../test/support/speech';
import { wallClock } from './clock';
import { audioPageQuery, type Variant } from './pipelines';
import { probeInstrumentation } from './probe';

export interface BenchAppOptions {
  variant: Variant;
  /**
   * An emulator running elsewhere, so its work does not count as main's
   * (resource figures); by default one in this process, whose frames are the
   * wire's clock points.
   */
  emulatorUrl?: string;
  /** The probes of probe.ts; off where their own cost would be measured. */
  probe?: boolean;
}

export type TurnScript = NonNullable<ScenarioInput['turns']>[number];

/**
 * Parley in the harness as the bench drives it: the hotkey pressed with real
 * key events, speech from Chromium's fake microphone (looped), the reply
 * heard at the master gain. Cues are off, so what the probe hears at the
 * master gain is the reply alone; everything else is as a user has it.
 */
export class BenchApp {
  private constructor(
    readonly harness: Harness,
    readonly emulator: Emulator | undefined,
    readonly display: string,
    readonly audioPage: Page,
  ) {}

  static async start(options: BenchAppOptions): Promise<BenchApp> {
    const [display, speech, emulator] = await Promise.all([
      sharedXDisplay(),
      synthesizeSpeech('Parley listens while the key is held, and answers as soon as it is let go.'),
      options.emulatorUrl ? undefined : startEmulator({ pacing: { mode: 'realtime' } }),
    ]);
    const harness = await Harness.start({
      env: { DISPLAY: display, PARLEY_LIVE_URL: options.emulatorUrl ?? emulator!.url, GEMINI_API_KEY: 'test-key' },
      microphoneWav: speech.path,
      settings: { cues: false },
      pageQueries: { audio: audioPageQuery(options.variant) },
      outputTap: false,
      instrumentation: options.probe === false ? undefined : probeInstrumentation,
    });
    const status = await harness.app.hotkeyReady;
    const talk = hotkeyBinding(status, false);
    if (!status.keyReleases || talk?.problem)
      throw new Error(`the key hook did not start: ${(status.problem ?? talk?.problem)?.reason}`);
    return new BenchApp(harness, emulator, display, await harness.page('audio'));
  }

  /** Presses the hotkey; resolves with the wall-clock time xdotool was started. */
  keyDown(): Promise<number> {
    return this.xdotool('keydown');
  }

  keyUp(): Promise<number> {
    return this.xdotool('keyup');
  }

  get state(): ConnectionState {
    return this.harness.app.status.current.state;
  }

  untilState(state: ConnectionState, timeoutMs = 15_000, intervalMs = 2): Promise<void> {
    return until(() => this.state === state, timeoutMs, `state ${state} (is ${this.state})`, intervalMs);
  }

  /** The wire, as the emulator received and sent it. */
  frames(): RecordedFrame[] {
    return this.requireEmulator().frames();
  }

  waitForFrame(predicate: (frame: RecordedFrame) => boolean, timeoutMs = 10_000): Promise<RecordedFrame> {
    return this.requireEmulator().waitForFrame(predicate, timeoutMs);
  }

  /** Scripts the reply to the next user turn (turns count from the emulator's first: ended activities). */
  async scriptNextTurn(script: TurnScript): Promise<void> {
    const emulator = this.requireEmulator();
    const ended = emulator.frames({ direction: 'in' }).filter((frame) => frame.message?.realtimeInput?.activityEnd);
    const turns: TurnScript[] = Array.from({ length: ended.length }, () => ({}));
    await emulator.loadScenario({ turns: [...turns, script] });
  }

  async close(): Promise<void> {
    await this.harness.close();
    await this.emulator?.close();
  }

  private requireEmulator(): Emulator {
    if (!this.emulator) throw new Error('this bench app talks to an emulator in another process');
    return this.emulator;
  }

  /** Asynchronous, unlike the harness's: main's event loop stays free to take the key event as it comes. */
  private xdotool(action: 'keydown' | 'keyup'): Promise<number> {
    const startedAt = wallClock();
    return new Promise((resolve, reject) => {
      const child = spawn('xdotool', [action, 'ctrl+shift+space'], {
        env: { ...process.env, DISPLAY: this.display },
        stdio: 'ignore',
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(startedAt) : reject(new Error(`xdotool ${action}: ${code}`))));
    });
  }
}

/** Polls `condition` every `intervalMs`; rejects naming `what` after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs: number, what: string, intervalMs = 2): Promise<void> {
  const deadline = wallClock() + timeoutMs;
  while (!condition()) {
    if (wallClock() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}
