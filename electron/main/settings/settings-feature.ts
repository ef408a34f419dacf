import type { ProfileSettings, SettingsView } from '../../../shared/settings';
import { AudioDevices, type DeviceChoice } from '../audio/audio-devices';
import { checkedHotkeyChange, hotkeyContextFor } from '../hotkey/hotkey-setting';
import type { InvokeHandlers } from '../ipc/router';
import { liveTarget, type LiveTarget, type ProfileLiveTarget } from '../live/live-target';
import { focusedWindowSupport } from '../screen/focused-window';
import type { Ports } from '../ports';
import type { Emit } from '../windows/windows-feature';
import type { AppSettings } from './defaults';
import { SettingsStore, type SettingsRecovery } from './settings-store';
import { profileHandlers } from './profile-handlers';
import { changedKeys, profileSettings, type SettingsChanges } from './profiles';
import { settingsViewOf } from './settings-view';

/** What one save changed, so each feature applies what concerns it. */
export interface SettingsChange<T = AppSettings> {
  readonly before: T;
  readonly after: T;
  /** Whether the save changed any of these settings. */
  touches(keys: readonly string[]): boolean;
}

/** Applies a saved change; a promise holds the save's answer until it settles (a restarted hotkey). */
export type SettingsFollower<T = AppSettings> = (change: SettingsChange<T>) => void | Promise<unknown>;

/** The profile the settings window shows. */
export interface ShownProfile {
  id: string;
  current: ProfileSettings;
}

/** One profile's settings with the global ones: what its session, turns and tools go by. */
export interface ProfileSettingsFeature {
  readonly id: string;
  /** As they are now; the last known ones once the profile is deleted. */
  readonly current: ProfileSettings;
  readonly live: ProfileLiveTarget;
  deviceChoice(): DeviceChoice;
  /** Changes this profile's settings (and global ones) as Settings would. */
  apply(changes: Omit<SettingsChanges, 'profile' | 'profiles'>): Promise<SettingsView>;
  /** Told of each save that changed the profile or a global setting, while the profile exists. */
  follow(follower: SettingsFollower<ProfileSettings>): void;
}

