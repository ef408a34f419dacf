import type { SettingsView } from '../../../shared/settings';
import type { HotkeyCheckContext } from '../hotkey/hotkey-check';
import type { InvokeHandlers } from '../ipc/router';
import type { AppPort } from '../ports';
import type { AppSettings } from './defaults';
import { newProfile, renamed, withoutProfile } from './profile-list';
import type { SettingsChanges } from './profiles';

export interface ProfileHandlerDeps {
  current(): AppSettings;
  apply(changes: SettingsChanges): Promise<SettingsView>;
  /** Settings shows this profile from now on; answers the view. */
  show(id: string): SettingsView;
  confirm: AppPort['confirm'];
  hotkeyContext: HotkeyCheckContext;
}

/** The settings window's profile list: show one, add one (shown at once), rename one, delete one after asking. */
export function profileHandlers(
  deps: ProfileHandlerDeps,
): Pick<InvokeHandlers, 'showProfile' | 'addProfile' | 'renameProfile' | 'deleteProfile'> {
  const profiles = () => deps.current().profiles;
  return {
    showProfile: ({ id }) => {
      if (!profiles().some((profile) => profile.id === id)) throw new Error('That profile no longer exists.');
      return deps.show(id);
    },
    addProfile: async (from) => {
      const profile = newProfile(profiles(), from, deps.hotkeyContext, systemLanguage());
      await deps.apply({ profiles: [...profiles(), profile] });
      return deps.show(profile.id);
    },
    renameProfile: ({ id, name }) => deps.apply({ profiles: renamed(profiles(), id, name) }),
    deleteProfile: async ({ id }) => {
      // The last profile is refused before anything is asked.
      withoutProfile(profiles(), id);
      const { name } = profiles().find((profile) => profile.id === id)!;
      const confirmed = await deps.confirm({
        message: `Delete the profile “${name}”?`,
        detail: 'Its hotkeys stop working and Gemini forgets its conversation. Its conversations stay in History.',
        confirmLabel: 'Delete profile',
      });
      // Asked again: the list may have changed while the dialog was open.
      return confirmed ? deps.apply({ profiles: withoutProfile(profiles(), id) }) : deps.show(id);
    },
  };
}

/** The language the system speaks (BCP-47), which Intl follows in main. */
function systemLanguage(): string {
  return Intl.DateTimeFormat().resolvedOptions().locale;
}
