// The screen as context for a turn. For now only the door: frames from the
// audio renderer arrive through the IPC contract (sender and shape checked by
// the router), and, as no screen turn asks for any yet, each is dropped with a
// log line, the same fate a frame outside a screen turn will always meet.
import type { SendHandlers } from '../ipc/router';
import type { Ports } from '../ports';

export interface ScreenFeature {
  readonly sends: Pick<SendHandlers, 'screenFrame' | 'screenFailed'>;
}

export function screenFeature(ports: Pick<Ports, 'log'>): ScreenFeature {
  return {
    sends: {
      screenFrame: ({ turnId, width, height }) =>
        ports.log.warn(`dropped a ${width}×${height} screen frame for turn ${turnId}: no screen turn asked for one`),
      screenFailed: ({ turnId, message }) => ports.log.warn(`screen capture for turn ${turnId} failed: ${message}`),
    },
  };
}
