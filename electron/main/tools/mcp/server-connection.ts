/**
 * One live connection to one MCP server, over stdio (a child process) or Streamable HTTP, through
 * the official SDK client. It lists the tools, follows `notifications/tools/list_changed`, and
 * reports a connection that closes on its own (a crash, a network drop) so the manager can show
 * it and restart the server later.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';

export type ConnectionTarget =
  | { transport: 'stdio'; command: string; args: string[]; env: Record<string, string> }
  | { transport: 'http'; url: string; headers: Record<string, string> };

export interface ConnectionEvents {
  toolsChanged(tools: Tool[]): void;
  /** The connection closed without `close()` being called: the process exited, or the link broke. */
  closedUnexpectedly(): void;
}

/** The last lines a server wrote on stderr: what Settings shows when it fails. */
export class StderrTail {
  private lines: string[] = [];
  private partial = '';

  constructor(private readonly maxLines = 20) {}

  write(chunk: string): void {
    const lines = (this.partial + chunk).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    // A server that prints a megabyte on one line must not fill Settings with it.
    this.lines.push(...lines.map((line) => line.slice(0, 1000)));
    this.lines = this.lines.slice(-this.maxLines);
  }

  snapshot(): string[] {
    const last = this.partial ? [this.partial.slice(0, 1000)] : [];
    return [...this.lines, ...last].slice(-this.maxLines);
  }

  clear(): void {
    this.lines = [];
    this.partial = '';
  }
}

function createTransport(target: ConnectionTarget, stderr: StderrTail): Transport {
  if (target.transport === 'http') {
    return new StreamableHTTPClientTransport(new URL(target.url), { requestInit: { headers: target.headers } });
  }
  // `env` is given in full: the SDK adds only HOME, LOGNAME, PATH, SHELL, TERM and USER from
  // Parley's own environment underneath it (getDefaultEnvironment), none of them a secret.
  const transport = new StdioClientTransport({
    command: target.command,
    args: target.args,
    env: target.env,
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => stderr.write(chunk.toString('utf8')));
  return transport;
}

async function listAllTools(client: Client, signal?: AbortSignal): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? undefined : { cursor }, { signal });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

export class ServerConnection {
  private closing = false;

  private constructor(
    private readonly client: Client,
    private readonly transport: Transport,
    public tools: Tool[],
  ) {}

  /** Starts or reaches the server, and lists its tools. `signal` gives up (and stops the process). */
  static async open(
    target: ConnectionTarget,
    events: ConnectionEvents,
    options: { stderr: StderrTail; signal: AbortSignal; timeoutMs: number },
  ): Promise<ServerConnection> {
    const client = new Client(
      { name: 'Parley', version: '1' },
      // The SDK debounces bursts of notifications; Parley lists the tools itself (all pages).
      { listChanged: { tools: { autoRefresh: false, onChanged: () => void connection?.relistTools(events) } } },
    );
    const transport = createTransport(target, options.stderr);
    let connection: ServerConnection | undefined;
    client.onclose = () => {
      if (connection && !connection.closing) events.closedUnexpectedly();
    };
    try {
      const requestOptions = { signal: options.signal, timeout: options.timeoutMs };
      await client.connect(transport, requestOptions);
      connection = new ServerConnection(client, transport, await listAllTools(client, options.signal));
      return connection;
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  private async relistTools(events: ConnectionEvents): Promise<void> {
    try {
      this.tools = await listAllTools(this.client);
      events.toolsChanged(this.tools);
    } catch {
      // The list stays as it was; a connection that broke is reported by `onclose`.
    }
  }

  callTool(
    name: string,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal; timeoutMs: number },
  ): Promise<CallToolResult> {
    // The SDK sends notifications/cancelled to the server when `signal` aborts or `timeout` passes.
    const requestOptions = { signal: options.signal, timeout: options.timeoutMs };
    return this.client.callTool({ name, arguments: args }, undefined, requestOptions) as Promise<CallToolResult>;
  }

  /** Ends the session; a stdio server gets its stdin closed, then SIGTERM, then SIGKILL (the SDK's close). */
  async close(): Promise<void> {
    this.closing = true;
    if (this.transport instanceof StreamableHTTPClientTransport) {
      await this.transport.terminateSession().catch(() => undefined);
    }
    await this.client.close();
  }
}
