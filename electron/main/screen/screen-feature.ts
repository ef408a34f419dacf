// The screen as context for a turn: wires ScreenTurns to the audio renderer, the settings, the
// state line and the transcript, and hands the turns a ScreenLink.
import type { ScreenLink } from '../conversation/turn-controller';
import { seesScreen } from '../live/model-capabilities';
import type { SendHandlers } from '../ipc/router';
import type { SenderGuard } from '../ipc/sender-guard';
import type { Ports } from '../ports';
import type { SessionStatusStore } from '../session/session-status';
import type { ProfileSettingsFeature } from '../settings/settings-feature';
import type { ProfileTranscripts } from '../transcripts/transcripts-feature';
import type { WindowManager } from '../windows/window-manager';
import type { Emit } from '../windows/windows-feature';
import type { Tool } from '../tools/tool';
import { focusedWindowFinder } from './focused-window';
import { lookAtScreenTool } from './look-at-screen-tool';
import { ScreenTurns, type SeenFrame } from './screen-turns';

export interface ScreenFeatureDeps {
  ports: Pick<Ports, 'displayMedia' | 'log' | 'app' | 'env'>;
  guard: SenderGuard;
  windows: Pick<WindowManager, 'hideFromCapture' | 'sourceIds'>;
  emit: Emit;
  status: Pick<SessionStatusStore, 'seeingScreen' | 'tell'>;
}

/** Where checked frames go. */
export interface PictureSink {
  /** Into the activity of the turn being captured (TurnController.picture); false when it took none. */
  picture(turnId: number, jpeg: Uint8Array): boolean;
  /** On the wire now, outside any activity (for an approved look_at_screen call); false without a connection. */
  video(jpeg: Uint8Array): boolean;
  /** No picture is coming for the turn being captured: its words need not wait for one. */
  none(turnId: number): void;
}

/** What one profile's turns and tools have of the screen. */
export interface ScreenForProfile {
  /** What the turns ask of the screen; `attach` gives it where the pictures go. */
  readonly link: ScreenLink & { attach(sink: PictureSink): void };
  /** look_at_screen, while the profile may see the screen. */
  tools(): Tool[];
}

/** A profile's settings, and where a picture sent for it is kept and a failure said. */
export interface ScreenProfileDeps {
  settings: Pick<ProfileSettingsFeature, 'current'>;
  transcripts: Pick<ProfileTranscripts, 'transcript' | 'keepPicture'>;
}

export interface ScreenFeature {
  forProfile(deps: ScreenProfileDeps): ScreenForProfile;
  readonly sends: Pick<SendHandlers, 'screenFrame' | 'screenFailed'>;
  dispose(): void;
}

/** The profile whose turn or call the screen is being captured for. */
interface Viewer extends ScreenProfileDeps {
  sink?: PictureSink;
}

/** One capture at a time for every profile; each picture goes to the profile whose turn asked for it. */
export function screenFeature({ ports, guard, windows, emit, status }: ScreenFeatureDeps): ScreenFeature {
  const viewers = new Map<number, Viewer>();
  const focused = focusedWindowFinder(ports.app.platform, ports.env, () => windows.sourceIds());
  const turns = new ScreenTurns({
    displayMedia: ports.displayMedia,
    allowed: (turnId) => {
      const viewer = viewers.get(turnId);
      return viewer !== undefined && seesScreen(viewer.settings.current);
    },
    fromAudioWindow: (sender) => sender.isMainFrame && guard.kindOf(sender) === 'audio',
    resolution: (turnId) => viewers.get(turnId)?.settings.current.mediaResolution,
    renderer: {
      open: (turnId) => emit('screenOpen', { turnId }, 'audio'),
      grab: (turnId, grabId, resolution) => emit('screenGrab', { turnId, grabId, resolution }, 'audio'),
      close: (turnId) => emit('screenClose', { turnId }, 'audio'),
    },
    // Only a picture that went with the turn is shown on it and kept: the user sees exactly what was sent.
    deliver: (turnId, frame: SeenFrame) => {
      const viewer = viewers.get(turnId);
      if (viewer?.sink?.picture(turnId, frame.jpeg)) viewer.transcripts.keepPicture(turnId, frame);
    },
    failed: (turnId, note) => {
      viewers.get(turnId)?.sink?.none(turnId);
      viewers.get(turnId)?.transcripts.transcript.addNote(turnId, 'user', note);
    },
    seeing: (on) => status.seeingScreen(on),
    tell: (message) => status.tell(message),
    hideOwnWindows: () => windows.hideFromCapture(),
    target: (turnId) => viewers.get(turnId)?.settings.current.screen.target ?? 'display',
    focusedWindow: () => focused.find(),
    noteOnTurn: (turnId, note) => viewers.get(turnId)?.transcripts.transcript.addNote(turnId, 'user', note),
    warn: (message) => ports.log.warn(`screen: ${message}`),
  });
  return {
    forProfile(deps) {
      const own: Viewer = { ...deps };
      const look = lookAtScreenTool({
        look: async (turnId, signal) => {
          viewers.set(turnId, own);
          try {
            return await turns.look(turnId, signal);
          } finally {
            viewers.delete(turnId);
          }
        },
        send: (frame) => own.sink?.video(frame.jpeg) ?? false,
        keep: (turnId, frame) => own.transcripts.keepPicture(turnId, frame),
      });
      return {
        tools: () => (seesScreen(own.settings.current) ? [look] : []),
        link: {
          open: (turnId) => {
            viewers.set(turnId, own);
            turns.open(turnId);
          },
          close: (turnId) => {
            turns.close(turnId);
            viewers.delete(turnId);
          },
          attach: (sink) => (own.sink = sink),
        },
      };
    },
    sends: {
      screenFrame: (frame) => turns.frame(frame),
      screenFailed: (failure) => turns.failure(failure),
    },
    dispose: () => focused.close(),
  };
}
