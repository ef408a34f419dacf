import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  assistantProfile,
  type ConversationSummary,
  type ConversationView,
  type SearchResult,
} from '../../../shared/conversations';
import type { ProfileRef, TranscriptEntry } from '../../../shared/types';
import {
  ConversationLog,
  flushIntervalMs,
  syncDirectory,
  systemTimers,
  type LogEvents,
  type Timers,
} from './conversation-log';
import { readIndex, writeIndex, type IndexRow } from './conversation-index';
import { PictureFolder } from './picture-folder';
import { parseConversation, type ParsedConversation } from './records';
import { cannotDelete, cannotSave, savedAgain } from './save-problems';
import { matcher } from './search';
import { lastActivityOf, titleOf, turnCountOf } from './summaries';

export interface StoreOptions {
  now?: () => number;
  timers?: Timers;
  /** A write failed or a file needed repair: worth a line in the log. */
  warn?: (message: string) => void;
  /** Saving stopped working (why, and what is kept meanwhile), or works again: for the user to read. */
  notify?: (message: string) => void;
}

/** What reopening a profile's conversation had to mend, from the way the last run ended. */
export interface Repairs {
  /** Lines skipped in the conversation's file, a torn last line included. */
  badLines: number;
  tornTail: boolean;
  /** Entries still streaming when the last run ended, now marked interrupted. */
  interrupted: number;
}

export interface TurnText {
  role: TranscriptEntry['role'];
  text: string;
}

/** A profile's live conversation: what its transcript records, carried on across restarts until a new one starts. */
export interface CurrentConversation {
  /** Its id; another one after startNew, or after it was deleted. */
  readonly id: string;
  /** What reopening it at this launch had to mend. */
  readonly repaired: Repairs;
  /** Its entries, in order, including changes not yet on disk. */
  entries(): TranscriptEntry[];
  /** Keeps one version of an entry (see ConversationLog for when it is written). */
  record(entry: TranscriptEntry): void;
  /** Leaves the conversation as it is and starts an empty one (an empty one is simply replaced); the new id. */
  startNew(): string;
  /**
   * The last `count` turns as plain text, oldest first, to brief a new session when the old one
   * cannot be resumed. Entries that were never delivered, and empty ones, are left out.
   */
  recentTurns(count: number): TurnText[];
  entryText(entryId: number): string | undefined;
}

/** What delete did. */
export interface Deletion {
  deleted: boolean;
  /** The profile whose live conversation it was: it has a new, empty one now, which Gemini must start on too. */
  restarted?: ProfileRef;
}

interface Current {
  id: string;
  /** As named when the conversation started. */
  profile: ProfileRef;
  startedAt: number;
  /** Where it is written; none while its file cannot be made or opened for writing (a full or read-only disk). */
  log: ConversationLog | undefined;
  /** Its file's size in whole records while it has a file but no log (it could not be opened for writing, or was left). */
  onDisk: number | undefined;
  /** Entries changed while it had no log, written as soon as it has one. */
  unsaved: Set<number>;
  entries: Map<number, TranscriptEntry>;
  /** One per turn; kept as entries come, so the index row costs nothing to update in a 10,000-turn conversation. */
  userEntries: number;
  updatedAt: number;
}

/** A profile's place in the store. */
interface Lane {
  /** As last named: the name its new conversations are saved with. */
  profile: ProfileRef;
  current: Current;
  repairs: Repairs;
  /** Let go of (the store closed, or the profile left): what it is still given is not kept. */
  left: boolean;
  readonly view: CurrentConversation;
}

const filePattern = /^(\d{8}-\d{6}-[0-9a-f]{6})\.jsonl$/;
const searchLimit = 100;
const noRepairs: Repairs = { badLines: 0, tornTail: false, interrupted: 0 };
const cutOffNote = 'Parley closed before this was finished.';

/**
 * An entry as a later run sees it: nobody will finish it if it was still
 * streaming, and it cannot be retried, since what was said went with that run.
 */
function fromPastRun({ retry: _gone, ...entry }: TranscriptEntry): TranscriptEntry {
  return entry.state === 'streaming' ? { ...entry, state: 'interrupted', note: entry.note ?? cutOffNote } : entry;
}

