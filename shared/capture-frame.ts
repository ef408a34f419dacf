/**
 * 20 ms of 16 kHz PCM16: the most one capture frame carries over IPC. Its own
 * module, free of zod, so the audio renderer can import it.
 */
export const captureFrameMaxBytes = 640;
