import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { McpView } from '../../../../shared/tools';
import { ToolFailure, type JsonSchema, type Tool } from '../tool';
import { parseMcpConfig, type ConfigProblem } from './mcp-config';
import { McpServers, type McpServersOptions, type McpTool } from './mcp-servers';

/**
 * The tools of the user's MCP servers (mcp.json in the user-data folder), as Gemini may call
 * them. Everything a server says about its tools is untrusted: it asks before every call unless
 * the user allowed it always, and then only while its description stays the one they allowed.
 */
export class McpToolSource {
  private readonly servers: McpServers;
  private problems: ConfigProblem[] = [];
  readonly file: string;

  constructor(userDataPath: string, options: McpServersOptions = {}) {
    this.file = join(userDataPath, 'mcp.json');
    this.servers = new McpServers(options);
  }

  /** Reads mcp.json and starts its servers; a missing file is no server at all. */
  async start(): Promise<void> {
    const parsed = parseMcpConfig(await this.read());
    this.problems = parsed.problems;
    await this.servers.reload(parsed.document.servers);
  }

  onChange(listener: () => void): () => void {
    return this.servers.onChange(listener);
  }

  tools(): Tool[] {
    return this.servers.tools().map((tool) => this.asTool(tool));
  }

  view(): McpView {
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
      })),
      problems: this.problems.map(({ server, message }) => (server ? `${server}: ${message}` : message)),
    };
  }

  dispose(): Promise<void> {
    return this.servers.dispose();
  }

  private async read(): Promise<string> {
    try {
      return await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      this.problems = [{ message: `${this.file} cannot be read: ${(error as Error).message}` }];
      return '';
    }
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
