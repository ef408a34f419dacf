import { classifyCaptureError } from './capture-error';

export interface CaptureOptions {
  /** A device from enumerateDevices(); the system default when absent or empty. */
  deviceId?: string;
  /** The browser's voice processing, all on unless turned off. */
  echoCancellation?: boolean;
  noiseSuppression?: boolean;
  autoGainControl?: boolean;
}

/** Options with every default filled in, comparable with `sameMicrophone`. */
export type ResolvedCaptureOptions = Required<CaptureOptions>;

export function resolveCaptureOptions(options: CaptureOptions): ResolvedCaptureOptions {
  return {
    deviceId: options.deviceId ?? '',
    echoCancellation: options.echoCancellation ?? true,
    noiseSuppression: options.noiseSuppression ?? true,
    autoGainControl: options.autoGainControl ?? true,
  };
}

export function sameMicrophone(a: ResolvedCaptureOptions, b: ResolvedCaptureOptions): boolean {
  return (
    a.deviceId === b.deviceId &&
    a.echoCancellation === b.echoCancellation &&
    a.noiseSuppression === b.noiseSuppression &&
    a.autoGainControl === b.autoGainControl
  );
}

/** Opens the microphone, rejecting with a CaptureError. A chosen device is required exactly: no silent fallback. */
export async function openMicrophoneStream(options: ResolvedCaptureOptions): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: {
        ...(options.deviceId ? { deviceId: { exact: options.deviceId } } : {}),
        channelCount: 1,
        echoCancellation: options.echoCancellation,
        noiseSuppression: options.noiseSuppression,
        autoGainControl: options.autoGainControl,
      },
    });
  } catch (error) {
    throw classifyCaptureError(error);
  }
}
