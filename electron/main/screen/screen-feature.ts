// The screen as context for a turn: wires ScreenTurns to the audio renderer, the settings, the
// state line and the transcript, and hands the turns a ScreenLink.
import type { ScreenLink } from '../conversation/turn-controller';
import type { SendHandlers } from '../ipc/router';
import type { SenderGuard } from '../ipc/sender-guard';
import type { Ports } from '../ports';
import type { SessionStatusStore } from '../session/session-status';
import type { SettingsFeature } from '../settings/settings-feature';
import type { TranscriptsFeature } from '../transcripts/transcripts-feature';
import type { Emit } from '../windows/windows-feature';
import { ScreenTurns, type SeenFrame } from './screen-turns';

export interface ScreenFeatureDeps {
  ports: Pick<Ports, 'displayMedia' | 'log'>;
  settings: Pick<SettingsFeature, 'current'>;
  guard: SenderGuard;
  emit: Emit;
  status: Pick<SessionStatusStore, 'seeingScreen'>;
  /** Where a capture that failed is said, and each picture sent is kept and shown. */
  transcripts: Pick<TranscriptsFeature, 'transcript' | 'keepPicture'>;
}

/** Where checked frames go: the turn being captured (TurnController.picture). */
export type PictureSink = (turnId: number, jpeg: Uint8Array) => void;

export interface ScreenFeature {
  /** What the turns ask of the screen; `attach` gives it the turns' picture sink. */
  readonly link: ScreenLink & { attach(sink: PictureSink): void };
  readonly sends: Pick<SendHandlers, 'screenFrame' | 'screenFailed'>;
}

export function screenFeature({ ports, settings, guard, emit, status, transcripts }: ScreenFeatureDeps): ScreenFeature {
  let sink: PictureSink | undefined;
  const turns = new ScreenTurns({
    displayMedia: ports.displayMedia,
    fromAudioWindow: (sender) => sender.isMainFrame && guard.kindOf(sender) === 'audio',
    resolution: () => settings.current.mediaResolution,
    renderer: {
      open: (turnId) => emit('screenOpen', { turnId }, 'audio'),
      grab: (turnId, grabId, resolution) => emit('screenGrab', { turnId, grabId, resolution }, 'audio'),
      close: (turnId) => emit('screenClose', { turnId }, 'audio'),
    },
    deliver: (turnId, frame: SeenFrame) => {
      sink?.(turnId, frame.jpeg);
      transcripts.keepPicture(turnId, frame);
    },
    failed: (turnId, reason) =>
      transcripts.transcript.settle(turnId, 'user', { note: `Voice only: Gemini did not see the screen. ${reason}` }),
    seeing: (on) => status.seeingScreen(on),
    warn: (message) => ports.log.warn(`screen: ${message}`),
  });
  return {
    link: {
      // Screen sharing switched off: the turn is voice only, whatever asked for the screen.
      open: (turnId) => {
        if (settings.current.screen.enabled) turns.open(turnId);
      },
      close: (turnId) => turns.close(turnId),
      attach: (next) => (sink = next),
    },
    sends: {
      screenFrame: (frame) => turns.frame(frame),
      screenFailed: (failure) => turns.failure(failure),
    },
  };
}
