import { z } from 'zod';

/**
 * Tools Gemini may call, as the user sees and controls them. Main runs every call; the windows
 * only show calls and carry the user's answers.
 */

/** Ask before each call, run without asking, or not offered to Gemini at all. */
export const ToolPermission = z.enum(['ask', 'always', 'off']);
export type ToolPermission = z.infer<typeof ToolPermission>;

/** Where a call stands: waiting for the user, running, or how it ended. */
export const ToolCallState = z.enum(['approval', 'running', 'done', 'denied', 'failed', 'cancelled']);
export type ToolCallState = z.infer<typeof ToolCallState>;

/**
 * One call of a tool, as its transcript entry shows it. Arguments and result are untrusted text
 * (from Gemini, or from an MCP server): shown as text, never as HTML.
 */
export const ToolCallInfo = z.object({
  callId: z.string().max(300),
  /** The tool's own name (an MCP server's tools keep theirs; Gemini knows them by a unique name). */
  tool: z.string().max(300),
  /** The MCP server that offers it; absent for Parley's own tools. */
  server: z.string().max(200).optional(),
  /** The arguments as Gemini sent them, as pretty JSON. */
  args: z.string().max(200_000),
  state: ToolCallState,
  /** What the tool returned, or why it failed, was denied or cancelled. */
  result: z.string().max(200_000).optional(),
  /** How long the tool ran. */
  ms: z.number().nonnegative().optional(),
  /** While waiting for the user: when no answer counts as Deny (epoch ms). */
  decideBy: z.number().optional(),
});
export type ToolCallInfo = z.infer<typeof ToolCallInfo>;

/** What Google Search found for a reply: the queries it ran and the pages it used. */
export const Grounding = z.object({
  queries: z.array(z.string().max(500)).max(50),
  sources: z.array(z.object({ title: z.string().max(500), uri: z.string().max(4000) })).max(100),
});
export type Grounding = z.infer<typeof Grounding>;

/** The user's answer to a call waiting for approval. */
export const ToolApproval = z
  .object({ callId: z.string().min(1).max(300), answer: z.enum(['once', 'always', 'deny']) })
  .strict();
export type ToolApproval = z.infer<typeof ToolApproval>;

/** A source link the user clicked: main opens http(s) links in the browser, and nothing else. */
export const OpenLinkRequest = z.object({ url: z.string().min(1).max(4000) }).strict();

/** Limits on calls, each a setting. */
export const ToolLimits = z.object({
  /** A call running longer is stopped and answered with an error. */
  callTimeoutSeconds: z.number().int().min(1).max(600),
  /** A longer result is cut, with a note saying so. */
  resultMaxKb: z.number().int().min(1).max(1024),
  /** Calls running at once; more wait their turn. */
  maxConcurrentCalls: z.number().int().min(1).max(16),
});
export type ToolLimits = z.infer<typeof ToolLimits>;

/** A tool as Settings lists it. */
export const ToolView = z.object({
  /**
   * The key of its permission: the name Gemini calls a built-in by; "server/tool" for an MCP tool
   * (its name for Gemini can change when another server adds a tool of the same name).
   */
  name: z.string(),
  tool: z.string(),
  server: z.string().optional(),
  description: z.string(),
  permission: ToolPermission,
  /** Why the permission is not what the user chose (an MCP tool's description changed…). */
  note: z.string().optional(),
});
export type ToolView = z.infer<typeof ToolView>;

/** The notes Parley keeps across conversations (its long-term memory), at most this many characters in all. */
export const memoryMaxChars = 4000;
export const MemoryNotes = z.array(z.string().trim().min(1).max(1000)).max(200);
export type MemoryNotes = z.infer<typeof MemoryNotes>;

/**
 * An environment variable or header of an MCP server, as a window may know it: its name, never its
 * value (values are secrets: tokens, keys). Settings offers to keep the stored value or type a new one.
 */
export const McpStoredValue = z.object({
  name: z.string(),
  /** Stored encrypted by Parley; otherwise written as it is in mcp.json (by hand, or by another app). */
  encrypted: z.boolean(),
  /** The stored value is the empty text. */
  empty: z.boolean(),
});
export type McpStoredValue = z.infer<typeof McpStoredValue>;

/** An MCP server of mcp.json as Settings shows it. */
export const McpServerView = z.object({
  name: z.string(),
  transport: z.enum(['stdio', 'http']),
  status: z.enum(['disabled', 'starting', 'connected', 'failed']),
  toolCount: z.number().int().nonnegative(),
  /** Failed: why. */
  reason: z.string().optional(),
  /** The last lines it wrote on stderr. */
  stderrTail: z.array(z.string()),
  /** Variables of its `env` that Parley does not pass on (they could carry the Gemini key). */
  withheldEnv: z.array(z.string()),
  /** A stdio server: what starts it. */
  command: z.string().optional(),
  args: z.array(z.string()).optional(),
  env: z.array(McpStoredValue).optional(),
  /** A Streamable HTTP server: where it is. */
  url: z.string().optional(),
  headers: z.array(McpStoredValue).optional(),
});
export type McpServerView = z.infer<typeof McpServerView>;

