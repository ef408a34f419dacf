import type { SearchResult } from '../../../../shared/conversations';
import type { MemoryStore } from '../memory-store';
import type { Tool } from '../tool';
import { clockTool } from './clock';
import { conversationSearchTool } from './conversation-search';
import { clipboardTool, openUrlTool } from './desktop';
import { memoryTools } from './memory';

export interface BuiltinDeps {
  search: (query: string) => SearchResult;
  writeClipboard: (text: string) => void;
  openInBrowser: (url: string) => Promise<void>;
  memory: MemoryStore;
  now?: () => Date;
}

/** Parley's own tools, in the order Settings lists them. */
export function builtinTools(deps: BuiltinDeps): Tool[] {
  return [
    clockTool(deps.now),
    conversationSearchTool(deps.search),
    clipboardTool(deps.writeClipboard),
    openUrlTool(deps.openInBrowser),
    ...memoryTools(deps.memory),
  ];
}
