import type { HotkeyStatus } from '../../../shared/types';
import type { InvokeHandlers, SendHandlers } from '../ipc/router';
import { seesScreen } from '../live/model-capabilities';
import type { Ports } from '../ports';
import type { AppSettings } from '../settings/defaults';
import type { SettingsFeature } from '../settings/settings-feature';
import type { Emit } from '../windows/windows-feature';
import { HotkeyService, type HotkeyBinding } from './hotkey-service';
import { checkRecordedHotkey, hotkeyContextFor } from './hotkey-setting';
import type { HotkeyTurns } from './push-to-talk';

/** Push-to-talk comes back by itself this long after the settings window last paused it. */
const hotkeyPauseMs = 60_000;

/** Whose turns the hotkeys start while the settings hold one profile. */

export interface HotkeyFeatureDeps {
  ports: Pick<Ports, 'keyHook' | 'shortcuts' | 'app'>;
  settings: Pick<SettingsFeature, 'current' | 'follow'>;
  /** Where presses and releases go. */
  turns: HotkeyTurns;
  emit: Emit;
}

export interface HotkeyFeature {
  /** How the hotkey works now (as configured until the first start says otherwise). */
  readonly status: HotkeyStatus;
  /** (Re)starts listening for the hotkey in the settings; resolves with how it works here. */
  start(): Promise<HotkeyStatus>;
  /** Talk from the tray: starts a turn, or ends the one under way. */
  toggleTurn(profile: string): void;
  /** Told after every start, once the windows have heard. */
  onChange(listener: () => void): void;
  readonly invokes: Pick<InvokeHandlers, 'getHotkey' | 'checkHotkey'>;
  readonly sends: Pick<SendHandlers, 'hotkeyRecording'>;
  dispose(): void;
}

/** The global push-to-talk hotkey, restarted when its settings change and paused while Settings records one. */
export function hotkeyFeature({ ports, settings, turns, emit }: HotkeyFeatureDeps): HotkeyFeature {
  const hotkey = new HotkeyService({
    probe: () => ports.keyHook.probe(),
    startKeySource: (listener) => ports.keyHook.start(listener),
    shortcuts: ports.shortcuts,
    now: () => performance.now(),
    maxTurnMs: () => settings.current.maxTurnMs,
    turns,
  });
  turns.onEndedElsewhere(() => hotkey.turnEndedElsewhere());
  const context = hotkeyContextFor(ports.app.platform, ports.app.isPackaged);
  let status: HotkeyStatus = {
    keyReleases: true,
    bindings: bindingsOf(settings.current).map((binding) => ({ ...binding, effectiveMode: binding.mode })),
  };
  const listeners: (() => void)[] = [];
  const start = () =>
    hotkey.start(bindingsOf(settings.current)).then((started) => {
      status = started;
      emit('hotkeyChanged', started);
      for (const listener of listeners) listener();
      return started;
    });
  const pause = recorderPause(hotkey, emit);
  // A restart ends a turn under way: only when the keys or their modes changed (most profile edits leave them).
  settings.follow(async ({ before, after, touches }) => {
    if (touches(['maxTurnMs']) || JSON.stringify(bindingsOf(before)) !== JSON.stringify(bindingsOf(after)))
      await start();
  });
  return {
    get status() {
      return status;
    },
    start,
    toggleTurn: (profile) => hotkey.toggleTurn(profile),
    onChange: (listener) => void listeners.push(listener),
    invokes: {
      getHotkey: () => status,
      checkHotkey: (request) => checkRecordedHotkey(request, settings.current, context),
    },
    sends: { hotkeyRecording: ({ active }) => pause.set(active) },
    dispose() {
      pause.cancel();
      hotkey.dispose();
    },
  };
}

/** Every profile's push to talk, and its screen hotkey in the same mode while it may see the screen. */
export function bindingsOf({ profiles }: AppSettings): HotkeyBinding[] {
  return profiles.flatMap((profile) => [
    { profile: profile.id, look: false, ...profile.hotkey },
    ...(seesScreen(profile)
      ? [{ profile: profile.id, look: true, accelerator: profile.screen.accelerator, mode: profile.hotkey.mode }]
      : []),
  ]);
}

/** The settings window records or tests the hotkey: its presses are reported there instead of starting turns. */
function recorderPause(hotkey: HotkeyService, emit: Emit) {
  let lease: ReturnType<typeof setTimeout> | undefined;
  return {
    set(active: boolean): void {
      clearTimeout(lease);
      if (!active) return hotkey.resume();
      hotkey.pause((seen) => emit('hotkeySeen', seen, 'settings'));
      // Should the window never say it is done (closed mid-test), push-to-talk comes back anyway.
      lease = setTimeout(() => hotkey.resume(), hotkeyPauseMs);
    },
    cancel: () => clearTimeout(lease),
  };
}
