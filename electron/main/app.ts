import type { HotkeyStatus, PushToTalkMode } from '../../shared/types';
import { audioFeature } from './audio/audio-feature';
import { Transcript } from './conversation/transcript';
import { TurnController, type AudioLink } from './conversation/turn-controller';
import { credentialsFeature } from './credentials/credentials-feature';
import { checkHotkey } from './hotkey/hotkey-check';
import { HotkeyService } from './hotkey/hotkey-service';
import { hotkeyContextFor } from './hotkey/hotkey-setting';
import { registerInvokeHandlers, registerSendHandlers } from './ipc/router';
import { sessionKeys } from './live/session-settings';
import { classifyClose } from './live/close-reasons';
import { LiveSession } from './live/live-session';
import { recapTurns, summaryOfRecentTurns } from './conversation/recent-turns';
import { ConnectionKeeper } from './session/connection-keeper';
import { fileHandleStore } from './session/handle-store';
import { defaultSessionTuning, type SessionTuning } from './session/session-tuning';
import type { ConnectionState } from '../../shared/types';
import type { Ports } from './ports';
import { join } from 'node:path';
import { IdleDisconnect } from './session/idle-disconnect';
import { initialStatus, SessionStatusStore, startingStatus } from './session/session-status';
import type { AppSettings } from './settings/defaults';
import { settingsFeature } from './settings/settings-feature';
import { ConversationStore } from './transcripts/conversation-store';
import { historyHandlers } from './transcripts/history-handlers';
import { trayView } from './tray/tray-menu';
import type { WindowManager } from './windows/window-manager';
import { windowsFeature } from './windows/windows-feature';

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
const sessionChangeKeys = ['model', 'liveEndpoint', ...sessionKeys];
/** Push-to-talk comes back by itself this long after the settings window last paused it. */
const hotkeyPauseMs = 60_000;

/**
 * Composition root: wires every plain module to the ports. Nothing here
 * knows about Electron; the shell hands in real ports, tests hand in theirs.
 */
