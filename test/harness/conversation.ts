import type { Page } from 'playwright-core';
import type { SettingsChanges } from '../../electron/main/settings/profiles';
import type { SessionTuning } from '../../electron/main/session/session-tuning';
import { hotkeyBinding } from '../../shared/hotkey-status';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/server';
import { synthesizeSpeech, type SpeechClip } from '../support/speech';
import type { TestScreen } from './display-media';
import { Harness } from './harness';
import { startXvfb, xdotool } from './xvfb';

/** One X server per test process: uiohook stays connected to it until the process ends. */
let sharedDisplay: Promise<string> | undefined;
export function sharedXDisplay(): Promise<string> {
  sharedDisplay ??= startXvfb().then((x) => {
    // uiohook opens the display named in this process's environment.
    process.env.DISPLAY = x.display;
    return x.display;
  });
  return sharedDisplay;
}

export interface ConversationOptions {
  speech?: string;
  settings?: SettingsChanges;
  emulator?: EmulatorOptions;
  /** Leave the key out of the environment. */
  noApiKey?: boolean;
  microphonePermission?: 'granted' | 'denied';
  secretBackend?: string;
  /** The API key Parley has (the emulator accepts any unless told otherwise). */
  apiKey?: string;
  tuning?: Partial<SessionTuning>;
  /** Start on what an earlier run left (see HarnessOptions.userDataDir). */
  userDataDir?: string;
  /** The screens a capture can show (see HarnessOptions.screens). */
  screens?: TestScreen[];
}

/**
 * The whole push-to-talk loop under test: the emulator, an X display for
 * real key events, espeak-ng speech as Chromium's microphone, and Parley in
 * the harness pointed at the emulator. Audio processing and cues are off, so
 * what reaches the wire can be compared with the speech file.
 */
export class Conversation {
  private constructor(
    readonly harness: Harness,
    readonly emulator: Emulator,
    readonly display: string,
    readonly speech: SpeechClip,
    readonly audioPage: Page,
  ) {}

  static async start(options: ConversationOptions = {}): Promise<Conversation> {
    const [x, speech, emulator] = await Promise.all([
      sharedXDisplay(),
      synthesizeSpeech(options.speech ?? 'Parley listens while the key is held, and answers when it is let go.'),
      startEmulator({ pacing: { mode: 'realtime' }, ...options.emulator }),
    ]);
    const harness = await Harness.start({
      env: {
        DISPLAY: x,
        PARLEY_LIVE_URL: emulator.url,
        ...(options.noApiKey ? {} : { GEMINI_API_KEY: options.apiKey ?? 'test-key' }),
      },
      userDataDir: options.userDataDir,
      screens: options.screens,
      microphoneWav: speech.path,
      microphonePermission: options.microphonePermission,
      secretBackend: options.secretBackend,
      tuning: options.tuning,
      settings: {
        capture: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
        cues: false,
        ...options.settings,
      },
    }).catch(async (error: unknown) => {
      // Parley did not start: nothing is left running, so the test fails instead of hanging.
      await emulator.close();
      throw error;
    });
    const status = await harness.app.hotkeyReady;
    const talk = hotkeyBinding(status, false);
    if (!status.keyReleases || talk?.problem)
      throw new Error(`the key hook did not start: ${(status.problem ?? talk?.problem)?.reason}`);
    return new Conversation(harness, emulator, x, speech, await harness.page('audio'));
  }

  /** The default hotkey, pressed and released by the X server as a keyboard would. */
  async keyDown(keys = 'ctrl+shift+space'): Promise<void> {
    await xdotool(this.display, 'keydown', keys);
  }

  async keyUp(keys = 'ctrl+shift+space'): Promise<void> {
    await xdotool(this.display, 'keyup', keys);
  }

  /** A short tap, pressed and released in one go: two separate calls can be far apart on a busy machine. */
  async tap(keys = 'ctrl+shift+space'): Promise<void> {
    await xdotool(this.display, 'keydown', keys, 'keyup', keys);
  }

  async close(): Promise<void> {
    await this.harness.close();
    await this.emulator.close();
  }
}
