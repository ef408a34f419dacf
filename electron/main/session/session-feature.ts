import type { ConnectionState } from '../../../shared/types';
import type { TurnController } from '../conversation/turn-controller';
import type { ApiKeySource } from '../credentials/api-key';
import type { CredentialsFeature } from '../credentials/credentials-feature';
import type { HotkeyTurns } from '../hotkey/push-to-talk';
import type { InvokeHandlers, SendHandlers } from '../ipc/router';
import type { LiveSession } from '../live/live-session';
import { sessionKeys } from '../live/session-settings';
import type { SettingsFeature } from '../settings/settings-feature';
import type { TranscriptsFeature } from '../transcripts/transcripts-feature';
import { handleWaitMs } from './connection-keeper';
import { IdleDisconnect } from './idle-disconnect';
import { initialStatus, type SessionStatusStore } from './session-status';
import { turnPipeline, type TurnPipeline, type TurnPipelineDeps } from './turn-pipeline';

/** States in which a turn or a reply is under way. */
const busyStates = new Set<ConnectionState>(['connecting', 'reconnecting', 'listening', 'thinking', 'speaking']);
const sessionChangeKeys = ['model', 'liveEndpoint', ...sessionKeys];

export interface SessionFeatureDeps extends Omit<TurnPipelineDeps, 'apiKey' | 'settings' | 'transcripts'> {
  settings: TurnPipelineDeps['settings'] & Pick<SettingsFeature, 'follow'>;
  credentials: Pick<CredentialsFeature, 'apiKey' | 'unlocking' | 'loaded' | 'onChange'>;
  transcripts: TurnPipelineDeps['transcripts'] & Pick<TranscriptsFeature, 'onConversationReset'>;
}

export interface SessionFeature {
  /**
   * What the hotkey drives: a press starts a turn (or says the key is missing), a release ends
   * it; and who hears when a turn ends without the hotkey.
   */
  readonly hotkeyTurns: HotkeyTurns;
  readonly invokes: Pick<InvokeHandlers, 'getSessionStatus' | 'retryTurn' | 'sendText'>;
  readonly sends: Pick<
    SendHandlers,
    'captureFrame' | 'captureStarted' | 'captureEnded' | 'captureFailed' | 'playbackState'
  >;
  dispose(): void;
}

/**
 * The Live session and the turns on it: connected while in use, renewed when a setting, the key
 * or the conversation changes (never mid-turn), closed after the idle minutes.
 */
export function sessionFeature(deps: SessionFeatureDeps): SessionFeature {
  const { credentials, status, emit } = deps;
  const apiKey = () => credentials.apiKey();
  const endedHere: (() => void)[] = [];
  const pending = { renewal: undefined as SessionRenewal | undefined };
  const pipeline = turnPipeline(
    { ...deps, apiKey },
    {
      captureEndedHere: () => endedHere.forEach((listener) => listener()),
      beforeTurn: () => pending.renewal?.renewNowIfPending(),
    },
  );
  const { turns, session, keeper } = pipeline;
  const idle = idleDisconnect(deps, session);
  const renewal = sessionRenewal(deps, session);
  pending.renewal = renewal;
  const unsubscribe = status.subscribe((next) => {
    renewal.stateChanged(next.state);
    idle.stateChanged(next.state);
    if (next.state === 'idle') keeper.idle();
    emit('sessionStatusChanged', next);
  });
  followChanges(deps, pipeline, renewal, idle);
  return {
    hotkeyTurns: {
      turnStarted: (_at, how) =>
        apiKey()
          ? turns.startTurn({ look: how.look && deps.settings.current.screen.enabled })
          : status.set(initialStatus(false, credentials.unlocking())),
      turnEnded: (_at, reason) => turns.endTurn(reason),
      onEndedElsewhere: (listener) => void endedHere.push(listener),
    },
    invokes: turnInvokes(turns, apiKey, status),
    sends: {
      captureFrame: ({ turnId, pcm }) => turns.captureFrame(turnId, pcm),
      captureStarted: ({ turnId }) => turns.captureStarted(turnId),
      captureEnded: ({ turnId }) => turns.captureEnded(turnId),
      captureFailed: (failure) => turns.captureFailed(failure),
      playbackState: ({ playing }) => turns.playbackState(playing),
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
function sessionRenewal({ status }: SessionFeatureDeps, session: LiveSession) {
  let pending = false;
  const busy = () => busyStates.has(status.current.state);
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

function idleDisconnect({ settings, status }: SessionFeatureDeps, session: LiveSession): IdleDisconnect {
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

/** Settings, the key and the conversation each decide what the next session must be. */
function followChanges(
  { settings, credentials, status, transcripts, tools }: SessionFeatureDeps,
  { session, turns }: TurnPipeline,
  renewal: SessionRenewal,
  idle: IdleDisconnect,
): void {
  // The tools on offer changed (a setting, an MCP server): the next session declares them.
  tools.onToolSetChanged(() => renewal.renewWhenIdle(false));
  settings.follow(({ before, after, touches }) => {
    // Another model or another server cannot resume this conversation's handle.
    const elsewhere = before.model !== after.model || before.liveEndpoint !== after.liveEndpoint;
    // Screen sharing on keeps context compression on (live/session-settings.ts): the setup changes.
    const sharing = before.screen.enabled !== after.screen.enabled;
    if (touches(sessionChangeKeys) || sharing) renewal.renewWhenIdle(elsewhere);
    if (touches(['idleDisconnectMinutes'])) idle.stateChanged(status.current.state);
  });
  // The saved key, once decrypted, makes Parley ready (or says there is none).
  void credentials.loaded.then(() => {
    if (status.current.state === 'no-api-key') status.set(initialStatus(credentials.apiKey() !== undefined));
  });
  // A new key (or none) means a new session, and maybe a new state line.
  credentials.onChange(() => {
    session.close();
    session.forgetConversation();
    const hasKey = credentials.apiKey() !== undefined;
    if (!hasKey || status.current.state === 'no-api-key') status.set(initialStatus(hasKey));
  });
  // The store has a new current conversation: nothing of the old one goes on, not its reply,
  // its connection or its handle.
  transcripts.onConversationReset(() => {
    turns.forgetAll();
    session.forgetConversation();
    renewal.cancel();
    session.close();
  });
}

function turnInvokes(
  turns: TurnController,
  apiKey: () => ApiKeySource | undefined,
  status: SessionStatusStore,
): SessionFeature['invokes'] {
  return {
    getSessionStatus: () => status.current,
    retryTurn: async ({ turnId }) => {
      await turns.retry(turnId);
      return null;
    },
    sendText: async ({ text }) => {
      if (!apiKey()) throw new Error('No Gemini API key is set.');
      await turns.sendText(text);
      return null;
    },
  };
}
