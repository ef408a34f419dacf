import type { LiveConnectConfig } from '@google/genai';
import { capabilitiesOf } from '../live/model-capabilities';
import type { ProfileSettings } from '../../../shared/settings';
import { memoryInstruction } from './memory-store';
import type { Tool } from './tool';
import { sessionTools, withTools, type SessionTools } from './tool-setup';

export interface SessionDeclarationDeps {
  settings: () => ProfileSettings;
  /** The tools the user did not turn off, as they are now. */
  enabled: () => Tool[];
  notes: () => readonly string[];
}

/**
 * What a session tells Gemini about its tools and the notes Parley keeps. A session declares them
 * once, in its setup: whatever changes the declaration (a server, a setting) needs a new session.
 */
export class SessionDeclaration {
  private declared: SessionTools = { functions: [], googleSearch: false, nonBlocking: false };

  constructor(private readonly deps: SessionDeclarationDeps) {}

  /** The tools of the session set up last. */
  get current(): SessionTools {
    return this.declared;
  }

  /** A new session's setup: fixes its tools. */
  setup(model: string, config: LiveConnectConfig): LiveConnectConfig {
    this.declared = sessionTools(model, this.deps.settings().tools, this.deps.enabled());
    return withMemory(withTools(config, this.declared), model, this.deps.notes());
  }

  /** Whether the session set up last declares other tools than a new one would. */
  outdated(): boolean {
    const { model, tools } = this.deps.settings();
    return signature(sessionTools(model, tools, this.deps.enabled())) !== signature(this.declared);
  }
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
