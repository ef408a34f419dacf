import type { MediaDevice, MediaDeviceList } from '../../../shared/types';

/** Chromium's stand-ins for "whatever the OS picks": Parley offers its own "System default". */
const aliases = new Set(['default', 'communications']);

/**
 * The microphones and speakers present now, or undefined while the browser
 * hides them (no microphone permission yet): an empty list would read as
 * "every chosen device unplugged".
 */
export async function listDevices(): Promise<MediaDeviceList | undefined> {
  const devices = (await navigator.mediaDevices.enumerateDevices()).filter((device) => device.kind !== 'videoinput');
  if (devices.some((device) => device.deviceId === '')) return undefined;
  const of = (kind: MediaDeviceKind): MediaDevice[] =>
    devices
      .filter((device) => device.kind === kind && !aliases.has(device.deviceId))
      .slice(0, 64)
      .map((device) => ({ deviceId: device.deviceId, label: device.label.slice(0, 300) }));
  return { inputs: of('audioinput'), outputs: of('audiooutput') };
}
