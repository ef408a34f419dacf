import { join } from 'node:path';
import type { ProfileRef } from '../../../shared/types';
import { Transcript } from '../conversation/transcript';
import type { InvokeHandlers } from '../ipc/router';
import type { Ports } from '../ports';
import type { SettingsFeature } from '../settings/settings-feature';
import type { Emit } from '../windows/windows-feature';
import type { WindowManager } from '../windows/window-manager';
import type { SessionStatusStore } from '../session/session-status';
import { ConversationStore, type CurrentConversation } from './conversation-store';
import { historyHandlers } from './history-handlers';
import type { PictureFolder } from './picture-folder';

export interface TranscriptsFeatureDeps {
  ports: Pick<Ports, 'app' | 'log' | 'clipboard' | 'saveDialog'>;
  settings: Pick<SettingsFeature, 'current'>;
  windows: WindowManager;
  /** Where the user is told that conversations cannot be saved (and when they can again). */
  status: SessionStatusStore;
  emit: Emit;
}

/** One profile's conversation: on screen while the profile is shown, and on disk. */
export interface ProfileTranscripts {
  readonly transcript: Transcript;
  readonly conversation: CurrentConversation;
  /** Told first when the profile has a new current conversation (started, or the old one deleted). */
  onConversationReset(listener: () => void): void;
  /** A picture of the screen went with the user's words of this turn: kept with the conversation, shown on the turn. */
  keepPicture(turnId: number, picture: { jpeg: Uint8Array; width: number; height: number }): void;
  /** The profile was deleted: its conversation stays on disk, for History. */
  dispose(): void;
}

export interface TranscriptsFeature {
  forProfile(profile: ProfileRef): ProfileTranscripts;
  /** The transcript window shows this profile's conversation from now on. */
  show(profileId: string): void;
  /** Every conversation on disk. */
  readonly conversations: ConversationStore;
  /** The conversation the transcript window shows. */
  shown(): ProfileTranscripts;
  /** Gemini forgets the shown conversation: only after the user says so, since it cannot be undone. */
  confirmNewConversation(): Promise<boolean>;
  readonly invokes: Pick<
    InvokeHandlers,
    | 'getTranscript'
    | 'newConversation'
    | 'listConversations'
    | 'getConversation'
    | 'searchConversations'
    | 'copyEntry'
    | 'exportConversation'
    | 'deleteConversation'
    | 'getPicture'
  >;
  close(): void;
}

/** A profile's conversation, and what starting it afresh involves. */
interface Lane extends ProfileTranscripts {
  reset(): void;
}

/** Each profile's conversation on screen and on disk, and the History view over every saved one. */
export function transcriptsFeature(deps: TranscriptsFeatureDeps): TranscriptsFeature {
  const { ports, emit } = deps;
  const conversations = ConversationStore.open(join(ports.app.userDataPath, 'conversations'), {
    warn: (message) => ports.log.warn(`transcripts: ${message}`),
    notify: (message) => deps.status.tell(message),
  });
  const lanes = new Map<string, Lane>();
  let shownId: string | undefined;
  const shown = () => lanes.get(shownId ?? '') ?? [...lanes.values()][0]!;
  const onScreen = (lane: Lane) => lane === shown();
  const revealer = replyRevealer(deps);
  const confirmNewConversation = async () => {
    const confirmed = await ports.app.confirm({
      message: 'Start a new conversation?',
      detail: 'Gemini forgets everything said so far, and the transcript window starts empty.',
      confirmLabel: 'Start new conversation',
    });
    if (!confirmed) return false;
    const lane = shown();
    lane.conversation.startNew();
    lane.reset();
    return true;
  };
  return {
    forProfile(profile) {
      const lane = profileTranscripts(deps, conversations.lane(profile), conversations.pictures, {
        onScreen: () => onScreen(lane),
        entryShown: revealer,
        forget: () => {
          lanes.delete(profile.id);
          conversations.leave(profile.id);
        },
      });
      lanes.set(profile.id, lane);
      return lane;
    },
    show(profileId) {
      if (shownId === profileId || !lanes.has(profileId)) return;
      shownId = profileId;
      emit('conversationStarted', null, 'transcript');
      for (const entry of shown().transcript.all()) emit('transcriptEntry', entry, 'transcript');
    },
    conversations,
    shown,
    confirmNewConversation,
    invokes: {
      getPicture: async ({ conversation, file }) => {
        const bytes = await conversations.pictures.read(conversation ?? shown().conversation.id, file);
        if (!bytes) throw new Error('That picture is no longer there.');
        return bytes;
      },
      getTranscript: () => shown().transcript.all(),
      newConversation: async () => ({ started: await confirmNewConversation() }),
      ...historyHandlers({
        conversations,
        shown: () => shown().conversation,
        clipboard: ports.clipboard,
        saveDialog: ports.saveDialog,
        confirm: (question) => ports.app.confirm(question),
        currentDeleted: (profile) => lanes.get(profile.id)?.reset(),
      }),
    },
    close: () => conversations.close(),
  };
}

/** Shows the transcript window on a reply when the user asked for it: once per reply, without taking the focus. */
function replyRevealer({ settings, windows }: TranscriptsFeatureDeps) {
  let shownReply: number | undefined;
  return (entry: { role: string; id: number }) => {
    if (settings.current.showTranscriptOnReply && entry.role === 'model' && entry.id !== shownReply) {
      shownReply = entry.id;
      windows.reveal('transcript');
    }
  };
}

function profileTranscripts(
  { ports, emit }: TranscriptsFeatureDeps,
  conversation: CurrentConversation,
  pictures: PictureFolder,
  window: { onScreen(): boolean; entryShown(entry: { role: string; id: number }): void; forget(): void },
): Lane {
  const transcript = new Transcript((entry) => {
    conversation.record(entry);
    if (!window.onScreen()) return;
    emit('transcriptEntry', entry, 'transcript');
    window.entryShown(entry);
  });
  // The conversation the last run was in carries on.
  transcript.restore(conversation.entries());
  const resetListeners: (() => void)[] = [];
  return {
    transcript,
    conversation,
    onConversationReset: (listener) => void resetListeners.push(listener),
    reset() {
      for (const listener of resetListeners) listener();
      transcript.clear();
      if (window.onScreen()) emit('conversationStarted', null, 'transcript');
    },
    keepPicture: (turnId, { jpeg, width, height }) => {
      const conversationId = conversation.id;
      const file = pictures.newName();
      // A turn of a conversation left behind keeps nothing.
      if (!transcript.picture(turnId, { file, width, height })) return;
      pictures.write(conversationId, file, jpeg).catch((error: unknown) => {
        ports.log.warn(`transcripts: could not keep picture ${file}: ${String(error)}`);
        transcript.addNote(
          turnId,
          'user',
          'A picture of the screen that Gemini saw could not be saved on this computer.',
        );
      });
    },
    dispose: () => window.forget(),
  };
}
