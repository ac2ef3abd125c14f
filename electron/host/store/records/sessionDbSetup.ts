// Setting up a session database's connection: a new file gets its pragmas, tables, layout
// version and meta; an existing one is checked and tuned for reading, and where its numbering
// continues is read back. Plus the meta table itself. Apart from the store so the choices made
// once per file (durability, cache size, what makes a file a session) sit together. Host side.
import type Database from 'better-sqlite3';
import { RECORD_DB_SCHEMA, RECORD_DB_VERSION, SESSION_FORMAT } from './recordSchema';
import { checkSessionLayout } from './sessionCheck';

/**
 * Page cache of the session database, KiB (negative = KiB in SQLite's terms): enough for the
 * hot end of the tables and a filter scan's working set, small next to the renderer.
 */
const CACHE_KIB = 32 * 1024;
/**
 * Meta rows read, the length a value is cut to, and the most read in all (a foreign file may
 * hold anything): room for an event list and the commands of a busy session.
 */
const MAX_META_ROWS = 200;
const MAX_META_VALUE = 1024 * 1024;
const MAX_META_TOTAL = 4 * 1024 * 1024;

/** Makes a new, empty session database: tables, layout version and `meta`. */
export function initNewSession(
  db: Database.Database,
  meta: Readonly<Record<string, string>>,
): void {
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

/** Checks an existing file's layout (throwing what is wrong) and tunes its connection. */
export function prepareExistingSession(db: Database.Database, file: string): void {
  checkSessionLayout(db, file, RECORD_DB_VERSION);
  db.pragma(`cache_size = -${CACHE_KIB}`);
  db.pragma('temp_store = FILE');
}

/** Where an existing file's numbering continues: the next record and malformed seqs. */
export function existingCounters(db: Database.Database): {
  seqNext: number;
  malformedNext: number;
} {
  const maxSeq = (t: string) =>
    db.prepare(`SELECT MAX(seq) FROM ${t}`).pluck().get() as number | null;
  const seqNext = (maxSeq('records') ?? -1) + 1;
  const malformedNext = (maxSeq('malformed') ?? -1) + 1;
  // Views read positions as seqs: records must be numbered from 0. (Counting the rows to find
  // gaps would read the whole file; a gap only makes a page come back short.)
  const first = db.prepare('SELECT MIN(seq) FROM records').pluck().get() as number | null;
  if (first !== null && first !== 0)
    throw new Error(
      `its records are numbered from ${first}, not 0: not written by HyperDbg Studio, or edited`,
    );
  return { seqNext, malformedNext };
}

/** The meta table as key/value pairs (values cut to a sane length). */
export function readMeta(db: Database.Database): Record<string, string> {
  const out: Record<string, string> = {};
  // Cut in SQL: a foreign file's huge value is never read whole.
  const rows = db
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
export function writeMeta(db: Database.Database, entries: Readonly<Record<string, string>>): void {
  const put = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  db.transaction(() => {
    for (const [k, v] of Object.entries(entries)) put.run(k, v);
  })();
}