export interface SettingsFeature {
  /** The settings in force now. */
  readonly current: AppSettings;
  /** One profile's view of them (see ProfileSettingsFeature). */
  forProfile(id: string): ProfileSettingsFeature;
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
  /** The settings as Settings shows them, with the profile it shows. */
  view(): SettingsView;
  /** Validates and saves, lets every follower apply it in turn, then shows the new view. */
  apply(requested: SettingsChanges): Promise<SettingsView>;
  follow(follower: SettingsFollower): void;
  /** Where Settings gets the tools Gemini may call and the notes Parley keeps (tools/tools-feature.ts). */
  showTools(view: (shown: ShownProfile) => Pick<SettingsView, 'tools' | 'memory' | 'mcp'>): void;
  /** Settings (and the tray) show this profile from now on. */
  showProfile(id: string): SettingsView;
  /** Sends the view as it is now to the windows, and tells its watchers (the tray). */
  showView(): SettingsView;
  watchView(watcher: () => void): void;
  /** Launch at login and the theme belong to the OS: applied at launch and whenever they change. */
  applyToSystem(): void;
  readonly invokes: Pick<
    InvokeHandlers,
    'getSettings' | 'updateSettings' | 'showProfile' | 'addProfile' | 'renameProfile' | 'deleteProfile'
  >;
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
  // The profile the settings window shows; the first one until it shows another.
  const shown = { id: settings.profiles[0]!.id };
  const deviceChoice = () => devices.choose(settings);
  let toolsView: (shown: ShownProfile) => Pick<SettingsView, 'tools' | 'memory' | 'mcp'> = () => ({
    tools: [],
    memory: [],
    mcp: { file: '', servers: [], problems: [] },
  });
  const platform = {
    launchAtLoginSupported: ports.app.launchAtLoginSupported,
    focusedWindow: focusedWindowSupport(ports.app.platform, ports.env),
  };
  // A deleted profile is shown no more: the first one is.
  const shownProfile = (): ShownProfile => {
    const id = settings.profiles.some((profile) => profile.id === shown.id) ? shown.id : settings.profiles[0]!.id;
    return { id, current: profileSettings(settings, id)! };
  };
  const view = () => {
    const profile = shownProfile();
    return settingsViewOf(settings, profile.id, platform, live.pinnedApiVersion, {
      devices: devices.present,
      deviceNotes: deviceChoice().notes,
      connection: live.connectionView(profile.current),
      notSaved: store.saveProblem && notSaved(store.saveProblem),
      ...toolsView(profile),
    });
  };
  const showView = () => {
    const shown = view();
    emit('settingsChanged', shown);
    for (const watcher of watchers) watcher();
    return shown;
  };
  const apply = async (requested: SettingsChanges) => {
    const changes = await checkedEndpointChange(checkedHotkeyChange(requested, settings, hotkeyContext), live);
    const before = settings;
    const updated = store.update(changes);
    if (!updated.ok) throw new Error(`Settings not changed: ${updated.error}`);
    settings = updated.settings;
    notes.check();
    const changed = changedKeys(before, settings);
    const change = {
      before,
      after: settings,
      touches: (keys: readonly string[]) => keys.some((key) => changed.has(key)),
    };
    for (const follower of followers) await follower(change);
    return showView();
  };
  const system = systemSettings(ports.app, () => settings);
  followers.push(system.follower);
  const showProfile = (id: string) => {
    shown.id = id;
    return showView();
  };
  const forProfile = (id: string): ProfileSettingsFeature =>
    profileFeature(id, () => settings, { live, deviceChoice, apply, follow: (follower) => followers.push(follower) });
  return {
    get current() {
      return settings;
    },
    forProfile,
    tellUser: notes.tellUser,
    live,
    devices,
    deviceChoice,
    view,
    apply,
    follow: (follower) => void followers.push(follower),
    showTools: (view) => (toolsView = view),
    showView,
    showProfile,
    watchView: (watcher) => void watchers.push(watcher),
    applyToSystem: system.applyAll,
    invokes: {
      getSettings: () => view(),
      updateSettings: (patch) => apply(patch),
      ...profileHandlers({
        current: () => settings,
        apply,
        show: showProfile,
        confirm: (question) => ports.app.confirm(question),
        hotkeyContext,
      }),
    },
  };
}

/** A profile's facade over the settings: its view, its changes, and the saves that concern it. */
function profileFeature(
  id: string,
  settings: () => AppSettings,
  all: {
    live: LiveTarget;
    deviceChoice: () => DeviceChoice;
    apply: (changes: SettingsChanges) => Promise<SettingsView>;
    follow: (follower: SettingsFollower) => void;
  },
): ProfileSettingsFeature {
  let last = profileSettings(settings(), id);
  if (!last) throw new Error(`There is no profile ${id}.`);
  const current = () => (last = profileSettings(settings(), id) ?? last!);
  return {
    id,
    get current() {
      return current();
    },
    live: all.live.forProfile(current),
    deviceChoice: all.deviceChoice,
    apply: (changes) => all.apply({ ...changes, profile: id }),
    follow(follower) {
      all.follow(({ before, after }) => {
        const [was, is] = [profileSettings(before, id), profileSettings(after, id)];
        if (!was || !is) return;
        const changed = changedKeys(was, is);
        return follower({ before: was, after: is, touches: (keys) => keys.some((key) => changed.has(key)) });
      });
    },
  };
}

/** A new endpoint is saved in the form the SDK needs, and refused with the reason if the key may not go there. */
async function checkedEndpointChange(changes: SettingsChanges, live: LiveTarget): Promise<SettingsChanges> {
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
