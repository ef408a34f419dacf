import type { AudioSetup, MediaDeviceList } from '../../../shared/types';
import type { InvokeHandlers, SendHandlers } from '../ipc/router';
import type { SessionStatusStore } from '../session/session-status';
import type { SettingsFeature } from '../settings/settings-feature';
import type { Emit } from '../windows/windows-feature';
import { deviceNews, type DeviceChoice } from './audio-devices';

/** The settings the audio renderer applies by itself, without a new turn or session. */
const audioSetupKeys = ['capture', 'warmMicrophone', 'outputDeviceId', 'outputVolume', 'muteReplies'];

export interface AudioFeatureDeps {
  settings: Pick<SettingsFeature, 'current' | 'devices' | 'deviceChoice' | 'follow' | 'showView'>;
  status: SessionStatusStore;
  emit: Emit;
}

export interface AudioFeature {
  readonly invokes: Pick<InvokeHandlers, 'getAudioSetup'>;
  readonly sends: Pick<SendHandlers, 'inputLevel' | 'outputDeviceFailed' | 'mediaDevices'>;
}

/** The hidden audio renderer's setup (devices, volume, warm microphone) and what it reports back. */
export function audioFeature({ settings, status, emit }: AudioFeatureDeps): AudioFeature {
  const audioSetup = (): AudioSetup => {
    const { current } = settings;
    const choice = settings.deviceChoice();
    return {
      capture: { ...current.capture, deviceId: choice.inputDeviceId },
      warmMicrophone: current.warmMicrophone,
      outputDeviceId: choice.outputDeviceId,
      repliesVolume: current.muteReplies ? 0 : current.outputVolume,
    };
  };
  /** Plugging or unplugging a device may change which one is used: apply it and say so. */
  const devicesChanged = (list: MediaDeviceList) => {
    const before = settings.deviceChoice();
    if (!settings.devices.update(list)) return;
    const after = settings.deviceChoice();
    if (before.inputDeviceId !== after.inputDeviceId || before.outputDeviceId !== after.outputDeviceId) {
      emit('audioSetupChanged', audioSetup(), 'audio');
    }
    tellNews(before, after);
    settings.showView();
  };
  const tellNews = (before: DeviceChoice, after: DeviceChoice) => {
    const news = deviceNews(before, after, (id) => settings.devices.labelOf(id));
    if (news) status.tell(news);
  };
  settings.follow(({ before, after, touches }) => {
    if (!touches(audioSetupKeys)) return;
    emit('audioSetupChanged', audioSetup(), 'audio');
    // Choosing a device that is not plugged in is news too, not only unplugging one.
    tellNews(settings.devices.choose(before), settings.devices.choose(after));
  });
  return {
    invokes: { getAudioSetup: () => audioSetup() },
    sends: {
      inputLevel: (level) => emit('inputLevelChanged', level, 'transcript'),
      outputDeviceFailed: ({ message }) => status.tell(`${message} Replies play on the default output device.`),
      mediaDevices: (list) => devicesChanged(list),
    },
  };
}
