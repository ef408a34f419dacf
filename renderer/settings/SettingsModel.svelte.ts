import type { SettingsPatch, SettingsView } from '../../shared/settings';
import { parley } from '../lib/parley';

/** The settings window's state: the view from main, kept live, and the last problem saving a change. */
export class SettingsModel {
  view = $state<SettingsView | undefined>();
  error = $state<string | undefined>();
  saved = $state(false);
  private readonly stop = parley.onSettingsChanged((view) => (this.view = view));

  async load(): Promise<void> {
    const result = await parley.getSettings();
    if (result.ok) this.view = result.value;
    else this.error = result.error.message;
  }

  /** Saves a change; false when main refused it (the reason is in `error`). */
  async change(patch: SettingsPatch): Promise<boolean> {
    const result = await parley.updateSettings(patch);
    if (result.ok) {
      this.view = result.value;
      this.error = undefined;
      this.saved = true;
    } else {
      this.error = result.error.message.replace(/^updateSettings: /, '');
      this.saved = false;
    }
    return result.ok;
  }

  /** Replaces the notes Parley keeps; the reason main refused them, or undefined once saved. */
  async setMemory(notes: string[]): Promise<string | undefined> {
    const result = await parley.setMemory(notes);
    if (!result.ok) return result.error.message.replace(/^setMemory failed: /, '');
    this.view = result.value;
    return undefined;
  }

  /** Whether the chosen model takes a control, and why not. */
  control(name: string): { enabled: boolean; reason?: string } {
    return this.view?.controls[name] ?? { enabled: true };
  }

  dispose(): void {
    this.stop();
  }
}
