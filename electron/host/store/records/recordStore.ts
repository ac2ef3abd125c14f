// The session database of the live log: every record, malformed line and session mark of one
// app run, written in batched transactions (WAL: a killed process loses at most the batch it
// was writing), plus the SQL side of views (a filter's matches as a temp table of positions).
// The only log module that imports better-sqlite3. Host side.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  equalsCandidates,
  hexNeedle,
  normalizeFilter,
  type LogFilter,
} from '../../../../shared/log/logFilter';
import {
  displaySortKey,
  sortField,
  type SortColumn,
  type SortKey,
} from '../../../../shared/log/logSort';
import type { RecordRowBase } from '../../../../shared/log/recordRow';
import {
  MAX_RECORD_BYTES,
  validateBufferSchema,
  type BufferSchema,
} from '../../../../shared/model/bufferSchema';
import { RECORD_DB_SCHEMA, RECORD_DB_VERSION, SESSION_FORMAT } from './recordSchema';
import { checkSessionLayout, sessionOpenError } from './sessionCheck';

/** Session databases live here, one per app run, beside the library. */
export const SESSIONS_DIR = 'sessions';
/**
 * Page cache of the session database, KiB (negative = KiB in SQLite's terms): enough for the
 * hot end of the tables and a filter scan's working set, small next to the renderer.
 */
const CACHE_KIB = 32 * 1024;
/** Longest malformed line kept whole; the rest is cut and says how much was cut. */
export const MAX_MALFORMED_TEXT = 8192;
/**
 * Dictionary lookups cached in memory (field + value -> id). Cleared when full: a field of
 * unique values (pointers, counters) would otherwise grow it with the session.
 */
const VALUE_CACHE_MAX = 100_000;
/**
 * Meta rows read, the length a value is cut to, and the most read in all (a foreign file may
 * hold anything): room for an event list and the commands of a busy session.
 */
const MAX_META_ROWS = 200;
const MAX_META_VALUE = 1024 * 1024;
const MAX_META_TOTAL = 4 * 1024 * 1024;
const MAX_SOURCE_TEXT = 200;
/** Fields a stored schema may list; a real schema has a handful. */
const MAX_STORED_SCHEMA_FIELDS = 256;

export interface StoredRecord extends RecordRowBase {
  readonly source: number | null;
  readonly bytes: Uint8Array;
}

export interface RecordInput extends StoredRecord {
  /** Free-text search target: the decoded values, space-separated. */
  readonly text: string;
  /** Decoded fields present in the record, `[name, display]`. */
  readonly fields: readonly (readonly [string, string])[];
}

export interface MalformedInput {
  readonly receivedAt: number;
  readonly generation: number;
  readonly text: string;
  readonly reason: string;
}

export interface StoredMalformed extends MalformedInput {
  readonly seq: number;
}

export interface MarkInput {
  readonly kind: 'started' | 'ended';
  readonly generation: number;
  readonly at: number;
  readonly targetLabel: string;
  readonly reason: string | null;
}

export interface SourceRow {
  readonly id: number;
  readonly actionId: string;
  readonly actionName: string;
  readonly schema: BufferSchema;
}

/** Rows appended to views in the same transaction as the records they match. */
export interface ViewAppend {
  readonly table: string;
  readonly seqs: readonly number[];
}

/** Applies a filter to stored records in seq ranges, so a big scan never blocks for long. */
export interface ViewBuild {
  /** Appends matches with lo <= seq < hi, in seq order; returns how many. */
  chunk(lo: number, hi: number): number;
  dispose(): void;
}

/** A row as SQLite returns it; a foreign file may put anything in any column. */
interface RawRecord {
  seq: number;
  received_at: unknown;
  generation: unknown;
  event_id: unknown;
  core: unknown;
  context: unknown;
  source: unknown;
  length: unknown;
  bytes: unknown;
}

/** Bound parameters per statement, under SQLite's oldest default limit (999). */
const SQL_PARAMS_MAX = 900;
/**
 * A session file may come from elsewhere: what is read back is cut to what a real record can
 * hold (payload at most MAX_RECORD_BYTES, context 16 hex digits), so a hostile file cannot make
 * one row cost megabytes.
 */
