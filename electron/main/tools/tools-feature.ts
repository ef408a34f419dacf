import type { LiveConnectConfig } from '@google/genai';
import type { ToolLink } from '../conversation/turn-controller';
import type { InvokeHandlers } from '../ipc/router';
import type { Ports } from '../ports';
import { webAddress } from '../security/web-address';
import type { SessionTuning } from '../session/session-tuning';
import type { Transcript } from '../conversation/transcript';
import type { ProfileSettingsFeature, SettingsFeature } from '../settings/settings-feature';
import type { ConversationStore } from '../transcripts/conversation-store';
import type { WindowManager } from '../windows/window-manager';
import { approvalPrompt } from './approval-prompt';
import { builtinTools } from './builtin/builtin-tools';
import { answerGemini, type ToolWire } from './gemini-answers';
import { mcpSettingsInvokes, type McpSettingsInvokes } from './mcp/mcp-settings';
import { McpToolSource } from './mcp/mcp-tools';
import { MemoryStore } from './memory-store';
import { allowAlways, permissionOf, toolViews } from './permissions';
import { SessionDeclaration } from './session-declaration';
import type { Tool } from './tool';
import { ToolCalls, type ToolCallsOptions } from './tool-calls';

export interface ToolsFeatureDeps {
  ports: Pick<Ports, 'app' | 'env' | 'clipboard' | 'desktop' | 'memoryFile' | 'log' | 'secrets' | 'openDialog'>;
  tuning: Pick<SessionTuning, 'approvalTimeoutMs'>;
  settings: Pick<SettingsFeature, 'showTools' | 'showView'>;
  /** Every conversation, for the tool that searches them. */
  conversations: Pick<ConversationStore, 'search'>;
  windows: Pick<WindowManager, 'ensure' | 'reveal' | 'show'>;
}

/** What the Live session needs of the tools. */
export interface ToolsForSession {
  /** A new session's setup with its tools and the notes Parley keeps; fixes the tool set for that session. */
  setup(model: string, config: LiveConnectConfig): LiveConnectConfig;
  readonly link: ToolLink;
  attach(wire: ToolWire): void;
  /** The tools on offer changed (an MCP server came or went): the next session must declare them. */
  onToolSetChanged(listener: () => void): void;
}

/** One profile's settings, the tools only it offers (look_at_screen), and where its calls are shown. */
export interface ToolsProfileDeps {
  settings: Pick<ProfileSettingsFeature, 'id' | 'current' | 'apply' | 'follow'>;
  offered: () => Tool[];
  transcript: Pick<Transcript, 'toolCall'>;
}

export interface ToolsFeature {
  /** The tools of one profile's sessions: its permissions, its calls, answered to its session. */
  forProfile(deps: ToolsProfileDeps): ToolsForSession & { dispose(): void };
  readonly invokes: Pick<InvokeHandlers, 'answerToolCall' | 'openLink' | 'setMemory'> & McpSettingsInvokes;
  /** Stops every MCP server. */
  dispose(): Promise<void>;
}

/**
 * Gemini acts: the tools it may call, each call run by main under the user's permissions for the
 * profile whose session made it, shown in the transcript, and answered to that session.
 */
export function toolsFeature(deps: ToolsFeatureDeps): ToolsFeature {
  const { ports, settings } = deps;
  const memory = new MemoryStore(ports.memoryFile.open());
  const builtins = builtinTools({
    search: (query) => deps.conversations.search(query),
    writeClipboard: (text) => ports.clipboard.writeText(text),
    openInBrowser: (url) => ports.desktop.openInBrowser(url),
    memory,
  });
  const mcp = new McpToolSource(ports.app.userDataPath, ports.secrets, {
    parentEnv: ports.env,
    platform: ports.app.platform,
  });
  const shared = () => [...builtins, ...mcp.tools()];
  const profiles = new Map<string, ProfileTools>();
  memory.onChange(() => settings.showView());
  mcp.onChange(() => {
    settings.showView();
    for (const profile of profiles.values()) profile.renewIfChanged();
  });
  void mcp.start().catch((error: unknown) => ports.log.warn(`MCP servers: ${String(error)}`));
  settings.showTools((shown) => ({
    tools: toolViews([...shared(), ...(profiles.get(shown.id)?.offered() ?? [])], shown.current.tools),
    memory: memory.notes,
    mcp: mcp.view(),
  }));
  const allCalls = () => [...profiles.values()].map((profile) => profile.calls);
  return {
    forProfile(profileDeps) {
      const profile = profileTools(deps, profileDeps, memory, shared);
      profiles.set(profileDeps.settings.id, profile);
      return {
        ...profile.forSession,
        dispose: () => {
          profile.calls.cancelAll('The profile was deleted while the call was under way.');
          profiles.delete(profileDeps.settings.id);
        },
      };
    },
    dispose: () => {
      // Nothing may wait on a card or a tool once Parley is gone.
      for (const calls of allCalls()) calls.cancelAll('Parley closed while the call was under way.');
      return mcp.dispose();
    },
    invokes: {
      ...toolInvokes(allCalls, memory, ports.desktop, settings),
      ...mcpSettingsInvokes({ source: mcp, openDialog: ports.openDialog, showView: settings.showView }),
    },
  };
}

