export type CaptureErrorKind = 'permission-denied' | 'no-device' | 'failed';

/** Why the microphone could not be opened, in words a user can act on. */
export class CaptureError extends Error {
  override readonly name = 'CaptureError';

  constructor(
    readonly kind: CaptureErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** Maps a getUserMedia rejection (a DOMException, by name) to a CaptureError. */
export function classifyCaptureError(error: unknown): CaptureError {
  if (error instanceof CaptureError) return error;
  const name = error instanceof Error ? error.name : '';
  const detail = error instanceof Error ? error.message : String(error);
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new CaptureError(
        'permission-denied',
        'Microphone access was denied. Allow Parley to use the microphone in your system settings.',
      );
    case 'NotFoundError':
      return new CaptureError('no-device', 'No microphone was found. Connect one and try again.');
    case 'OverconstrainedError':
      // Only the device id is ever constrained exactly, so this means the chosen microphone is gone.
      return new CaptureError('no-device', 'The selected microphone is not available. Choose another in Settings.');
    default:
      return new CaptureError('failed', `The microphone could not be opened (${name || 'error'}: ${detail}).`);
  }
}
