import { eventChannels, eventWindows, type EventName } from '../../../shared/ipc/channels';
import type { EventPayload } from '../../../shared/ipc/contract';
import type { WindowKind } from '../../../shared/types';
import type { InvokeHandlers } from '../ipc/router';
import { SenderGuard } from '../ipc/sender-guard';
import type { Ports } from '../ports';
import { captureExclusionFor } from './capture-exclusion';
import { WindowManager } from './window-manager';
import { WindowStateStore } from './window-state';

/** Tells Parley's windows what happened: one of the windows the event is for, or each of them that is open. */
export type Emit = <K extends EventName>(
  name: K,
  payload: EventPayload<K>,
  to?: (typeof eventWindows)[K][number],
) => void;

export interface WindowsFeature {
  readonly windows: WindowManager;
  /** Only the windows made here may call main, each only on the channels its kind may use. */
  readonly guard: SenderGuard;
  readonly emit: Emit;
  readonly invokes: Pick<InvokeHandlers, 'getAppInfo' | 'openWindow'>;
  /** Where to tell the user that a window could not load. */
  tellUser(tell: (message: string) => void): void;
}

/** Parley's windows, the events main sends them, and a second launch showing the transcript. */
export function windowsFeature(ports: Pick<Ports, 'app' | 'windows' | 'windowStateFile' | 'log'>): WindowsFeature {
  const guard = new SenderGuard(ports.app.rendererOrigin);
  const user = { tell: (_message: string) => undefined as void };
  const windows = new WindowManager(
    ports.windows,
    guard,
    new WindowStateStore(ports.windowStateFile.open()),
    { warn: (message) => ports.log.warn(`windows: ${message}`), tell: (message) => user.tell(message) },
    captureExclusionFor(ports.app.platform),
  );
  ports.app.onSecondInstance(() => windows.show('transcript'));
  return {
    windows,
    guard,
    tellUser: (tell) => (user.tell = tell),
    emit: (name, payload, to) => {
      const kinds: readonly WindowKind[] = to ? [to] : eventWindows[name];
      for (const kind of kinds) windows.sendTo(kind, eventChannels[name], payload);
    },
    invokes: {
      getAppInfo: () => ({ name: ports.app.name, version: ports.app.version, platform: ports.app.platform }),
      openWindow: ({ window }) => {
        windows.show(window);
        return null;
      },
    },
  };
}
