import type { SearchResult } from '../../../../shared/conversations';
import type { Tool } from '../tool';

/** The most turns one search gives Gemini: enough to answer from, short enough for its context. */
const maxTurns = 20;

/** `search_conversations`: what the user and Parley said before, through the History search. */
export function conversationSearchTool(search: (query: string) => SearchResult): Tool {
  return {
    name: 'search_conversations',
    title: 'search_conversations',
    description:
      "Searches the user's earlier conversations with Parley (the History) for words or a phrase, and returns the matching turns with their dates. Use it when the user refers to something said before.",
    parameters: {
      type: 'object',
      properties: { query: { type: 'string', minLength: 1, maxLength: 200, description: 'Words to look for.' } },
      required: ['query'],
      additionalProperties: false,
    },
    readOnly: true,
    scheduling: 'WHEN_IDLE',
    run: ({ query }) => Promise.resolve(found(search(String(query)), String(query))),
  };
}

function found({ hits, more }: SearchResult, query: string): unknown {
  if (hits.length === 0) return { status: 'no_results', message: `No earlier turn mentions "${query}".` };
  return {
    turns: hits.slice(0, maxTurns).map((hit) => ({
      date: new Date(hit.entry.at).toISOString(),
      conversation: hit.conversation.title,
      speaker: hit.entry.role === 'user' ? 'user' : 'Parley',
      text: `${hit.before}${hit.match}${hit.after}`,
    })),
    more: more || hits.length > maxTurns,
  };
}
