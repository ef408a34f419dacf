import { z } from 'zod';
import { ProfileRef, ScreenPicture, TranscriptEntry } from './types';

/** A conversation's id, also its file name: UTC start time and a random suffix, so nothing else can name a path. */
export const ConversationId = z.string().regex(/^\d{8}-\d{6}-[0-9a-f]{6}$/, 'not a conversation id');
export type ConversationId = z.infer<typeof ConversationId>;

/** The profile every conversation saved before Parley had profiles belongs to (today's settings became it). */
export const assistantProfile: ProfileRef = { id: 'assistant', name: 'Assistant' };

/** One line of the History list. */
export const ConversationSummary = z.object({
  id: ConversationId,
  /** As it was named when the conversation started, so a deleted profile's conversations still say whose they were. */
  profile: ProfileRef,
  startedAt: z.number(),
  updatedAt: z.number(),
  /** The first words the user said or typed; empty until they said something. */
  title: z.string(),
  turnCount: z.number().int().nonnegative(),
  /** Its profile's live conversation: what that profile's turns go on. */
  current: z.boolean(),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const ConversationRequest = z.object({ id: ConversationId }).strict();

export const ConversationView = z.object({ summary: ConversationSummary, entries: z.array(TranscriptEntry) });
export type ConversationView = z.infer<typeof ConversationView>;

export const SearchRequest = z.object({ query: z.string().trim().min(1).max(200) }).strict();

/** A turn that contains the query, with the words around it; `match` is the query as spelled in the text. */
export const SearchHit = z.object({
  conversation: ConversationSummary,
  entry: TranscriptEntry.pick({ id: true, role: true, at: true }),
  before: z.string(),
  match: z.string(),
  after: z.string(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResult = z.object({
  hits: z.array(SearchHit),
  /** More turns matched than were returned. */
  more: z.boolean(),
});
export type SearchResult = z.infer<typeof SearchResult>;

/** Without a conversation id, the entry is in the current conversation. */
export const CopyEntryRequest = z
  .object({ conversation: ConversationId.optional(), entryId: z.number().int() })
  .strict();

export const ExportResult = z.object({ savedTo: z.string().optional() });
export const DeleteResult = z.object({ deleted: z.boolean() });
export const NewConversationResult = z.object({ started: z.boolean() });

/** One picture of the screen kept with a conversation (the current one when none is named), for the transcript window. */
export const PictureRequest = z
  .object({ conversation: ConversationId.optional(), file: ScreenPicture.shape.file })
  .strict();
export type PictureRequest = z.infer<typeof PictureRequest>;

/** The JPEG itself. */
export const PictureBytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes');
