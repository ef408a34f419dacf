/**
 * Settings → Tools edits the MCP servers: each change is made to mcp.json as it is on disk now,
 * written whole (or not at all, saying why), and the servers follow: those added or changed start,
 * those removed or turned off stop. What a window gets back names variables and headers, never
 * their values.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { McpEditResult, McpImportResult, SettingsView } from '../../../../shared/settings';
import type { McpFieldProblem } from '../../../../shared/tools';
import type { InvokeHandlers } from '../../ipc/router';
import type { OpenDialogPort } from '../../ports';
import { explainWriteError } from '../../storage/write-problems';
import { importClaudeDesktopConfig, type McpConfigDocument, type ParsedMcpConfig } from './mcp-config';
import { importServers, removeServer, saveServer, setServerEnabled, type Edit } from './mcp-config-editor';
import type { McpToolSource } from './mcp-tools';

export type McpSettingsInvokes = Pick<
  InvokeHandlers,
  'saveMcpServer' | 'removeMcpServer' | 'setMcpServerEnabled' | 'importMcpServers'
>;

export interface McpSettingsDeps {
  source: McpToolSource;
  openDialog: OpenDialogPort;
  /** Sends the settings view to the windows, and returns it. */
  showView: () => SettingsView;
}

/** A claude_desktop_config.json is a few kilobytes; a much larger file is something else. */
const importMaxBytes = 1024 * 1024;

export function mcpSettingsInvokes({ source, openDialog, showView }: McpSettingsDeps): McpSettingsInvokes {
  const seal = (plain: string) => source.sealed.seal(plain);
  const file = source.config;

  /** Writes the document and runs it; or why it could not be written (then nothing changed). */
  async function commit(document: McpConfigDocument): Promise<string | undefined> {
    let written: ParsedMcpConfig;
    try {
      written = file.write(document);
    } catch (error) {
      const { what, until } = explainWriteError(error, 'the user-data folder');
      return `mcp.json could not be saved: ${what} (${dirname(file.path)}). Nothing was changed; try again once ${until}.`;
    }
    // Not waiting for the servers to start: the view shows them starting, then how it went.
    await source.use(written);
    return undefined;
  }

  /** Makes a change to mcp.json as it is now; the problems that kept it from being saved. */
  async function changeFile(edit: (document: McpConfigDocument) => Edit | Promise<Edit>): Promise<McpFieldProblem[]> {
    const current = file.read();
    if (current.unwritable) return [{ field: '', message: current.unwritable }];
    const outcome = await edit(current.document);
    if ('problems' in outcome) return outcome.problems;
    const problem = await commit(outcome.document);
    return problem ? [{ field: '', message: problem }] : [];
  }

  /** One change at a time: the next starts from what the one before wrote. */
  const change = (edit: (document: McpConfigDocument) => Edit | Promise<Edit>): Promise<McpEditResult> =>
    file.exclusive(async () => {
      const problems = await changeFile(edit);
      return { saved: problems.length === 0, problems, settings: showView() };
    });

  return {
    saveMcpServer: (draft) => change((document) => saveServer(document, draft, seal)),
    removeMcpServer: ({ name }) => change((document) => removeServer(document, name)),
    setMcpServerEnabled: ({ name, enabled }) => change((document) => setServerEnabled(document, name, enabled)),
    importMcpServers: async () => {
      const chosen = await openDialog.openFile({
        title: 'Import MCP servers from Claude Desktop',
        defaultPath: claudeDesktopConfig(dirname(file.path)),
        filters: [{ name: 'Claude Desktop configuration', extensions: ['json'] }],
      });
      if (chosen === undefined) return { imported: [], skipped: [], settings: showView() };
      const summary = await file.exclusive(() => importFrom(chosen));
      return { file: chosen, ...summary, settings: showView() };
    },
  };

  async function importFrom(chosen: string): Promise<Omit<McpImportResult, 'file' | 'settings'>> {
    const nothing = (problem: string) => ({ imported: [], skipped: [], problem });
    const text = readSmallFile(chosen);
    if (typeof text !== 'string') return nothing(text.problem);
    const found = importClaudeDesktopConfig(text);
    const wholeFile = found.problems.find((problem) => problem.server === undefined);
    if (wholeFile) return nothing(`That file cannot be imported (${wholeFile.message}).`);
    if (found.servers.length === 0 && found.problems.length === 0) return nothing('That file lists no MCP servers.');
    const current = file.read();
    if (current.unwritable) return nothing(current.unwritable);
    const { document, imported, skipped, note } = await importServers(current.document, found, seal);
    if (imported.length > 0) {
      const problem = await commit(document);
      if (problem) return { imported: [], skipped, problem };
    }
    return { imported, skipped, ...(note && { note }) };
  }
}

function readSmallFile(path: string): string | { problem: string } {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { problem: 'That is not a file.' };
    if (stat.size > importMaxBytes) return { problem: 'That file is too large to be a Claude Desktop configuration.' };
    return readFileSync(path, 'utf8');
  } catch (error) {
    return { problem: `That file cannot be read: ${(error as Error).message}` };
  }
}

/**
 * Where Claude Desktop keeps its config, beside Parley's own folder (Electron puts both in the
 * system's application-data folder), for the dialog to open there; undefined where it is not.
 */
function claudeDesktopConfig(userDataPath: string): string | undefined {
  const folder = join(dirname(userDataPath), 'Claude');
  if (!existsSync(folder)) return undefined;
  const config = join(folder, 'claude_desktop_config.json');
  return existsSync(config) ? config : folder;
}
