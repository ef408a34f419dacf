import { messageOf } from '../../../shared/error-message';
import { ToolFailure, type Tool } from '../tools/tool';
import type { SeenFrame } from './screen-turns';

export interface LookDeps {
  /** One checked frame of the screen, captured now; rejects with the reason it could not be. */
  look(turnId: number, signal: AbortSignal): Promise<SeenFrame>;
  /** Puts the frame on the wire as video, before the call's result; false when there is no connection. */
  send(frame: SeenFrame): boolean;
  /** Keeps it with the conversation and shows it on the turn, as for the screen hotkey. */
  keep(turnId: number, frame: SeenFrame): void;
}

/**
 * `look_at_screen`: Gemini asks to see the screen. It sends a picture, so it asks the user first
 * by default (not read-only); the picture goes as video input just before the result, which
 * says so, and is shown on the turn like the screen hotkey's.
 */
export function lookAtScreenTool(deps: LookDeps): Tool {
  return {
    name: 'look_at_screen',
    title: 'look_at_screen',
    description:
      "Sends you one picture of the user's screen (what they chose to show: the display under their mouse pointer, or the window that has the focus), as video input just before this call's result. Call it when the user refers to something on their screen that you cannot see. The user may refuse.",
    parameters: { type: 'object', properties: {}, additionalProperties: false },
    readOnly: false,
    scheduling: 'WHEN_IDLE',
    run: async (_args, { signal, turnId }) => {
      const frame = await deps.look(turnId, signal).catch((error: unknown) => {
        throw new ToolFailure(`The screen could not be captured. ${messageOf(error)}`);
      });
      if (signal.aborted) throw signal.reason;
      if (!deps.send(frame)) throw new ToolFailure('The picture could not be sent: the connection to Gemini is gone.');
      deps.keep(turnId, frame);
      return {
        status: 'sent',
        picture: `${frame.width}×${frame.height} JPEG of the user's screen, sent as video input just before this result`,
      };
    },
  };
}
