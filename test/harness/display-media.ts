import type { Frame, Page } from 'playwright-core';
import type { DisplayMediaPort, IpcSender, ScreenSource } from '../../electron/main/ports';
import { blocksPicture, type Picture } from '../support/pictures';

/** A screen of the test's "desktop": what a capture of it shows is `picture`, at the picture's size. */
export interface TestScreen {
  id: string;
  name: string;
  displayId?: string;
  picture: Picture;
}

/** One getDisplayMedia call of a page, as main's answerer saw it. */
export interface DisplayMediaRequest {
  from: IpcSender;
  /** What the page asked for. */
  constraints: unknown;
  /** The screen it got; undefined when refused. */
  screenId: string | undefined;
}

/** What a page needs to show a screen: where to fetch its pixels (raw RGBA), and which version they are. */
interface ScreenPicture {
  id: string;
  version: number;
  url: string;
  width: number;
  height: number;
}

type Answer = (from: IpcSender) => Promise<string | undefined>;

const picturePath = (id: string) => `/__test-screens/${encodeURIComponent(id)}.rgba`;

/** A 1920×1080 desktop of four coloured panels, the size of the harness's one display. */
export function defaultTestScreen(): TestScreen {
  const colours = [
    [70, 110, 160],
    [230, 230, 225],
    [40, 40, 45],
    [200, 120, 60],
  ] as const;
  return { id: 'screen:1:0', name: 'Screen 1', displayId: '1', picture: blocksPicture(1920, 1080, 2, colours) };
}

/**
 * The system's screens and Electron's display-media handler, for tests. Every getDisplayMedia of a
 * harness page asks main's real answerer (the one main registers through onRequest), with the page's
 * sender as the IPC port sees it; the page gets a video track that shows the chosen screen's picture
 * at its full size, or a NotAllowedError when the answer is undefined (or names no screen listed).
 * Tests change pictures, stop the sharing as the user would, and see the calls made and the tracks live.
 */
export class TestDisplayMedia implements DisplayMediaPort {
  /** The display under the mouse pointer; undefined where the system cannot say (Wayland). */
  pointerDisplay: string | undefined;
  /** Why the system does not let Parley capture (macOS Screen Recording not granted); undefined when it does. */
  problem: string | undefined;
  /** The system asks the user which screen to share (Wayland's portal picker). */
  systemPicker = false;
  /** Answers in main's place, for tests that drive the capture page without a turn of main's asking for it. */
  testAnswer: Answer | undefined;
  /** Every getDisplayMedia call of a harness page, in order. */
  readonly requests: DisplayMediaRequest[] = [];
  private answerer: Answer | undefined;
  private listed: TestScreen[];
  /** The other windows on the test desktop (ids "window:<xid>:0"), for turns that show the focused one. */
  private listedWindows: TestScreen[] = [];
  private readonly versions = new Map<string, number>();
  private readonly pages = new Set<Page>();

  constructor(screens: TestScreen[] = [defaultTestScreen()]) {
    this.listed = screens.map((screen) => ({ ...screen }));
    this.pointerDisplay = screens[0]?.displayId;
  }

  onRequest(answer: Answer): void {
    if (this.answerer) throw new Error('second display-media handler: main sets one for its life');
    this.answerer = answer;
  }

  screens(): Promise<ScreenSource[]> {
    return Promise.resolve(this.listed.map(({ id, name, displayId }) => ({ id, name, displayId })));
  }

  windows(): Promise<ScreenSource[]> {
    return Promise.resolve(this.listedWindows.map(({ id, name }) => ({ id, name })));
  }

  /** Windows opened or closed on the test desktop. */
  setWindows(windows: TestScreen[]): void {
    this.listedWindows = windows.map((window) => ({ ...window }));
  }

  pointerDisplayId(): string | undefined {
    return this.pointerDisplay;
  }

  permissionProblem(): string | undefined {
    return this.problem;
  }

  /** The screens the system lists now. */
  get testScreens(): readonly TestScreen[] {
    return this.listed;
  }

  /** Screens plugged in or out; tracks already open keep showing what they showed. */
  setScreens(screens: TestScreen[]): void {
    this.listed = screens.map((screen) => ({ ...screen }));
  }

  /** The screen shows another picture: once this resolves, every live track of it shows the new one. */
  async show(screenId: string, picture: Picture): Promise<void> {
    const screen = this.screen(screenId);
    if (!screen) throw new Error(`no test screen ${screenId}`);
    screen.picture = picture;
    this.versions.set(screenId, this.version(screenId) + 1);
    const described = this.describe(screen);
    await this.inPages((page) => page.evaluate((shown) => window.__parleyTestScreens.show(shown), described));
  }

  /** The user stops sharing from the system's own control: every live track ends (its 'ended' event fires). */
  async stopSharing(): Promise<number> {
    return sum(await this.inPages((page) => page.evaluate(() => window.__parleyTestScreens.stopSharing())));
  }

  /** The tracks handed out, over all pages: how many are live now, and how many have ended (stopped by the page or the user). */
  async tracks(): Promise<{ live: number; ended: number }> {
    const counts = await this.inPages((page) => page.evaluate(() => window.__parleyTestScreens.tracks()));
    return {
      live: sum(counts.map((count) => count?.live)),
      ended: sum(counts.map((count) => count?.ended)),
    };
  }

