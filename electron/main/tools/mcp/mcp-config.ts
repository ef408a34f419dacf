/**
 * `mcp.json`: the MCP servers the user configured, in the shape desktop apps already write
 * (`{"mcpServers": {"name": {"command", "args", "env"}}}`, plus `{"url", "headers"}` for Streamable
 * HTTP servers). Reading never throws and never drops what it cannot understand: each broken entry
 * gives a problem of its own, keeps its raw JSON and is written back unchanged, and fields other
 * apps add are kept when saving although Parley ignores them.
 */
import { z } from 'zod';

interface ServerCommon {
  /** The key in `mcpServers`, trimmed. */
  name: string;
  disabled: boolean;
  /** Fields Parley does not use, written back as they were. */
  extra: Record<string, unknown>;
}

export interface StdioServerConfig extends ServerCommon {
  transport: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface HttpServerConfig extends ServerCommon {
  transport: 'http';
  url: string;
  headers: Record<string, string>;
}

export type McpServerConfig = StdioServerConfig | HttpServerConfig;

/** A file or an entry Parley could not use, said so that the user can fix it. */
export interface ConfigProblem {
  /** The server's name, or undefined for a problem with the whole file. */
  server?: string;
  message: string;
}

export interface McpConfigDocument {
  servers: McpServerConfig[];
  /** Entries that could not be read, by their key, kept so that saving does not lose them. */
  unreadable: Record<string, unknown>;
  /** Top-level fields other than `mcpServers` (other apps keep settings there). */
  extra: Record<string, unknown>;
}

export interface ParsedMcpConfig {
  document: McpConfigDocument;
  problems: ConfigProblem[];
}

const stringMap = z.record(z.string(), z.string(), { error: 'must map names to text values' });

/** `type` as other apps write it; Parley tells the transport from `command` or `url` anyway. */
const knownTypes = ['stdio', 'http', 'streamable-http', 'streamableHttp'];
const typeField = z
  .string()
  .refine((type) => knownTypes.includes(type), {
    error: (issue) =>
      issue.input === 'sse'
        ? "the legacy SSE transport is not supported; use the server's Streamable HTTP address"
        : `unknown "type" (expected one of ${knownTypes.join(', ')})`,
  })
  .optional();

const stdioEntry = z.object({
  type: typeField,
  command: z.string({ error: '"command" must be text' }).trim().min(1, { error: '"command" is empty' }),
  args: z.array(z.string(), { error: '"args" must be a list of text values' }).default([]),
  env: stringMap.default({}),
  disabled: z.boolean({ error: '"disabled" must be true or false' }).default(false),
});

const httpUrl = z.url({ protocol: /^https?$/, error: '"url" must be an http:// or https:// address' });

const httpEntry = z.object({
  type: typeField,
  url: httpUrl,
  headers: stringMap.default({}),
  disabled: z.boolean({ error: '"disabled" must be true or false' }).default(false),
});

/** `type` is checked but not among them: it is the other apps' to keep, and is written back as it was. */
const knownFields = new Set(['command', 'args', 'env', 'url', 'headers', 'disabled']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutKnownFields(entry: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry).filter(([field]) => !knownFields.has(field)));
}

/** Each issue with where it is (`env.TOKEN: …`), so the user knows which value to fix. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 1 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

type EntryResult = { server: McpServerConfig } | { problem: string };

function parseEntry(name: string, entry: unknown): EntryResult {
  if (!isObject(entry)) return { problem: 'must be an object with "command" or "url"' };
  const hasCommand = 'command' in entry;
  const hasUrl = 'url' in entry;
  if (hasCommand && hasUrl) return { problem: 'has both "command" and "url"; keep one' };
  if (!hasCommand && !hasUrl) return { problem: 'needs a "command" (a local server) or a "url" (a remote one)' };
  const extra = withoutKnownFields(entry);
  if (hasCommand) {
    const parsed = stdioEntry.safeParse(entry);
    if (!parsed.success) return { problem: describeIssues(parsed.error) };
    const { command, args, env, disabled } = parsed.data;
    return { server: { name, transport: 'stdio', command, args, env, disabled, extra } };
  }
  const parsed = httpEntry.safeParse(entry);
  if (!parsed.success) return { problem: describeIssues(parsed.error) };
  const { url, headers, disabled } = parsed.data;
  return { server: { name, transport: 'http', url, headers, disabled, extra } };
}

function readJson(text: string): { value: unknown } | { problem: string } {
  if (text.trim() === '') return { value: {} };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { problem: `not valid JSON: ${(error as Error).message}` };
  }
}

/** Reads the text of an `mcp.json` (an empty text is an empty list). */
export function parseMcpConfig(text: string): ParsedMcpConfig {
  const document: McpConfigDocument = { servers: [], unreadable: {}, extra: {} };
  const json = readJson(text);
  if ('problem' in json) return { document, problems: [{ message: json.problem }] };
  if (!isObject(json.value)) return { document, problems: [{ message: 'must be a JSON object with "mcpServers"' }] };
  const { mcpServers = {}, ...extra } = json.value;
  document.extra = extra;
  if (!isObject(mcpServers)) return { document, problems: [{ message: '"mcpServers" must be an object' }] };
  const problems: ConfigProblem[] = [];
  const taken = new Set<string>();
  for (const [key, entry] of Object.entries(mcpServers)) {
    const name = key.trim();
    const result = nameProblem(name, taken) ?? parseEntry(name, entry);
    if ('problem' in result) {
      document.unreadable[key] = entry;
      problems.push({ server: key, message: `Server "${key}": ${result.problem}` });
    } else {
      taken.add(name);
      document.servers.push(result.server);
    }
  }
  return { document, problems };
}

function nameProblem(name: string, taken: ReadonlySet<string>): { problem: string } | undefined {
  if (name === '') return { problem: 'the name is empty' };
  if (taken.has(name)) return { problem: `another server is already named "${name}"` };
  return undefined;
}

function serializeServer(server: McpServerConfig): Record<string, unknown> {
  const known: Record<string, unknown> =
    server.transport === 'stdio'
      ? {
          command: server.command,
          ...(server.args.length > 0 && { args: server.args }),
          ...(Object.keys(server.env).length > 0 && { env: server.env }),
        }
      : { url: server.url, ...(Object.keys(server.headers).length > 0 && { headers: server.headers }) };
  return { ...known, ...(server.disabled && { disabled: true }), ...server.extra };
}

/** The document as pretty JSON, in the same shape `parseMcpConfig` reads. */
export function serializeMcpConfig(document: McpConfigDocument): string {
  const mcpServers: Record<string, unknown> = { ...document.unreadable };
  for (const server of document.servers) mcpServers[server.name] = serializeServer(server);
  return `${JSON.stringify({ ...document.extra, mcpServers }, null, 2)}\n`;
}

/**
 * The servers of a `claude_desktop_config.json` (same `mcpServers` shape; its other settings are
 * Claude's own and are not taken), with a problem for each entry that could not be read.
 */
export function importClaudeDesktopConfig(text: string): { servers: McpServerConfig[]; problems: ConfigProblem[] } {
  const { document, problems } = parseMcpConfig(text);
  return { servers: document.servers, problems };
}
