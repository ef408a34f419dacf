import type { BrowserContext, Frame, Page } from 'playwright-core';
import type { WindowHandle, WindowPort, WindowSpec } from '../../electron/main/ports';
import type { WindowBounds, WorkArea } from '../../electron/main/windows/window-state';
import type { Theme } from '../../shared/settings';
import type { WindowKind } from '../../shared/types';
import type { CoverageCollector } from './coverage';
import { captureTapScript } from './capture-tap';
import type { TestDisplayMedia } from './display-media';
import { outputTapScript } from './output-tap';
import { decodeBytes, encodeBytes, preloadInitScripts } from './preload-shim';
import type { RecordingIpc } from './test-ports';

/** A Parley window as the harness runs it: a Chromium page plus the state Electron would keep. */
export class PageWindow implements WindowHandle {
  visible: boolean;
  /** Whether showing it took the keyboard focus (show) or left it where it was (showInactive). */
  focused = false;
  readonly ready: Promise<Page>;
  private destroyed = false;
  private closeRequested: () => boolean = () => true;
  private readonly closedListeners: (() => void)[] = [];
  private readonly boundsListeners: ((bounds: WindowBounds) => void)[] = [];
  private readonly pendingEvents: [string, unknown][] = [];

  constructor(
    readonly webContentsId: number,
    readonly spec: WindowSpec,
    openPage: () => Promise<Page>,
    private readonly ipc: RecordingIpc,
  ) {
    this.visible = false;
    this.ready = openPage();
  }

  show(): void {
    this.visible = true;
    this.focused = true;
  }

  showInactive(): void {
    this.visible = true;
  }

  hide(): void {
    this.visible = false;
    this.focused = false;
  }

  isVisible(): boolean {
    return this.visible;
  }

  /** Left out of screen captures (Windows, macOS); the harness's captures show test screens, not windows. */
  protectedFromCapture = false;

  setContentProtection(enabled: boolean): void {
    this.protectedFromCapture = enabled;
  }

  /** As Electron names a window capture; the harness's windows are not on the X display, so no XID is real. */
  mediaSourceId(): string {
    return `window:${0x7f000000 + this.webContentsId}:0`;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    void this.ready.then((page) => page.close()).catch(() => undefined);
    this.closedListeners.forEach((listener) => listener());
  }

  /** Events sent in one turn of main's event loop cross the bridge together, in order, right after it. */
  send(channel: string, payload: unknown): void {
    this.ipc.recordEvent(channel, payload, this.spec.kind);
    if (this.pendingEvents.push([channel, encodeBytes(payload)]) === 1) setImmediate(() => this.deliverEvents());
  }

  private deliverEvents(): void {
    const events = this.pendingEvents.splice(0);
    void this.ready
      .then((page) => page.evaluate((batch) => window.__parleyIpcDispatch(batch), events))
      .catch(() => undefined);
  }

  onCloseRequested(listener: () => boolean): void {
    this.closeRequested = listener;
  }

  onClosed(listener: () => void): void {
    this.closedListeners.push(listener);
  }

  onLoadFailed(listener: (reason: string) => void): void {
    this.ready.catch((error: unknown) => listener(String(error)));
  }

  onBoundsChanged(listener: (bounds: WindowBounds) => void): void {
    this.boundsListeners.push(listener);
  }

  /** The user drags or resizes the window; the page gets the new size. */
  async userMovedTo(bounds: WindowBounds): Promise<void> {
    await (await this.ready).setViewportSize({ width: bounds.width, height: bounds.height });
    this.boundsListeners.forEach((listener) => listener(bounds));
  }

  /** The user clicks the window's close button. */
  requestClose(): void {
    if (this.closeRequested()) this.destroy();
  }
}

export type PageQueries = Partial<Record<WindowKind, string>>;

/** Opens each Parley window as a page running the real built preload. */
export class PageWindowPort implements WindowPort {
  readonly windows: PageWindow[] = [];
  /** What went wrong in any page (uncaught errors, console errors, failed requests, crashes), for failure messages. */
  readonly problems: string[] = [];
  private nextId = 1;
  private colorScheme: 'light' | 'dark' | null = null;

  constructor(
    private readonly context: BrowserContext,
    private readonly origin: string,
    private readonly ipc: RecordingIpc,
    private readonly coverage: CoverageCollector | undefined,
    private readonly pages: { queries: PageQueries; outputTap: boolean; displayMedia: TestDisplayMedia },
  ) {}

