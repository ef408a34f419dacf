import { join } from 'node:path';
import { Transcript } from '../conversation/transcript';
import type { InvokeHandlers } from '../ipc/router';
import type { Ports } from '../ports';
import type { SettingsFeature } from '../settings/settings-feature';
import type { Emit } from '../windows/windows-feature';
import type { WindowManager } from '../windows/window-manager';
import type { SessionStatusStore } from '../session/session-status';
import { ConversationStore } from './conversation-store';
import { historyHandlers } from './history-handlers';

export interface TranscriptsFeatureDeps {
  ports: Pick<Ports, 'app' | 'log' | 'clipboard' | 'saveDialog'>;
  settings: Pick<SettingsFeature, 'current'>;
  windows: WindowManager;
  /** Where the user is told that conversations cannot be saved (and when they can again). */
  status: SessionStatusStore;
  emit: Emit;
}

export interface TranscriptsFeature {
  readonly transcript: Transcript;
  readonly conversations: ConversationStore;
  /** Told first when the store has a new current conversation (started, or the old one deleted). */
  onConversationReset(listener: () => void): void;
  /** Gemini forgets the conversation: only after the user says so, since it cannot be undone. */
  confirmNewConversation(): Promise<boolean>;
  /** A picture of the screen went with the user's words of this turn: kept with the conversation, shown on the turn. */
  keepPicture(turnId: number, picture: { jpeg: Uint8Array; width: number; height: number }): void;
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

/** The conversation on screen and on disk, and the History view over every saved one. */
export function transcriptsFeature({
  ports,
  settings,
  windows,
  status,
  emit,
}: TranscriptsFeatureDeps): TranscriptsFeature {
  const conversations = ConversationStore.open(join(ports.app.userDataPath, 'conversations'), {
    warn: (message) => ports.log.warn(`transcripts: ${message}`),
    notify: (message) => status.tell(message),
  });
  let shownReply: number | undefined;
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
  const resetListeners: (() => void)[] = [];
  const resetConversation = () => {
    for (const listener of resetListeners) listener();
    transcript.clear();
    emit('conversationStarted', null, 'transcript');
  };
  const confirmNewConversation = async () => {
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
  return {
    transcript,
    conversations,
    onConversationReset: (listener) => void resetListeners.push(listener),
    confirmNewConversation,
    keepPicture: (turnId, { jpeg, width, height }) => {
      const conversation = conversations.currentConversationId;
      const file = conversations.pictures.newName();
      // A turn of a conversation left behind keeps nothing.
      if (!transcript.picture(turnId, { file, width, height })) return;
      conversations.pictures.write(conversation, file, jpeg).catch((error: unknown) => {
        ports.log.warn(`transcripts: could not keep picture ${file}: ${String(error)}`);
        transcript.addNote(
          turnId,
          'user',
          'A picture of the screen that Gemini saw could not be saved on this computer.',
        );
      });
    },
    invokes: {
      getPicture: async ({ conversation, file }) => {
        const bytes = await conversations.pictures.read(conversation ?? conversations.currentConversationId, file);
        if (!bytes) throw new Error('That picture is no longer there.');
        return bytes;
      },
      getTranscript: () => transcript.all(),
      newConversation: async () => ({ started: await confirmNewConversation() }),
      ...historyHandlers({
        conversations,
        clipboard: ports.clipboard,
        saveDialog: ports.saveDialog,
        confirm: (question) => ports.app.confirm(question),
        currentDeleted: () => resetConversation(),
      }),
    },
    close: () => conversations.close(),
  };
}
