// The ScreenSource port on Electron: a thumbnail of the display under the
// pointer from desktopCapturer, at the display's full pixel size, handed on as
// raw BGRA. Scaling and encoding happen in screen/, where tests run them.
import { desktopCapturer, screen, systemPreferences } from 'electron';
import type { ScreenSourcePort } from '../ports';

export function electronScreenSource(): ScreenSourcePort {
  return {
    captureDisplayUnderPointer: async () => {
      if (process.platform === 'darwin' && systemPreferences.getMediaAccessStatus('screen') !== 'granted') {
        throw new Error(
          'Parley may not record the screen: allow it in System Settings → Privacy & Security → Screen Recording',
        );
      }
      const display = screen.getDisplayNearestPoint(screen.getCursorScreenPoint());
      const thumbnailSize = {
        width: Math.round(display.size.width * display.scaleFactor),
        height: Math.round(display.size.height * display.scaleFactor),
      };
      const sources = await desktopCapturer.getSources({ types: ['screen'], thumbnailSize });
      // display_id is empty on some platforms; a single screen is then the one under the pointer.
      const source =
        sources.find((candidate) => candidate.display_id === String(display.id)) ??
        (sources.length === 1 ? sources[0] : undefined);
      if (!source || source.thumbnail.isEmpty()) throw new Error('the screen could not be captured');
      const { width, height } = source.thumbnail.getSize();
      const bitmap = source.thumbnail.toBitmap();
      return {
        width,
        height,
        data: new Uint8Array(bitmap.buffer, bitmap.byteOffset, bitmap.length),
        // Chromium's N32 bitmaps are BGRA on the desktop platforms Parley runs on.
        pixelFormat: 'bgra',
        scaleFactor: display.scaleFactor,
      };
    },
  };
}
