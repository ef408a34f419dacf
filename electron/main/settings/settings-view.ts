import type { SettingsView } from '../../../shared/settings';
import { capabilitiesOf, controlStates, offeredModels } from '../live/model-capabilities';
import { compressionForScreen, effectiveSessionSettings } from '../live/session-settings';
import type { FocusedWindowSupport } from '../screen/focused-window';
import { toolControls } from '../tools/tool-setup';
import type { AppSettings } from './defaults';
import { profileSettings } from './profiles';

const launchAtLoginUnsupported =
  "Electron cannot register login items here: add Parley to your desktop's autostart applications instead.";

/**
 * One profile's settings (the first when `profileId` is not one of them) with the global ones and
 * what its model allows, as the settings window and the tray show them.
 */
export function settingsViewOf(
  all: AppSettings,
  profileId: string,
  platform: { launchAtLoginSupported: boolean; focusedWindow?: FocusedWindowSupport },
  pinnedApiVersion?: string,
  runtime: Pick<SettingsView, 'devices' | 'deviceNotes' | 'connection' | 'notSaved' | 'tools' | 'memory' | 'mcp'> = {
    devices: { inputs: [], outputs: [] },
    deviceNotes: {},
    connection: { endpointFrom: 'default', apiVersion: 'v1beta', apiVersionFrom: 'model' },
    tools: [],
    memory: [],
    mcp: { file: '', servers: [], problems: [] },
  },
): SettingsView {
  const shown = all.profiles.find((profile) => profile.id === profileId) ?? all.profiles[0]!;
  const settings = effectiveSessionSettings(profileSettings(all, shown.id)!);
  const capabilities = capabilitiesOf(settings.model);
  const states = controlStates(settings.model, settings, pinnedApiVersion);
  return {
    settings,
    profile: shown.id,
    profiles: all.profiles.map(({ id, name }) => ({ id, name })),
    controls: {
      ...states,
      ...(settings.screen.enabled &&
        states.contextCompression.enabled && { contextCompression: { enabled: false, reason: compressionForScreen } }),
      ...toolControls(settings.model, settings.tools),
      // A model that takes no pictures would end the session on the first one.
      screen: capabilities.video
        ? { enabled: true }
        : { enabled: false, reason: `${settings.model} takes no pictures of the screen` },
      // Showing the focused window needs a system that says which one it is.
      screenWindow: platform.focusedWindow ?? { enabled: true },
      launchAtLogin: platform.launchAtLoginSupported
        ? { enabled: true }
        : { enabled: false, reason: launchAtLoginUnsupported },
    },
    models: [...offeredModels],
    voices: [...capabilities.voices],
    thinkingLevels: [...capabilities.thinkingLevels],
    ...runtime,
  };
}
