import type { HotkeyStatus } from '../../shared/types';
import { audioFeature } from './audio/audio-feature';
import type { Transcript } from './conversation/transcript';
import { credentialsFeature } from './credentials/credentials-feature';
import { hotkeyFeature } from './hotkey/hotkey-feature';
import { registerInvokeHandlers, registerSendHandlers, type InvokeHandlers, type SendHandlers } from './ipc/router';
import type { SenderGuard } from './ipc/sender-guard';
import type { Ports } from './ports';
import { screenFeature } from './screen/screen-feature';
import { sessionFeature } from './session/session-feature';
import { initialStatus, SessionStatusStore } from './session/session-status';
import { defaultSessionTuning, type SessionTuning } from './session/session-tuning';
import type { SettingsChanges } from './settings/profiles';
import { settingsFeature } from './settings/settings-feature';
import { toolsFeature } from './tools/tools-feature';
import { withKeptFiles } from './storage/kept-ports';
import type { ConversationStore } from './transcripts/conversation-store';
import { transcriptsFeature } from './transcripts/transcripts-feature';
import { trayFeature } from './tray/tray-feature';
import type { WindowManager } from './windows/window-manager';
import { windowsFeature } from './windows/windows-feature';

export interface ParleyApp {
  readonly windows: WindowManager;
  readonly status: SessionStatusStore;
  /** The conversation the transcript window shows: the profile that last took a turn, or the first. */
  readonly transcript: Transcript;
  /** Every conversation on disk; each profile's current one mirrors its transcript. */
  readonly conversations: ConversationStore;
  /** Resolves once the hotkey listens (or its fallback does), with how it works here. */
  readonly hotkeyReady: Promise<HotkeyStatus>;
  /** Validates, saves and applies at once: capture and cues from the next turn, a new hotkey immediately. */
  updateSettings(changes: SettingsChanges): Promise<void>;
  /** Closes everything for good; once, however many times the system says Parley ends. */
  dispose(): void;
}

/**
 * Composition root: each feature wires itself to the ports and to the shared services it is
 * given; features reach each other only through what they are handed here. Nothing here knows
 * about Electron; the shell hands in real ports, tests hand in theirs.
 */
export function createApp(given: Ports, tuning: SessionTuning = defaultSessionTuning): ParleyApp {
  const ports = withKeptFiles(given);
  const shell = windowsFeature(ports);
  const { windows, emit } = shell;
  const settings = settingsFeature(ports, emit);
  const credentials = credentialsFeature(ports, settings, emit);
  const status = new SessionStatusStore(initialStatus(credentials.apiKey() !== undefined, credentials.unlocking()));
  settings.tellUser((message) => status.tell(message));
  shell.tellUser((message) => status.tell(message));
  const audio = audioFeature({ settings, status, emit });
  const transcripts = transcriptsFeature({ ports, settings, windows, status, emit });
  const screen = screenFeature({ ports, guard: shell.guard, windows, emit, status });
  const tools = toolsFeature({ ports, tuning, settings, conversations: transcripts.conversations, windows });
  const session = sessionFeature({ ports, tuning, settings, credentials, status, transcripts, tools, screen, emit });
  const hotkey = hotkeyFeature({ ports, settings, turns: session.hotkeyTurns, emit });
  const tray = trayFeature({
    ports,
    status,
    settings,
    hotkey,
    windows,
    newConversation: transcripts.confirmNewConversation,
    selectProfile: session.selectProfile,
  });
  const stopIpc = serveIpc(
    ports,
    shell.guard,
    {
      ...shell.invokes,
      ...settings.invokes,
      ...credentials.invokes,
      ...audio.invokes,
      ...transcripts.invokes,
      ...session.invokes,
      ...hotkey.invokes,
      ...tools.invokes,
    },
    { ...audio.sends, ...session.sends, ...hotkey.sends, ...screen.sends },
  );

  settings.applyToSystem();
  windows.ensure('audio');
  windows.show('transcript');
  tray.render();
  const hotkeyReady = hotkey.start();
  status.launched();

  let disposed = false;
  return {
    windows,
    status,
    get transcript() {
      return transcripts.shown().transcript;
    },
    conversations: transcripts.conversations,
    hotkeyReady,
    updateSettings: async (changes) => void (await settings.apply(changes)),
    dispose() {
      if (disposed) return;
      disposed = true;
      hotkey.dispose();
      session.dispose();
      screen.dispose();
      void tools.dispose();
      tray.dispose();
      stopIpc();
      windows.destroyAll();
      // Last, so whatever the turns settled on their way out is on disk too.
      transcripts.close();
    },
  };
}

/**
 * Every feature's handlers behind the router's gate. Typed as the full handler maps, so a channel
 * of the contract that no feature serves does not compile.
 */
function serveIpc(ports: Ports, guard: SenderGuard, invokes: InvokeHandlers, sends: SendHandlers): () => void {
  const unregisterInvokes = registerInvokeHandlers(ports.ipc, guard, invokes, ports.log);
  const unregisterSends = registerSendHandlers(ports.ipc, guard, sends, ports.log);
  return () => {
    unregisterInvokes();
    unregisterSends();
  };
}
