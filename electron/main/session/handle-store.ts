import { z } from 'zod';
import type { HandleStore, StoredHandle } from '../live/live-session';
import type { KeyValueFile } from '../settings/settings-store';

const Stored = z.object({ handle: z.string().min(1).max(4096), savedAt: z.number() });

/**
 * The resumption handle in session.json, so the conversation survives a
 * restart while the server still honours it. A damaged entry is ignored:
 * the worst case is a fresh session seeded with recent turns.
 */
export function fileHandleStore(file: KeyValueFile): HandleStore {
  return {
    load: (): StoredHandle | undefined => {
      const parsed = Stored.safeParse(file.store.resumption);
      return parsed.success ? parsed.data : undefined;
    },
    save: (handle) => {
      const { resumption: _old, ...rest } = file.store;
      file.store = handle ? { ...rest, resumption: handle } : rest;
    },
  };
}
