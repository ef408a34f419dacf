import { z } from 'zod';
import { assistantProfile } from '../../../shared/conversations';
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
 * A profile's resumption handle in session.json, with the conversation, model
 * and server it belongs to, so the conversation survives a restart while the
 * server still honours it. A handle of another conversation, model or
 * server, or a damaged entry (or one from a version that did not record
 * all three), is ignored: the worst case is a fresh session seeded with
 * recent turns.
 */
export function fileHandleStore(file: KeyValueFile, profileId: string): HandleStore {
  const handles = () => (isRecord(file.store.resumptions) ? file.store.resumptions : {});
  return {
    load: (scope): StoredHandle | undefined => {
      // Before profiles there was one handle, and it was the first profile's conversation's.
      const stored = handles()[profileId] ?? (profileId === assistantProfile.id ? file.store.resumption : undefined);
      const parsed = Stored.safeParse(stored);
      if (!parsed.success || !sameScope(parsed.data, scope)) return undefined;
      return { handle: parsed.data.handle, savedAt: parsed.data.savedAt };
    },
    save: (saved) => {
      const { resumption: _old, resumptions: _all, ...rest } = file.store;
      const { [profileId]: _own, ...others } = handles();
      const resumptions = saved ? { ...others, [profileId]: { ...saved.handle, ...saved.scope } } : others;
      file.store = Object.keys(resumptions).length > 0 ? { ...rest, resumptions } : rest;
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