type ProfileTools = ReturnType<typeof profileTools>;

/** A profile's declaration and calls: what its sessions declare, and how their calls are run. */
function profileTools(deps: ToolsFeatureDeps, own: ToolsProfileDeps, memory: MemoryStore, shared: () => Tool[]) {
  const { settings } = own;
  const tools = () => [...shared(), ...own.offered()];
  const declaration = new SessionDeclaration({
    settings: () => settings.current,
    enabled: () => tools().filter((tool) => permissionOf(tool, settings.current.tools).permission !== 'off'),
    notes: () => memory.notes,
  });
  let wire: ToolWire | undefined;
  const calls = toolCalls(deps, own, declaration, tools, (result, geminiSession) =>
    answerGemini(wire, result, geminiSession ?? 0),
  );
  const setChanged: (() => void)[] = [];
  const renewIfChanged = () => {
    if (declaration.outdated()) setChanged.forEach((listener) => listener());
  };
  settings.follow(({ touches }) => {
    // Screen sharing on or off adds or removes look_at_screen.
    if (touches(['tools', 'screen'])) renewIfChanged();
  });
  const forSession: ToolsForSession = {
    setup: (model, config) => {
      const setUp = declaration.setup(model, config);
      calls.prepare(declaration.current.functions);
      return setUp;
    },
    link: toolLink(calls, declaration, () => wire),
    attach: (next) => (wire = next),
    onToolSetChanged: (listener) => void setChanged.push(listener),
  };
  return { forSession, calls, offered: own.offered, renewIfChanged };
}

/** Each call remembers the Gemini session that made it: its answer goes there or nowhere. */
function toolCalls(
  { ports, tuning, windows }: ToolsFeatureDeps,
  { settings, transcript }: ToolsProfileDeps,
  declaration: SessionDeclaration,
  tools: () => Tool[],
  respond: ToolCallsOptions<number>['respond'],
): ToolCalls<number> {
  const askUser = approvalPrompt(ports.desktop, windows);
  return new ToolCalls<number>({
    // Declared with the session, as the servers describe them now: a changed description asks again.
    tools: () => {
      const now = new Map(tools().map((tool) => [tool.name, tool]));
      return declaration.current.functions.map((tool) => now.get(tool.name) ?? tool);
    },
    permission: (tool) => permissionOf(tool, settings.current.tools),
    allowAlways: (tool) => void settings.apply({ tools: allowAlways(tool, settings.current.tools) }),
    limits: () => settings.current.tools.limits,
    show: (turnId, info) => transcript.toolCall(turnId, info),
    approvalNeeded: (info) => askUser(info.tool, info.server),
    respond,
    approvalTimeoutMs: tuning.approvalTimeoutMs,
  });
}

function toolLink(
  calls: ToolCalls<number>,
  declaration: SessionDeclaration,
  wire: () => ToolWire | undefined,
): ToolLink {
  return {
    requested: (requested, turnId) =>
      calls.handle(requested, turnId, declaration.current.nonBlocking, wire()?.connection()?.geminiSession),
    cancelled: (ids) => calls.cancel(ids, 'Gemini cancelled the call.'),
    interrupted: (reason) => calls.cancelAll(reason),
    connectionLost: (reason) => calls.connectionLost(reason),
    connected: () => calls.resend(),
    get awaited() {
      return calls.outstanding > 0;
    },
  };
}

function toolInvokes(
  calls: () => ToolCalls<number>[],
  memory: MemoryStore,
  desktop: Ports['desktop'],
  settings: Pick<SettingsFeature, 'showView'>,
): Pick<InvokeHandlers, 'answerToolCall' | 'openLink' | 'setMemory'> {
  return {
    answerToolCall: (answer) => {
      // One turn at a time: a profile cut off has had its calls cancelled, so one profile at most waits.
      if (!calls().some((profile) => profile.answer(answer)))
        throw new Error('That call no longer waits for an answer.');
      return null;
    },
    openLink: async ({ url }) => {
      await desktop.openInBrowser(webAddress(url));
      return null;
    },
    setMemory: (notes) => {
      const replaced = memory.replace(notes);
      if (!replaced.ok) throw new Error(replaced.reason);
      return settings.showView();
    },
  };
}
