/** A JSON schema for a tool's arguments, as Gemini and MCP servers both take it. */
export type JsonSchema = Record<string, unknown>;

/**
 * How Gemini treats a result it did not wait for (on models whose calls do not block): a side
 * effect such as remembering a note needs no words; anything else is spoken about once idle.
 */
export type Scheduling = 'SILENT' | 'WHEN_IDLE';

export interface ToolContext {
  /** Aborted when the call is cancelled (by Gemini, a barge-in, or its time running out). */
  signal: AbortSignal;
  /** The turn whose reply made the call. */
  turnId: number;
}

/** Something Gemini may call, run by main. */
export interface Tool {
  /** The name Gemini calls it by: unique, and the key of its permission. */
  name: string;
  /** Its own name: an MCP tool keeps the one its server gave it. */
  title: string;
  /** The MCP server that offers it; absent for Parley's own. */
  server?: string;
  description: string;
  parameters: JsonSchema;
  /** Only reads: runs without asking unless the user says otherwise. Anything else asks first. */
  readOnly: boolean;
  scheduling: Scheduling;
  /** The result, any JSON value; a ToolFailure for a failure Gemini should hear about. */
  run(args: Record<string, unknown>, context: ToolContext): Promise<unknown>;
}

/** A tool could not do what was asked: Gemini gets the message as the call's error. */
export class ToolFailure extends Error {}