  /** Like nativeTheme.themeSource: every page, open or yet to open, follows it. */
  async setTheme(theme: Theme): Promise<void> {
    this.colorScheme = theme === 'system' ? null : theme;
    // A page closing meanwhile has no theme to follow.
    const follow = (page: Page) => page.emulateMedia({ colorScheme: this.colorScheme }).catch(() => undefined);
    await Promise.all(this.context.pages().map(follow));
  }

  create(spec: WindowSpec): PageWindow {
    const id = this.nextId++;
    const url = `${this.origin}/${spec.kind}.html${this.pages.queries[spec.kind] ?? ''}`;
    const window = new PageWindow(id, spec, () => this.openPage(id, url), this.ipc);
    this.windows.push(window);
    return window;
  }

  /** One full-HD display, as Xvfb and most CI machines have. */
  displays(): WorkArea[] {
    return [{ x: 0, y: 0, width: 1920, height: 1080 }];
  }

  /** The newest window of a kind, whether or not main still holds it. */
  latest(kind: WindowKind): PageWindow | undefined {
    return this.windows.findLast((window) => window.spec.kind === kind);
  }

  /** A page that main did not create, running our preload (the foreign-sender case). */
  openForeign(url: string): Promise<Page> {
    return this.openPage(this.nextId++ + 1000, url);
  }

  /**
   * Electron's preload always has its IPC. Playwright's bindings here very occasionally miss a
   * page created while the browser is busy (its injected script throws "reading 'addBinding'"),
   * and that page stays without IPC however often it reloads. Such a page is closed and a new one
   * opened, as Electron would never have shown it that way.
   */
  async openPage(webContentsId: number, url: string): Promise<Page> {
    for (let attempt = 1; ; attempt++) {
      const page = await this.newPage(webContentsId, url);
      if ((await bridged(page)) || attempt === 3) return page;
      this.problems.push(`${new URL(url).pathname}: opened without its IPC bridge; opened again`);
      await page.close();
    }
  }

  private async newPage(webContentsId: number, url: string): Promise<Page> {
    const page = await this.context.newPage();
    this.recordProblems(page, new URL(url).pathname);
    const senderOf = (frame: Frame) => ({
      webContentsId,
      frameUrl: frame.url(),
      isMainFrame: frame.parentFrame() === null,
    });
    await page.exposeBinding('__parleyIpcInvoke', async ({ frame }, channel: string, payload: unknown) =>
      encodeBytes(await this.ipc.invoke(channel, senderOf(frame), decodeBytes(payload))),
    );
    await page.exposeBinding('__parleyIpcSend', ({ frame }, sends: [string, unknown][]) => {
      for (const [channel, payload] of sends) this.ipc.send(channel, senderOf(frame), decodeBytes(payload));
    });
    // Electron's display-media handler answers every page of the session: each page gets the stand-in.
    await this.pages.displayMedia.attach(page, senderOf);
    const taps = this.pages.outputTap ? [outputTapScript, captureTapScript] : [];
    const scripts = [...taps, ...preloadInitScripts()];
    for (const script of scripts) await page.addInitScript(script);
    await this.coverage?.start(page);
    await page.emulateMedia({ colorScheme: this.colorScheme });
    await page.goto(url);
    return page;
  }

  private recordProblems(page: Page, name: string): void {
    const note = (problem: string) => this.problems.push(`${name}: ${problem}`);
    page.on('pageerror', (error) => note(`uncaught ${error.stack ?? error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') note(`console error: ${message.text()}`);
    });
    page.on('requestfailed', (request) => note(`${request.url()} failed: ${request.failure()?.errorText}`));
    page.on('crash', () => note('the page crashed'));
  }
}

/** Whether the page has the IPC bridge and the display-media binding (a page that navigated or closed meanwhile counts as bridged). */
function bridged(page: Page): Promise<boolean> {
  return page
    .evaluate(() => {
      const bindings = window as { __parleyIpcInvoke?: unknown; __parleyDisplayMedia?: unknown };
      return typeof bindings.__parleyIpcInvoke === 'function' && typeof bindings.__parleyDisplayMedia === 'function';
    })
    .catch(() => true);
}
