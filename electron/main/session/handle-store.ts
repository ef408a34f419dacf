import { z } from 'zod';
import type { HandleStore, StoredHandle } from '../live/live-session';
import type { KeyValueFile } from '../settings/settings-store';

const Stored = z.object({
  conversationId: z.string().min(1).max(200),
  handle: z.string().min(1).max(4096),
  savedAt: z.number(),
});

/**
 * The resumption handle in session.json, with the conversation it belongs
 * to, so the conversation survives a restart while the server still honours
 * it. A handle of another conversation, or a damaged entry, is ignored: the
 * worst case is a fresh session seeded with recent turns.
 */
export function fileHandleStore(file: KeyValueFile, conversationId: () => string): HandleStore {
  return {
    load: (): StoredHandle | undefined => {
      const parsed = Stored.safeParse(file.store.resumption);
      if (!parsed.success || parsed.data.conversationId !== conversationId()) return undefined;
      return { handle: parsed.data.handle, savedAt: parsed.data.savedAt };
    },
    save: (handle) => {
      const { resumption: _old, ...rest } = file.store;
      file.store = handle ? { ...rest, resumption: { ...handle, conversationId: conversationId() } } : rest;
    },
  };
}