const CONTEXT_DIGITS = 16;
/** The record columns as read back, from table alias `t` (empty: no alias). */
function recordColumns(t = ''): string {
  const c = (name: string) => (t === '' ? name : `${t}.${name}`);
  return [
    c('seq'),
    c('received_at'),
    c('generation'),
    c('event_id'),
    c('core'),
    `substr(${c('context')}, 1, ${CONTEXT_DIGITS}) AS context`,
    c('source'),
    c('length'),
    `substr(${c('bytes')}, 1, ${MAX_RECORD_BYTES}) AS bytes`,
  ].join(', ');
}
const RECORD_COLUMNS = recordColumns();
export const VIEW_TABLE = /^view_[0-9]+$/;

/** Bytes as stored; a foreign file may hold text or a number where a blob belongs. */
function asBytes(b: unknown): Uint8Array {
  if (b instanceof Uint8Array) return b;
  return new TextEncoder().encode(String(b ?? '')).subarray(0, MAX_RECORD_BYTES);
}

const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : Number(x) || 0);

function toStored(r: RawRecord): StoredRecord {
  const bytes = asBytes(r.bytes);
  return {
    seq: r.seq,
    receivedAt: num(r.received_at),
    generation: num(r.generation),
    eventId: num(r.event_id),
    core: num(r.core),
    context: typeof r.context === 'string' ? r.context : String(r.context ?? ''),
    source: r.source === null || r.source === undefined ? null : num(r.source),
    length: bytes.length,
    bytes,
  };
}

/** A stored schema (`[[name, offset, type], ...]`); one that does not validate decodes nothing. */
function parseStoredSchema(json: unknown): BufferSchema {
  try {
    const raw = JSON.parse(String(json)) as unknown;
    if (!Array.isArray(raw) || raw.length > MAX_STORED_SCHEMA_FIELDS) return [];
    const schema = raw.map((f) => {
      const [name, offset, type] = Array.isArray(f) ? (f as unknown[]) : [];
      return { name: String(name), offset: Number(offset), type: String(type) };
    }) as BufferSchema;
    return validateBufferSchema(schema, MAX_RECORD_BYTES).length === 0 ? schema : [];
  } catch {
    return [];
  }
}

/** A LIKE pattern matching `text` anywhere, with `\` as the escape character. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function timestamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** A fresh file name for this app run's session database. */
export function newSessionFile(dataDir: string, now = new Date()): string {
  const dir = join(dataDir, SESSIONS_DIR);
  mkdirSync(dir, { recursive: true });
  const base = `session-${timestamp(now)}-${process.pid}`;
  let file = join(dir, `${base}.sqlite3`);
  for (let n = 2; existsSync(file); n++) file = join(dir, `${base}-${n}.sqlite3`);
  return file;
}