/**
 * Every conversation, one append-only JSON Lines file each
 * (`<dir>/<id>.jsonl`), with `index.json` to list them without reading them
 * all. Each profile has one current conversation (its lane): it takes what
 * that profile's transcript records, and carries on across restarts until a
 * new one is started.
 */
export class ConversationStore {
  /** The pictures of the screen sent in each conversation. */
  readonly pictures: PictureFolder;
  private readonly rows = new Map<string, IndexRow>();
  /** By profile id, from each profile's first `lane` call. */
  private readonly lanes = new Map<string, Lane>();
  /** Conversations left (a new one was started) before all of them could be written: readable until Parley quits. */
  private readonly leftUnsaved = new Map<string, TranscriptEntry[]>();
  /** Saving fails, and the user has been told. */
  private failing = false;
  /** The next attempt to give the current conversations files they can write to. */
  private retry: unknown;
  private readonly now: () => number;
  private readonly timers: Timers;
  private readonly warn: (message: string) => void;
  private readonly notify: (message: string) => void;

  private constructor(
    private readonly dir: string,
    options: StoreOptions,
  ) {
    this.pictures = new PictureFolder(dir);
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? systemTimers;
    this.warn = options.warn ?? (() => undefined);
    this.notify = options.notify ?? (() => undefined);
  }

  /**
   * Opens (or creates) the store and lists what is saved. Never throws: on a full or read-only disk
   * the conversations are kept in memory, the user is told, and they are saved when they can be.
   */
  static open(dir: string, options: StoreOptions = {}): ConversationStore {
    const store = new ConversationStore(dir, options);
    store.load();
    return store;
  }

  /**
   * The profile's current conversation. The first call in a run reopens the newest conversation the
   * profile had (a conversation saved before profiles is the assistant's), or starts an empty one.
   * A profile renamed since keeps its conversation; the conversations it starts take the new name.
   */
  lane(profile: ProfileRef): CurrentConversation {
    const known = this.lanes.get(profile.id);
    if (known) {
      known.profile = { ...profile };
      return known.view;
    }
    const newest = this.newestOf(profile.id);
    const opened = (newest && this.reopen(newest)) ?? { current: this.create(profile), repairs: noRepairs };
    const lane: Lane = { profile: { ...profile }, ...opened, left: false, view: this.viewOf(() => lane) };
    this.lanes.set(profile.id, lane);
    this.saveIndex();
    return lane.view;
  }

  /**
   * Lets go of a profile's current conversation (the profile is gone): written and closed, and
   * removed if nothing was said in it. It stays in History, with the profile's name.
   */
  leave(profileId: string): void {
    const lane = this.lanes.get(profileId);
    if (!lane) return;
    this.lanes.delete(profileId);
    this.leaveLane(lane);
    this.saveIndex();
  }

