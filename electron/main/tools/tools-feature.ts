import type { LiveConnectConfig } from '@google/genai';
import type { ToolLink } from '../conversation/turn-controller';
import type { InvokeHandlers } from '../ipc/router';
import type { CallAnswer, LiveConnection } from '../live/live-connection';
import { capabilitiesOf } from '../live/model-capabilities';
import type { Ports } from '../ports';
import { webAddress } from '../security/web-address';
import type { SessionTuning } from '../session/session-tuning';
import type { SettingsFeature } from '../settings/settings-feature';
import type { TranscriptsFeature } from '../transcripts/transcripts-feature';
import type { WindowManager } from '../windows/window-manager';
import { builtinTools } from './builtin/builtin-tools';
import { mcpSettingsInvokes, type McpSettingsInvokes } from './mcp/mcp-settings';
import { McpToolSource } from './mcp/mcp-tools';
import { memoryInstruction, MemoryStore } from './memory-store';
import { allowAlways, permissionOf, toolViews } from './permissions';
import { ToolCalls, type FunctionResult } from './tool-calls';
import { sessionTools, withTools, type SessionTools } from './tool-setup';

export interface ToolsFeatureDeps {
  ports: Pick<Ports, 'app' | 'env' | 'clipboard' | 'desktop' | 'memoryFile' | 'log' | 'secrets' | 'openDialog'>;
  tuning: Pick<SessionTuning, 'approvalTimeoutMs'>;
  settings: Pick<SettingsFeature, 'current' | 'apply' | 'follow' | 'showTools' | 'showView'>;
  transcripts: Pick<TranscriptsFeature, 'transcript' | 'conversations'>;
  windows: Pick<WindowManager, 'ensure' | 'reveal' | 'show'>;
}

