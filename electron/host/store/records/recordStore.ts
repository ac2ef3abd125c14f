// The session database of the live log: every record, malformed line and session mark of one
// app run, written in batched transactions (WAL: a killed process loses at most the batch it
// was writing), plus the SQL side of views (a filter's matches as a temp table of positions).
// This class is the face its callers use; the parts live beside it (recordRows, recordWriter,
// recordViews, recordQueries, sessionDbSetup, sessionDbFile). Host side.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LogFilter } from '../../../../shared/log/logFilter';
import type { SortColumn, SortKey } from '../../../../shared/log/logSort';
import type { BufferSchema } from '../../../../shared/model/bufferSchema';
import { exactCounts, recordsBySeq, sortKeys } from './recordQueries';
import { LAYOUT_WITH_SEQUENCES, RECORD_DB_VERSION } from './recordSchema';
import {
  readSourceRows,
  RECORD_COLUMNS,
  toStored,
  type CountTableInput,
  type MalformedInput,
  type MarkInput,
  type RawRecord,
  type RecordInput,
  type SourceRow,
  type StoredMalformed,
  type StoredRecord,
} from './recordRows';
import {
  appendView,
  createViewTable,
  dropViewTable,
  prepareViewBuild,
  viewRecords,
  viewSeqs,
  type ViewAppend,
  type ViewBuild,
} from './recordViews';
import { RecordWriter } from './recordWriter';
import { sessionOpenError } from './sessionCheck';
import {
  newSessionFile,
  readableOnThisMedia,
  SESSIONS_DIR,
  sessionFileBytes,
} from './sessionDbFile';
import {
  existingCounters,
  initNewSession,
  prepareExistingSession,
  readMeta,
  writeMeta,
} from './sessionDbSetup';

// The store's importers name these here, as they did before the store was split.
export type {
  CountTableInput,
  MalformedInput,
  MarkInput,
  RecordInput,
  SourceRow,
  StoredMalformed,
  StoredRecord,
} from './recordRows';
export { likeContains, VIEW_TABLE, type ViewAppend, type ViewBuild } from './recordViews';
export { MAX_MALFORMED_TEXT } from './recordWriter';
export { inspectSessionDatabase, newSessionFile, SESSIONS_DIR } from './sessionDbFile';

