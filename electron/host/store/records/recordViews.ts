// The SQL side of log views: a filter's matches as a temp table of positions (created, filled
// in seq ranges or alongside a record write, paged, dropped). Apart from the store because the
// filter's translation to SQL is the one place user input shapes a statement, and every table
// name that reaches SQL text passes VIEW_TABLE first. Host side.
import type Database from 'better-sqlite3';
import {
  equalsCandidates,
  hexNeedle,
  normalizeFilter,
  type LogFilter,
} from '../../../../shared/log/logFilter';
import {
  recordColumns,
  toStored,
  type RawRecord,
  type SourceRow,
  type StoredRecord,
} from './recordRows';

/** Names of view tables: the only table names ever interpolated into SQL. */
export const VIEW_TABLE = /^view_[0-9]+$/;

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

/** A LIKE pattern matching `text` anywhere, with `\` as the escape character. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function checkViewTable(table: string): void {
  if (!VIEW_TABLE.test(table)) throw new Error(`not a view table: ${table}`);
}

/** Creates the empty view table numbered `n`: positions are its rowids minus one. */
export function createViewTable(db: Database.Database, n: number): string {
  const table = `view_${n}`;
  db.exec(`CREATE TEMP TABLE ${table} (pos INTEGER PRIMARY KEY, seq INTEGER NOT NULL)`);
  return table;
}

export function dropViewTable(db: Database.Database, table: string): void {
  checkViewTable(table);
  db.exec(`DROP TABLE IF EXISTS temp.${table}`);
}

/** Appends seqs to a view, inside the caller's transaction. */
export function appendView(db: Database.Database, table: string, seqs: readonly number[]): void {
  if (seqs.length === 0) return;
  checkViewTable(table);
  const insert = db.prepare(`INSERT INTO temp.${table} (seq) VALUES (?)`);
  for (const s of seqs) insert.run(s);
}

/** Seqs at positions offset..offset+limit-1 of a view. */
export function viewSeqs(
  db: Database.Database,
  table: string,
  offset: number,
  limit: number,
): number[] {
  checkViewTable(table);
  return db
    .prepare(`SELECT seq FROM temp.${table} WHERE pos > ? AND pos <= ? ORDER BY pos`)
    .pluck()
    .all(offset, offset + limit) as number[];
}

/** Records at positions offset..offset+limit-1 of a view, in position order. */
export function viewRecords(
  db: Database.Database,
  table: string,
  offset: number,
  limit: number,
): StoredRecord[] {
  checkViewTable(table);
  const cols = recordColumns('r');
  return (
    db
      .prepare(
        `SELECT ${cols} FROM temp.${table} v JOIN records r ON r.seq = v.seq WHERE v.pos > ? AND v.pos <= ? ORDER BY v.pos`,
      )
      .all(offset, offset + limit) as RawRecord[]
  ).map(toStored);
}

/**
 * Prepares the SQL form of `filter` for a build over records stored now. Field conditions
 * are resolved to dictionary ids here (every stored record's values are in the dictionary);
 * records written later are matched in memory by the caller. `sources` maps the filter's
 * action ids to source ids.
 */
export function prepareViewBuild(
  db: Database.Database,
  table: string,
  filter: LogFilter,
  sources: readonly SourceRow[],
): ViewBuild {
  checkViewTable(table);
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
    const ids = sources.filter((s) => wanted.has(s.actionId)).map((s) => s.id);
    const parts: string[] = [];
    if (ids.length > 0) parts.push(`r.source IN (${ids.map(param).join(', ')})`);
    if (f.actions.includes(null)) parts.push('r.source IS NULL');
    if (parts.length === 0) impossible = true;
    else where.push(`(${parts.join(' OR ')})`);
  }
  (f.fields ?? []).forEach((c, k) => {
    const ids = `${table}_f${k}`;
    db.exec(`CREATE TEMP TABLE ${ids} (id INTEGER PRIMARY KEY)`);
    idTables.push(ids);
    if (c.op === 'equals') {
      const candidates = equalsCandidates(c.value);
      db.prepare(
        `INSERT OR IGNORE INTO temp.${ids} SELECT v.id FROM field_values v JOIN fields f ON f.id = v.field_id WHERE f.name = ? AND v.value IN (${candidates.map(() => '?').join(', ')})`,
      ).run(c.field, ...candidates);
    } else {
      db.prepare(
        `INSERT OR IGNORE INTO temp.${ids} SELECT v.id FROM field_values v JOIN fields f ON f.id = v.field_id WHERE f.name = ? AND v.value LIKE ? ESCAPE '\\'`,
      ).run(c.field, likeContains(c.value));
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
    : db.prepare(
        `INSERT INTO temp.${table} (seq) SELECT r.seq FROM records r WHERE ${where.join(' AND ')} ORDER BY r.seq`,
      );
  return {
    chunk: (lo, hi) => (insert === undefined ? 0 : insert.run({ ...params, lo, hi }).changes),
    dispose: () => {
      for (const t of idTables) db.exec(`DROP TABLE IF EXISTS temp.${t}`);
    },
  };
}