/** Where the answers go: the connection the calls came on, and the turns that expect what follows. */
export interface ToolWire {
  connection(): LiveConnection | undefined;
  /** An answer went out; `followUp`: Gemini will reply to it with a turn of its own. */
  answered(followUp: boolean): void;
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

export interface ToolsFeature extends ToolsForSession {
  readonly invokes: Pick<InvokeHandlers, 'answerToolCall' | 'openLink' | 'setMemory'> & McpSettingsInvokes;
  /** Stops every MCP server. */
  dispose(): Promise<void>;
}

/**
 * Gemini acts: the tools it may call, each call run by main under the user's permissions, shown
 * in the transcript, and answered on the connection it came on.
 */
export function toolsFeature({ ports, tuning, settings, transcripts, windows }: ToolsFeatureDeps): ToolsFeature {
  const memory = new MemoryStore(ports.memoryFile.open());
  const builtins = builtinTools({
    search: (query) => transcripts.conversations.search(query),
    writeClipboard: (text) => ports.clipboard.writeText(text),
    openInBrowser: (url) => ports.desktop.openInBrowser(url),
    memory,
  });
  const mcp = new McpToolSource(ports.app.userDataPath, ports.secrets, {
    parentEnv: ports.env,
    platform: ports.app.platform,
  });
  const tools = () => [...builtins, ...mcp.tools()];
  const enabled = () => tools().filter((tool) => permissionOf(tool, settings.current.tools).permission !== 'off');
  let session: SessionTools = { functions: [], googleSearch: false, nonBlocking: false };
  const setChanged: (() => void)[] = [];
  let wire: ToolWire | undefined;
  // Each call remembers the connection it came on: its answer goes there or nowhere.
  const calls = new ToolCalls<LiveConnection>({
    // Declared with the session, as the servers describe them now: a changed description asks again.
    tools: () => {
      const now = new Map(tools().map((tool) => [tool.name, tool]));
      return session.functions.map((tool) => now.get(tool.name) ?? tool);
    },
    permission: (tool) => permissionOf(tool, settings.current.tools),
    allowAlways: (tool) => void settings.apply({ tools: allowAlways(tool, settings.current.tools) }),
    limits: () => settings.current.tools.limits,
    show: (turnId, info) => transcripts.transcript.toolCall(turnId, info),
    approvalNeeded: (info) => askUser(info.tool, info.server),
    respond: (result, origin) => deliver(result, origin),
    approvalTimeoutMs: tuning.approvalTimeoutMs,
  });
  const askUser = (tool: string, server: string | undefined) => {
    const transcriptWindow = windows.ensure('transcript');
    const wasHidden = !transcriptWindow.isVisible();
    // The card shows where the user looks next, without taking the keyboard from what they do.
    windows.reveal('transcript');
    if (wasHidden) {
      ports.desktop.notify(
        'Parley asks for your approval',
        `Gemini wants to use ${tool}${server ? ` (${server})` : ''}.`,
        () => windows.show('transcript'),
      );
    }
  };
  const deliver = (result: FunctionResult, origin: LiveConnection | undefined): boolean => {
    const connection = wire?.connection();
    if (!connection || connection !== origin) return false;
    connection.toolResponse([result as CallAnswer]);
    wire?.answered(result.scheduling !== undefined && result.scheduling !== 'SILENT');
    return true;
  };
  memory.onChange(() => settings.showView());
  /** A session declares its tools once: whatever changes them (a server, a setting) needs a new one. */
  const renewIfChanged = () => {
    const next = sessionTools(settings.current.model, settings.current.tools, enabled());
    if (signature(next) !== signature(session)) setChanged.forEach((listener) => listener());
  };
  mcp.onChange(() => {
    settings.showView();
    renewIfChanged();
  });
  settings.follow(({ touches }) => {
    if (touches(['tools'])) renewIfChanged();
  });
  void mcp.start().catch((error: unknown) => ports.log.warn(`MCP servers: ${String(error)}`));
  settings.showTools(() => ({
    tools: toolViews(tools(), settings.current.tools),
    memory: memory.notes,
    mcp: mcp.view(),
  }));
  return {
    setup: (model, config) => {
      session = sessionTools(model, settings.current.tools, enabled());
      calls.prepare(session.functions);
      return withMemory(withTools(config, session), model, memory.notes);
    },
    link: {
      requested: (requested, turnId) => {
        calls.handle(requested, turnId, session.nonBlocking, wire?.connection());
      },
      cancelled: (ids) => calls.cancel(ids, 'Gemini cancelled the call.'),
      interrupted: (reason) => calls.cancelAll(reason),
      get awaited() {
        return calls.outstanding > 0;
      },
    },
    attach: (next) => (wire = next),
    onToolSetChanged: (listener) => void setChanged.push(listener),
    dispose: () => {
      // Nothing may wait on a card or a tool once Parley is gone.
      calls.cancelAll('Parley closed while the call was under way.');
      return mcp.dispose();
    },
    invokes: {
      answerToolCall: (answer) => {
        if (!calls.answer(answer)) throw new Error('That call no longer waits for an answer.');
        return null;
      },
      openLink: async ({ url }) => {
        await ports.desktop.openInBrowser(webAddress(url));
        return null;
      },
      setMemory: (notes) => {
        const replaced = memory.replace(notes);
        if (!replaced.ok) throw new Error(replaced.reason);
        return settings.showView();
      },
      ...mcpSettingsInvokes({ source: mcp, openDialog: ports.openDialog, showView: settings.showView }),
    },
  };
}

/** What Gemini is told about a session's tools: a change in any of it needs a new session. */
function signature({ functions, googleSearch }: SessionTools): string {
  const declared = functions.map(({ name, description, parameters }) => [name, description, parameters]);
  return JSON.stringify([googleSearch, declared]);
}

/** The notes Parley keeps go to every new session, after the user's own instruction. */
function withMemory(config: LiveConnectConfig, model: string, notes: readonly string[]): LiveConnectConfig {
  const remembered = memoryInstruction(notes);
  if (!remembered || !capabilitiesOf(model).features.systemInstruction.supported) return config;
  const own = typeof config.systemInstruction === 'string' ? config.systemInstruction : '';
  return { ...config, systemInstruction: own ? `${own}\n\n${remembered}` : remembered };
}