export const McpView = z.object({
  /** Where the servers are listed. */
  file: z.string(),
  servers: z.array(McpServerView),
  /** What in mcp.json could not be used, and why. */
  problems: z.array(z.string()),
  /** Linux without a keyring: values typed in Settings are only obfuscated on disk, not encrypted. */
  weakEncryption: z.boolean().optional(),
});
export type McpView = z.infer<typeof McpView>;

/** A variable or header in the server form: a value typed now, or `keep`ing the one stored under that name. */
const McpValueEntry = z.union([
  z.object({ name: z.string().max(200), value: z.string().max(20_000) }).strict(),
  z.object({ name: z.string().max(200), keep: z.string().max(200) }).strict(),
]);
export type McpValueEntry = z.infer<typeof McpValueEntry>;

const draftCommon = {
  /** The name of the server this edits; absent when it adds one. */
  replaces: z.string().max(200).optional(),
  name: z.string().max(200),
  enabled: z.boolean(),
};

/** The server form as the user filled it in; `checkMcpServerDraft` says what is wrong with it. */
export const McpServerDraft = z.discriminatedUnion('transport', [
  z
    .object({
      ...draftCommon,
      transport: z.literal('stdio'),
      command: z.string().max(4000),
      args: z.array(z.string().max(4000)).max(200),
      env: z.array(McpValueEntry).max(200),
    })
    .strict(),
  z
    .object({
      ...draftCommon,
      transport: z.literal('http'),
      url: z.string().max(4000),
      headers: z.array(McpValueEntry).max(100),
    })
    .strict(),
]);
export type McpServerDraft = z.infer<typeof McpServerDraft>;

/** What is wrong with one field of the server form: `name`, `url`, `env.2.name`…; '' for the server as a whole. */
export const McpFieldProblem = z.object({ field: z.string(), message: z.string() });
export type McpFieldProblem = z.infer<typeof McpFieldProblem>;

/** The rules of the server form's fields, checked by main before anything is written. */
const mcpFieldRules = {
  name: z
    .string()
    .trim()
    .min(1, 'Give the server a name.')
    .max(100, 'At most 100 characters.')
    .regex(/^[^\p{Cc}]*$/u, 'No control characters.'),
  command: z.string().trim().min(1, 'Say which command starts the server (for example npx or uvx).'),
  url: z
    .string()
    .trim()
    .pipe(z.url({ protocol: /^https?$/, error: 'An http:// or https:// address, such as https://example.com/mcp.' })),
  envName: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'A variable name: letters, digits and _, not starting with a digit.'),
  envValue: z.string().regex(/^[^\0]*$/, 'A value cannot hold a NUL character.'),
  // RFC 9110's token: what a header name may be.
  headerName: z
    .string()
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'A header name: letters, digits and - (no spaces or colon).'),
  headerValue: z.string().regex(/^[^\r\n\0]*$/, 'A header value is one line.'),
};

function ruleProblem(schema: z.ZodType, value: unknown, field: string): McpFieldProblem[] {
  const checked = schema.safeParse(value);
  return checked.success ? [] : [{ field, message: checked.error.issues[0]!.message }];
}

function entryProblems(
  entries: readonly McpValueEntry[],
  list: 'env' | 'headers',
  rules: { name: z.ZodType; value: z.ZodType },
): McpFieldProblem[] {
  // Header names are case-insensitive; two variables differing in case are two variables.
  const key = (name: string) => (list === 'headers' ? name.toLowerCase() : name);
  const seen = new Set<string>();
  return entries.flatMap((entry, index) => {
    const problems = ruleProblem(rules.name, entry.name, `${list}.${index}.name`);
    if (problems.length === 0 && seen.has(key(entry.name))) {
      problems.push({ field: `${list}.${index}.name`, message: `${entry.name} is listed twice.` });
    }
    seen.add(key(entry.name));
    if ('value' in entry) problems.push(...ruleProblem(rules.value, entry.value, `${list}.${index}.value`));
    return problems;
  });
}

/** Everything wrong with a filled-in server form, each by its field; none when it can be saved. */
export function checkMcpServerDraft(draft: McpServerDraft): McpFieldProblem[] {
  const problems = ruleProblem(mcpFieldRules.name, draft.name, 'name');
  if (draft.transport === 'stdio') {
    problems.push(...ruleProblem(mcpFieldRules.command, draft.command, 'command'));
    problems.push(...entryProblems(draft.env, 'env', { name: mcpFieldRules.envName, value: mcpFieldRules.envValue }));
  } else {
    problems.push(...ruleProblem(mcpFieldRules.url, draft.url, 'url'));
    problems.push(
      ...entryProblems(draft.headers, 'headers', { name: mcpFieldRules.headerName, value: mcpFieldRules.headerValue }),
    );
  }
  return problems;
}
