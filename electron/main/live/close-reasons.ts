/**
 * What a Live connection's end means for the user, from its close code and
 * reason (see live-protocol.md, "Close codes seen from the real service").
 */
export type CloseKind =
  /** Network trouble, server restarts, deadlines: reconnect and resume. */
  | 'retryable'
  /** 1007: the API key or a setup field was refused; retrying cannot help. */
  | 'refused'
  /** 1008: the model is not available (or not to this key). */
  | 'unavailable'
  /** 1008 for the resumption handle: it expired, the conversation must start afresh. */
  | 'handle-expired';

export function classifyClose(code: number, reason: string): CloseKind {
  if (code === 1007) return 'refused';
  if (code === 1008) return /session not found/i.test(reason) ? 'handle-expired' : 'unavailable';
  return 'retryable';
}

/** One sentence on what went wrong and what to do, for the status line and the tray. */
export function explainFatalClose(kind: 'refused' | 'unavailable', reason: string, model: string): string {
  return kind === 'refused'
    ? `Gemini refused the session: ${reason} Check the API key in Settings (or the setting it names), then press the hotkey again.`
    : `${model} is not available: ${reason} Choose another model in Settings, then press the hotkey again.`;
}
