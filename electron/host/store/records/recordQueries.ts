// Read-only queries over a session database that serve a sorted view and the exact counts
// asked for on request: sort keys over position ranges, records fetched by seq in the order
// asked, a field's value counts. Apart from the store because none of it touches the write
// path's state; each is one statement over the connection. Host side.
import type Database from 'better-sqlite3';
import {
  displaySortKey,
  sortField,
  type SortColumn,
  type SortKey,
} from '../../../../shared/log/logSort';
import { RECORD_COLUMNS, toStored, type RawRecord, type StoredRecord } from './recordRows';
import { VIEW_TABLE } from './recordViews';

/** Bound parameters per statement, under SQLite's oldest default limit (999). */
const SQL_PARAMS_MAX = 900;

/**
 * Seqs and sort keys of the records at positions [lo, hi) of a view (`table` null: every
 * record, positions are seqs), in position order. Keys: numbers for numeric columns, the
 * zero-padded Context and decoded values as order-preserving strings, null when missing.
 */
export function sortKeys(
  db: Database.Database,
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
    const fid = db.prepare('SELECT id FROM fields WHERE name = ?').pluck().get(field) as
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
  const rows = db
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
export function recordsBySeq(db: Database.Database, seqs: readonly number[]): StoredRecord[] {
  const bySeq = new Map<number, StoredRecord>();
  // SQLite's default limit on bound parameters is 999 (older builds), 32766 (newer).
  for (let i = 0; i < seqs.length; i += SQL_PARAMS_MAX) {
    const part = seqs.slice(i, i + SQL_PARAMS_MAX);
    const rows = db
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

/** Exact counts of a field's values from the database (a full pass; on request only). */
export function exactCounts(
  db: Database.Database,
  field: string,
  top: number,
): { top: { value: string; count: number }[]; total: number; distinct: number } {
  const fid = db.prepare('SELECT id FROM fields WHERE name = ?').pluck().get(field) as
    number | undefined;
  if (fid === undefined) return { top: [], total: 0, distinct: 0 };
  const rows = db
    .prepare(
      `SELECT v.value AS value, c.n AS count FROM (
         SELECT value_id, COUNT(*) AS n FROM record_fields
         WHERE value_id IN (SELECT id FROM field_values WHERE field_id = ?)
         GROUP BY value_id
       ) c JOIN field_values v ON v.id = c.value_id ORDER BY c.n DESC, v.id LIMIT ?`,
    )
    .all(fid, top) as { value: string; count: number }[];
  const totals = db
    .prepare(
      `SELECT COUNT(*) AS total, COUNT(DISTINCT value_id) AS distinct_values FROM record_fields
       WHERE value_id IN (SELECT id FROM field_values WHERE field_id = ?)`,
    )
    .get(fid) as { total: number; distinct_values: number };
  return { top: rows, total: totals.total, distinct: totals.distinct_values };
}
