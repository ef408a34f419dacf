import type { MediaDevice } from '../../shared/types';

export interface DeviceOption {
  value: string;
  label: string;
}

/**
 * The choices of a device list: the system default first, each device by its
 * name (or a number where the system gives none), and a chosen device that is
 * unplugged kept visible, so the setting is not silently lost.
 */
export function deviceOptions(
  devices: readonly MediaDevice[],
  chosen: string | undefined,
  noun: string,
): DeviceOption[] {
  const options = [
    { value: '', label: 'System default' },
    ...devices.map((device, index) => ({ value: device.deviceId, label: device.label || `${noun} ${index + 1}` })),
  ];
  if (chosen && !devices.some((device) => device.deviceId === chosen)) {
    options.push({ value: chosen, label: `${noun} not connected` });
  }
  return options;
}
