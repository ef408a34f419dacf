import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AudioDevices, deviceNews } from '../../electron/main/audio/audio-devices';
import { defaultSettings } from '../../electron/main/settings/defaults';

const usb = { deviceId: 'usb', label: 'USB Microphone' };
const headphones = { deviceId: 'phones', label: 'Headphones' };
const chosen = (input?: string, output?: string) => ({
  capture: { ...defaultSettings.capture, deviceId: input },
  outputDeviceId: output,
});

describe('AudioDevices', () => {
  it('uses the chosen devices as they are until the renderer has reported any', () => {
    const devices = new AudioDevices();
    assert.deepEqual(devices.choose(chosen('usb', 'phones')), {
      inputDeviceId: 'usb',
      outputDeviceId: 'phones',
      notes: { input: undefined, output: undefined },
    });
    assert.deepEqual(devices.present, { inputs: [], outputs: [] });
  });

  it('keeps the chosen devices while they are plugged in', () => {
    const devices = new AudioDevices();
    assert.equal(devices.update({ inputs: [usb], outputs: [headphones] }), true);
    assert.equal(devices.update({ inputs: [usb], outputs: [headphones] }), false, 'the same list again is no change');
    const choice = devices.choose(chosen('usb', 'phones'));
    assert.equal(choice.inputDeviceId, 'usb');
    assert.equal(choice.outputDeviceId, 'phones');
    assert.deepEqual(choice.notes, { input: undefined, output: undefined });
  });

  it('falls back to the system default when a chosen device is unplugged, naming it, and returns to it when it is back', () => {
    const devices = new AudioDevices();
    devices.update({ inputs: [usb], outputs: [headphones] });
    devices.update({ inputs: [], outputs: [] });
    const gone = devices.choose(chosen('usb', 'phones'));
    assert.equal(gone.inputDeviceId, undefined);
    assert.equal(gone.outputDeviceId, undefined);
    assert.equal(
      gone.notes.input,
      'USB Microphone is not connected: Parley uses the system default microphone until it is back.',
    );
    assert.equal(
      gone.notes.output,
      'Headphones is not connected: Parley uses the system default output device until it is back.',
    );
    devices.update({ inputs: [usb], outputs: [headphones] });
    assert.equal(devices.choose(chosen('usb', 'phones')).inputDeviceId, 'usb');
  });

  it('says "the chosen microphone" for a device it never saw, and nothing for the default', () => {
    const devices = new AudioDevices();
    devices.update({ inputs: [usb], outputs: [] });
    assert.match(devices.choose(chosen('old-mic')).notes.input ?? '', /^The chosen microphone is not connected/);
    assert.deepEqual(devices.choose(chosen()).notes, { input: undefined, output: undefined });
  });

  it('tells the user which device went away, and which came back', () => {
    const devices = new AudioDevices();
    devices.update({ inputs: [usb], outputs: [headphones] });
    const present = devices.choose(chosen('usb', 'phones'));
    devices.update({ inputs: [usb], outputs: [] });
    const phonesGone = devices.choose(chosen('usb', 'phones'));
    const labelOf = (id: string) => devices.labelOf(id);
    assert.equal(
      deviceNews(present, phonesGone, labelOf),
      'Headphones is not connected: Parley uses the system default output device until it is back.',
    );
    assert.equal(deviceNews(phonesGone, phonesGone, labelOf), undefined, 'said once');
    assert.equal(deviceNews(phonesGone, present, labelOf), 'Headphones is connected again.');
  });
});
