import type { ConnectionState } from '../../../shared/types';
import type { CredentialsFeature } from '../credentials/credentials-feature';
import type { LiveSession } from '../live/live-session';
import { sessionKeys } from '../live/session-settings';
import type { ProfileSettingsFeature } from '../settings/settings-feature';
import type { ProfileTranscripts } from '../transcripts/transcripts-feature';
import { handleWaitMs } from './connection-keeper';
import { IdleDisconnect } from './idle-disconnect';
import { initialStatus, SessionStatusStore } from './session-status';
import { turnPipeline, type TurnPipeline, type TurnPipelineDeps } from './turn-pipeline';

/** States in which a turn or a reply is under way. */
const busyStates = new Set<ConnectionState>(['connecting', 'reconnecting', 'listening', 'thinking', 'speaking']);
const sessionChangeKeys = ['model', 'liveEndpoint', 'translation', ...sessionKeys];

export interface LaneDeps extends Omit<TurnPipelineDeps, 'settings' | 'status' | 'transcripts'> {
  settings: Pick<ProfileSettingsFeature, 'id' | 'current' | 'live' | 'deviceChoice' | 'follow'>;
  credentials: Pick<CredentialsFeature, 'unlocking'>;
  transcripts: Pick<ProfileTranscripts, 'transcript' | 'conversation' | 'onConversationReset'>;
  /** The turn being captured ended without the hotkey: push-to-talk must know. */
  captureEndedHere(): void;
}

/**
 * One profile's conversation with Gemini: its Live session (connected while in use, renewed when
 * its settings or the key change, never mid-turn, closed after the idle minutes), its turns and
 * its own state line.
 */
export interface ProfileLane extends TurnPipeline {
  readonly id: string;
  readonly settings: LaneDeps['settings'];
  readonly status: SessionStatusStore;
  /** Capturing, sending, waiting for a reply or playing one. */
  busy(): boolean;
  /** The key changed: a new session, and maybe a new state line. */
  keyChanged(hasKey: boolean): void;
  dispose(): void;
}

export function profileLane(deps: LaneDeps): ProfileLane {
  const status = new SessionStatusStore(initialStatus(deps.apiKey() !== undefined, deps.credentials.unlocking()));
  const pending = { renewal: undefined as SessionRenewal | undefined };
  const pipeline = turnPipeline(
    { ...deps, status },
    {
      captureEndedHere: () => deps.captureEndedHere(),
      beforeTurn: () => pending.renewal?.renewNowIfPending(),
    },
  );
  const { turns, session, keeper } = pipeline;
  const renewal = sessionRenewal(session, () => busyStates.has(status.current.state));
  pending.renewal = renewal;
  const idle = idleDisconnect(deps, session, status);
  const unsubscribe = status.subscribe((next) => {
    renewal.stateChanged(next.state);
    idle.stateChanged(next.state);
    if (next.state === 'idle') keeper.idle();
  });
  followChanges(deps, pipeline, renewal, () => idle.stateChanged(status.current.state));
  return {
    ...pipeline,
    id: deps.settings.id,
    settings: deps.settings,
    status,
    busy: () => turns.busy || turns.replying,
    keyChanged(hasKey) {
      session.close();
      session.forgetConversation();
      if (!hasKey || status.current.state === 'no-api-key') status.set(initialStatus(hasKey));
    },
    dispose() {
      idle.cancel();
      keeper.dispose();
      turns.dispose();
      session.close();
      unsubscribe();
    },
  };
}

type SessionRenewal = ReturnType<typeof sessionRenewal>;

/** A new model, voice, modality… needs a new session: at the next idle moment, never mid-turn. */
function sessionRenewal(session: LiveSession, busy: () => boolean) {
  let pending = false;
  /**
   * Closes once the handle that includes the last turn has come, so the new session resumes all
   * of the conversation; a turn that starts meanwhile keeps the connection until it is over.
   */
  const closeWhenSettled = () => {
    const renewing = session.connection;
    void session.handleSettled(handleWaitMs).then(() => {
      if (session.connection !== renewing) return;
      if (busy()) pending = true;
      else session.close();
    });
  };
  return {
    /** forget: the conversation's handle cannot be resumed by the new session either. */
    renewWhenIdle(forget: boolean): void {
      if (forget) session.forgetConversation();
      if (busy()) pending = true;
      // A forgotten conversation has no handle worth waiting for.
      else if (forget) session.close();
      else closeWhenSettled();
    },
    stateChanged(state: ConnectionState): void {
      if (pending && !busyStates.has(state)) {
        pending = false;
        closeWhenSettled();
      }
    },
    /** A press cuts the reply off: the renewal need not wait, and the new turn goes to the new session. */
    renewNowIfPending(): void {
      if (!pending) return;
      pending = false;
      session.close();
    },
    /** The connection is being closed anyway. */
    cancel(): void {
      pending = false;
    },
  };
}

function idleDisconnect({ settings }: LaneDeps, session: LiveSession, status: SessionStatusStore): IdleDisconnect {
  return new IdleDisconnect({
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
}

/** The profile's settings and its conversation each decide what its next session must be. */
function followChanges(
  { settings, transcripts, tools }: LaneDeps,
  { session, turns }: TurnPipeline,
  renewal: SessionRenewal,
  idleMinutesChanged: () => void,
): void {
  // The tools on offer changed (a setting, an MCP server): the next session declares them.
  tools.onToolSetChanged(() => renewal.renewWhenIdle(false));
  settings.follow(({ before, after, touches }) => {
    // Another model or another server cannot resume this conversation's handle.
    const elsewhere = before.model !== after.model || before.liveEndpoint !== after.liveEndpoint;
    // Screen sharing on keeps context compression on (live/session-settings.ts): the setup changes.
    const sharing = before.screen.enabled !== after.screen.enabled;
    if (touches(sessionChangeKeys) || sharing) renewal.renewWhenIdle(elsewhere);
    if (touches(['idleDisconnectMinutes'])) idleMinutesChanged();
  });
  // The profile has a new current conversation: nothing of the old one goes on, not its reply,
  // its connection or its handle.
  transcripts.onConversationReset(() => {
    turns.forgetAll();
    session.forgetConversation();
    renewal.cancel();
    session.close();
  });
}
