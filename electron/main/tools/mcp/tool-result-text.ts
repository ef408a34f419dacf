/**
 * An MCP tool result as the plain text Gemini is given. Text parts are joined; images, audio and
 * binary resources cannot go through a function response, so they are named with their size
 * instead of being dropped silently. The text stays untrusted: callers show it as text only.
 */
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';

/** The size of base64 data once decoded. */
function decodedBytes(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

function describeContent(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
      return `[image: ${block.mimeType}, ${decodedBytes(block.data)} bytes]`;
    case 'audio':
      return `[audio: ${block.mimeType}, ${decodedBytes(block.data)} bytes]`;
    case 'resource_link':
      return `[resource link: ${block.name} ${block.uri}]`;
    case 'resource': {
      const { resource } = block;
      if ('text' in resource) return `[resource: ${resource.uri}]\n${resource.text}`;
      return `[resource: ${resource.uri}, ${resource.mimeType ?? 'binary'}, ${decodedBytes(resource.blob)} bytes]`;
    }
  }
}

export type ToolOutcome = { ok: true; text: string } | { ok: false; error: string };

/** A result as text; `isError` results are failures. Never an empty text (Gemini would call again). */
export function toolOutcome(result: CallToolResult): ToolOutcome {
  const parts = result.content.map(describeContent);
  if (parts.length === 0 && result.structuredContent !== undefined)
    parts.push(JSON.stringify(result.structuredContent));
  const text = parts.join('\n').trim();
  if (result.isError) return { ok: false, error: text || 'The tool reported an error without saying what went wrong.' };
  return { ok: true, text: text || 'The tool finished and returned no content.' };
}
