import type { SettingsView } from '../../../shared/settings';
import { AudioDevices, type DeviceChoice } from '../audio/audio-devices';
import { checkedHotkeyChange, hotkeyContextFor } from '../hotkey/hotkey-setting';
import type { InvokeHandlers } from '../ipc/router';
import { liveTarget, type LiveTarget } from '../live/live-target';
import { focusedWindowSupport } from '../screen/focused-window';
import type { Ports } from '../ports';
import type { Emit } from '../windows/windows-feature';
import type { AppSettings } from './defaults';
import { SettingsStore, type SettingsRecovery } from './settings-store';
import { settingsViewOf } from './settings-view';

/** What one save changed, so each feature applies what concerns it. */
export interface SettingsChange {
  readonly before: AppSettings;
  readonly after: AppSettings;
  /** Whether the save named any of these settings. */
  touches(keys: readonly string[]): boolean;
}

/** Applies a saved change; a promise holds the save's answer until it settles (a restarted hotkey). */
export type SettingsFollower = (change: SettingsChange) => void | Promise<unknown>;

export interface SettingsFeature {
  /** The settings in force now. */
  readonly current: AppSettings;
  /**
   * Where the user hears about the settings file: a broken one replaced at launch, saving failing
   * (changes then apply until Parley quits) and working again; and an endpoint the user did not
   * let have the key. What launch found is told at once.
   */
  tellUser(listener: (message: string) => void): void;
  readonly live: LiveTarget;
  /** The microphones and speakers the audio renderer reports. */
  readonly devices: AudioDevices;
  deviceChoice(): DeviceChoice;
  view(): SettingsView;
  /** Validates and saves, lets every follower apply it in turn, then shows the new view. */
  apply(requested: Partial<AppSettings>): Promise<SettingsView>;
  follow(follower: SettingsFollower): void;
  /** Where Settings gets the tools Gemini may call and the notes Parley keeps (tools/tools-feature.ts). */
  showTools(view: () => Pick<SettingsView, 'tools' | 'memory' | 'mcp'>): void;
  /** Sends the view as it is now to the windows, and tells its watchers (the tray). */
  showView(): SettingsView;
  watchView(watcher: () => void): void;
  /** Launch at login and the theme belong to the OS: applied at launch and whenever they change. */
  applyToSystem(): void;
  readonly invokes: Pick<InvokeHandlers, 'getSettings' | 'updateSettings'>;
}

/** The user's settings: what is in force, how it looks in Settings and the tray, and saving a change. */
export function settingsFeature(ports: Pick<Ports, 'settingsFile' | 'app' | 'env'>, emit: Emit): SettingsFeature {
  const store = new SettingsStore(ports.settingsFile);
  let settings = store.settings;
  const notes = saveNotes(store);
  const followers: SettingsFollower[] = [];
  const watchers: (() => void)[] = [];
  const devices = new AudioDevices();
  const live = liveTarget({
    env: ports.env,
    settings: () => settings,
    isPackaged: ports.app.isPackaged,
    confirm: (question) => ports.app.confirm(question),
    // What launch asked is answered: the state line says what is not used, Settings shows the endpoint now in force.
    answered: (refusals) => {
      for (const refusal of refusals) notes.tell(refusal);
      showView();
    },
  });
  const hotkeyContext = hotkeyContextFor(ports.app.platform, ports.app.isPackaged);
  const deviceChoice = () => devices.choose(settings);
  let toolsView: () => Pick<SettingsView, 'tools' | 'memory' | 'mcp'> = () => ({
    tools: [],
    memory: [],
    mcp: { file: '', servers: [], problems: [] },
  });
  const platform = {
    launchAtLoginSupported: ports.app.launchAtLoginSupported,
    focusedWindow: focusedWindowSupport(ports.app.platform, ports.env),
  };
  const view = () =>
    settingsViewOf(settings, platform, live.pinnedApiVersion, {
      devices: devices.present,
      deviceNotes: deviceChoice().notes,
      connection: live.connectionView(),
      notSaved: store.saveProblem && notSaved(store.saveProblem),
      ...toolsView(),
    });
  const showView = () => {
    const shown = view();
    emit('settingsChanged', shown);
    for (const watcher of watchers) watcher();
    return shown;
  };
  const apply = async (requested: Partial<AppSettings>) => {
    const changes = await checkedEndpointChange(checkedHotkeyChange(requested, settings, hotkeyContext), live);
    const before = settings;
    const updated = store.update(changes);
    if (!updated.ok) throw new Error(`Settings not changed: ${updated.error}`);
    settings = updated.settings;
    notes.check();
    const change = {
      before,
      after: settings,
      touches: (keys: readonly string[]) => keys.some((key) => key in changes),
    };
    for (const follower of followers) await follower(change);
    return showView();
  };
  const system = systemSettings(ports.app, () => settings);
  followers.push(system.follower);
  return {
    get current() {
      return settings;
    },
    tellUser: notes.tellUser,
    live,
    devices,
    deviceChoice,
    view,
    apply,
    follow: (follower) => void followers.push(follower),
    showTools: (view) => (toolsView = view),
    showView,
    watchView: (watcher) => void watchers.push(watcher),
    applyToSystem: system.applyAll,
    invokes: { getSettings: () => view(), updateSettings: (patch) => apply(patch) },
  };
}