export function createApp(ports: Ports, tuning: SessionTuning = defaultSessionTuning): ParleyApp {
  const shell = windowsFeature(ports);
  const { windows, emit } = shell;
  const settings = settingsFeature(ports, emit);
  const credentials = credentialsFeature(ports, settings, emit);
  const apiKey = () => credentials.apiKey();
  const status = new SessionStatusStore(startingStatus(apiKey() !== undefined, settings.recoveryNote));
  const audioSetup = audioFeature({ settings, status, emit });

  let shownReply: number | undefined;
  const conversations = ConversationStore.open(join(ports.app.userDataPath, 'conversations'), {
    warn: (message) => ports.log.warn(`transcripts: ${message}`),
  });
  const transcript = new Transcript((entry) => {
    conversations.record(entry);
    emit('transcriptEntry', entry, 'transcript');
    // Once per reply, and without stealing the focus from whatever the user is typing in.
    if (settings.current.showTranscriptOnReply && entry.role === 'model' && entry.id !== shownReply) {
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
    capture: () => ({ ...settings.current.capture, deviceId: settings.deviceChoice().inputDeviceId }),
    cues: () => settings.current.cues,
    replyTimeoutMs: tuning.replyTimeoutMs,
    unresponsive: (detail) => keeperHolder.keeper?.unresponsive(detail),
  });
  const session = new LiveSession({
    apiKey,
    endpoint: () => settings.live.endpoint(),
    model: () => settings.current.model,
    config: (resumptionHandle) => settings.live.config(resumptionHandle),
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
    model: () => settings.current.model,
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
    maxTurnMs: () => settings.current.maxTurnMs,
    turns: {
      turnStarted: () => (apiKey() ? turns.startTurn() : status.set(initialStatus(false))),
      turnEnded: (_at, reason) => turns.endTurn(reason),
    },
  });
  const hotkeyContext = hotkeyContextFor(ports.app.platform);
  const configuredHotkey = settings.current.hotkey;
  let hotkeyStatus: HotkeyStatus = { ...configuredHotkey, effectiveMode: configuredHotkey.mode, keyReleases: true };

  const unregisterInvokes = registerInvokeHandlers(
    ports.ipc,
    shell.guard,
    {
      ...shell.invokes,
      ...settings.invokes,
      ...credentials.invokes,
      ...audioSetup.invokes,
      getSessionStatus: () => status.current,
      getHotkey: () => hotkeyStatus,
      checkHotkey: ({ accelerator }) => checkHotkey(accelerator, hotkeyContext),
      getTranscript: () => transcript.all(),
      retryTurn: async ({ turnId }) => {
        await turns.retry(turnId);
        return null;
      },
      sendText: async ({ text }) => {
        if (!apiKey()) throw new Error('No Gemini API key is set.');
        await turns.sendText(text);
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
    shell.guard,
    {
      ...audioSetup.sends,
      hotkeyRecording: ({ active }) => pauseHotkey(active),
      captureFrame: ({ turnId, pcm }) => turns.captureFrame(turnId, pcm),
      captureStarted: ({ turnId }) => turns.captureStarted(turnId),
      captureEnded: ({ turnId }) => turns.captureEnded(turnId),
      captureFailed: (failure) => turns.captureFailed(failure),
      playbackState: ({ playing }) => turns.playbackState(playing),
    },
    ports.log,
  );

  const change = (changes: Partial<AppSettings>) =>
    void settings.apply(changes).catch((error: unknown) => ports.log.warn(`tray: ${String(error)}`));
  const onTrayPick = (id: string): void => {
    const [kind, value = ''] = id.split(/:(.*)/s);
    const current = settings.current;
    if (kind === 'talk') hotkey.toggleTurn();
    else if (kind === 'open-transcript') windows.show('transcript');
    else if (kind === 'open-settings') windows.show('settings');
    else if (kind === 'quit') ports.app.quit();
    else if (kind === 'model') change({ model: value });
    else if (kind === 'voice') change({ voiceName: value || undefined });
    else if (kind === 'modality') change({ responseModality: value === 'TEXT' ? 'TEXT' : 'AUDIO' });
    else if (kind === 'mode') change({ hotkey: { ...current.hotkey, mode: value as PushToTalkMode } });
    else if (kind === 'launch-at-login') change({ launchAtLogin: !current.launchAtLogin });
    else if (kind === 'mute-replies') change({ muteReplies: !current.muteReplies });
    else if (kind === 'microphone') change({ capture: { ...current.capture, deviceId: value || undefined } });
    else if (kind === 'new-conversation') void confirmNewConversation();
  };
  const renderTray = (): void => {
    const view = trayView({ status: status.current, hotkey: hotkeyStatus, settings: settings.view() });
    ports.tray.setIcon(view.icon);
    ports.tray.setTooltip(view.tooltip);
    ports.tray.setMenu(view.menu, onTrayPick);
  };

  const idle = new IdleDisconnect({
    minutes: () => settings.current.idleDisconnectMinutes,
    connected: () => session.connection !== undefined,
    disconnect: () => {
      session.close();
      status.set({
        state: 'idle',
        detail: `Disconnected after ${settings.current.idleDisconnectMinutes} idle minutes. The next press reconnects and carries on the conversation.`,
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

  // A new model, voice, modality… needs a new session: at the next idle moment, never mid-turn.
  let renewPending = false;
  const renewSessionWhenIdle = (modelChanged: boolean) => {
    if (modelChanged) session.forgetConversation();
    if (busyStates.has(status.current.state)) renewPending = true;
    else session.close();
  };
  settings.follow(({ before, after, touches }) => {
    // Another model or another server cannot resume this conversation's handle.
    const elsewhere = before.model !== after.model || before.liveEndpoint !== after.liveEndpoint;
    if (touches(sessionChangeKeys)) renewSessionWhenIdle(elsewhere);
    if (touches(['idleDisconnectMinutes'])) idle.stateChanged(status.current.state);
  });
  settings.follow(async ({ touches }) => {
    if (touches(['hotkey', 'maxTurnMs'])) await startHotkey();
  });
  settings.watchView(renderTray);
  /** The settings window records or tests the hotkey: its presses are reported there instead of starting turns. */
  let pauseLease: ReturnType<typeof setTimeout> | undefined;
  const pauseHotkey = (active: boolean) => {
    clearTimeout(pauseLease);
    if (!active) return hotkey.resume();
    hotkey.pause((seen) => emit('hotkeySeen', seen, 'settings'));
    // Should the window never say it is done (closed mid-test), push-to-talk comes back anyway.
    pauseLease = setTimeout(() => hotkey.resume(), hotkeyPauseMs);
  };
  // A new key (or none) means a new session, and maybe a new state line.
  credentials.onChange(() => {
    session.close();
    session.forgetConversation();
    const hasKey = apiKey() !== undefined;
    if (!hasKey || status.current.state === 'no-api-key') status.set(initialStatus(hasKey));
  });
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
    hotkey.start(settings.current.hotkey).then((started) => {
      hotkeyStatus = started;
      emit('hotkeyChanged', started);
      renderTray();
      return started;
    });
  settings.applyToSystem();
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
    updateSettings: async (changes) => void (await settings.apply(changes)),
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