export class RecordStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly readOnly: boolean;
  /** The file's layout version (RECORD_DB_VERSION for a new one). */
  readonly layout: number;
  /** A temporary copy opened in the file's place (read-only media), removed on close. */
  private snapshotDir: string | null = null;
  private viewCounter = 0;
  private readonly writer: RecordWriter;
  private readonly stmt;
  private closed = false;

  /**
   * Creates a new session database at `file` (with `meta`), or with `readOnly` opens an existing
   * one without writing a byte to it: its layout is checked first and a foreign or broken file
   * is refused with an error naming the file and what is wrong.
   */
  constructor(
    file: string,
    meta: Readonly<Record<string, string>> = {},
    options: { readonly readOnly?: boolean } = {},
  ) {
    this.file = file;
    this.readOnly = options.readOnly === true;
    let db: Database.Database;
    try {
      db = new Database(file, this.readOnly ? { readonly: true, fileMustExist: true } : {});
      if (this.readOnly) {
        const readable = readableOnThisMedia(db, file);
        db = readable.db;
        this.snapshotDir = readable.snapshotDir;
      }
    } catch (e) {
      throw sessionOpenError(file, e);
    }
    this.db = db;
    try {
      if (this.readOnly) prepareExistingSession(db, file);
      else initNewSession(db, meta);
    } catch (e) {
      db.close();
      throw this.readOnly ? sessionOpenError(file, e) : e;
    }
    this.layout = this.readOnly
      ? (db.pragma('user_version', { simple: true }) as number)
      : RECORD_DB_VERSION;
    this.writer = new RecordWriter(db, file, this.readOnly);
    this.stmt = {
      range: db.prepare(
        `SELECT ${RECORD_COLUMNS} FROM records WHERE seq >= ? AND seq < ? ORDER BY seq`,
      ),
      one: db.prepare(`SELECT ${RECORD_COLUMNS} FROM records WHERE seq = ?`),
      malformedPage: db.prepare(
        'SELECT seq, received_at, generation, text, reason FROM malformed WHERE seq >= ? ORDER BY seq LIMIT ?',
      ),
    };
    if (this.readOnly) {
      try {
        const { seqNext, malformedNext } = existingCounters(db);
        this.writer.resume(seqNext, malformedNext, readSourceRows(db));
      } catch (e) {
        db.close();
        throw sessionOpenError(file, e);
      }
    }
  }

  /** The connection, for the store's sibling modules (reports, tallies); nothing else uses it. */
  get connection(): Database.Database {
    return this.db;
  }

  /**
   * Whether its records keep the target's sequence numbers and its count tables are kept
   * (layout 2 on): an older file cannot tell what the target lost.
   */
  get keepsSequences(): boolean {
    return this.layout >= LAYOUT_WITH_SEQUENCES;
  }

  /** The file was opened read-only: every write is refused. */
  get isReadOnly(): boolean {
    return this.readOnly;
  }

  /** The meta table as key/value pairs (values cut to a sane length). */
  meta(): Record<string, string> {
    return readMeta(this.db);
  }

  /** Sets meta keys (replacing earlier values), in one transaction. */
  setMeta(entries: Readonly<Record<string, string>>): void {
    if (this.readOnly) throw new Error(`${this.file} is open read-only`);
    writeMeta(this.db, entries);
  }

  /** Records stored (the seq the next one gets). */
  get total(): number {
    return this.writer.total;
  }

  get malformedTotal(): number {
    return this.writer.malformedTotal;
  }

  /** The id of an action at one schema version; created on first use. */
  sourceId(actionId: string, actionName: string, schema: BufferSchema): number {
    return this.writer.sourceId(actionId, actionName, schema);
  }

  source(id: number): SourceRow | undefined {
    return this.writer.source(id);
  }

  sources(): SourceRow[] {
    return this.writer.sources();
  }

  /**
   * Writes records (seq must continue from `total`), malformed lines and the view rows they
   * add, in one transaction: all of it or, when it throws, none of it.
   */
  write(
    records: readonly RecordInput[],
    malformed: readonly MalformedInput[],
    views: readonly ViewAppend[] = [],
  ): void {
    this.writer.write(records, malformed, views);
  }

  addMark(m: MarkInput): void {
    this.writer.addMark(m);
  }

  /** Keeps a count table printed in the target (a few a second at most: one insert each). */
  addCountTable(t: CountTableInput): void {
    this.writer.addCountTable(t);
  }

  /** Records with lo <= seq < hi. */
  range(lo: number, hi: number): StoredRecord[] {
    return (this.stmt.range.all(lo, hi) as RawRecord[]).map(toStored);
  }

  record(seq: number): StoredRecord | undefined {
    const r = this.stmt.one.get(seq) as RawRecord | undefined;
    return r === undefined ? undefined : toStored(r);
  }

  malformedPage(offset: number, limit: number): StoredMalformed[] {
    return (
      this.stmt.malformedPage.all(offset, limit) as {
        seq: number;
        received_at: number;
        generation: number;
        text: string;
        reason: string;
      }[]
    ).map((m) => ({
      seq: m.seq,
      receivedAt: m.received_at,
      generation: m.generation,
      text: m.text,
      reason: m.reason,
    }));
  }

  // ---- Views (recordViews.ts) ------------------------------------------------------------

  /** A new, empty view table: positions are its rowids minus one. */
  createViewTable(): string {
    return createViewTable(this.db, ++this.viewCounter);
  }

  dropViewTable(table: string): void {
    dropViewTable(this.db, table);
  }

  /** Appends seqs to a view outside a record write (a finished build's queued matches). */
  appendViewSeqs(table: string, seqs: readonly number[]): void {
    this.db.transaction(() => appendView(this.db, table, seqs))();
  }

  /** Seqs at positions offset..offset+limit-1 of a view. */
  viewSeqs(table: string, offset: number, limit: number): number[] {
    return viewSeqs(this.db, table, offset, limit);
  }

  /** Records at positions offset..offset+limit-1 of a view, in position order. */
  viewRecords(table: string, offset: number, limit: number): StoredRecord[] {
    return viewRecords(this.db, table, offset, limit);
  }

  /**
   * Prepares the SQL form of `filter` for a build over records stored now (records written
   * later are matched in memory by the caller).
   */
  prepareViewBuild(table: string, filter: LogFilter): ViewBuild {
    return prepareViewBuild(this.db, table, filter, this.sources());
  }

  // ---- Sorting and counts (recordQueries.ts) ---------------------------------------------

  /**
   * Seqs and sort keys of the records at positions [lo, hi) of a view (`table` null: every
   * record, positions are seqs), in position order.
   */
  sortKeys(
    table: string | null,
    column: SortColumn,
    lo: number,
    hi: number,
  ): { seqs: number[]; keys: SortKey[] } {
    return sortKeys(this.db, table, column, lo, hi);
  }

  /** The records with these seqs, in the order asked (a sorted view's page). */
  recordsBySeq(seqs: readonly number[]): StoredRecord[] {
    return recordsBySeq(this.db, seqs);
  }

  /** Exact counts of a field's values from the database (a full pass; on request only). */
  exactCounts(
    field: string,
    top: number,
  ): { top: { value: string; count: number }[]; total: number; distinct: number } {
    return exactCounts(this.db, field, top);
  }

  /** SQLite's quick integrity check: empty when the file is sound, else what is wrong. */
  quickCheck(): string[] {
    return (this.db.pragma('quick_check') as { quick_check: unknown }[])
      .map((r) => String(r.quick_check))
      .filter((r) => r !== 'ok');
  }

  /** Bytes on disk: the database and its write-ahead log. */
  fileBytes(): number {
    return sessionFileBytes(this.file);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
    if (this.snapshotDir !== null) rmSync(this.snapshotDir, { recursive: true, force: true });
  }
}

/** SQLite's name for a database that lives in memory only. */
const IN_MEMORY = ':memory:';
/** SQLite's and the file system's ways of saying a file cannot be made or written. */
const STORAGE_FAILURE =
  /^(SQLITE_(CANTOPEN|READONLY|FULL|IOERR)|EROFS|EACCES|EPERM|ENOSPC|EDQUOT|ENOTDIR|EEXIST)/;

/**
 * The session database of this run, in `<dataDir>/sessions/`. When it cannot be made there (a
 * full disk, read-only media) the run's records are kept in memory rather than not at all; the
 * host has already told the user about the folder (dataFolders.ts).
 */
export function openRecordStore(
  dataDir: string,
  meta: Readonly<Record<string, string>> = {},
): RecordStore {
  let file: string | undefined;
  try {
    file = newSessionFile(dataDir);
    return new RecordStore(file, meta);
  } catch (e) {
    const code = String((e as { code?: unknown }).code ?? '');
    if (!STORAGE_FAILURE.test(code)) throw e;
    if (file !== undefined) rmSync(file, { force: true });
    console.error(
      `HyperDbg Studio: the session database cannot be created in ${join(dataDir, SESSIONS_DIR)} (${code}); this run's records are kept in memory only`,
    );
    return new RecordStore(IN_MEMORY, meta);
  }
}