/** A new endpoint is saved in the form the SDK needs, and refused with the reason if the key may not go there. */
async function checkedEndpointChange(changes: Partial<AppSettings>, live: LiveTarget): Promise<Partial<AppSettings>> {
  if (!('liveEndpoint' in changes)) return changes;
  const checked = await live.changeEndpoint(changes.liveEndpoint);
  if (!checked.ok) throw new Error(`Settings not changed: liveEndpoint: ${checked.problem}`);
  return { ...changes, liveEndpoint: checked.url };
}

/** Launch at login and the theme: the whole of them at launch, then each as it changes. */
function systemSettings(app: Ports['app'], settings: () => AppSettings) {
  const applyLaunchAtLogin = () => {
    if (app.launchAtLoginSupported) app.setLaunchAtLogin(settings().launchAtLogin);
  };
  const applyTheme = () => app.setTheme(settings().theme);
  const follower: SettingsFollower = (change) => {
    if (change.touches(['launchAtLogin'])) applyLaunchAtLogin();
    if (change.touches(['theme'])) applyTheme();
  };
  return {
    follower,
    applyAll: () => {
      applyLaunchAtLogin();
      applyTheme();
    },
  };
}

/**
 * What the user is told about the file (once when saving starts failing, once when it works
 * again), and anything else settings must say (`tell`), kept until someone listens.
 */
function saveNotes(store: SettingsStore) {
  const pending = [store.recovery && recoveryNote(store.recovery), store.saveProblem && notSaved(store.saveProblem)];
  let tell: (message: string) => void = (message) => pending.push(message);
  let failing = store.saveProblem !== undefined;
  return {
    tell(message: string) {
      tell(message);
    },
    tellUser(listener: (message: string) => void) {
      tell = listener;
      for (const message of pending.splice(0)) if (message) listener(message);
    },
    /** After a save: says so if it stopped or started working. */
    check() {
      const problem = store.saveProblem;
      if ((problem !== undefined) === failing) return;
      failing = problem !== undefined;
      tell(problem ? notSaved(problem) : savedAgain);
    },
  };
}

const savedAgain = 'Settings are saved again.';

function notSaved(problem: string): string {
  return `Settings cannot be saved: ${problem}. Changes apply until Parley quits.`;
}

function recoveryNote({ reason, backupPath }: SettingsRecovery): string {
  const kept = backupPath ? `Parley kept it as ${backupPath}` : 'Parley left it as it was';
  return `Your settings file could not be read (${reason}). ${kept} and started from the default settings.`;
}
