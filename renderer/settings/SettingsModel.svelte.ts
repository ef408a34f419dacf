import type { IpcResult } from '../../shared/ipc/result';
import type { McpEditResult, McpImportResult, SettingsPatch, SettingsView } from '../../shared/settings';
import type { McpFieldProblem, McpServerDraft } from '../../shared/tools';
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

  /** Saves a change to the profile shown (and the global settings); false when main refused it (the reason is in `error`). */
  async change(patch: Omit<SettingsPatch, 'profile'>): Promise<boolean> {
    const result = await parley.updateSettings({ ...patch, profile: this.view?.profile });
    if (result.ok) {
      this.view = result.value;
      this.error = undefined;
      this.saved = true;
    } else {
      // Main's reason, without the name of the call it came through ("updateSettings failed: ").
      this.error = result.error.message.replace(/^updateSettings(?: failed)?: /, '');
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

  /** Adds or edits an MCP server; what main found wrong (nothing was saved then), or none once saved. */
  saveMcpServer(draft: McpServerDraft): Promise<McpFieldProblem[]> {
    return this.mcpChange(parley.saveMcpServer(draft));
  }

  removeMcpServer(name: string): Promise<McpFieldProblem[]> {
    return this.mcpChange(parley.removeMcpServer({ name }));
  }

  setMcpServerEnabled(name: string, enabled: boolean): Promise<McpFieldProblem[]> {
    return this.mcpChange(parley.setMcpServerEnabled({ name, enabled }));
  }

  /** Asks main to import the servers of a file the user chooses; what was imported and skipped, or why nothing was. */
  async importMcpServers(): Promise<Omit<McpImportResult, 'settings'>> {
    const result = await parley.importMcpServers();
    if (!result.ok) return { imported: [], skipped: [], problem: result.error.message };
    const { settings, ...summary } = result.value;
    this.view = settings;
    return summary;
  }

  private async mcpChange(call: Promise<IpcResult<McpEditResult>>): Promise<McpFieldProblem[]> {
    const result = await call;
    if (!result.ok) return [{ field: '', message: result.error.message }];
    this.view = result.value.settings;
    return result.value.problems;
  }

  /** A request about the profiles (show, add, rename, delete); false when main refused it (the reason is in `error`). */
  async profile(call: (api: typeof parley) => Promise<IpcResult<SettingsView>>): Promise<boolean> {
    const result = await call(parley);
    if (result.ok) {
      this.view = result.value;
      this.error = undefined;
    } else {
      this.error = result.error.message.replace(/^\w+(?: failed)?: /, '');
    }
    return result.ok;
  }

  /** Whether the chosen model takes a control, and why not. */
  control(name: string): { enabled: boolean; reason?: string } {
    return this.view?.controls[name] ?? { enabled: true };
  }

  dispose(): void {
    this.stop();
  }
}
