import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { createApp, type ParleyApp } from '../../electron/main/app';
import { nodeTrial, probeKeyHook } from '../../electron/main/hotkey/key-hook-probe';
import { startUiohook, type KeySourceListener } from '../../electron/main/hotkey/uiohook-source';
import type { SettingsChanges } from '../../electron/main/settings/profiles';
import { SettingsStore } from '../../electron/main/settings/settings-store';
import { defaultSessionTuning, type SessionTuning } from '../../electron/main/session/session-tuning';
import { confFile, confSettingsFile } from './settings-file';
import { TestSecretStore } from './test-secrets';
import type { WindowKind } from '../../shared/types';
import { launchChromium } from './chromium';
import { wallClock } from './output-tap';
import { CoverageCollector, coverageDirFromEnv } from './coverage';
import { TestDisplayMedia, type TestScreen } from './display-media';
import { PageWindowPort, type PageQueries, type PageWindow } from './page-windows';
import { builtKeyHookTrial, builtPreload, builtRenderer, projectRoot } from './paths';
import { startRendererServer, type RendererServer } from './renderer-server';

export interface Instrumentation {
  /** JavaScript served at these paths (e.g. an AudioWorklet module, which must come from the page's origin). */
  scripts: Record<string, string>;
  /** Runs in every page before the page's own scripts. */
  pageScript: string;
}
import {
  RecordingClipboard,
  RecordingDesktop,
  RecordingIpc,
  RecordingLog,
  RecordingSaveDialog,
  RecordingShortcuts,
  RecordingTray,
  ScriptedOpenDialog,
  TestAppPort,
} from './test-ports';

export interface KeyEvent {
  type: 'down' | 'up';
  code: number;
  /** Epoch ms (see wallClock). */
  at: number;
}

export interface HarnessOptions {
  env?: Record<string, string | undefined>;
  microphoneWav?: string;
  microphonePermission?: 'granted' | 'denied';
  settings?: SettingsChanges;
  /** Which safeStorage backend the "OS" offers; 'basic_text' is Linux without a keyring. */
  secretBackend?: string;
  /** Raw contents for the settings file, as a crash or a bad edit may leave it. */
  damagedSettingsFile?: string;
  /** Start on this user-data directory (what an earlier run left), and leave it there on close. */
  userDataDir?: string;
  /**
   * Where Chromium (standing in for Electron's own profile) keeps its files, left there on close;
   * by default `<userDataDir>/chromium`. Elsewhere when a test makes Parley's user-data folder read-only.
   */
  chromiumDir?: string;
  /** Shorter network patience, so fault scenarios run in seconds. */
  tuning?: Partial<SessionTuning>;
  /** Test instrumentation (the benchmark's probes): scripts served beside the renderer, and one run in every page first. */
  instrumentation?: Instrumentation;
  /** What each window's page URL gets appended, e.g. `{ audio: '?pipeline=…' }`. */
  pageQueries?: PageQueries;
  /** Whether pages get the output and capture taps (default true); off where their own cost would be measured. */
  outputTap?: boolean;
  /** Run as an installed build (AppPort.isPackaged), which asks before the key goes to a host the launch names. */
  packaged?: boolean;
  /** How the user answers the native dialogs asked while Parley starts (default: confirms). */
  confirmAnswer?: boolean;
  /** The screens a capture can show (default: one 1920×1080 screen, see defaultTestScreen). */
  screens?: TestScreen[];
}

/**
 * Parley with Electron replaced by Chromium pages: `createApp` in this Node
 * process, the built renderer served on 127.0.0.1, every window a page running
 * the real built preload, and a fresh user-data directory.
 */
