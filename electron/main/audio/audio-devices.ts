import type { MediaDeviceList } from '../../../shared/types';
import type { AppSettings } from '../settings/defaults';

/** The devices to use right now, and what to tell the user about any that are missing. */
export interface DeviceChoice {
  inputDeviceId?: string;
  outputDeviceId?: string;
  notes: { input?: string; output?: string };
}

type DeviceSettings = Pick<AppSettings, 'capture' | 'outputDeviceId'>;

/**
 * The microphones and speakers the audio renderer reports. A chosen device
 * that is not plugged in gives way to the system default, and comes back by
 * itself when it reappears; its name is remembered to say which one is gone.
 */
export class AudioDevices {
  private list: MediaDeviceList | undefined;
  private readonly labels = new Map<string, string>();

  get present(): MediaDeviceList {
    return this.list ?? { inputs: [], outputs: [] };
  }

  /** False when nothing changed (the renderer reports again after every microphone start). */
  update(list: MediaDeviceList): boolean {
    if (JSON.stringify(list) === JSON.stringify(this.list)) return false;
    this.list = list;
    for (const device of [...list.inputs, ...list.outputs]) {
      if (device.label) this.labels.set(device.deviceId, device.label);
    }
    return true;
  }

  labelOf(deviceId: string): string | undefined {
    return this.labels.get(deviceId);
  }

  choose(settings: DeviceSettings): DeviceChoice {
    const input = this.pick(settings.capture.deviceId, 'inputs', 'microphone');
    const output = this.pick(settings.outputDeviceId, 'outputs', 'output device');
    return {
      inputDeviceId: input.deviceId,
      outputDeviceId: output.deviceId,
      notes: { input: input.note, output: output.note },
    };
  }

  private pick(
    chosen: string | undefined,
    kind: keyof MediaDeviceList,
    noun: string,
  ): { deviceId?: string; note?: string } {
    // Until the renderer has reported (or for the default), the setting stands as it is.
    if (!chosen || !this.list || this.list[kind].some((device) => device.deviceId === chosen)) {
      return { deviceId: chosen };
    }
    const name = this.labels.get(chosen) ?? `The chosen ${noun}`;
    return { note: `${name} is not connected: Parley uses the system default ${noun} until it is back.` };
  }
}

/** What to tell the user when the devices in use change: one that went away, or one that came back. */
export function deviceNews(
  before: DeviceChoice,
  after: DeviceChoice,
  labelOf: (deviceId: string) => string | undefined,
): string | undefined {
  const gone = [after.notes.input, after.notes.output].filter(
    (note) => note !== undefined && note !== before.notes.input && note !== before.notes.output,
  );
  const back = [
    before.notes.input && !after.notes.input ? after.inputDeviceId : undefined,
    before.notes.output && !after.notes.output ? after.outputDeviceId : undefined,
  ].flatMap((id) => (id ? [`${labelOf(id) ?? 'The chosen device'} is connected again.`] : []));
  return [...gone, ...back].join(' ') || undefined;
}
