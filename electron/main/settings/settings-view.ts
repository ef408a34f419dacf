import type { SettingsView } from '../../../shared/settings';
import { capabilitiesOf, controlStates, offeredModels } from '../live/model-capabilities';
import type { AppSettings } from './defaults';

/** The settings with what the chosen model allows, as the settings window and the tray show them. */
export function settingsViewOf(settings: AppSettings, pinnedApiVersion?: string): SettingsView {
  const capabilities = capabilitiesOf(settings.model);
  return {
    settings,
    controls: controlStates(settings.model, settings, pinnedApiVersion),
    models: [...offeredModels],
    voices: [...capabilities.voices],
    thinkingLevels: [...capabilities.thinkingLevels],
  };
}
