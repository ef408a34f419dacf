import { webAddress } from '../../security/web-address';
import { ToolFailure, type Tool } from '../tool';

/** `copy_to_clipboard`: puts text where the user can paste it. */
export function clipboardTool(writeText: (text: string) => void): Tool {
  return {
    name: 'copy_to_clipboard',
    title: 'copy_to_clipboard',
    description:
      "Puts text on the user's clipboard, replacing what was there, so they can paste it. Use it when the user asks to copy something.",
    parameters: {
      type: 'object',
      properties: { text: { type: 'string', minLength: 1, maxLength: 100_000, description: 'The text to copy.' } },
      required: ['text'],
      additionalProperties: false,
    },
    readOnly: false,
    scheduling: 'SILENT',
    run: ({ text }) => {
      writeText(String(text));
      return Promise.resolve({ status: 'copied', characters: String(text).length });
    },
  };
}

/** `open_url`: a web page in the user's browser; nothing but http and https is ever opened. */
export function openUrlTool(openInBrowser: (url: string) => Promise<void>): Tool {
  return {
    name: 'open_url',
    title: 'open_url',
    description:
      "Opens a web address (http or https) in the user's default browser. Use it when the user asks to open or show a web page.",
    parameters: {
      type: 'object',
      properties: {
        url: { type: 'string', minLength: 1, maxLength: 4000, description: 'An http:// or https:// address.' },
      },
      required: ['url'],
      additionalProperties: false,
    },
    readOnly: false,
    scheduling: 'WHEN_IDLE',
    run: async ({ url }) => {
      const address = checked(String(url));
      await openInBrowser(address);
      return { status: 'opened', url: address };
    },
  };
}

/** A refused address is Gemini's mistake to hear about, not a crash. */
function checked(url: string): string {
  try {
    return webAddress(url);
  } catch (error) {
    throw new ToolFailure((error as Error).message);
  }
}
