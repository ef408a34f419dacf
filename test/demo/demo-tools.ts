// The tools side of `npm run demo:turn` (and of the bench's tool figure): which tools the run
// offers, how it answers approval cards with nobody at the keyboard, and what it reports.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import type { SettingsView } from '../../shared/settings';
import type { ToolPermission } from '../../shared/tools';
import type { TranscriptEntry } from '../../shared/types';
import type { Harness } from '../harness/harness';
import type { ToolWire } from './tool-wire';

/** The built-in tools, none at all, or the built-ins and the servers of an mcp.json. */
export type ToolsChoice = { kind: 'builtin' } | { kind: 'none' } | { kind: 'mcp'; file: string };

/**
 * `all`: every tool runs without asking. `none`: every call is denied. `default`: Parley's own
 * permissions (read-only built-ins run), and every card that asks is answered Deny.
 */
export type ApproveChoice = 'all' | 'none' | 'default';

/** A tool call as the demo's JSON summary reports it. */
export interface ToolCallSummary {
  id: string;
  /** The name Gemini called it by. */
  name: string;
  server?: string;
  args: Record<string, unknown>;
  status: string;
  output?: unknown;
  error?: unknown;
  /** The `toolCall` frame reaching main → the `toolResponse` leaving it (approval included); null if never answered. */
  ms: number | null;
}

export function toolsChoice(value: string): ToolsChoice {
  if (value === 'builtin' || value === 'none') return { kind: value };
  return { kind: 'mcp', file: value };
}

/** `ask` needs a person to answer each card: refused, so a headless run never sits waiting for one. */
export function approveChoice(value: string | undefined): ApproveChoice {
  if (value === undefined) return 'default';
  if (value === 'all' || value === 'none') return value;
  if (value === 'ask') {
    throw new Error(
      '--approve ask needs someone to answer each approval card, and demo:turn runs with nobody at the keyboard: use --approve all or --approve none',
    );
  }
  throw new Error(`--approve must be all or none, not "${value}"`);
}

/** Checks the mcp.json before anything starts, so a wrong path is a clear error and not a run without servers. */
export function checkMcpFile(file: string): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const why = `cannot read it (${(error as Error).message}); give builtin, none or an mcp.json`;
    throw new Error(`--tools ${file}: ${why}`, { cause: error });
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new Error(`--tools ${file}: not JSON (${(error as Error).message})`, { cause: error });
  }
}

/** Where Parley reads its MCP servers from: mcp.json in its user-data folder. */
export function installMcpFile(file: string, userDataDir: string): void {
  copyFileSync(file, join(userDataDir, 'mcp.json'));
}

/**
 * The tools Parley offers, as Settings lists them, once no MCP server is still starting. A server
 * that failed, or an mcp.json Parley could not use, is an error: the run was asked to use them.
 */
export async function toolsReady(harness: Harness, timeoutMs = 30_000): Promise<SettingsView> {
  const settings = await harness.openSettings();
  for (let waited = 0; ; waited += 100) {
    const view = await settingsView(settings);
    const { servers, problems, file } = view.mcp;
    if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
    const failed = servers.find((server) => server.status === 'failed');
    if (failed) {
      throw new Error(`MCP server "${failed.name}" failed: ${failed.reason}\n${failed.stderrTail.join('\n')}`);
    }
    if (!servers.some((server) => server.status === 'starting')) return view;
    if (waited >= timeoutMs) throw new Error(`MCP servers still starting after ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

function settingsView(page: Page): Promise<SettingsView> {
  return page.evaluate(async () => {
    const answer = await window.parley.getSettings();
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value;
  });
}

/**
 * The one permission every tool gets for the run, if any: `--tools none` turns them all off
 * (nothing declared); `--approve none` makes each ask, so that every call reaches a card to deny.
 */
export function runPermission(tools: ToolsChoice, approve: ApproveChoice): ToolPermission | undefined {
  if (tools.kind === 'none') return 'off';
  return approve === 'all' ? 'always' : approve === 'none' ? 'ask' : undefined;
}

/**
 * The tool settings that give every tool Settings lists `permission`. An MCP tool allowed always
 * is allowed with the description it has now: main asks again for one allowed under another.
 */
export function everyTool(view: SettingsView, permission: ToolPermission): SettingsView['settings']['tools'] {
  const permissions = Object.fromEntries(view.tools.map((tool) => [tool.name, permission]));
  const fromServers = view.tools.filter((tool) => tool.server !== undefined);
  const allowedDescriptions =
    permission === 'always' ? Object.fromEntries(fromServers.map((tool) => [tool.name, tool.description])) : {};
  return { ...view.settings.tools, permissions, allowedDescriptions };
}

/**
 * Answers every approval card Deny, as a user pressing Deny does (the transcript window's
 * answerToolCall), until stopped.
 */
export function denyEveryCard(harness: Harness, transcript: Page): () => Promise<void> {
  const answered = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const callId of waitingCards(harness)) {
        if (answered.has(callId)) continue;
        answered.add(callId);
        // A card withdrawn meanwhile (the call was cancelled) has nothing left to deny.
        await transcript
          .evaluate((id) => window.parley.answerToolCall({ callId: id, answer: 'deny' }), callId)
          .catch(() => undefined);
      }
      await sleep(20);
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

function waitingCards(harness: Harness): string[] {
  return harness.app.transcript.all().flatMap((entry) => (entry.tool?.state === 'approval' ? [entry.tool.callId] : []));
}

/** Every call main received, with how it ended (transcript) and what went back to Gemini (wire). */
export function toolCallSummaries(wire: ToolWire, entries: readonly TranscriptEntry[]): ToolCallSummary[] {
  return wire.calls.map((call) => {
    const info = entries.find((entry) => entry.tool?.callId === call.id)?.tool;
    const answer = wire.responses.find((response) => response.id === call.id);
    const outcome = answer
      ? 'output' in answer.response
        ? { output: answer.response.output }
        : { error: answer.response.error }
      : { error: info?.result ?? 'never answered' };
    return {
      id: call.id,
      name: call.name,
      ...(info?.server !== undefined ? { server: info.server } : {}),
      args: call.args,
      status: info?.state ?? 'unknown',
      ...outcome,
      ms: answer ? Math.round((answer.at - call.at) * 10) / 10 : null,
    };
  });
}

/** The pages Google Search grounded the replies in, each once. */
export function groundingSources(entries: readonly TranscriptEntry[]): { title: string; uri: string }[] {
  const sources = entries.flatMap((entry) => entry.grounding?.sources ?? []);
  return sources.filter((source, index) => sources.findIndex((other) => other.uri === source.uri) === index);
}
