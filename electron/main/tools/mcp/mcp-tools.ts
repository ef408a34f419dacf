import { join } from 'node:path';
import type { McpServerView, McpStoredValue, McpView } from '../../../../shared/tools';
import { ToolFailure, type JsonSchema, type Tool } from '../tool';
import type { ConfigProblem, McpConfigDocument, McpServerConfig, ParsedMcpConfig } from './mcp-config';
import { McpConfigFile } from './mcp-config-file';
import { McpServers, type McpServersOptions, type McpTool } from './mcp-servers';
import type { SecretStorePort } from '../../credentials/api-key-store';
import { isSealed, SealedValues } from './sealed-values';

/**
 * The tools of the user's MCP servers (mcp.json in the user-data folder), as Gemini may call
 * them. Everything a server says about its tools is untrusted: it asks before every call unless
 * the user allowed it always, and then only while its description stays the one they allowed.
 */
export class McpToolSource {
  private readonly servers: McpServers;
  private problems: ConfigProblem[] = [];
  private document: McpConfigDocument = { servers: [], unreadable: {}, extra: {} };
  readonly config: McpConfigFile;

  /** The values of variables and headers Parley keeps encrypted in mcp.json. */
  readonly sealed: SealedValues;

  constructor(userDataPath: string, secrets: SecretStorePort, options: McpServersOptions = {}) {
    this.config = new McpConfigFile(join(userDataPath, 'mcp.json'));
    this.sealed = new SealedValues(secrets);
    const resolve = this.sealed.resolve;
    this.servers = new McpServers({ ...options, resolveHeader: resolve, resolveEnv: resolve });
  }

  get file(): string {
    return this.config.path;
  }

  /** Reads mcp.json and starts its servers (a missing file is no server at all); resolves once each start settled. */
  async start(): Promise<void> {
    const { started } = await this.config.exclusive(() => this.use(this.config.read()));
    await started;
  }

  /**
   * Runs this config from now on: decrypts its values, then starts, stops and restarts the servers
   * that changed. Resolves once the view shows it; `started` settles once every start has.
   */
  async use(parsed: ParsedMcpConfig): Promise<{ started: Promise<void> }> {
    await this.sealed.open(parsed.document.servers);
    this.document = parsed.document;
    this.problems = parsed.problems;
    return { started: this.servers.reload(parsed.document.servers) };
  }

  onChange(listener: () => void): () => void {
    return this.servers.onChange(listener);
  }

  tools(): Tool[] {
    return this.servers.tools().map((tool) => this.asTool(tool));
  }

  /** The servers and their state, with names but never values of their variables and headers. */
  view(): McpView {
    const configs = new Map(this.document.servers.map((config) => [config.name, config]));
    return {
      file: this.file,
      servers: this.servers.states().map((state) => ({
        name: state.name,
        transport: state.transport,
        status: state.status,
        toolCount: state.tools.length,
        ...(state.reason ? { reason: state.reason } : {}),
        stderrTail: state.stderrTail,
        withheldEnv: state.withheldEnv,
        ...configView(configs.get(state.name)),
      })),
      problems: this.problems.map(({ server, message }) => (server ? `${server}: ${message}` : message)),
      ...(this.sealed.weakEncryption && { weakEncryption: true }),
    };
  }

  dispose(): Promise<void> {
    return this.servers.dispose();
  }

  private asTool(tool: McpTool): Tool {
    return {
      name: tool.geminiName,
      title: tool.tool,
      server: tool.server,
      description: tool.description,
      parameters: tool.inputSchema as JsonSchema,
      readOnly: false,
      scheduling: 'WHEN_IDLE',
      run: async (args, { signal }) => {
        // The call's own limit applies around this one; the server's is only a backstop.
        const outcome = await this.servers.call(tool.geminiName, args, { signal, timeoutMs: 600_000 });
        if (!outcome.ok) throw new ToolFailure(outcome.error);
        return outcome.text;
      },
    };
  }
}

/** What the server form shows of a server: how it runs, and only the names of its values. */
function configView(config: McpServerConfig | undefined): Partial<McpServerView> {
  if (!config) return {};
  return config.transport === 'stdio'
    ? { command: config.command, args: config.args, env: storedValues(config.env) }
    : { url: config.url, headers: storedValues(config.headers) };
}

function storedValues(values: Record<string, string>): McpStoredValue[] {
  return Object.entries(values).map(([name, stored]) => ({ name, encrypted: isSealed(stored), empty: stored === '' }));
}
