import { eventChannels } from '../../shared/ipc/channels';
import type { EventPayload } from '../../shared/ipc/contract';
import type { SettingsView } from '../../shared/settings';
import type { ConnectionState, HotkeyStatus, MediaDeviceList, PushToTalkMode, WindowKind } from '../../shared/types';
import type { EventName } from '../../shared/ipc/channels';
import { AudioDevices, deviceNews } from './audio/audio-devices';
import { Transcript } from './conversation/transcript';
import { TurnController, type AudioLink } from './conversation/turn-controller';
import { checkHotkey, windowMenuShortcuts } from './hotkey/hotkey-check';
import { HotkeyService } from './hotkey/hotkey-service';
import { registerInvokeHandlers, registerSendHandlers } from './ipc/router';
import { SenderGuard } from './ipc/sender-guard';
import { buildLiveConfig, sessionKeys } from './live/live-config';
import { apiVersionFor } from './live/model-capabilities';
import { liveEndpointFor } from './live/live-endpoint';
import { classifyClose } from './live/close-reasons';
import { LiveSession } from './live/live-session';
import { recapTurns, summaryOfRecentTurns } from './conversation/recent-turns';
import { ConnectionKeeper } from './session/connection-keeper';
import { fileHandleStore } from './session/handle-store';
import { defaultSessionTuning, type SessionTuning } from './session/session-tuning';
import type { Ports } from './ports';
import { join } from 'node:path';
import { ApiKeyStore } from './credentials/api-key-store';
import { Credentials } from './credentials/credentials';
import { checkApiKey } from './credentials/key-check';
import { IdleDisconnect } from './session/idle-disconnect';
import { initialStatus, SessionStatusStore } from './session/session-status';
import type { AppSettings } from './settings/defaults';
import { SettingsStore } from './settings/settings-store';
import { settingsViewOf } from './settings/settings-view';
import { ConversationStore } from './transcripts/conversation-store';
import { historyHandlers } from './transcripts/history-handlers';
import { trayView } from './tray/tray-menu';
import { WindowManager } from './windows/window-manager';
import { WindowStateStore } from './windows/window-state';

export interface ParleyApp {
  readonly windows: WindowManager;
  readonly status: SessionStatusStore;
  readonly transcript: Transcript;
  /** Every conversation on disk; the current one mirrors the transcript (recentTurns, currentConversationId). */
  readonly conversations: ConversationStore;
  /** Resolves once the hotkey listens (or its fallback does), with how it works here. */
  readonly hotkeyReady: Promise<HotkeyStatus>;
  /** Validates, saves and applies at once: capture and cues from the next turn, a new hotkey immediately. */
  updateSettings(changes: Partial<AppSettings>): Promise<void>;
  dispose(): void;
}

/** States in which a turn or a reply is under way. */
const busyStates = new Set<ConnectionState>(['connecting', 'reconnecting', 'listening', 'thinking', 'speaking']);
const audioSetupKeys = ['capture', 'warmMicrophone', 'outputDeviceId', 'outputVolume', 'muteReplies'] as const;
const sessionChangeKeys = ['model', 'liveEndpoint', ...sessionKeys];
/** Push-to-talk comes back by itself this long after the settings window last paused it. */
const hotkeyPauseMs = 60_000;

/**
 * Composition root: wires every plain module to the ports. Nothing here
 * knows about Electron; the shell hands in real ports, tests hand in theirs.
 */
