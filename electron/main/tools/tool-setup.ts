import type { FunctionDeclaration, LiveConnectConfig, Tool as LiveTool } from '@google/genai';
import type { ControlState } from '../live/model-capabilities';
import { capabilitiesOf } from '../live/model-capabilities';
import type { ProfileSettings } from '../../../shared/settings';
import type { Tool } from './tool';

/** What one session is set up with: fixed for the session, as the service requires. */
export interface SessionTools {
  /** The tools Gemini may call in it. */
  functions: readonly Tool[];
  googleSearch: boolean;
  /** The model goes on while a call runs. */
  nonBlocking: boolean;
}

/**
 * The tools a session offers: those not turned off, and Google Search when asked for, each where
 * the model takes it. Where a model refuses search and functions together, searching wins: the
 * user turned it on on purpose, and Settings says that the tools are off meanwhile.
 */
export function sessionTools(
  model: string,
  settings: ProfileSettings['tools'],
  enabled: readonly Tool[],
): SessionTools {
  const support = capabilitiesOf(model).tools;
  const googleSearch = settings.googleSearch && support.googleSearch;
  const functionsFit = support.calls !== 'none' && (!googleSearch || support.searchWithFunctions);
  return {
    functions: functionsFit ? enabled : [],
    googleSearch,
    nonBlocking: support.calls === 'nonBlocking',
  };
}

/** The setup with the session's tools declared. */
export function withTools(config: LiveConnectConfig, tools: SessionTools): LiveConnectConfig {
  const declared: LiveTool[] = [];
  if (tools.functions.length > 0) declared.push({ functionDeclarations: tools.functions.map(declaration) });
  if (tools.googleSearch) declared.push({ googleSearch: {} });
  return declared.length > 0 ? { ...config, tools: declared } : config;
}

function declaration(tool: Tool): FunctionDeclaration {
  return { name: tool.name, description: tool.description, parametersJsonSchema: tool.parameters };
}

/** The Settings controls for tools: what the chosen model takes, and why not. */
export function toolControls(
  model: string,
  settings: ProfileSettings['tools'],
): Record<'googleSearch' | 'functionTools', ControlState> {
  const support = capabilitiesOf(model).tools;
  const googleSearch: ControlState = support.googleSearch
    ? { enabled: true }
    : { enabled: false, reason: `${model} cannot search the web` };
  if (support.calls === 'none') {
    return { googleSearch, functionTools: { enabled: false, reason: `${model} takes no tools` } };
  }
  const clash = settings.googleSearch && support.googleSearch && !support.searchWithFunctions;
  const functionTools: ControlState = clash
    ? {
        enabled: true,
        reason: `${model} cannot search the web and use tools in the same session: while Search the web is on, the tools below are not offered. Turn it off to use them.`,
      }
    : { enabled: true };
  return { googleSearch, functionTools };
}
