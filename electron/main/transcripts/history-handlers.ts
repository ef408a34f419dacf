import type { ProfileRef } from '../../../shared/types';
import type { InvokeHandlers } from '../ipc/router';
import type { AppPort, ClipboardPort, SaveDialogPort } from '../ports';
import type { ConversationStore, CurrentConversation } from './conversation-store';
import { conversationMarkdown, localDate, localTime, markdownFileName } from './markdown';

export interface HistoryDeps {
  conversations: ConversationStore;
  /** The conversation the transcript window shows live: the one a request naming no conversation means. */
  shown(): CurrentConversation;
  clipboard: ClipboardPort;
  saveDialog: SaveDialogPort;
  confirm: AppPort['confirm'];
  /** A profile's current conversation was deleted: its Gemini session must forget it and its transcript start empty. */
  currentDeleted(profile: ProfileRef): void;
}

type HistoryHandlers = Pick<
  InvokeHandlers,
  | 'listConversations'
  | 'getConversation'
  | 'searchConversations'
  | 'copyEntry'
  | 'exportConversation'
  | 'deleteConversation'
>;

/** The History view's requests: reading, searching, copying, exporting and deleting saved conversations. */
export function historyHandlers(deps: HistoryDeps): HistoryHandlers {
  const { conversations } = deps;
  const find = (id: string) => {
    const view = conversations.read(id);
    if (!view) throw new Error('That conversation no longer exists.');
    return view;
  };
  return {
    listConversations: () => conversations.list(),
    getConversation: ({ id }) => find(id),
    searchConversations: ({ query }) => conversations.search(query),
    copyEntry: ({ conversation, entryId }) => {
      const text =
        conversation === undefined
          ? deps.shown().entryText(entryId)
          : conversations.read(conversation)?.entries.find((entry) => entry.id === entryId)?.text;
      if (text === undefined) throw new Error('That turn no longer exists.');
      deps.clipboard.writeText(text);
      return null;
    },
    exportConversation: async ({ id }) => {
      const { summary, entries } = find(id);
      const savedTo = await deps.saveDialog.saveFile(markdownFileName(summary), conversationMarkdown(summary, entries));
      return savedTo === undefined ? {} : { savedTo };
    },
    deleteConversation: async ({ id }) => {
      const { summary } = find(id);
      const turns = `${summary.turnCount} ${summary.turnCount === 1 ? 'turn' : 'turns'}`;
      const confirmed = await deps.confirm({
        message: 'Delete this conversation?',
        detail:
          `“${summary.title}”, ${localDate(summary.startedAt)} ${localTime(summary.startedAt).slice(0, 5)}, ${turns}. ` +
          'It is removed from this computer for good.' +
          (summary.current
            ? ` It is ${summary.profile.name}’s current conversation: Gemini forgets it too, and a new one starts.`
            : ''),
        confirmLabel: 'Delete conversation',
      });
      if (!confirmed) return { deleted: false };
      // The store says whose current conversation it was at the time of deleting, not of asking.
      const { deleted, restarted } = conversations.delete(id);
      if (restarted) deps.currentDeleted(restarted);
      return { deleted };
    },
  };
}