  /** Harness plumbing: gives a page the stand-in's getDisplayMedia; `senderOf` is the IPC port's sender of a frame. */
  async attach(page: Page, senderOf: (frame: Frame) => IpcSender): Promise<void> {
    page.on('close', () => this.pages.delete(page));
    await page.exposeBinding('__parleyDisplayMedia', ({ frame }, constraints: unknown) => {
      this.pages.add(page);
      return this.answer(senderOf(frame), constraints);
    });
    await page.addInitScript(displayMediaScript);
    // The system has its screens' pictures at hand: the page fetches them before any capture asks.
    const shown = JSON.stringify(this.listed.map((screen) => this.describe(screen)));
    await page.addInitScript(`window.__parleyTestScreens?.prefetch(${shown});`);
  }

  /** Harness plumbing: the raw RGBA pixels the pages fetch, by path. */
  servePicture(pathname: string): Uint8Array | undefined {
    return this.everything().find(({ id }) => picturePath(id) === pathname)?.picture.data;
  }

  private async answer(from: IpcSender, constraints: unknown): Promise<ScreenPicture | undefined> {
    const answer = this.testAnswer ?? this.answerer;
    // As in Electron: no handler, a failing one, or a source that is not listed refuses the request.
    const chosen = answer ? await answer(from).catch(() => undefined) : undefined;
    const screen = chosen === undefined ? undefined : this.screen(chosen);
    this.requests.push({ from, constraints, screenId: screen?.id });
    return screen && this.describe(screen);
  }

  private screen(id: string): TestScreen | undefined {
    return this.everything().find((screen) => screen.id === id);
  }

  private everything(): TestScreen[] {
    return [...this.listed, ...this.listedWindows];
  }

  private version(id: string): number {
    return this.versions.get(id) ?? 0;
  }

  private describe({ id, picture }: TestScreen): ScreenPicture {
    const version = this.version(id);
    return { id, version, url: `${picturePath(id)}?v=${version}`, width: picture.width, height: picture.height };
  }

  /** Runs `work` in every page that has asked for the screen; a page closing meanwhile counts for nothing. */
  private inPages<T>(work: (page: Page) => Promise<T>): Promise<(T | undefined)[]> {
    return Promise.all([...this.pages].map((page) => work(page).catch(() => undefined)));
  }
}

function sum(counts: (number | undefined)[]): number {
  return counts.reduce<number>((total, count) => total + (count ?? 0), 0);
}

/**
 * The page's side: getDisplayMedia asks main's answerer through the binding, then returns a track
 * from a MediaStreamTrackGenerator that is written the screen's picture five times a second (as often
 * as Parley asks for; a grab must never wait long for a picture). Each write is a new VideoFrame over
 * the same pixels, so a 2560×1440 picture is fetched and copied once per change, not per frame.
 * Closing the generator's writer ends the track and fires its 'ended' event, as a system's "Stop
 * sharing" does. Test instrumentation injected by the harness; the app knows nothing of it.
 */
const displayMediaScript = `(() => {
  if (!navigator.mediaDevices) return;
  const Generator = window.MediaStreamTrackGenerator;
  const shares = [];
  const pictures = new Map();
  const live = () => shares.filter((share) => share.track.readyState === 'live');
  // A picture no live track shows any more lets its pixels go.
  const release = (picture) => {
    if (!live().some((share) => share.picture === picture)) picture.close();
  };
  const load = (screen) => {
    const cached = pictures.get(screen.id);
    if (cached && cached.version === screen.version) return cached.frame;
    const frame = fetch(screen.url)
      .then((response) => response.arrayBuffer())
      .then((pixels) => new VideoFrame(pixels, { format: 'RGBA', codedWidth: screen.width, codedHeight: screen.height, timestamp: 0 }));
    frame.catch(() => pictures.delete(screen.id));
    pictures.set(screen.id, { version: screen.version, frame });
    cached?.frame.then(release, () => undefined);
    return frame;
  };
  const paint = (share) => {
    if (share.track.readyState !== 'live') {
      clearInterval(share.timer);
      return;
    }
    const timestamp = Math.round(performance.now() * 1000);
    share.writer.write(new VideoFrame(share.picture, { timestamp })).catch(() => undefined);
  };
  navigator.mediaDevices.getDisplayMedia = async (constraints) => {
    const screen = await window.__parleyDisplayMedia(constraints ?? null);
    if (!screen) throw new DOMException('Permission denied', 'NotAllowedError');
    const track = new Generator({ kind: 'video' });
    const share = { id: screen.id, track, writer: track.writable.getWriter(), picture: await load(screen) };
    shares.push(share);
    // As a system capturer does, the first picture comes as soon as the track is read: the page
    // attaches its reader just after this returns, so one more picture follows at once.
    paint(share);
    setTimeout(() => paint(share), 0);
    share.timer = setInterval(() => paint(share), 200);
    return new MediaStream([track]);
  };
  window.__parleyTestScreens = {
    async show(screen) {
      const showing = live().filter((share) => share.id === screen.id);
      if (showing.length === 0) return;
      const picture = await load(screen);
      const before = new Set(showing.map((share) => share.picture));
      for (const share of showing) {
        share.picture = picture;
        paint(share);
      }
      for (const old of before) if (old !== picture) release(old);
    },
    // Resolves once every ended track's 'ended' event has been dispatched, so the page knows before the test goes on.
    async stopSharing() {
      const ending = live();
      const ended = (share) => new Promise((resolve) => {
        share.track.addEventListener('ended', resolve, { once: true });
        share.writer.close().catch(() => undefined);
      });
      await Promise.all(ending.map(ended));
      return ending.length;
    },
    tracks: () => ({ live: live().length, ended: shares.length - live().length }),
    prefetch: (screens) => {
      for (const screen of screens) load(screen).catch(() => undefined);
    },
  };
})();`;
