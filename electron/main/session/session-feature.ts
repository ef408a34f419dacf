import type { CredentialsFeature } from '../credentials/credentials-feature';
import type { HotkeyTurns } from '../hotkey/push-to-talk';
import type { InvokeHandlers, SendHandlers } from '../ipc/router';
import { seesScreen } from '../live/model-capabilities';
import type { Ports } from '../ports';
import type { ScreenFeature } from '../screen/screen-feature';
import type { SettingsFeature } from '../settings/settings-feature';
import type { ToolsFeature } from '../tools/tools-feature';
import type { TranscriptsFeature } from '../transcripts/transcripts-feature';
import type { Emit } from '../windows/windows-feature';
import { Floor } from './floor';
import { fileHandleStore } from './handle-store';
import { profileLane, type ProfileLane } from './profile-lane';
import { initialStatus, type SessionStatusStore } from './session-status';
import type { SessionTuning } from './session-tuning';

export interface SessionFeatureDeps {
  ports: Pick<Ports, 'sessionFile' | 'log'>;
  tuning: SessionTuning;
  settings: Pick<SettingsFeature, 'current' | 'forProfile' | 'follow' | 'showProfile'>;
  credentials: Pick<CredentialsFeature, 'apiKey' | 'unlocking' | 'loaded' | 'onChange'>;
  /** The app's state line: the state of the profile that holds the floor, and every notice. */
  status: SessionStatusStore;
  transcripts: Pick<TranscriptsFeature, 'forProfile' | 'show'>;
  tools: Pick<ToolsFeature, 'forProfile'>;
  screen: Pick<ScreenFeature, 'forProfile'>;
  emit: Emit;
}

export interface SessionFeature {
  /**
   * What the hotkeys drive: a press starts its profile's turn (or says the key is missing), a
   * release ends it; and who hears when a turn ends without the hotkey.
   */
  readonly hotkeyTurns: HotkeyTurns;
  readonly invokes: Pick<InvokeHandlers, 'getSessionStatus' | 'selectProfile' | 'retryTurn' | 'sendText'>;
  readonly sends: Pick<
    SendHandlers,
    'captureFrame' | 'captureStarted' | 'captureEnded' | 'captureFailed' | 'playbackState'
  >;
  /** Shows a profile's state and conversation without a turn, and Settings edits it (the user chose it). */
  selectProfile(id: string): void;
  dispose(): void;
}

/** A profile's lane and what was made for it alone. */
interface Lane {
  readonly lane: ProfileLane;
  /** Parley closes: the lane stops, and the profile's conversation carries on at the next launch. */
  dispose(): void;
  /** The profile was deleted: its calls end too, and its conversation is left to History. */
  remove(): void;
}

/**
 * Every profile's conversation with Gemini, each on its own Live session, and one turn at a time
 * across them (the floor): a press of one profile's hotkey cuts another's reply off.
 */
