// Close codes and reasons as the Live service sends them (see
// ../shared/docs/live-protocol.md, "Close codes seen from the real service").

export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  invalidPayload: 1007,
  policyViolation: 1008,
  internalError: 1011,
} as const;

export const Reason = {
  invalidKey: 'API key not valid. Please pass a valid API key.',
  invalidArgument: 'Request contains an invalid argument.',
  deadlineExpired: 'Deadline expired before operation could complete.',
  internalError: 'Internal error occurred.',
  sessionNotFound: 'BidiGenerateContent session not found',
} as const;

/** A rule the client broke; the connection closes with this code and reason. */
export class ProtocolError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`${code} ${reason}`);
  }
}

export function invalidArgument(reason: string = Reason.invalidArgument): ProtocolError {
  return new ProtocolError(CloseCode.invalidPayload, reason);
}

export function unknownField(name: string, at: string): ProtocolError {
  const where = at === '' ? '' : ` at '${at}'`;
  return invalidArgument(`Invalid JSON payload received. Unknown name "${name}"${where}: Cannot find field.`);
}

export function invalidValue(at: string): ProtocolError {
  return invalidArgument(`Invalid JSON payload received. Invalid value at '${at}'.`);
}

export function modelNotFound(model: string, apiVersion: string): ProtocolError {
  return new ProtocolError(
    CloseCode.policyViolation,
    `${model} is not found for API version ${apiVersion}, or is not supported for bidiGenerateContent. ` +
      'Call ListModels to see the list of available models and their supported methods.',
  );
}

const MAX_REASON_BYTES = 123;

/** A close frame holds at most 123 bytes of reason; long service reasons arrive cut like this. */
export function fitCloseReason(reason: string): string {
  let fitted = reason;
  while (Buffer.byteLength(fitted) > MAX_REASON_BYTES) fitted = fitted.slice(0, -1);
  return fitted;
}