  /** Conversations anything was said in, newest first. */
  list(): ConversationSummary[] {
    this.refreshCurrentRows();
    return [...this.rows.values()]
      .filter((row) => row.turnCount > 0)
      .sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1))
      .map((row) => this.summaryOf(row));
  }

  read(id: string): ConversationView | undefined {
    const current = this.livingIn(id)?.current;
    if (current) return { summary: this.summaryOf(this.currentRow(current)), entries: entriesOf(current) };
    const row = this.rows.get(id);
    const entries = row && this.pastEntries(id);
    return entries && { summary: this.summaryOf(row), entries: entries.map(fromPastRun) };
  }

  /** Every turn of every conversation containing the query, case-insensitively, newest conversation first. */
  search(query: string): SearchResult {
    const match = matcher(query);
    const hits: SearchResult['hits'] = [];
    for (const conversation of this.list()) {
      const current = this.livingIn(conversation.id)?.current;
      const entries = current ? entriesOf(current) : (this.pastEntries(conversation.id) ?? []);
      for (const entry of entries) {
        const found = match(entry);
        if (!found) continue;
        if (hits.length === searchLimit) return { hits, more: true };
        hits.push({ conversation, entry: { id: entry.id, role: entry.role, at: entry.at }, ...found });
      }
    }
    return { hits, more: false };
  }

  /**
   * Removes a conversation for good; deleting a profile's current one starts a new one for it. Throws,
   * with what went wrong in the user's words and nothing changed, if its file cannot be removed.
   */
  delete(id: string): Deletion {
    const lane = this.livingIn(id);
    if (!lane && !this.rows.has(id)) return { deleted: false };
    try {
      this.removeFile(id);
    } catch (error) {
      this.warn(`could not delete conversation ${id}: ${String(error)}`);
      throw new Error(cannotDelete(error), { cause: error });
    }
    if (lane) {
      // Its last writes go to the removed file, and may put its index row back: removed again below.
      this.closeFile(lane.current);
      lane.current = this.create(lane.profile);
      lane.repairs = noRepairs;
    }
    this.rows.delete(id);
    this.leftUnsaved.delete(id);
    this.saveIndex();
    return lane ? { deleted: true, restarted: { ...lane.profile } } : { deleted: true };
  }

  /** Writes what is buffered and lets go of every file; each profile carries on its conversation at the next launch. */
  close(): void {
    if (this.retry !== undefined) this.timers.clear(this.retry);
    this.retry = undefined;
    for (const lane of this.lanes.values()) {
      lane.left = true;
      this.closeFile(lane.current);
    }
    this.saveIndex();
  }

  /** What a lane's holder sees: always the lane's conversation of the moment. */
  private viewOf(laneOf: () => Lane): CurrentConversation {
    const record = (current: Current, entry: TranscriptEntry) => this.record(current, entry);
    const startNew = (lane: Lane) => this.startNew(lane);
    return {
      get id() {
        return laneOf().current.id;
      },
      get repaired() {
        return { ...laneOf().repairs };
      },
      entries: () => entriesOf(laneOf().current),
      record: (entry) => {
        const lane = laneOf();
        // A reply still arriving while Parley shuts down has nowhere to go.
        if (!lane.left) record(lane.current, entry);
      },
      startNew: () => startNew(laneOf()),
      recentTurns: (count) => recentTurnsOf(laneOf().current, count),
      entryText: (entryId) => laneOf().current.entries.get(entryId)?.text,
    };
  }

  private record(current: Current, entry: TranscriptEntry): void {
    if (entry.role === 'user' && !current.entries.has(entry.id)) current.userEntries++;
    // A Map keeps an entry where it first appeared, which is transcript order.
    current.entries.set(entry.id, { ...entry });
    current.updatedAt = Math.max(current.updatedAt, entry.at);
    if (current.log) {
      current.log.record(entry);
    } else {
      current.unsaved.add(entry.id);
      this.retryLater();
    }
  }

  private startNew(lane: Lane): string {
    this.leaveLane(lane);
    lane.left = false;
    lane.current = this.create(lane.profile);
    lane.repairs = noRepairs;
    this.saveIndex();
    return lane.current.id;
  }

  /** Writes and closes a lane's conversation: one nothing was said in is removed, one not all written is kept in memory. */
  private leaveLane(lane: Lane): void {
    lane.left = true;
    const previous = lane.current;
    const saved = this.closeFile(previous);
    if (previous.entries.size === 0) this.removeQuietly(previous.id);
    else this.rows.set(previous.id, this.currentRow(previous));
    if (!saved && previous.entries.size > 0) this.leftUnsaved.set(previous.id, [...previous.entries.values()]);
  }

  /** The lane whose current conversation this is, if any. */
  private livingIn(id: string): Lane | undefined {
    for (const lane of this.lanes.values()) if (lane.current.id === id) return lane;
    return undefined;
  }

  /** The profile's newest conversation, to carry on; an empty one counts (it is what the last run was in). */
  private newestOf(profileId: string): IndexRow | undefined {
    let newest: IndexRow | undefined;
    for (const row of this.rows.values()) {
      if (row.profile.id !== profileId) continue;
      if (!newest || row.startedAt > newest.startedAt || (row.startedAt === newest.startedAt && row.id > newest.id)) {
        newest = row;
      }
    }
    return newest;
  }

  private load(): void {
    const indexed = readIndex(this.indexPath);
    let stale = false;
    for (const name of this.fileNames()) {
      const id = filePattern.exec(name)?.[1];
      if (!id) continue;
      const bytes = this.sizeOf(id);
      if (bytes === undefined) continue;
      let row = indexed.get(id);
      if (row?.bytes !== bytes) {
        stale = true;
        const parsed = this.parse(id);
        if (!parsed) continue;
        row = this.rowFromFile(id, parsed, bytes);
      }
      this.rows.set(id, row);
    }
    if (stale || indexed.size !== this.rows.size) this.saveIndex();
  }

  /** The folder's file names; none if it cannot be made or read (and the user is told). */
  private fileNames(): string[] {
    try {
      makeFolder(this.dir);
      return readdirSync(this.dir);
    } catch (error) {
      this.saveFailed(error);
      return [];
    }
  }

  private sizeOf(id: string): number | undefined {
    try {
      return statSync(this.fileOf(id)).size;
    } catch (error) {
      this.warn(`could not read conversation ${id}: ${String(error)}`);
      return undefined;
    }
  }

  /**
   * A saved conversation to carry on, mending what the last run left unfinished; none if it cannot be
   * read, or if not even its header was written before the last run ended (as good as never started).
   */
  private reopen({ id, startedAt, profile }: IndexRow): Pick<Lane, 'current' | 'repairs'> | undefined {
    const parsed = this.parse(id);
    if (parsed?.wholeBytes === 0) this.removeQuietly(id);
    if (!parsed || parsed.wholeBytes === 0) return undefined;
    const current = blank(id, profile, startedAt, parsed.wholeBytes);
    for (const entry of parsed.entries) current.entries.set(entry.id, fromPastRun(entry));
    current.userEntries = parsed.entries.filter((entry) => entry.role === 'user').length;
    current.updatedAt = lastActivityOf(parsed.entries, startedAt);
    this.attach(current);
    // Only now, so the index written after these records counts every entry.
    const cutOff = parsed.entries.filter((entry) => entry.state === 'streaming');
    cutOff.forEach((entry) => this.record(current, current.entries.get(entry.id)!));
    if (parsed.badLines > 0) this.warn(`conversation ${id}: skipped ${parsed.badLines} unreadable line(s)`);
    return { current, repairs: { badLines: parsed.badLines, tornTail: parsed.tornTail, interrupted: cutOff.length } };
  }

  /** A new conversation, with its file if it can have one yet. */
  private create(profile: ProfileRef): Current {
    const startedAt = this.now();
    let id = newId(startedAt);
    while (this.rows.has(id)) id = newId(startedAt);
    const current = blank(id, { ...profile }, startedAt, undefined);
    this.attach(current);
    this.rows.set(id, this.currentRow(current));
    return current;
  }

  /**
   * Opens a conversation's file for writing (making it if it has none yet) and writes what changed
   * in the meantime. If that fails, the conversation stays in memory and is tried again.
   */
  private attach(current: Current): void {
    let log: ConversationLog;
    try {
      log =
        current.onDisk === undefined
          ? this.createFile(current)
          : ConversationLog.reopen(this.fileOf(current.id), current.onDisk, this.timers, this.logEvents());
    } catch (error) {
      this.saveFailed(error);
      return;
    }
    current.log = log;
    this.saved();
    for (const id of current.unsaved) log.record(current.entries.get(id)!);
    current.unsaved.clear();
  }

  private createFile(current: Current): ConversationLog {
    // Made again here: it may be missing because it could not be made when the store opened.
    makeFolder(this.dir);
    const header = {
      type: 'conversation',
      version: 1,
      id: current.id,
      startedAt: current.startedAt,
      profile: current.profile,
    } as const;
    return ConversationLog.create(this.fileOf(current.id), header, this.timers, this.logEvents());
  }

  /** While a current conversation has something to save and nowhere to save it, it is tried again each second. */
  private retryLater(): void {
    this.retry ??= this.timers.set(() => {
      this.retry = undefined;
      for (const { current, left } of this.lanes.values()) {
        if (left || current.log || current.unsaved.size === 0) continue;
        this.attach(current);
        if (!current.log) this.retryLater();
      }
    }, flushIntervalMs);
  }

  /** Lets go of a conversation's file; false if some of it could not be written. */
  private closeFile(current: Current): boolean {
    const log = current.log;
    if (!log) return current.unsaved.size === 0;
    current.log = undefined;
    const written = log.close();
    // What its index row says.
    current.onDisk = log.bytes;
    return written;
  }

  private logEvents(): LogEvents {
    return {
      flushed: () => {
        this.saved();
        this.saveIndex();
      },
      failed: (error) => this.saveFailed(error),
    };
  }

  /** Said once, not at every retry. */
  private saveFailed(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.warn(`could not save the conversation: ${String(error)}`);
    this.notify(cannotSave(error, this.dir));
  }

  private saved(): void {
    if (!this.failing) return;
    this.failing = false;
    this.notify(savedAgain);
  }

  private currentRow(current: Current): IndexRow {
    return {
      id: current.id,
      profile: current.profile,
      startedAt: current.startedAt,
      updatedAt: current.updatedAt,
      title: titleOf(current.entries.values()),
      turnCount: current.userEntries,
      bytes: current.log?.bytes ?? current.onDisk ?? 0,
    };
  }

  private refreshCurrentRows(): void {
    for (const { current } of this.lanes.values()) this.rows.set(current.id, this.currentRow(current));
  }

  private rowFromFile(id: string, parsed: ParsedConversation, bytes: number): IndexRow {
    const startedAt = parsed.header?.startedAt ?? parsed.entries[0]?.at ?? statSync(this.fileOf(id)).mtimeMs;
    return {
      id,
      profile: parsed.header?.profile ?? assistantProfile,
      startedAt,
      updatedAt: lastActivityOf(parsed.entries, startedAt),
      title: titleOf(parsed.entries),
      turnCount: turnCountOf(parsed.entries),
      bytes,
    };
  }

  private summaryOf({ bytes: _bytes, profile, ...row }: IndexRow): ConversationSummary {
    return { ...row, profile: { ...profile }, current: this.livingIn(row.id) !== undefined };
  }

  /** A conversation that is not a current one: from memory if it was left before it could all be saved. */
  private pastEntries(id: string): TranscriptEntry[] | undefined {
    return this.leftUnsaved.get(id) ?? this.parse(id)?.entries;
  }

  private parse(id: string): ParsedConversation | undefined {
    try {
      return parseConversation(readFileSync(this.fileOf(id)));
    } catch (error) {
      this.warn(`could not read conversation ${id}: ${String(error)}`);
      return undefined;
    }
  }

  /** Throws if the file (or its pictures) is there and cannot be removed. */
  private removeFile(id: string): void {
    // Pictures first: should the file stay after a failure, its pictures are still a conversation's.
    this.pictures.remove(id);
    try {
      unlinkSync(this.fileOf(id));
    } catch (error) {
      // A conversation that never got a file (the disk was full) has none to remove.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    this.rows.delete(id);
    try {
      syncDirectory(this.dir);
    } catch (error) {
      this.warn(`could not make the removal of conversation ${id} durable: ${String(error)}`);
    }
  }

  /** For files nobody will miss (an empty conversation): one that cannot be removed now is removed at a later start. */
  private removeQuietly(id: string): void {
    try {
      this.removeFile(id);
    } catch (error) {
      this.rows.delete(id);
      this.warn(`could not remove empty conversation ${id}: ${String(error)}`);
    }
  }

  private saveIndex(): void {
    this.refreshCurrentRows();
    try {
      writeIndex(this.indexPath, this.rows.values());
    } catch (error) {
      // Only a cache: the next start reads the files instead.
      this.warn(`could not write the conversation index: ${String(error)}`);
    }
  }

  private get indexPath(): string {
    return join(this.dir, 'index.json');
  }

  private fileOf(id: string): string {
    return join(this.dir, `${id}.jsonl`);
  }
}

/** A current conversation's entries, copies in order. */
function entriesOf(current: Current): TranscriptEntry[] {
  return [...current.entries.values()].map((entry) => ({ ...entry }));
}

function recentTurnsOf(current: Current, count: number): TurnText[] {
  const entries = [...current.entries.values()];
  let from = entries.length;
  for (let turns = 0; turns < count && from > 0;) if (entries[--from]!.role === 'user') turns++;
  return entries
    .slice(from)
    .filter((entry) => entry.state !== 'failed' && entry.text.trim())
    .map((entry) => ({ role: entry.role, text: entry.text }));
}

/** mkdir -p, saying why the folder itself cannot be made (a recursive mkdir says ENOENT under a read-only parent). */
function makeFolder(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT') throw error;
    mkdirSync(dir, { recursive: true });
  }
}

function blank(id: string, profile: ProfileRef, startedAt: number, onDisk: number | undefined): Current {
  return {
    id,
    profile,
    startedAt,
    log: undefined,
    onDisk,
    unsaved: new Set(),
    entries: new Map(),
    userEntries: 0,
    updatedAt: startedAt,
  };
}

/** UTC start time, so file names sort by age, and a random suffix, so two never collide. */
function newId(at: number): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