export function sessionFeature(deps: SessionFeatureDeps): SessionFeature {
  const { settings, credentials, status, emit } = deps;
  const apiKey = () => credentials.apiKey();
  const endedHere: (() => void)[] = [];
  const floor = new Floor(status, (id) => deps.transcripts.show(id));
  const handles = deps.ports.sessionFile.open();
  let lastTurnId = 0;
  const lanes = new Map<string, Lane>();
  const addLane = (id: string) => {
    lanes.set(id, laneFor(id, deps, floor, { handles, newTurnId: () => ++lastTurnId, endedHere }));
  };
  settings.current.profiles.forEach((profile) => addLane(profile.id));
  settings.follow(({ before, after }) => {
    const kept = new Set(after.profiles.map((profile) => profile.id));
    for (const { id } of before.profiles) {
      if (!kept.has(id)) {
        if (capturer?.id === id) capturer = undefined;
        lanes.get(id)?.remove();
        lanes.delete(id);
      }
    }
    for (const { id } of after.profiles) if (!lanes.has(id)) addLane(id);
    floor.named();
  });
  const unsubscribe = status.subscribe((next) => emit('sessionStatusChanged', next));
  followKey(credentials, status, () => [...lanes.values()].map(({ lane }) => lane));
  // The lane whose turn the user started last, the one the user hears; and the one they see.
  const holder = () => lanes.get(floor.holder ?? '')?.lane;
  const showing = () => lanes.get(floor.showing ?? '')?.lane;
  // The lane whose hotkey opened the microphone last: the audio window's capture events are its turn's
  // (a lane cut off has finished its capture and ignores late events of it, as every lane ignores other turn ids).
  let capturer: ProfileLane | undefined;
  const selectProfile = (id: string): boolean => {
    if (!lanes.has(id)) return false;
    settings.showProfile(id);
    floor.select(id);
    return true;
  };
  return {
    hotkeyTurns: {
      turnStarted: (_at, { profile, look }) => {
        if (!apiKey()) return status.set(initialStatus(false, credentials.unlocking()));
        const lane = lanes.get(profile)?.lane;
        if (!lane) return;
        floor.take(lane.id);
        capturer = lane;
        lane.turns.startTurn({ look: look && seesScreen(lane.settings.current) });
      },
      turnEnded: (_at, reason) => capturer?.turns.endTurn(reason),
      onEndedElsewhere: (listener) => void endedHere.push(listener),
    },
    invokes: {
      getSessionStatus: () => status.current,
      selectProfile: async ({ id }) => {
        if (!selectProfile(id)) throw new Error('That profile no longer exists.');
        return status.current;
      },
      retryTurn: async ({ turnId }) => {
        const lane = [...lanes.values()].find(({ lane }) => lane.turns.canRetry(turnId))?.lane;
        if (!lane) throw new Error('That turn can no longer be sent again.');
        floor.take(lane.id, 'retry');
        await lane.turns.retry(turnId);
        return null;
      },
      sendText: async ({ text }) => {
        if (!apiKey()) throw new Error('No Gemini API key is set.');
        const lane = showing();
        if (!lane) throw new Error('There is no profile to send it to.');
        floor.take(lane.id, 'text');
        await lane.turns.sendText(text);
        return null;
      },
    },
    sends: {
      captureFrame: ({ turnId, pcm }) => capturer?.turns.captureFrame(turnId, pcm),
      captureStarted: ({ turnId }) => capturer?.turns.captureStarted(turnId),
      captureEnded: ({ turnId }) => capturer?.turns.captureEnded(turnId),
      captureFailed: (failure) => capturer?.turns.captureFailed(failure),
      // The audio window plays one reply at a time: the floor holder's.
      playbackState: ({ playing }) => holder()?.turns.playbackState(playing),
    },
    selectProfile: (id) => void selectProfile(id),
    dispose() {
      for (const lane of lanes.values()) lane.dispose();
      lanes.clear();
      floor.dispose();
      unsubscribe();
    },
  };
}

/** Builds one profile's lane from its settings, conversation, screen link and tools, and puts it on the floor. */
function laneFor(
  id: string,
  deps: SessionFeatureDeps,
  floor: Floor,
  shared: { handles: ReturnType<Ports['sessionFile']['open']>; newTurnId: () => number; endedHere: (() => void)[] },
): Lane {
  const settings = deps.settings.forProfile(id);
  const nameNow = () => deps.settings.current.profiles.find((profile) => profile.id === id)?.name ?? id;
  const transcripts = deps.transcripts.forProfile({ id, name: nameNow() });
  const screen = deps.screen.forProfile({ settings, transcripts });
  const tools = deps.tools.forProfile({ settings, offered: () => screen.tools(), transcript: transcripts.transcript });
  const lane = profileLane({
    ports: deps.ports,
    tuning: deps.tuning,
    settings,
    credentials: deps.credentials,
    apiKey: () => deps.credentials.apiKey(),
    notices: deps.status,
    transcripts,
    handles: fileHandleStore(shared.handles, id),
    tools,
    screen: screen.link,
    emit: deps.emit,
    newTurnId: shared.newTurnId,
    captureEndedHere: () => shared.endedHere.forEach((listener) => listener()),
  });
  floor.add({
    id,
    get name() {
      return nameNow();
    },
    status: lane.status,
    busy: lane.busy,
    cutOff: (note) => lane.turns.cutOff(note),
  });
  const dispose = () => {
    floor.remove(id);
    lane.dispose();
  };
  return {
    lane,
    dispose,
    remove() {
      dispose();
      tools.dispose();
      transcripts.dispose();
    },
  };
}

/** The saved key, once decrypted, makes Parley ready (or says there is none); a new key means new sessions. */
function followKey(
  credentials: SessionFeatureDeps['credentials'],
  status: SessionStatusStore,
  lanes: () => ProfileLane[],
): void {
  const ready = (store: SessionStatusStore, hasKey: boolean) => {
    if (!hasKey || store.current.state === 'no-api-key') store.set(initialStatus(hasKey));
  };
  void credentials.loaded.then(() => {
    const hasKey = credentials.apiKey() !== undefined;
    for (const lane of lanes()) if (lane.status.current.state === 'no-api-key') ready(lane.status, hasKey);
    if (status.current.state === 'no-api-key') ready(status, hasKey);
  });
  credentials.onChange(() => {
    const hasKey = credentials.apiKey() !== undefined;
    for (const lane of lanes()) lane.keyChanged(hasKey);
    ready(status, hasKey);
  });
}
