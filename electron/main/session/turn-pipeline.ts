import { recapTurns, summaryOfRecentTurns } from '../conversation/recent-turns';
import { TurnController, type AudioLink } from '../conversation/turn-controller';
import type { ApiKeySource } from '../credentials/api-key';
import { classifyClose } from '../live/close-reasons';
import { LiveSession, type HandleStore } from '../live/live-session';
import type { Ports } from '../ports';
import type { ProfileSettingsFeature } from '../settings/settings-feature';
import type { ScreenForProfile } from '../screen/screen-feature';
import type { ToolsForSession } from '../tools/tools-feature';
import type { ProfileTranscripts } from '../transcripts/transcripts-feature';
import type { Emit } from '../windows/windows-feature';
import { ConnectionKeeper } from './connection-keeper';
import type { SessionStatusStore } from './session-status';
import type { SessionTuning } from './session-tuning';

/** One profile's turns: its settings, its conversation, its session's handle, its tools and screen link. */
export interface TurnPipelineDeps {
  ports: Pick<Ports, 'log'>;
  tuning: SessionTuning;
  settings: Pick<ProfileSettingsFeature, 'current' | 'live' | 'deviceChoice'>;
  apiKey: () => ApiKeySource | undefined;
  /** The profile's own state line (shown while it holds the floor). */
  status: Pick<SessionStatusStore, 'set'>;
  /** Where notices for the user go, whichever profile they come from. */
  notices: Pick<SessionStatusStore, 'tell'>;
  transcripts: Pick<ProfileTranscripts, 'transcript' | 'conversation'>;
  handles: HandleStore;
  tools: ToolsForSession;
  /** The screen, for turns that show it. */
  screen: ScreenForProfile['link'];
  emit: Emit;
  newTurnId: () => number;
}

/** A turn from the microphone to Gemini and its reply back, over a connection kept alive. */
export interface TurnPipeline {
  readonly turns: TurnController;
  readonly session: LiveSession;
  readonly keeper: ConnectionKeeper;
}

/** What the turns need from the rest of the app, decided where the pipeline is used. */
export interface TurnHooks {
  /** The turn being captured ended without the hotkey: push-to-talk must know. */
  captureEndedHere(): void;
  /** A new turn is about to go out (a session renewal waiting for a quiet moment happens now). */
  beforeTurn(): void;
}

export function turnPipeline(deps: TurnPipelineDeps, hooks: TurnHooks): TurnPipeline {
  // The controller and the connection keeper each need the other: the controller sends on the
  // keeper's connection, the keeper hands the controller what happens to it.
  const keeperHolder: { keeper?: ConnectionKeeper } = {};
  const turns = turnController(deps, hooks, keeperHolder);
  const session = liveSession(deps, turns, () => keeperHolder.keeper!);
  const keeper = connectionKeeper(deps, session, turns);
  keeperHolder.keeper = keeper;
  deps.tools.attach({ connection: () => session.connection, answered: (followUp) => turns.toolAnswered(followUp) });
  deps.screen.attach({
    picture: (turnId, jpeg) => turns.picture(turnId, jpeg),
    none: (turnId) => turns.noPicture(turnId),
    video: (jpeg) => {
      session.connection?.video(jpeg);
      return session.connection !== undefined;
    },
  });
  return { turns, session, keeper };
}

function turnController(
  { ports, tuning, settings, status, transcripts, tools, screen, emit, newTurnId }: TurnPipelineDeps,
  hooks: TurnHooks,
  keeperHolder: { keeper?: ConnectionKeeper },
): TurnController {
  return new TurnController({
    audio: audioLink(emit),
    screen,
    tools: tools.link,
    live: {
      get connection() {
        return keeperHolder.keeper?.connection;
      },
      connect: () => keeperHolder.keeper!.connect(),
      explain: (error) => keeperHolder.keeper!.explain(error),
    },
    transcript: transcripts.transcript,
    setStatus: (next) => status.set(next),
    capture: () => ({ ...settings.current.capture, deviceId: settings.deviceChoice().inputDeviceId }),
    cues: () => settings.current.cues,
    replyTimeoutMs: tuning.replyTimeoutMs,
    unresponsive: (detail, recover) => keeperHolder.keeper?.unresponsive(detail, recover),
    captureEndedHere: () => hooks.captureEndedHere(),
    beforeTurn: () => hooks.beforeTurn(),
    newTurnId,
    warn: (message) => ports.log.warn(`turns: ${message}`),
  });
}

/** Capture and playback happen in the hidden audio window. */
function audioLink(emit: Emit): AudioLink {
  return {
    startCapture: (turnId, options, cue) => emit('captureStart', { turnId, options, cue }, 'audio'),
    stopCapture: (turnId) => emit('captureStop', { turnId }, 'audio'),
    play: (pcm) => emit('playbackChunk', { pcm }, 'audio'),
    flush: () => emit('playbackFlush', null, 'audio'),
    endOfReply: () => emit('playbackEndOfReply', null, 'audio'),
    cue: (cue) => emit('playCue', { cue }, 'audio'),
  };
}

function liveSession(
  { ports, tuning, settings, apiKey, status, notices, transcripts, tools, handles }: TurnPipelineDeps,
  turns: TurnController,
  keeper: () => ConnectionKeeper,
): LiveSession {
  const { transcript, conversation } = transcripts;
  return new LiveSession({
    apiKey,
    endpoint: () => settings.live.endpoint(),
    model: () => settings.current.model,
    conversationId: () => conversation.id,
    config: (resumptionHandle) => tools.setup(settings.current.model, settings.live.config(resumptionHandle)),
    events: {
      ...turns.liveEvents,
      goAway: (timeLeftMs) => keeper().goAway(timeLeftMs),
      lost: (code, reason) => {
        const wasBusy = turns.busy;
        keeper().lost(code, reason);
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
    handles,
    seed: () => summaryOfRecentTurns(conversation.recentTurns(recapTurns)),
    setupTimeoutMs: tuning.setupTimeoutMs,
    warn: (message) => {
      ports.log.warn(`session: ${message}`);
      notices.tell(message);
    },
  });
}

function connectionKeeper(
  { tuning, settings, status, tools }: TurnPipelineDeps,
  session: LiveSession,
  turns: TurnController,
): ConnectionKeeper {
  const reconnecting = (attempt: number, reason: string) =>
    `${reason}. Reconnecting… (attempt ${attempt} of ${tuning.backoff.attempts})`;
  return new ConnectionKeeper({
    session,
    // A call Gemini made is under way too: the session still expects its answer.
    state: { inFlight: () => turns.busy || tools.link.awaited, capturing: () => turns.talking },
    listener: {
      interrupted: (reason) => {
        turns.connectionInterrupted();
        status.set({ state: 'reconnecting', detail: reconnecting(1, `Connection lost (${reason})`) });
      },
      reconnecting: (attempt, reason) => status.set({ state: 'reconnecting', detail: reconnecting(attempt, reason) }),
      reconnected: () => turns.reconnected(),
      failed: (message, retryable) => turns.deliveryFailed(message, retryable),
      renewed: (problem) => {
        // A turn under way says what it is doing itself.
        if (turns.busy) return;
        status.set({
          state: 'idle',
          detail: problem
            ? `${problem}. The next press tries again and carries on the conversation.`
            : 'Ready. Hold the hotkey and speak.',
        });
      },
    },
    model: () => settings.current.model,
    backoff: tuning.backoff,
    goAwayMarginMs: tuning.goAwayMarginMs,
  });
}
