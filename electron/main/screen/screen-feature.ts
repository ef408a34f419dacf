// The screen as context for a turn: wires ScreenTurns to the audio renderer, the settings, the
// state line and the transcript, and hands the turns a ScreenLink.
import type { ScreenLink } from '../conversation/turn-controller';
import type { SendHandlers } from '../ipc/router';
import type { SenderGuard } from '../ipc/sender-guard';
import type { Ports } from '../ports';
import type { SessionStatusStore } from '../session/session-status';
import type { SettingsFeature } from '../settings/settings-feature';
import type { TranscriptsFeature } from '../transcripts/transcripts-feature';
import type { WindowManager } from '../windows/window-manager';
import type { Emit } from '../windows/windows-feature';
import type { Tool } from '../tools/tool';
import { focusedWindowFinder } from './focused-window';
import { lookAtScreenTool } from './look-at-screen-tool';
import { ScreenTurns, type SeenFrame } from './screen-turns';

export interface ScreenFeatureDeps {
  ports: Pick<Ports, 'displayMedia' | 'log' | 'app' | 'env'>;
  settings: Pick<SettingsFeature, 'current'>;
  guard: SenderGuard;
  windows: Pick<WindowManager, 'hideFromCapture' | 'sourceIds'>;
  emit: Emit;
  status: Pick<SessionStatusStore, 'seeingScreen' | 'tell'>;
  /** Where a capture that failed is said, and each picture sent is kept and shown. */
  transcripts: Pick<TranscriptsFeature, 'transcript' | 'keepPicture'>;
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

export interface ScreenFeature {
  /** What the turns ask of the screen; `attach` gives it where the pictures go. */
  readonly link: ScreenLink & { attach(sink: PictureSink): void };
  /** look_at_screen, while screen sharing is on. */
  tools(): Tool[];
  readonly sends: Pick<SendHandlers, 'screenFrame' | 'screenFailed'>;
  dispose(): void;
}

export function screenFeature({
  ports,
  settings,
  guard,
  windows,
  emit,
  status,
  transcripts,
}: ScreenFeatureDeps): ScreenFeature {
  let sink: PictureSink | undefined;
  const focused = focusedWindowFinder(ports.app.platform, ports.env, () => windows.sourceIds());
  const turns = new ScreenTurns({
    displayMedia: ports.displayMedia,
    allowed: () => settings.current.screen.enabled,
    fromAudioWindow: (sender) => sender.isMainFrame && guard.kindOf(sender) === 'audio',
    resolution: () => settings.current.mediaResolution,
    renderer: {
      open: (turnId) => emit('screenOpen', { turnId }, 'audio'),
      grab: (turnId, grabId, resolution) => emit('screenGrab', { turnId, grabId, resolution }, 'audio'),
      close: (turnId) => emit('screenClose', { turnId }, 'audio'),
    },
    // Only a picture that went with the turn is shown on it and kept: the user sees exactly what was sent.
    deliver: (turnId, frame: SeenFrame) => {
      if (sink?.picture(turnId, frame.jpeg)) transcripts.keepPicture(turnId, frame);
    },
    failed: (turnId, note) => {
      sink?.none(turnId);
      transcripts.transcript.addNote(turnId, 'user', note);
    },
    seeing: (on) => status.seeingScreen(on),
    tell: (message) => status.tell(message),
    hideOwnWindows: () => windows.hideFromCapture(),
    target: () => settings.current.screen.target,
    focusedWindow: () => focused.find(),
    noteOnTurn: (turnId, note) => transcripts.transcript.addNote(turnId, 'user', note),
    warn: (message) => ports.log.warn(`screen: ${message}`),
  });
  const look = lookAtScreenTool({
    look: (turnId, signal) => turns.look(turnId, signal),
    send: (frame) => sink?.video(frame.jpeg) ?? false,
    keep: (turnId, frame) => transcripts.keepPicture(turnId, frame),
  });
  return {
    tools: () => (settings.current.screen.enabled ? [look] : []),
    link: {
      open: (turnId) => turns.open(turnId),
      close: (turnId) => turns.close(turnId),
      attach: (next) => (sink = next),
    },
    sends: {
      screenFrame: (frame) => turns.frame(frame),
      screenFailed: (failure) => turns.failure(failure),
    },
    dispose: () => focused.close(),
  };
}
