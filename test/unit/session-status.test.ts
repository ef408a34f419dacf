import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionStatus } from '../../shared/types';
import type { IpcSender } from '../../electron/main/ports';
import { AudioDevices } from '../../electron/main/audio/audio-devices';
import { audioFeature } from '../../electron/main/audio/audio-feature';
import { initialStatus, SessionStatusStore } from '../../electron/main/session/session-status';
import { defaultSettings, type AppSettings } from '../../electron/main/settings/defaults';
import type { SettingsFollower } from '../../electron/main/settings/settings-feature';

const ready = initialStatus(true);
const sender: IpcSender = { webContentsId: 1, frameUrl: 'app://audio/index.html', isMainFrame: true };
const speakersGone = 'The chosen output device is not connected. Replies play on the default output device.';

function watched(store: SessionStatusStore): SessionStatus[] {
  const seen: SessionStatus[] = [];
  store.subscribe((status) => seen.push(status));
  return seen;
}

describe('the state line', () => {
  it('keeps a notice when a later state arrives, until the next turn starts', () => {
    const status = new SessionStatusStore(initialStatus(false, true));
    status.launched();
    status.tell(speakersGone);
    status.set(ready);
    assert.deepEqual(status.current, { state: 'idle', detail: speakersGone });
    status.set({ state: 'listening', detail: 'Listening…' });
    status.set(ready);
    assert.deepEqual(status.current, ready, 'the turn has started: the notice was read');
  });

  it('adds notices up while Parley starts, and replaces them once it has started', () => {
    const status = new SessionStatusStore(ready);
    const seen = watched(status);
    status.tell('Your settings file could not be read.');
    status.tell('Your conversations could not be saved.');
    assert.equal(status.current.detail, 'Your settings file could not be read. Your conversations could not be saved.');
    status.launched();
    status.tell(speakersGone);
    assert.equal(status.current.detail, speakersGone);
    assert.equal(seen.length, 3, 'each change is shown once');
  });

  it('keeps what the user must do next to a notice', () => {
    const status = new SessionStatusStore(initialStatus(false, true));
    status.tell('Your settings file could not be read.');
    assert.equal(status.current.detail, `Your settings file could not be read. ${initialStatus(false, true).detail}`);
    status.set(initialStatus(false));
    assert.deepEqual(status.current, {
      state: 'no-api-key',
      detail: `Your settings file could not be read. ${initialStatus(false).detail}`,
    });
  });

  it('says it is seeing the screen while pictures are taken, whatever the state does meanwhile', () => {
    const status = new SessionStatusStore(ready);
    const seen = watched(status);
    status.set({ state: 'listening', detail: 'Listening…' });
    status.seeingScreen(true);
    status.set({ state: 'listening', detail: 'Listening… release the hotkey when you are done.' });
    assert.equal(status.current.seeingScreen, true);
    status.seeingScreen(false);
    assert.equal(status.current.seeingScreen, undefined);
    assert.deepEqual(
      seen.map((shown) => shown.seeingScreen ?? false),
      [false, true, true, false],
    );
  });

  it('shows nothing new when nothing changed', () => {
    const status = new SessionStatusStore(ready);
    const seen = watched(status);
    status.set(ready);
    status.launched();
    status.tell(speakersGone);
    status.tell(speakersGone);
    assert.equal(seen.length, 1);
  });
});

describe('device news in the state line', () => {
  const speakers = { deviceId: 'speakers', label: 'Desk speakers' };

  function audio(settings: AppSettings) {
    const devices = new AudioDevices();
    const followers: SettingsFollower[] = [];
    const status = new SessionStatusStore(ready);
    status.launched();
    const current = { settings };
    const feature = audioFeature({
      settings: {
        get current() {
          return current.settings;
        },
        devices,
        deviceChoice: () => devices.choose(current.settings),
        follow: (follower) => void followers.push(follower),
        showView: () => undefined as never,
      },
      status,
      emit: () => undefined,
    });
    const change = async (next: Partial<AppSettings>) => {
      const before = current.settings;
      current.settings = { ...before, ...next };
      for (const follower of followers) {
        await follower({ before, after: current.settings, touches: (keys) => keys.some((key) => key in next) });
      }
    };
    return { feature, status, change };
  }

  it('says so when the user chooses an output device that is not plugged in', async () => {
    const { feature, status, change } = audio(defaultSettings);
    feature.sends.mediaDevices({ inputs: [], outputs: [speakers] }, sender);
    await change({ outputDeviceId: 'unplugged-speakers' });
    assert.match(status.current.detail, /The chosen output device is not connected: Parley uses the system default/);
    status.set(ready);
    assert.match(status.current.detail, /The chosen output device is not connected/, 'a later "Ready" keeps it');
  });

  it('says so when the chosen output device cannot be opened', () => {
    const { feature, status } = audio(defaultSettings);
    feature.sends.outputDeviceFailed({ deviceId: 'speakers', message: 'Desk speakers could not be opened.' }, sender);
    status.set(ready);
    assert.match(
      status.current.detail,
      /^Desk speakers could not be opened\. Replies play on the default output device\./,
    );
  });
});
