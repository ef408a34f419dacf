/**
 * The MCP servers of `mcp.json`, running: each one's state for Settings (starting, connected with
 * its tools, failed with the reason and its last stderr lines, disabled), the tools under their
 * Gemini names, and the calls. A server that dies shows as failed and is started again on the
 * next call to one of its tools, with a growing pause between restarts so a server that crashes
 * at once is not restarted in a loop.
 */
import { McpError, ErrorCode, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from './mcp-config';
import { loginShellPath } from './login-shell-path';
import { ServerConnection, StderrTail, type ConnectionTarget } from './server-connection';
import { serverEnvironment } from './server-environment';
import { nameTools, type ToolKey } from './tool-names';
import { toolOutcome, type ToolOutcome } from './tool-result-text';

export type { ToolOutcome };

export interface McpTool extends ToolKey {
  geminiName: string;
  description: string;
  inputSchema: Tool['inputSchema'];
}

export type McpServerStatus = 'disabled' | 'starting' | 'connected' | 'failed';

/** What Settings shows for one server. */
export interface McpServerState {
  name: string;
  transport: McpServerConfig['transport'];
  status: McpServerStatus;
  /** Connected: its tools. Failed after it had connected: the tools it had, which a call restarts. */
  tools: McpTool[];
  /** Failed: why. */
  reason?: string;
  /** Failed: when (epoch ms) the next call may start it again. */
  retryAt?: number;
  /** The last lines the server wrote on stderr (stdio servers). */
  stderrTail: string[];
  /** Variables of the config's `env` that were not passed on (GEMINI_, GOOGLE_, PARLEY_). */
  withheldEnv: string[];
}

/** The value to send for a header or variable, from the stored one (which may be encrypted); throws if it cannot. */
export type ValueResolver = (serverName: string, name: string, storedValue: string) => string;

export interface McpServersOptions {
  /** The environment Parley was started with; default `process.env`. */
  parentEnv?: Readonly<Record<string, string | undefined>>;
  /** Default `process.platform`. */
  platform?: string;
  /** The PATH stdio servers get; default the login shell's, asked once. */
  resolvePath?: () => Promise<string>;
  resolveHeader?: ValueResolver;
  /** The same for the values of a stdio server's `env`. */
  resolveEnv?: ValueResolver;
  /** How long a server may take to start and list its tools; default 30 s. */
  startTimeoutMs?: number;
  /** The pause before the first restart, doubled after each failure up to `maxMs`; default 1 s to 60 s. */
  backoff?: { firstMs: number; maxMs: number };
  /** Default `Date.now`; tests pass their own clock. */
  now?: () => number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Default 60 s. */
  timeoutMs?: number;
}

/** One configured server and what is known about it. */
interface Managed {
  config: McpServerConfig;
  status: McpServerStatus;
  reason?: string;
  connection?: ServerConnection;
  /** The start under way, and the way to give it up. */
  opening?: { done: Promise<void>; abort: AbortController };
  tools: Tool[];
  failures: number;
  retryAt?: number;
  stderr: StderrTail;
  withheldEnv: string[];
  /** Bumped on every start and stop, so late events of an older connection are ignored. */
  generation: number;
}

const defaultCallTimeoutMs = 60_000;

/** What the config says about how to run the server; `extra` (other apps' fields) does not matter. */
function runKey(config: McpServerConfig): string {
  const { extra: _extra, name: _name, ...run } = config;
  return JSON.stringify(run);
}

function seconds(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))} s`;
}

export class McpServers {
  private readonly managed = new Map<string, Managed>();
  private readonly listeners = new Set<() => void>();
  private named = new Map<string, McpTool>();
  private disposed = false;
  private readonly options: Required<Omit<McpServersOptions, 'resolvePath'>>;
  private readonly resolvePath: () => Promise<string>;

  constructor(options: McpServersOptions = {}) {
    this.options = {
      parentEnv: options.parentEnv ?? process.env,
      platform: options.platform ?? process.platform,
      resolveHeader: options.resolveHeader ?? ((_server, _header, value) => value),
      resolveEnv: options.resolveEnv ?? ((_server, _variable, value) => value),
      startTimeoutMs: options.startTimeoutMs ?? 30_000,
      backoff: options.backoff ?? { firstMs: 1000, maxMs: 60_000 },
      now: options.now ?? Date.now,
    };
    this.resolvePath = options.resolvePath ?? this.loginShellPathOnce();
  }

  private loginShellPathOnce(): () => Promise<string> {
    let path: Promise<string> | undefined;
    return () => (path ??= loginShellPath({ platform: this.options.platform, env: this.options.parentEnv }));
  }

  /** Listens for any change of state or tools; returns the way to stop listening. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Every configured server, in the config's order. */
  states(): McpServerState[] {
    return [...this.managed.values()].map((server) => this.stateOf(server));
  }

  private stateOf(server: Managed): McpServerState {
    return {
      name: server.config.name,
      transport: server.config.transport,
      status: server.status,
      tools: this.toolsOf(server.config.name),
      ...(server.reason !== undefined && { reason: server.reason }),
      ...(server.retryAt !== undefined && { retryAt: server.retryAt }),
      stderrTail: server.stderr.snapshot(),
      withheldEnv: server.withheldEnv,
    };
  }

  /** The tools to declare to Gemini: those of every enabled server whose tools are known. */
  tools(): McpTool[] {
    return [...this.named.values()];
  }

  private toolsOf(serverName: string): McpTool[] {
    return this.tools().filter((tool) => tool.server === serverName);
  }

  /** Gives every tool its Gemini name again, after any server's list changed. */
  private renameTools(): void {
    const listed = [...this.managed.values()]
      .filter((server) => server.status !== 'disabled')
      .flatMap((server) => server.tools.map((tool) => ({ server: server.config.name, tool: tool.name, listed: tool })));
    const named = nameTools(listed);
    this.named = new Map(
      named.map(({ server, tool, geminiName }, index) => {
        const { description = '', inputSchema } = listed[index]!.listed;
        return [geminiName, { server, tool, geminiName, description, inputSchema }];
      }),
    );
  }

  /**
   * Applies a new config: starts the servers added or enabled, stops those removed or disabled,
   * restarts those whose command, address, environment or headers changed. Resolves once every
   * start has settled (connected or failed).
   */
  async reload(configs: readonly McpServerConfig[]): Promise<void> {
    if (this.disposed) return;
    const previous = new Map(this.managed);
    this.managed.clear();
    const stops: Promise<void>[] = [];
    const starts: Managed[] = [];
    for (const config of configs) {
      const kept = previous.get(config.name);
      previous.delete(config.name);
      if (kept && runKey(kept.config) === runKey(config)) {
        // Same command and settings: it keeps running; only fields Parley ignores may differ.
        kept.config = config;
        this.managed.set(config.name, kept);
        continue;
      }
      if (kept) stops.push(this.stop(kept));
      // A changed server starts over: a new stderr tail, no pause inherited from its old command.
      const server = fresh(config);
      this.managed.set(config.name, server);
      if (!config.disabled) starts.push(server);
    }
    for (const removed of previous.values()) stops.push(this.stop(removed));
    this.renameTools();
    this.notify();
    await Promise.all(stops);
    await Promise.all(starts.map((server) => this.start(server)));
  }

  /** Stops a server and starts it again at once, whatever its pause (Settings' "Retry"). */
  async restart(name: string): Promise<void> {
    const server = this.managed.get(name);
    if (!server || server.config.disabled || this.disposed) return;
    await this.stop(server);
    server.failures = 0;
    await this.start(server);
  }

  /** Stops every server; stdio servers' processes end (SIGTERM, then SIGKILL if they linger). */
  async dispose(): Promise<void> {
    this.disposed = true;
    const servers = [...this.managed.values()];
    this.managed.clear();
    this.named.clear();
    await Promise.all(servers.map((server) => this.stop(server)));
    this.listeners.clear();
  }

  private start(server: Managed): Promise<void> {
    const abort = new AbortController();
    const generation = ++server.generation;
    server.status = 'starting';
    server.reason = server.retryAt = undefined;
    server.stderr.clear();
    this.notify();
    const done = this.connect(server, generation, abort.signal).finally(() => {
      if (server.opening?.abort === abort) server.opening = undefined;
    });
    server.opening = { done, abort };
    return done;
  }

  private async connect(server: Managed, generation: number, signal: AbortSignal): Promise<void> {
    try {
      const target = await this.targetOf(server);
      const events = this.eventsFor(server, generation);
      const options = { stderr: server.stderr, signal, timeoutMs: this.options.startTimeoutMs };
      const connection = await ServerConnection.open(target, events, options);
      if (generation !== server.generation) return void (await connection.close());
      server.connection = connection;
      server.tools = connection.tools;
      server.status = 'connected';
      this.renameTools();
      this.notify();
    } catch (error) {
      if (generation === server.generation) this.fail(server, startFailure(error, server.config));
    }
  }

  private async targetOf(server: Managed): Promise<ConnectionTarget> {
    const { config } = server;
    if (config.transport === 'http') {
      const headers = Object.fromEntries(
        Object.entries(config.headers).map(([header, stored]) => [
          header,
          this.options.resolveHeader(config.name, header, stored),
        ]),
      );
      return { transport: 'http', url: config.url, headers };
    }
    const { parentEnv, platform } = this.options;
    const configured = Object.fromEntries(
      Object.entries(config.env).map(([variable, stored]) => [
        variable,
        this.options.resolveEnv(config.name, variable, stored),
      ]),
    );
    const environment = serverEnvironment({
      configured,
      parentEnv,
      platform,
      path: await this.resolvePath(),
    });
    server.withheldEnv = environment.withheld;
    return { transport: 'stdio', command: config.command, args: config.args, env: environment.env };
  }

  private eventsFor(server: Managed, generation: number) {
    return {
      toolsChanged: (tools: Tool[]) => {
        if (generation !== server.generation) return;
        server.tools = tools;
        this.renameTools();
        this.notify();
      },
      closedUnexpectedly: () => {
        if (generation === server.generation) this.died(server, 'The server stopped unexpectedly.');
      },
    };
  }

  /** The connection broke: forget it (its late events are ignored) and wait for a call to restart it. */
  private died(server: Managed, reason: string): void {
    server.generation++;
    void server.connection?.close().catch(() => undefined);
    server.connection = undefined;
    this.fail(server, reason);
  }

  private fail(server: Managed, reason: string): void {
    const { firstMs, maxMs } = this.options.backoff;
    const pause = Math.min(firstMs * 2 ** server.failures, maxMs);
    server.failures++;
    server.status = 'failed';
    server.reason = reason;
    server.retryAt = this.options.now() + pause;
    this.notify();
  }

  private async stop(server: Managed): Promise<void> {
    server.generation++;
    const { opening, connection } = server;
    opening?.abort.abort();
    server.connection = undefined;
    await Promise.all([opening?.done, connection?.close().catch(() => undefined)]);
  }

  /**
   * Calls a tool by its Gemini name. Never throws: a failure, a cancellation (`signal`) or a
   * timeout is an `{ ok: false, error }` that says what happened. Aborting sends the server
   * notifications/cancelled.
   */
  async call(geminiName: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<ToolOutcome> {
    const tool = this.named.get(geminiName);
    const server = tool && this.managed.get(tool.server);
    if (!tool || !server) return { ok: false, error: `There is no MCP tool named "${geminiName}".` };
    const connection = await this.ready(server);
    if (options.signal?.aborted) return { ok: false, error: 'The call was cancelled.' };
    if (typeof connection === 'string') return { ok: false, error: connection };
    const timeoutMs = options.timeoutMs ?? defaultCallTimeoutMs;
    try {
      const result = await connection.callTool(tool.tool, args, { signal: options.signal, timeoutMs });
      server.failures = 0;
      return toolOutcome(result);
    } catch (error) {
      return { ok: false, error: this.callFailure(server, connection, error, { ...options, timeoutMs }) };
    }
  }

  /** The connection to call through, the server started again if it died and its pause is over; or why not. */
  private async ready(server: Managed): Promise<ServerConnection | string> {
    const name = server.config.name;
    if (server.status === 'failed') {
      const wait = (server.retryAt ?? 0) - this.options.now();
      if (wait > 0) {
        return `The MCP server "${name}" is not running (${server.reason}). Parley will try to start it again in ${seconds(wait)}.`;
      }
      await this.start(server);
    } else if (server.opening) {
      await server.opening.done;
    }
    return server.connection ?? `The MCP server "${name}" could not be started: ${server.reason ?? server.status}`;
  }

  private callFailure(
    server: Managed,
    connection: ServerConnection,
    error: unknown,
    options: CallOptions & { timeoutMs: number },
  ): string {
    const name = server.config.name;
    if (options.signal?.aborted) return 'The call was cancelled.';
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
      return `The MCP server "${name}" did not answer within ${seconds(options.timeoutMs)}; the call was cancelled.`;
    }
    // The server answered with an error: it is alive.
    if (error instanceof McpError && error.code !== ErrorCode.ConnectionClosed) {
      return `The MCP server "${name}" refused the call: ${error.message}`;
    }
    // The process is gone or the link broke: the server is restarted on a later call.
    if (server.connection === connection) this.died(server, `The connection broke: ${messageOf(error)}`);
    const why = server.status === 'failed' ? ` (${server.reason})` : '';
    return `The MCP server "${name}" stopped during the call${why}.`;
  }
}

function fresh(config: McpServerConfig): Managed {
  return {
    config,
    status: config.disabled ? 'disabled' : 'starting',
    tools: [],
    failures: 0,
    stderr: new StderrTail(),
    withheldEnv: [],
    generation: 0,
  };
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch puts the network error (ECONNREFUSED…) in `cause`.
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/** Why a server could not start, in words that say what to do. */
function startFailure(error: unknown, config: McpServerConfig): string {
  if (config.transport === 'stdio' && (error as NodeJS.ErrnoException).code === 'ENOENT') {
    return `The command "${config.command}" was not found. Check that it is installed and on your login shell's PATH.`;
  }
  if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
    return 'The server exited while starting (its last output is below).';
  }
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
    return 'The server did not finish starting in time.';
  }
  return `Could not ${config.transport === 'stdio' ? 'start' : 'connect'}: ${messageOf(error)}`;
}