export class RecordStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly readOnly: boolean;
  /** A temporary copy opened in the file's place (read-only media), removed on close. */
  private snapshotDir: string | null = null;
  private seqNext = 0;
  private malformedNext = 0;
  private viewCounter = 0;
  private readonly sourceIds = new Map<string, number>();
  private readonly sourceRows = new Map<number, SourceRow>();
  private readonly fieldIds = new Map<string, number>();
  private readonly valueIds = new Map<string, number>();
  private readonly stmt;
  private readonly writeTx: (
    records: readonly RecordInput[],
    malformed: readonly MalformedInput[],
    views: readonly ViewAppend[],
  ) => void;
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
      if (this.readOnly) db = this.readableOnThisMedia(db, file);
    } catch (e) {
      throw sessionOpenError(file, e);
    }
    this.db = db;
    try {
      if (this.readOnly) {
        checkSessionLayout(db, file, RECORD_DB_VERSION);
        db.pragma(`cache_size = -${CACHE_KIB}`);
        db.pragma('temp_store = FILE');
      } else {
        db.pragma('journal_mode = WAL');
        // NORMAL in WAL mode: a committed batch survives the process being killed; only a power
        // cut can lose the last batches. Records arrive far too fast for an fsync per batch.
        db.pragma('synchronous = NORMAL');
        db.pragma(`cache_size = -${CACHE_KIB}`);
        db.pragma('temp_store = FILE');
        db.exec(RECORD_DB_SCHEMA);
        db.pragma(`user_version = ${RECORD_DB_VERSION}`);
        const putMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
        for (const [k, v] of Object.entries({
          format: SESSION_FORMAT,
          createdAt: new Date().toISOString(),
          ...meta,
        }))
          putMeta.run(k, v);
      }
    } catch (e) {
      db.close();
      throw this.readOnly ? sessionOpenError(file, e) : e;
    }
    this.stmt = {
      insertRecord: db.prepare(
        'INSERT INTO records (seq, received_at, generation, event_id, core, context, source, length, text, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertRecordField: db.prepare(
        'INSERT OR IGNORE INTO record_fields (seq, value_id) VALUES (?, ?)',
      ),
      findValue: db.prepare('SELECT id FROM field_values WHERE field_id = ? AND value = ?').pluck(),
      insertValue: db.prepare('INSERT INTO field_values (field_id, value) VALUES (?, ?)'),
      insertField: db.prepare('INSERT INTO fields (name) VALUES (?)'),
      insertMalformed: db.prepare(
        'INSERT INTO malformed (seq, received_at, generation, text, reason) VALUES (?, ?, ?, ?, ?)',
      ),
      insertSource: db.prepare(
        'INSERT INTO sources (action_id, action_name, schema_json) VALUES (?, ?, ?)',
      ),
      insertMark: db.prepare(
        'INSERT INTO marks (kind, generation, at, target_label, reason) VALUES (?, ?, ?, ?, ?)',
      ),
      range: db.prepare(
        `SELECT ${RECORD_COLUMNS} FROM records WHERE seq >= ? AND seq < ? ORDER BY seq`,
      ),
      one: db.prepare(`SELECT ${RECORD_COLUMNS} FROM records WHERE seq = ?`),
      malformedPage: db.prepare(
        'SELECT seq, received_at, generation, text, reason FROM malformed WHERE seq >= ? ORDER BY seq LIMIT ?',
      ),
    };
    this.writeTx = db.transaction((records, malformed, views) => {
      if (this.readOnly) throw new Error(`${this.file} is open read-only`);
      for (const r of records) this.insertRecord(r);
      for (const m of malformed) this.insertMalformed(m);
      for (const v of views) this.appendView(v.table, v.seqs);
    });
    if (this.readOnly) {
      try {
        this.loadExisting();
      } catch (e) {
        db.close();
        throw sessionOpenError(file, e);
      }
    }
  }

  /** Counters and sources of an existing file (read-only opening). */
  private loadExisting(): void {
    const db = this.db;
    const maxSeq = (t: string) =>
      db.prepare(`SELECT MAX(seq) FROM ${t}`).pluck().get() as number | null;
    this.seqNext = (maxSeq('records') ?? -1) + 1;
    this.malformedNext = (maxSeq('malformed') ?? -1) + 1;
    // Views read positions as seqs: records must be numbered from 0. (Counting the rows to find
    // gaps would read the whole file; a gap only makes a page come back short.)
    const first = db.prepare('SELECT MIN(seq) FROM records').pluck().get() as number | null;
    if (first !== null && first !== 0)
      throw new Error(
        `its records are numbered from ${first}, not 0: not written by HyperDbg Studio, or edited`,
      );
    const sources = db
      .prepare('SELECT id, action_id, action_name, schema_json FROM sources ORDER BY id')
      .all() as { id: number; action_id: unknown; action_name: unknown; schema_json: unknown }[];
    for (const r of sources) {
      const row: SourceRow = {
        id: Number(r.id),
        actionId: String(r.action_id).slice(0, MAX_SOURCE_TEXT),
        actionName: String(r.action_name).slice(0, MAX_SOURCE_TEXT),
        schema: parseStoredSchema(r.schema_json),
      };
      this.sourceRows.set(row.id, row);
    }
  }

  /** The connection, for the store's sibling modules (reports, tallies); nothing else uses it. */
  get connection(): Database.Database {
    return this.db;
  }

  /** The file was opened read-only: every write is refused. */
  get isReadOnly(): boolean {
    return this.readOnly;
  }

  /** The meta table as key/value pairs (values cut to a sane length). */
  meta(): Record<string, string> {
    const out: Record<string, string> = {};
    // Cut in SQL: a foreign file's huge value is never read whole.
    const rows = this.db
      .prepare('SELECT substr(key, 1, 100), substr(value, 1, ?) FROM meta LIMIT ?')
      .raw()
      .iterate(MAX_META_VALUE, MAX_META_ROWS) as Iterable<[unknown, unknown]>;
    let total = 0;
    for (const [k, v] of rows) {
      const value = String(v);
      total += value.length;
      if (total > MAX_META_TOTAL) break;
      out[String(k)] = value;
    }
    return out;
  }

  /** Sets meta keys (replacing earlier values), in one transaction. */
  setMeta(entries: Readonly<Record<string, string>>): void {
    if (this.readOnly) throw new Error(`${this.file} is open read-only`);
    const put = this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(entries)) put.run(k, v);
    })();
  }

  /** Records stored (the seq the next one gets). */
  get total(): number {
    return this.seqNext;
  }

  get malformedTotal(): number {
    return this.malformedNext;
  }

  /** The id of an action at one schema version; created on first use. */
  sourceId(actionId: string, actionName: string, schema: BufferSchema): number {
    const schemaJson = JSON.stringify(schema.map((f) => [f.name, f.offset, f.type]));
    const key = `${actionId}\u0000${actionName}\u0000${schemaJson}`;
    const known = this.sourceIds.get(key);
    if (known !== undefined) return known;
    const id = Number(this.stmt.insertSource.run(actionId, actionName, schemaJson).lastInsertRowid);
    this.sourceIds.set(key, id);
    this.sourceRows.set(id, { id, actionId, actionName, schema });
    return id;
  }

  source(id: number): SourceRow | undefined {
    return this.sourceRows.get(id);
  }

  sources(): SourceRow[] {
    return [...this.sourceRows.values()];
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
    if (records.length > 0 && records[0]?.seq !== this.seqNext)
      throw new Error(`record seq ${records[0]?.seq} does not continue ${this.seqNext}`);
    const seqBefore = this.seqNext;
    const malformedBefore = this.malformedNext;
    try {
      this.writeTx(records, malformed, views);
    } catch (e) {
      this.seqNext = seqBefore;
      this.malformedNext = malformedBefore;
      // Ids cached during the failed transaction may not exist: forget them.
      this.valueIds.clear();
      this.fieldIds.clear();
      throw e;
    }
  }

  private insertRecord(r: RecordInput): void {
    if (r.seq !== this.seqNext) throw new Error(`record seq ${r.seq} out of order`);
    this.stmt.insertRecord.run(
      r.seq,
      r.receivedAt,
      r.generation,
      r.eventId,
      r.core,
      r.context,
      r.source,
      r.length,
      r.text,
      r.bytes,
    );
    for (const [name, value] of r.fields)
      this.stmt.insertRecordField.run(r.seq, this.valueId(name, value));
    this.seqNext++;
  }

  private insertMalformed(m: MalformedInput): void {
    const text =
      m.text.length > MAX_MALFORMED_TEXT
        ? `${m.text.slice(0, MAX_MALFORMED_TEXT)}... (${m.text.length - MAX_MALFORMED_TEXT} more characters)`
        : m.text;
    this.stmt.insertMalformed.run(this.malformedNext, m.receivedAt, m.generation, text, m.reason);
    this.malformedNext++;
  }

  private fieldId(name: string): number {
    let id = this.fieldIds.get(name);
    if (id === undefined) {
      const row = this.db.prepare('SELECT id FROM fields WHERE name = ?').pluck().get(name) as
        number | undefined;
      id = row ?? Number(this.stmt.insertField.run(name).lastInsertRowid);
      this.fieldIds.set(name, id);
    }
    return id;
  }

  private valueId(field: string, value: string): number {
    const key = `${field}\u0000${value}`;
    let id = this.valueIds.get(key);
    if (id !== undefined) return id;
    const fid = this.fieldId(field);
    id =
      (this.stmt.findValue.get(fid, value) as number | undefined) ??
      Number(this.stmt.insertValue.run(fid, value).lastInsertRowid);
    if (this.valueIds.size >= VALUE_CACHE_MAX) this.valueIds.clear();
    this.valueIds.set(key, id);
    return id;
  }

  addMark(m: MarkInput): void {
    this.stmt.insertMark.run(m.kind, m.generation, m.at, m.targetLabel, m.reason);
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

  // ---- Views -----------------------------------------------------------------------------

  /** A new, empty view table: positions are its rowids minus one. */
  createViewTable(): string {
    const table = `view_${++this.viewCounter}`;
    this.db.exec(`CREATE TEMP TABLE ${table} (pos INTEGER PRIMARY KEY, seq INTEGER NOT NULL)`);
    return table;
  }

  dropViewTable(table: string): void {
    if (!VIEW_TABLE.test(table)) throw new Error(`not a view table: ${table}`);
    this.db.exec(`DROP TABLE IF EXISTS temp.${table}`);
  }

  private appendView(table: string, seqs: readonly number[]): void {
    if (seqs.length === 0) return;
    if (!VIEW_TABLE.test(table)) throw new Error(`not a view table: ${table}`);
    const insert = this.db.prepare(`INSERT INTO temp.${table} (seq) VALUES (?)`);
    for (const s of seqs) insert.run(s);
  }

  /** Appends seqs to a view outside a record write (a finished build's queued matches). */
  appendViewSeqs(table: string, seqs: readonly number[]): void {
    this.db.transaction(() => this.appendView(table, seqs))();
  }

  /** Seqs at positions offset..offset+limit-1 of a view. */
  viewSeqs(table: string, offset: number, limit: number): number[] {
    if (!VIEW_TABLE.test(table)) throw new Error(`not a view table: ${table}`);
    return this.db
      .prepare(`SELECT seq FROM temp.${table} WHERE pos > ? AND pos <= ? ORDER BY pos`)
      .pluck()
      .all(offset, offset + limit) as number[];
  }

  /** Records at positions offset..offset+limit-1 of a view, in position order. */
  viewRecords(table: string, offset: number, limit: number): StoredRecord[] {
    if (!VIEW_TABLE.test(table)) throw new Error(`not a view table: ${table}`);
    const cols = recordColumns('r');
    return (
      this.db
        .prepare(
          `SELECT ${cols} FROM temp.${table} v JOIN records r ON r.seq = v.seq WHERE v.pos > ? AND v.pos <= ? ORDER BY v.pos`,
        )
        .all(offset, offset + limit) as RawRecord[]
    ).map(toStored);
  }

  /**
   * Prepares the SQL form of `filter` for a build over records stored now. Field conditions
   * are resolved to dictionary ids here (every stored record's values are in the dictionary);
   * records written later are matched in memory by the caller.
   */
  prepareViewBuild(table: string, filter: LogFilter): ViewBuild {
    if (!VIEW_TABLE.test(table)) throw new Error(`not a view table: ${table}`);
    const f = normalizeFilter(filter);
    const where: string[] = ['r.seq >= @lo', 'r.seq < @hi'];
    const params: Record<string, unknown> = {};
    const idTables: string[] = [];
    let impossible = false;
    let p = 0;
    const param = (v: unknown) => {
      const name = `p${p++}`;
      params[name] = v;
      return `@${name}`;
    };
    if (f.events !== undefined)
      where.push(
        `(${f.events.map((e) => `(r.generation = ${param(e.generation)} AND r.event_id = ${param(e.eventId)})`).join(' OR ')})`,
      );
    if (f.cores !== undefined) where.push(`r.core IN (${f.cores.map(param).join(', ')})`);
    if (f.actions !== undefined) {
      const wanted = new Set(f.actions.filter((a): a is string => a !== null));
      const ids = this.sources()
        .filter((s) => wanted.has(s.actionId))
        .map((s) => s.id);
      const parts: string[] = [];
      if (ids.length > 0) parts.push(`r.source IN (${ids.map(param).join(', ')})`);
      if (f.actions.includes(null)) parts.push('r.source IS NULL');
      if (parts.length === 0) impossible = true;
      else where.push(`(${parts.join(' OR ')})`);
    }
    (f.fields ?? []).forEach((c, k) => {
      const ids = `${table}_f${k}`;
      this.db.exec(`CREATE TEMP TABLE ${ids} (id INTEGER PRIMARY KEY)`);
      idTables.push(ids);
      if (c.op === 'equals') {
        const candidates = equalsCandidates(c.value);
        this.db
          .prepare(
            `INSERT OR IGNORE INTO temp.${ids} SELECT v.id FROM field_values v JOIN fields f ON f.id = v.field_id WHERE f.name = ? AND v.value IN (${candidates.map(() => '?').join(', ')})`,
          )
          .run(c.field, ...candidates);
      } else {
        this.db
          .prepare(
            `INSERT OR IGNORE INTO temp.${ids} SELECT v.id FROM field_values v JOIN fields f ON f.id = v.field_id WHERE f.name = ? AND v.value LIKE ? ESCAPE '\\'`,
          )
          .run(c.field, likeContains(c.value));
      }
      where.push(
        `r.seq IN (SELECT seq FROM record_fields WHERE seq >= @lo AND seq < @hi AND value_id IN temp.${ids})`,
      );
    });
    if (f.text !== undefined) {
      const hex = hexNeedle(f.text);
      where.push(
        hex === null
          ? `r.text LIKE ${param(likeContains(f.text))} ESCAPE '\\'`
          : `(r.text LIKE ${param(likeContains(f.text))} ESCAPE '\\' OR hex(r.bytes) LIKE ${param(likeContains(hex))})`,
      );
    }
    const insert = impossible
      ? undefined
      : this.db.prepare(
          `INSERT INTO temp.${table} (seq) SELECT r.seq FROM records r WHERE ${where.join(' AND ')} ORDER BY r.seq`,
        );
    return {
      chunk: (lo, hi) => (insert === undefined ? 0 : insert.run({ ...params, lo, hi }).changes),
      dispose: () => {
        for (const t of idTables) this.db.exec(`DROP TABLE IF EXISTS temp.${t}`);
      },
    };
  }

  // ---- Sorting ---------------------------------------------------------------------------

  /**
   * Seqs and sort keys of the records at positions [lo, hi) of a view (`table` null: every
   * record, positions are seqs), in position order. Keys: numbers for numeric columns, the
   * zero-padded Context and decoded values as order-preserving strings, null when missing.
   */
  sortKeys(
    table: string | null,
    column: SortColumn,
    lo: number,
    hi: number,
  ): { seqs: number[]; keys: SortKey[] } {
    if (table !== null && !VIEW_TABLE.test(table)) throw new Error(`not a view table: ${table}`);
    const field = sortField(column);
    const params: unknown[] = [];
    let key: string;
    if (field !== null) {
      const fid = this.db.prepare('SELECT id FROM fields WHERE name = ?').pluck().get(field) as
        number | undefined;
      key =
        '(SELECT fv.value FROM record_fields rf JOIN field_values fv ON fv.id = rf.value_id WHERE rf.seq = r.seq AND fv.field_id = ?)';
      params.push(fid ?? -1);
    } else
      key = {
        time: 'r.seq',
        event: 'r.generation * 4294967296 + r.event_id',
        core: 'r.core',
        // Hex without leading zeros: padded to 64 bits, text order is numeric order.
        context: "substr('0000000000000000' || r.context, -16, 16)",
        action: '(SELECT action_name FROM sources WHERE id = r.source)',
        length: 'r.length',
      }[column as Exclude<SortColumn, `field:${string}`>];
    const from =
      table === null
        ? 'records r WHERE r.seq >= ? AND r.seq < ? ORDER BY r.seq'
        : `temp.${table} v JOIN records r ON r.seq = v.seq WHERE v.pos > ? AND v.pos <= ? ORDER BY v.pos`;
    const rows = this.db
      .prepare(`SELECT r.seq AS seq, ${key} AS k FROM ${from}`)
      .raw()
      .all(...params, lo, hi) as [number, number | string | null][];
    const seqs = new Array<number>(rows.length);
    const keys = new Array<SortKey>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const [seq, k] = rows[i] as [number, number | string | null];
      seqs[i] = seq;
      keys[i] = field !== null && typeof k === 'string' ? displaySortKey(k) : k;
    }
    return { seqs, keys };
  }

  /** The records with these seqs, in the order asked (a sorted view's page). */
  recordsBySeq(seqs: readonly number[]): StoredRecord[] {
    const bySeq = new Map<number, StoredRecord>();
    // SQLite's default limit on bound parameters is 999 (older builds), 32766 (newer).
    for (let i = 0; i < seqs.length; i += SQL_PARAMS_MAX) {
      const part = seqs.slice(i, i + SQL_PARAMS_MAX);
      const rows = this.db
        .prepare(
          `SELECT ${RECORD_COLUMNS} FROM records WHERE seq IN (${part.map(() => '?').join(', ')})`,
        )
        .all(...part) as RawRecord[];
      for (const r of rows) bySeq.set(r.seq, toStored(r));
    }
    const out: StoredRecord[] = [];
    for (const s of seqs) {
      const r = bySeq.get(s);
      if (r !== undefined) out.push(r);
    }
    return out;
  }

  // ---- Counts ----------------------------------------------------------------------------

  /** Exact counts of a field's values from the database (a full pass; on request only). */
  exactCounts(
    field: string,
    top: number,
  ): { top: { value: string; count: number }[]; total: number; distinct: number } {
    const fid = this.db.prepare('SELECT id FROM fields WHERE name = ?').pluck().get(field) as
      number | undefined;
    if (fid === undefined) return { top: [], total: 0, distinct: 0 };
    const rows = this.db
      .prepare(
        `SELECT v.value AS value, c.n AS count FROM (
           SELECT value_id, COUNT(*) AS n FROM record_fields
           WHERE value_id IN (SELECT id FROM field_values WHERE field_id = ?)
           GROUP BY value_id
         ) c JOIN field_values v ON v.id = c.value_id ORDER BY c.n DESC, v.id LIMIT ?`,
      )
      .all(fid, top) as { value: string; count: number }[];
    const totals = this.db
      .prepare(
        `SELECT COUNT(*) AS total, COUNT(DISTINCT value_id) AS distinct_values FROM record_fields
         WHERE value_id IN (SELECT id FROM field_values WHERE field_id = ?)`,
      )
      .get(fid) as { total: number; distinct_values: number };
    return { top: rows, total: totals.total, distinct: totals.distinct_values };
  }

  /** SQLite's quick integrity check: empty when the file is sound, else what is wrong. */
  quickCheck(): string[] {
    return (this.db.pragma('quick_check') as { quick_check: unknown }[])
      .map((r) => String(r.quick_check))
      .filter((r) => r !== 'ok');
  }

  /** Bytes on disk: the database and its write-ahead log. */
  fileBytes(): number {
    let n = 0;
    for (const f of [this.file, `${this.file}-wal`]) {
      try {
        n += statSync(f).size;
      } catch {
        // The WAL exists only while the database is open and written.
      }
    }
    return n;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
    if (this.snapshotDir !== null) rmSync(this.snapshotDir, { recursive: true, force: true });
  }

  /**
   * A WAL database is read through its `-shm` index, which SQLite must create beside the file:
   * on read-only media (a CD, a read-only share, a folder without write permission) even a
   * read-only open then fails with "unable to open database file". The session is then read
   * from a temporary copy (its `-wal` too, if one was left), which close() removes.
   */
  private readableOnThisMedia(db: Database.Database, file: string): Database.Database {
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      return db;
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'SQLITE_CANTOPEN') throw e;
      db.close();
    }
    const dir = mkdtempSync(join(tmpdir(), 'hds-session-copy-'));
    this.snapshotDir = dir;
    try {
      const copy = join(dir, 'session.sqlite3');
      copyFileSync(file, copy);
      if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
      return new Database(copy, { readonly: true, fileMustExist: true });
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      this.snapshotDir = null;
      throw e;
    }
  }
}

/** Opens this app run's session database under `<dataDir>/sessions/`. */
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

/** Reads a session database without writing to it: counts and integrity (tests, recovery). */
export function inspectSessionDatabase(file: string): {
  records: number;
  malformed: number;
  marks: number;
  integrity: string[];
  version: number;
} {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const count = (t: string) => db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
    return {
      records: count('records'),
      malformed: count('malformed'),
      marks: count('marks'),
      integrity: (db.pragma('integrity_check') as { integrity_check: string }[]).map(
        (r) => r.integrity_check,
      ),
      version: db.pragma('user_version', { simple: true }) as number,
    };
  } finally {
    db.close();
  }
}
