import { desktopCapturer, screen, session, systemPreferences, webContents, type DesktopCapturerSource } from 'electron';
import type { DisplayMediaPort, ScreenSource } from '../ports';

/**
 * getDisplayMedia for Parley's pages: the session's handler asks main which screen a request gets,
 * from a list of screens kept between turns. desktopCapturer.getSources is slow (it captures every
 * source), and on Wayland each call opens the system picker; so it runs without thumbnails, once,
 * and again only when the displays change (never on Wayland, where the user's first choice is kept
 * for the run and the portal restores it). Windows are listed only for a turn that shows the
 * focused one.
 */
export function electronDisplayMedia(): DisplayMediaPort {
  let listed: Promise<DesktopCapturerSource[]> | undefined;
  const forget = () => (listed = undefined);
  const wayland =
    process.platform === 'linux' && (process.env.XDG_SESSION_TYPE === 'wayland' || !!process.env.WAYLAND_DISPLAY);
  if (!wayland) {
    screen.on('display-added', forget);
    screen.on('display-removed', forget);
    screen.on('display-metrics-changed', forget);
  }
  const sources = (): Promise<DesktopCapturerSource[]> => {
    listed ??= desktopCapturer.getSources({ types: ['screen'], thumbnailSize: { width: 0, height: 0 } });
    // A failed listing (the picker cancelled) is asked again next time.
    listed.catch(forget);
    return listed;
  };
  const screens = async (): Promise<ScreenSource[]> =>
    (await sources()).map(({ id, name, display_id }) => ({ id, name, displayId: display_id || undefined }));
  // Windows come and go: listed afresh for each turn that shows the focused one, and kept for its answer.
  let windowSources: DesktopCapturerSource[] = [];
  const windows = async (): Promise<ScreenSource[]> => {
    windowSources = await desktopCapturer.getSources({ types: ['window'], thumbnailSize: { width: 0, height: 0 } });
    return windowSources.map(({ id, name }) => ({ id, name }));
  };
  const sourceById = async (id: string) =>
    windowSources.find((source) => source.id === id) ?? (await sources()).find((source) => source.id === id);
  return {
    onRequest(answer) {
      session.defaultSession.setDisplayMediaRequestHandler((request, callback) => {
        const contents = request.frame ? webContents.fromFrame(request.frame) : undefined;
        const from = {
          webContentsId: contents?.id ?? -1,
          frameUrl: request.frame?.url ?? '',
          isMainFrame: contents !== undefined && request.frame === contents.mainFrame,
        };
        void answer(from)
          .then(async (sourceId) => {
            const source = sourceId ? await sourceById(sourceId) : undefined;
            // An empty answer refuses the request: the page's getDisplayMedia rejects.
            callback(source ? { video: source } : {});
          })
          .catch(() => callback({}));
      });
    },
    screens,
    windows,
    systemPicker: wayland,
    pointerDisplayId: () =>
      wayland ? undefined : String(screen.getDisplayNearestPoint(screen.getCursorScreenPoint()).id),
    // Not yet asked ('not-determined') is no refusal: the first capture makes macOS ask the user.
    permissionProblem: () =>
      process.platform === 'darwin' &&
      ['denied', 'restricted'].includes(systemPreferences.getMediaAccessStatus('screen'))
        ? 'macOS has not allowed Parley to record the screen. Allow it in System Settings → Privacy & Security → Screen & System Audio Recording, then restart Parley.'
        : undefined,
  };
}
