import type { AppInfo, HotkeyStatus, SessionStatus } from '../../shared/types';
import { parley, unwrap } from './parley';

/** What every visible window shows about the app, kept live from main. */
export class AppState {
  info = $state<AppInfo | undefined>();
  status = $state<SessionStatus | undefined>();
  hotkey = $state<HotkeyStatus | undefined>();
  loadError = $state<string | undefined>();

  private readonly stops = [
    parley.onSessionStatusChanged((status) => (this.status = status)),
    parley.onHotkeyChanged((hotkey) => (this.hotkey = hotkey)),
  ];

  async load(): Promise<void> {
    try {
      [this.info, this.status, this.hotkey] = await Promise.all([
        unwrap(parley.getAppInfo()),
        unwrap(parley.getSessionStatus()),
        unwrap(parley.getHotkey()),
      ]);
    } catch (error) {
      this.loadError = error instanceof Error ? error.message : String(error);
    }
  }

  dispose(): void {
    this.stops.forEach((stop) => stop());
  }
}
