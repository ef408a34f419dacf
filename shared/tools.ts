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
});
export type McpServerView = z.infer<typeof McpServerView>;

export const McpView = z.object({
  /** Where the servers are listed. */
  file: z.string(),
  servers: z.array(McpServerView),
  /** What in mcp.json could not be used, and why. */
  problems: z.array(z.string()),
});
export type McpView = z.infer<typeof McpView>;
