import type { LiveConnectConfig } from '@google/genai';
import { LiveConnection, LiveConnectError, type LiveEvents } from '../live/live-connection';
import type { LiveEndpoint } from '../live/live-endpoint';

const ignored: LiveEvents = {
  serverActivity: () => undefined,
  audio: () => undefined,
  inputTranscript: () => undefined,
  outputTranscript: () => undefined,
  text: () => undefined,
  interrupted: () => undefined,
  generationComplete: () => undefined,
  turnComplete: () => undefined,
  toolCall: () => undefined,
  toolCallCancellation: () => undefined,
  grounding: () => undefined,
  resumptionHandle: () => undefined,
  goAway: () => undefined,
  closed: () => undefined,
};

/** A real test connect with the key: undefined when the service accepts it, else why not, for the user. */
export async function checkApiKey(
  key: string,
  target: { endpoint: LiveEndpoint; model: string; config: LiveConnectConfig },
): Promise<string | undefined> {
  try {
    const connection = await LiveConnection.open({ apiKey: key, ...target }, ignored);
    connection.close();
    return undefined;
  } catch (error) {
    if (error instanceof LiveConnectError && error.code === 1007) {
      return 'Gemini refused this key. Check that you copied the whole key from Google AI Studio.';
    }
    return `Could not reach Gemini to check the key (${error instanceof Error ? error.message : String(error)}).`;
  }
}
