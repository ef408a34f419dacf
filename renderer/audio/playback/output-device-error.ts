export type OutputDeviceErrorKind = 'unsupported' | 'not-found' | 'failed';

/** Why the output device could not be changed; playback continues on the previous one. */
export class OutputDeviceError extends Error {
  override readonly name = 'OutputDeviceError';

  constructor(
    readonly kind: OutputDeviceErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export function classifyOutputDeviceError(error: unknown, deviceId: string): OutputDeviceError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'NotFoundError') {
    return new OutputDeviceError('not-found', `The output device "${deviceId}" is not available.`);
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new OutputDeviceError('failed', `The output device could not be selected (${name || 'error'}: ${detail}).`);
}