export function createApp(ports: Ports, tuning: SessionTuning = defaultSessionTuning): ParleyApp {
  const store = new SettingsStore(ports.settingsFile);
  let settings: AppSettings = store.settings;
  const pinnedApiVersion = ports.env.PARLEY_API_VERSION?.trim() || undefined;
  // The version a feature needs (or the one pinned in the environment), for the setup and the URL alike.
  const apiVersion = () => apiVersionFor(settings.model, settings, pinnedApiVersion);
  const endpointSetting = () => liveEndpointFor(ports.env, settings.liveEndpoint);
  const liveEndpoint = () => ({ baseUrl: endpointSetting().baseUrl, apiVersion: apiVersion() });
  const devices = new AudioDevices();
  const deviceChoice = () => devices.choose(settings);
  const settingsView = (): SettingsView => {
    const endpoint = endpointSetting();
    return settingsViewOf(settings, ports.app, pinnedApiVersion, {
      devices: devices.present,
      deviceNotes: deviceChoice().notes,
      connection: {
        endpoint: endpoint.baseUrl,
        endpointFrom: endpoint.from,
        apiVersion: apiVersion(),
        apiVersionFrom: pinnedApiVersion ? 'PARLEY_API_VERSION' : 'model',
      },
    });
  };
  const applyLaunchAtLogin = () => {
    if (ports.app.launchAtLoginSupported) ports.app.setLaunchAtLogin(settings.launchAtLogin);
  };
  const guard = new SenderGuard(ports.app.rendererOrigin);
  const windows = new WindowManager(ports.windows, guard, new WindowStateStore(ports.windowStateFile.open()));
  const credentials = new Credentials(
    new ApiKeyStore(ports.secrets, join(ports.app.userDataPath, 'api-key.bin')),
    ports.env,
    () => keyChanged(),
  );
  const apiKey = () => credentials.key();
  const status = new SessionStatusStore(initialStatus(apiKey() !== undefined));
  if (store.recovery) {
    status.set({
      ...status.current,
      detail: `Your settings file could not be read (${store.recovery.reason}). Parley kept it as ${store.recovery.backupPath} and started from the default settings.`,
    });
  }
  const emit = <K extends EventName>(name: K, payload: EventPayload<K>, to?: WindowKind) =>
    to ? windows.sendTo(to, eventChannels[name], payload) : windows.broadcast(eventChannels[name], payload);

  let shownReply: number | undefined;
  const conversations = ConversationStore.open(join(ports.app.userDataPath, 'conversations'), {
    warn: (message) => ports.log.warn(`transcripts: ${message}`),
    notify: (message) => status.set({ ...status.current, detail: message }),
  });
  const transcript = new Transcript((entry) => {
    conversations.record(entry);
    emit('transcriptEntry', entry, 'transcript');
    // Once per reply, and without stealing the focus from whatever the user is typing in.
    if (settings.showTranscriptOnReply && entry.role === 'model' && entry.id !== shownReply) {
      shownReply = entry.id;
      windows.reveal('transcript');
    }
  });
  // The conversation the last run was in carries on.
  transcript.restore(conversations.currentEntries());
  const audio: AudioLink = {
    startCapture: (turnId, options, cue) => emit('captureStart', { turnId, options, cue }, 'audio'),
    stopCapture: (turnId) => emit('captureStop', { turnId }, 'audio'),
    play: (pcm) => emit('playbackChunk', { pcm }, 'audio'),
    flush: () => emit('playbackFlush', null, 'audio'),
    endOfReply: () => emit('playbackEndOfReply', null, 'audio'),
    cue: (cue) => emit('playCue', { cue }, 'audio'),
  };
  // The controller and the connection keeper each need the other: the controller sends on the
  // keeper's connection, the keeper hands the controller what happens to it.
  const keeperHolder: { keeper?: ConnectionKeeper } = {};
  const turns = new TurnController({
    audio,
    live: {
      get connection() {
        return keeperHolder.keeper?.connection;
      },
      connect: () => keeperHolder.keeper!.connect(),
      explain: (error) => keeperHolder.keeper!.explain(error),
    },
    transcript,
    setStatus: (next) => status.set(next),
    capture: () => ({ ...settings.capture, deviceId: deviceChoice().inputDeviceId }),
    cues: () => settings.cues,
    replyTimeoutMs: tuning.replyTimeoutMs,
    unresponsive: (detail) => keeperHolder.keeper?.unresponsive(detail),
  });
  const session = new LiveSession({
    apiKey,
    endpoint: () => liveEndpoint(),
    model: () => settings.model,
    config: (resumptionHandle) =>
      buildLiveConfig(settings.model, settings, { resumptionHandle, apiVersion: apiVersion() }),
    events: {
      ...turns.liveEvents,
      goAway: (timeLeftMs) => keeper.goAway(timeLeftMs),
      lost: (code, reason) => {
        const wasBusy = turns.busy;
        keeper.lost(code, reason);
        if (!wasBusy && classifyClose(code, reason) === 'retryable') {
          status.set({
            state: 'idle',
            detail: `The connection closed (${code}). The next press reconnects and carries on the conversation.`,
          });
        }
      },
      handleExpired: (seeded) => {
        const note = `Gemini no longer had this conversation (its session expired), so a new one started${seeded ? ', given a summary of the recent turns' : ''}.`;
        transcript.noteOnLatest('user', note);
      },
    },
    handles: fileHandleStore(ports.sessionFile.open(), () => conversations.currentConversationId),
    seed: () => summaryOfRecentTurns(conversations.recentTurns(recapTurns)),
    setupTimeoutMs: tuning.setupTimeoutMs,
  });
  const keeper = new ConnectionKeeper({
    session,
    state: { inFlight: () => turns.busy, capturing: () => turns.talking },
    listener: {
      interrupted: (reason) => {
        turns.connectionInterrupted();
        status.set({ state: 'reconnecting', detail: reconnecting(1, `Connection lost (${reason})`) });
      },
      reconnecting: (attempt, reason) => status.set({ state: 'reconnecting', detail: reconnecting(attempt, reason) }),
      reconnected: (connection) => turns.reconnected(connection),
      failed: (message, retryable) => turns.deliveryFailed(message, retryable),
    },
    model: () => settings.model,
    backoff: tuning.backoff,
    goAwayMarginMs: tuning.goAwayMarginMs,
  });
  keeperHolder.keeper = keeper;
  function reconnecting(attempt: number, reason: string): string {
    return `${reason}. Reconnecting… (attempt ${attempt} of ${tuning.backoff.attempts})`;
  }

  const hotkey = new HotkeyService({
    probe: () => ports.keyHook.probe(),
    startKeySource: (listener) => ports.keyHook.start(listener),
    shortcuts: ports.shortcuts,
    now: () => performance.now(),
    maxTurnMs: () => settings.maxTurnMs,
    turns: {
      turnStarted: () => (apiKey() ? turns.startTurn() : status.set(initialStatus(false))),
      turnEnded: (_at, reason) => turns.endTurn(reason),
    },
  });
  const hotkeyContext = { platform: ports.app.platform, appShortcuts: windowMenuShortcuts(ports.app.platform) };
  let hotkeyStatus: HotkeyStatus = { ...settings.hotkey, effectiveMode: settings.hotkey.mode, keyReleases: true };

  const unregisterInvokes = registerInvokeHandlers(
    ports.ipc,
    guard,
    {
      getAppInfo: () => ({ name: ports.app.name, version: ports.app.version, platform: ports.app.platform }),
      getSessionStatus: () => status.current,
      getHotkey: () => hotkeyStatus,
      checkHotkey: ({ accelerator }) => checkHotkey(accelerator, hotkeyContext),
      getTranscript: () => transcript.all(),
      getAudioSetup: () => audioSetup(),
      getSettings: () => settingsView(),
      getCredentials: () => credentials.view(),
      setApiKey: ({ key, allowWeakEncryption }) =>
        credentials.save(key, allowWeakEncryption ?? false, (candidate) =>
          checkApiKey(candidate, {
            endpoint: liveEndpoint(),
            model: settings.model,
            config: buildLiveConfig(settings.model, settings, { apiVersion: apiVersion() }),
          }),
        ),
      clearApiKey: () => credentials.clear(),
      updateSettings: (patch) => applySettings(patch),
      retryTurn: async ({ turnId }) => {
        await turns.retry(turnId);
        return null;
      },
      sendText: async ({ text }) => {
        if (!apiKey()) throw new Error('No Gemini API key is set.');
        await turns.sendText(text);
        return null;
      },
      openWindow: ({ window }) => {
        windows.show(window);
        return null;
      },
      newConversation: async () => ({ started: await confirmNewConversation() }),
      ...historyHandlers({
        conversations,
        clipboard: ports.clipboard,
        saveDialog: ports.saveDialog,
        confirm: (question) => ports.app.confirm(question),
        currentDeleted: () => resetConversation(),
      }),
    },
    ports.log,
  );
  const unregisterSends = registerSendHandlers(
    ports.ipc,
    guard,
    {
      hotkeyRecording: ({ active }) => pauseHotkey(active),
      captureFrame: ({ turnId, pcm }) => turns.captureFrame(turnId, pcm),
      captureStarted: ({ turnId }) => turns.captureStarted(turnId),
      captureEnded: ({ turnId }) => turns.captureEnded(turnId),
      captureFailed: (failure) => turns.captureFailed(failure),
      inputLevel: (level) => emit('inputLevelChanged', level, 'transcript'),
      playbackState: ({ playing }) => turns.playbackState(playing),
      outputDeviceFailed: ({ message }) =>
        status.set({ ...status.current, detail: `${message} Replies play on the default output device.` }),
      mediaDevices: (list) => devicesChanged(list),
    },
    ports.log,
  );

  const change = (changes: Partial<AppSettings>) =>
    void applySettings(changes).catch((error: unknown) => ports.log.warn(`tray: ${String(error)}`));
  const onTrayPick = (id: string): void => {
    const [kind, value = ''] = id.split(/:(.*)/s);
    if (kind === 'talk') hotkey.toggleTurn();
    else if (kind === 'open-transcript') windows.show('transcript');
    else if (kind === 'open-settings') windows.show('settings');
    else if (kind === 'quit') ports.app.quit();
    else if (kind === 'model') change({ model: value });
    else if (kind === 'voice') change({ voiceName: value || undefined });
    else if (kind === 'modality') change({ responseModality: value === 'TEXT' ? 'TEXT' : 'AUDIO' });
    else if (kind === 'mode') change({ hotkey: { ...settings.hotkey, mode: value as PushToTalkMode } });
    else if (kind === 'launch-at-login') change({ launchAtLogin: !settings.launchAtLogin });
    else if (kind === 'mute-replies') change({ muteReplies: !settings.muteReplies });
    else if (kind === 'microphone') change({ capture: { ...settings.capture, deviceId: value || undefined } });
    else if (kind === 'new-conversation') void confirmNewConversation();
  };
  const renderTray = (): void => {
    const view = trayView({ status: status.current, hotkey: hotkeyStatus, settings: settingsView() });
    ports.tray.setIcon(view.icon);
    ports.tray.setTooltip(view.tooltip);
    ports.tray.setMenu(view.menu, onTrayPick);
  };

  const idle = new IdleDisconnect({
    minutes: () => settings.idleDisconnectMinutes,
    connected: () => session.connection !== undefined,
    disconnect: () => {
      session.close();
      status.set({
        state: 'idle',
        detail: `Disconnected after ${settings.idleDisconnectMinutes} idle minutes. The next press reconnects and carries on the conversation.`,
      });
    },
  });
  const unsubscribe = status.subscribe((next) => {
    if (renewPending && !busyStates.has(next.state)) {
      renewPending = false;
      session.close();
    }
    idle.stateChanged(next.state);
    if (next.state === 'idle') keeper.idle();
    emit('sessionStatusChanged', next);
    renderTray();
  });
  ports.app.onSecondInstance(() => windows.show('transcript'));

  // A new model, voice, modality… needs a new session: at the next idle moment, never mid-turn.
  let renewPending = false;
  const renewSessionWhenIdle = (modelChanged: boolean) => {
    if (modelChanged) session.forgetConversation();
    if (busyStates.has(status.current.state)) renewPending = true;
    else session.close();
  };
  /** A new hotkey is saved in canonical form, and refused with the reason if it has an error-level problem. */
  const checkedHotkey = (changes: Partial<AppSettings>): Partial<AppSettings> => {
    if (!changes.hotkey) return changes;
    const check = checkHotkey(changes.hotkey.accelerator, hotkeyContext);
    // The keys in use (with a new mode, say) are never refused, even if saved before these checks existed.
    if (check.accelerator === checkHotkey(settings.hotkey.accelerator, hotkeyContext).accelerator) return changes;
    const error = check.problems.find((problem) => problem.severity === 'error');
    if (error) throw new Error(`Settings not changed: hotkey.accelerator: ${error.text}`);
    return { ...changes, hotkey: { ...changes.hotkey, accelerator: check.accelerator } };
  };
  /** The settings window records or tests the hotkey: its presses are reported there instead of starting turns. */
  let pauseLease: ReturnType<typeof setTimeout> | undefined;
  const pauseHotkey = (active: boolean) => {
    clearTimeout(pauseLease);
    if (!active) return hotkey.resume();
    hotkey.pause((seen) => emit('hotkeySeen', seen, 'settings'));
    // Should the window never say it is done (closed mid-test), push-to-talk comes back anyway.
    pauseLease = setTimeout(() => hotkey.resume(), hotkeyPauseMs);
  };
  const applySettings = async (requested: Partial<AppSettings>): Promise<SettingsView> => {
    const changes = checkedHotkey(requested);
    const before = settings;
    const updated = store.update(changes);
    if (!updated.ok) throw new Error(`Settings not changed: ${updated.error}`);
    settings = updated.settings;
    const changed = (keys: readonly string[]) => keys.some((key) => key in changes);
    if (changed(audioSetupKeys)) emit('audioSetupChanged', audioSetup(), 'audio');
    // Another model or another server cannot resume this conversation's handle.
    const elsewhere = before.model !== settings.model || before.liveEndpoint !== settings.liveEndpoint;
    if (changed(sessionChangeKeys)) renewSessionWhenIdle(elsewhere);
    if (changed(['hotkey', 'maxTurnMs'])) await startHotkey();
    if (changed(['launchAtLogin'])) applyLaunchAtLogin();
    if (changed(['theme'])) ports.app.setTheme(settings.theme);
    if (changed(['idleDisconnectMinutes'])) idle.stateChanged(status.current.state);
    const view = settingsView();
    emit('settingsChanged', view);
    renderTray();
    return view;
  };
  /** A new key (or none) means a new session, and maybe a new state line. */
  const keyChanged = () => {
    session.close();
    session.forgetConversation();
    const hasKey = apiKey() !== undefined;
    if (!hasKey || status.current.state === 'no-api-key') status.set(initialStatus(hasKey));
    emit('credentialsChanged', credentials.view());
  };
  const audioSetup = () => {
    const choice = deviceChoice();
    return {
      capture: { ...settings.capture, deviceId: choice.inputDeviceId },
      warmMicrophone: settings.warmMicrophone,
      outputDeviceId: choice.outputDeviceId,
      repliesVolume: settings.muteReplies ? 0 : settings.outputVolume,
    };
  };
  /** Plugging or unplugging a device may change which one is used: apply it and say so. */
  const devicesChanged = (list: MediaDeviceList) => {
    const before = deviceChoice();
    if (!devices.update(list)) return;
    const after = deviceChoice();
    if (before.inputDeviceId !== after.inputDeviceId || before.outputDeviceId !== after.outputDeviceId) {
      emit('audioSetupChanged', audioSetup(), 'audio');
    }
    const detail = deviceNews(before, after, (id) => devices.labelOf(id));
    if (detail) status.set({ ...status.current, detail });
    emit('settingsChanged', settingsView());
    renderTray();
  };
  /** Gemini forgets the conversation: only after the user says so, since it cannot be undone. */
  const confirmNewConversation = async (): Promise<boolean> => {
    const confirmed = await ports.app.confirm({
      message: 'Start a new conversation?',
      detail: 'Gemini forgets everything said so far, and the transcript window starts empty.',
      confirmLabel: 'Start new conversation',
    });
    if (!confirmed) return false;
    conversations.startNew();
    resetConversation();
    return true;
  };
  /** The store has a new current conversation (started, or the old one deleted): the rest of the app follows. */
  const resetConversation = () => {
    session.forgetConversation();
    renewSessionWhenIdle(false);
    transcript.clear();
    emit('conversationStarted', null, 'transcript');
  };
  const startHotkey = () =>
    hotkey.start(settings.hotkey).then((started) => {
      hotkeyStatus = started;
      emit('hotkeyChanged', started);
      renderTray();
      return started;
    });
  applyLaunchAtLogin();
  ports.app.setTheme(settings.theme);
  windows.ensure('audio');
  windows.show('transcript');
  renderTray();
  const hotkeyReady = startHotkey();

  return {
    windows,
    status,
    transcript,
    conversations,
    hotkeyReady,
    updateSettings: async (changes) => void (await applySettings(changes)),
    dispose() {
      clearTimeout(pauseLease);
      hotkey.dispose();
      idle.cancel();
      keeper.dispose();
      turns.dispose();
      session.close();
      unsubscribe();
      unregisterInvokes();
      unregisterSends();
      windows.destroyAll();
      // Last, so whatever the turns settled on their way out is on disk too.
      conversations.close();
    },
  };
}
