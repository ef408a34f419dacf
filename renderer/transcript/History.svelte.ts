import type { ConversationSummary, ConversationView, SearchResult } from '../../shared/conversations';
import type { ProfileRef } from '../../shared/types';
import { parley, unwrap } from '../lib/parley';

/** The History view's state: the saved conversations, a search across them, and the one opened. */
export class History {
  conversations = $state.raw<ConversationSummary[]>([]);
  query = $state('');
  result = $state.raw<SearchResult | undefined>();
  /** Read-only: a saved conversation never changes again, except the current one, which has its own live view. */
  opened = $state.raw<ConversationView | undefined>();
  /** The profile whose conversations are listed; '' for every profile's. */
  profile = $state('');
  private searches = 0;

  /** Every profile that has a saved conversation, by the name of its latest one (a renamed profile shows once). */
  get profiles(): ProfileRef[] {
    const seen: ProfileRef[] = [];
    for (const { profile } of this.conversations) {
      if (!seen.some((known) => known.id === profile.id)) seen.push(profile);
    }
    return seen;
  }

  /** Whether a conversation is listed under the chosen profile. */
  listed(conversation: ConversationSummary): boolean {
    return this.profile === '' || conversation.profile.id === this.profile;
  }

  async refresh(): Promise<void> {
    this.conversations = await unwrap(parley.listConversations());
  }

  async search(): Promise<void> {
    const query = this.query.trim();
    const mine = ++this.searches;
    const result = query ? await unwrap(parley.searchConversations({ query })) : undefined;
    // Typing on while a search runs: only the latest query's answer counts.
    if (mine === this.searches) this.result = result;
  }

  async open(id: string): Promise<void> {
    this.opened = await unwrap(parley.getConversation({ id }));
  }

  close(): void {
    this.opened = undefined;
  }

  /** Resolves with where the Markdown was saved, or undefined if the user cancelled. */
  async exportOpened(): Promise<string | undefined> {
    if (!this.opened) return undefined;
    return (await unwrap(parley.exportConversation({ id: this.opened.summary.id }))).savedTo;
  }

  /** Main asks the user first; resolves with whether it was deleted. */
  async deleteOpened(): Promise<boolean> {
    if (!this.opened) return false;
    const { deleted } = await unwrap(parley.deleteConversation({ id: this.opened.summary.id }));
    if (deleted) {
      this.opened = undefined;
      await Promise.all([this.refresh(), this.search()]);
    }
    return deleted;
  }
}
