import type { CallAnswer, LiveConnection } from '../live/live-connection';
import type { Delivery, FunctionResult } from './tool-calls';

/** Where the answers go: the connection of the moment, and the turns that expect what follows. */
export interface ToolWire {
  connection(): LiveConnection | undefined;
  /** An answer went out; `followUp`: Gemini will reply to it with a turn of its own. */
  answered(followUp: boolean): void;
}

/**
 * Sends a call's answer to the Gemini session that made the call (`geminiSession`), on whichever
 * connection carries that session now. A model that waited for the call lost it with its
 * connection; one that went on still expects the answer after a resume. With no connection at
 * the moment, that answer waits for the next one.
 */
export function answerGemini(wire: ToolWire | undefined, result: FunctionResult, geminiSession: number): Delivery {
  const connection = wire?.connection();
  const wentOn = result.scheduling !== undefined;
  if (!connection) return wentOn ? 'later' : 'gone';
  if (connection.geminiSession !== geminiSession) return 'gone';
  connection.toolResponse([result as CallAnswer]);
  wire?.answered(wentOn && result.scheduling !== 'SILENT');
  return 'sent';
}