export class Harness {
  private constructor(
    readonly app: ParleyApp,
    readonly ipc: RecordingIpc,
    readonly log: RecordingLog,
    readonly shortcuts: RecordingShortcuts,
    /** Global key events as main received them. */
    readonly keyEvents: KeyEvent[],
    readonly tray: RecordingTray,
    readonly appPort: TestAppPort,
    readonly windowPort: PageWindowPort,
    readonly userDataDir: string,
    readonly rendererOrigin: string,
    private readonly context: BrowserContext,
    private readonly server: RendererServer,
    private readonly coverage: CoverageCollector | undefined,
    /** What Parley copied to the clipboard. */
    readonly clipboard: RecordingClipboard,
    /** The save dialogs Parley opened, and the files saved through them. */
    readonly saveDialog: RecordingSaveDialog,
    /** The pages Parley opened in the browser, and the notifications it showed. */
    readonly desktop: RecordingDesktop,
    /** The open dialogs Parley showed; a test sets the file the user picks. */
    readonly openDialog: ScriptedOpenDialog,
    /** The screens and the display-media handler: what the pages' getDisplayMedia gets. */
    readonly displayMedia: TestDisplayMedia,
    private readonly ownsUserDataDir: boolean,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    assertBuilt();
    const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'parley-test-'));
    const displayMedia = new TestDisplayMedia(options.screens);
    const server = await startRendererServer(builtRenderer, options.instrumentation?.scripts, (path) =>
      displayMedia.servePicture(path),
    );
    const context = await launchChromium({
      userDataDir: options.chromiumDir ?? join(userDataDir, 'chromium'),
      microphoneWav: options.microphoneWav,
      microphonePermission: options.microphonePermission,
    });
    const coverageDir = coverageDirFromEnv();
    const coverage = coverageDir ? new CoverageCollector(coverageDir, server.origin) : undefined;
    const ipc = new RecordingIpc();
    const log = new RecordingLog();
    const tray = new RecordingTray();
    const appPort = new TestAppPort(packageVersion(), userDataDir, server.origin, options.packaged);
    appPort.confirmAnswer = options.confirmAnswer ?? appPort.confirmAnswer;
    if (options.instrumentation) await context.addInitScript(options.instrumentation.pageScript);
    const windowPort = new PageWindowPort(context, server.origin, ipc, coverage, {
      queries: options.pageQueries ?? {},
      outputTap: options.outputTap ?? true,
      displayMedia,
    });
    appPort.onTheme = (theme) => void windowPort.setTheme(theme);
    const shortcuts = new RecordingShortcuts();
    const env = options.env ?? {};
    const keyEvents: KeyEvent[] = [];
    const keyHook = {
      // The real probe and hook, on whatever display the test's environment names; every
      // key event is also logged with the wall-clock time it reached main.
      probe: () =>
        probeKeyHook({ platform: process.platform, env, runTrial: nodeTrial(process.execPath, builtKeyHookTrial) }),
      start: (listener: KeySourceListener) =>
        startUiohook({
          keyDown: (code, at) => (keyEvents.push({ type: 'down', code, at: wallClock() }), listener.keyDown(code, at)),
          keyUp: (code, at) => (keyEvents.push({ type: 'up', code, at: wallClock() }), listener.keyUp(code, at)),
        }),
    };
    // The settings a user left in an earlier session, in the real settings file.
    const settingsFile = confSettingsFile(userDataDir);
    if (options.damagedSettingsFile !== undefined) writeFileSync(settingsFile.path, options.damagedSettingsFile);
    if (options.settings) {
      const written = new SettingsStore(settingsFile).update(options.settings);
      if (!written.ok) throw new Error(`invalid test settings: ${written.error}`);
      if (!written.saved) throw new Error('the test settings could not be written: write them before the disk fails');
    }
    const secrets = new TestSecretStore(options.secretBackend);
    const clipboard = new RecordingClipboard();
    const desktop = new RecordingDesktop();
    const saveDialog = new RecordingSaveDialog(mkdtempSync(join(tmpdir(), 'parley-saved-')));
    const openDialog = new ScriptedOpenDialog();
    let app: ParleyApp;
    try {
      app = createApp(
        {
          app: appPort,
          log,
          ipc,
          windows: windowPort,
          tray,
          shortcuts,
          keyHook,
          settingsFile,
          windowStateFile: confFile(userDataDir, 'window-state'),
          sessionFile: confFile(userDataDir, 'session'),
          memoryFile: confFile(userDataDir, 'memory'),
          secrets,
          clipboard,
          desktop,
          saveDialog,
          openDialog,
          displayMedia,
          env,
        },
        { ...defaultSessionTuning, ...options.tuning },
      );
    } catch (error) {
      // A test of an app that fails to start fails, instead of hanging on the browser it left running.
      await context.close();
      await server.close();
      rmSync(saveDialog.dir, { recursive: true, force: true });
      throw error;
    }
    return new Harness(
      app,
      ipc,
      log,
      shortcuts,
      keyEvents,
      tray,
      appPort,
      windowPort,
      userDataDir,
      server.origin,
      context,
      server,
      coverage,
      clipboard,
      saveDialog,
      desktop,
      openDialog,
      displayMedia,
      options.userDataDir === undefined,
    );
  }

  /** The page of the newest window of a kind, once it has loaded. */
  async page(kind: WindowKind): Promise<Page> {
    return this.window(kind).ready;
  }

  /** The user picks Settings… in the tray; resolves with the loaded settings page. */
  async openSettings(): Promise<Page> {
    this.tray.click('open-settings');
    const page = await this.page('settings');
    await page
      .getByRole('heading', { name: 'Settings' })
      .waitFor()
      .catch(async (error: unknown) => {
        throw new Error(`${String(error)}\n${await this.describe(page)}`);
      });
    return page;
  }

  /** What a page shows and what went wrong in the pages, for a failure message. */
  async describe(page: Page): Promise<string> {
    const body = await page
      .evaluate(() => document.body.outerHTML.slice(0, 2000))
      .catch((error: unknown) => `(unreadable: ${String(error)})`);
    const problems = this.windowPort.problems.join('\n') || '(none)';
    return `page ${page.url()}, closed: ${page.isClosed()}\nbody: ${body}\npage problems:\n${problems}`;
  }

  window(kind: WindowKind): PageWindow {
    const window = this.windowPort.latest(kind);
    if (!window) throw new Error(`Parley never opened a ${kind} window`);
    return window;
  }

  /** The user allows microphone access after having refused it. */
  grantMicrophone(): Promise<void> {
    return this.context.grantPermissions(['microphone'], { origin: this.rendererOrigin });
  }

  async close(): Promise<void> {
    await this.coverage?.flush();
    this.app.dispose();
    await this.context.close();
    await this.server.close();
    rmSync(this.saveDialog.dir, { recursive: true, force: true });
    if (this.ownsUserDataDir) rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

function assertBuilt(): void {
  if (!existsSync(join(builtRenderer, 'transcript.html')) || !existsSync(builtPreload)) {
    throw new Error('The harness runs the built app: run `npm run build` first.');
  }
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
}
