import type { PushToTalkMode } from '../../../shared/types';
import type { HotkeyFeature } from '../hotkey/hotkey-feature';
import type { Ports } from '../ports';
import type { SessionStatusStore } from '../session/session-status';
import type { SettingsPatch } from '../../../shared/settings';
import type { SettingsFeature } from '../settings/settings-feature';
import type { WindowManager } from '../windows/window-manager';
import { trayView } from './tray-menu';

export interface TrayFeatureDeps {
  ports: Pick<Ports, 'tray' | 'app' | 'log'>;
  status: SessionStatusStore;
  settings: Pick<SettingsFeature, 'current' | 'view' | 'apply' | 'watchView'>;
  hotkey: Pick<HotkeyFeature, 'status' | 'toggleTurn' | 'onChange'>;
  windows: WindowManager;
  /** Asks first; the tray does not care about the answer. */
  newConversation(): Promise<boolean>;
  /** The profile Talk, the menu's choices, Settings and the transcript window are about from now on. */
  selectProfile(id: string): void;
}

export interface TrayFeature {
  render(): void;
  dispose(): void;
}

/** The tray icon, tooltip and menu, redrawn whenever the state, the hotkey or the settings view changes. */
export function trayFeature(deps: TrayFeatureDeps): TrayFeature {
  const { ports, status, settings, hotkey } = deps;
  const onPick = trayPicks(deps);
  const render = (): void => {
    const view = trayView({ status: status.current, hotkey: hotkey.status, settings: settings.view() });
    ports.tray.setIcon(view.icon);
    ports.tray.setTooltip(view.tooltip);
    ports.tray.setMenu(view.menu, onPick);
  };
  const unsubscribe = status.subscribe(() => render());
  hotkey.onChange(render);
  settings.watchView(render);
  return { render, dispose: unsubscribe };
}

/** What each menu item does; choices carry their value after the colon (see TrayAction). */
function trayPicks({
  ports,
  settings,
  hotkey,
  windows,
  newConversation,
  selectProfile,
}: TrayFeatureDeps): (id: string) => void {
  return (id) => {
    const [kind, value = ''] = id.split(/:(.*)/s);
    // The menu shows the settings of the profile Settings shows, and changes those.
    const { settings: current, profile } = settings.view();
    const change = (changes: SettingsPatch) =>
      void settings.apply({ ...changes, profile }).catch((error: unknown) => ports.log.warn(`tray: ${String(error)}`));
    if (kind === 'talk') hotkey.toggleTurn(profile);
    else if (kind === 'open-transcript') windows.show('transcript');
    else if (kind === 'open-settings') windows.show('settings');
    else if (kind === 'quit') ports.app.quit();
    else if (kind === 'model') change({ model: value });
    else if (kind === 'voice') change({ voiceName: value || undefined });
    else if (kind === 'modality') change({ responseModality: value === 'TEXT' ? 'TEXT' : 'AUDIO' });
    else if (kind === 'mode') change({ hotkey: { ...current.hotkey, mode: value as PushToTalkMode } });
    else if (kind === 'launch-at-login') change({ launchAtLogin: !current.launchAtLogin });
    else if (kind === 'mute-replies') change({ muteReplies: !current.muteReplies });
    else if (kind === 'microphone') change({ capture: { ...current.capture, deviceId: value || undefined } });
    else if (kind === 'new-conversation') void newConversation();
    else if (kind === 'profile') selectProfile(value);
  };
}
