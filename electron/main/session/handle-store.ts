import { z } from 'zod';
import { sameScope, type HandleStore, type StoredHandle } from '../live/live-session';
import type { KeyValueFile } from '../settings/settings-store';

const Stored = z.object({
  conversationId: z.string().min(1).max(200),
  model: z.string().min(1).max(200),
  endpoint: z.string().min(1).max(2048),
  handle: z.string().min(1).max(4096),
  savedAt: z.number(),
});

/**
 * The resumption handle in session.json, with the conversation, model and
 * server it belongs to, so the conversation survives a restart while the
 * server still honours it. A handle of another conversation, model or
 * server, or a damaged entry (or one from a version that did not record
 * all three), is ignored: the worst case is a fresh session seeded with
 * recent turns.
 */
export function fileHandleStore(file: KeyValueFile): HandleStore {
  return {
    load: (scope): StoredHandle | undefined => {
      const parsed = Stored.safeParse(file.store.resumption);
      if (!parsed.success || !sameScope(parsed.data, scope)) return undefined;
      return { handle: parsed.data.handle, savedAt: parsed.data.savedAt };
    },
    save: (saved) => {
      const { resumption: _old, ...rest } = file.store;
      file.store = saved ? { ...rest, resumption: { ...saved.handle, ...saved.scope } } : rest;
    },
  };
}
