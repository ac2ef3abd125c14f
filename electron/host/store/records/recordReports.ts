// Read-side SQL over a session database beyond paging: counts by field value and records per
// second over a view's positions (in position ranges, so a big view is tallied in steps), the
// per-event totals, field names and marks of a past session, and a view's exact counts. Host
// side; the store's sibling (the only importers of better-sqlite3 are in store/).
import type { RecordStore } from './recordStore';
import { VIEW_TABLE } from './recordStore';

/** Counts of one step: value id -> records, epoch second -> records. */
export interface TallyStep {
  readonly values: readonly (readonly [number, number])[];
  readonly seconds: readonly (readonly [number, number])[];
}

function checkTable(table: string | null): void {
  if (table !== null && !VIEW_TABLE.test(table)) throw new Error(`not a view table: ${table}`);
}

/** The id of a decoded field, or undefined when no record has it. */
export function fieldIdOf(store: RecordStore, name: string): number | undefined {
  return store.connection.prepare('SELECT id FROM fields WHERE name = ?').pluck().get(name) as
    number | undefined;
}

/**
 * Value counts of field `fieldId` (null: none) and records per second, over positions
 * `lo` <= pos < `hi` of a view (`table` null: every record, positions are seqs).
 */
export function tallyPositions(
  store: RecordStore,
  table: string | null,
  fieldId: number | undefined,
  lo: number,
  hi: number,
): TallyStep {
  checkTable(table);
  const db = store.connection;
  const rows =
    table === null
      ? { from: 'records r', where: 'r.seq >= @lo AND r.seq < @hi' }
      : {
          from: `temp.${table} t JOIN records r ON r.seq = t.seq`,
          // View positions are rowids from 1: position p is rowid p + 1.
          where: 't.pos > @lo AND t.pos <= @hi',
        };
  const seconds = db
    .prepare(
      `SELECT r.received_at / 1000 AS s, COUNT(*) AS n FROM ${rows.from} WHERE ${rows.where} GROUP BY s`,
    )
    .raw()
    .all({ lo, hi }) as [number, number][];
  let values: [number, number][] = [];
  if (fieldId !== undefined) {
    const from =
      table === null
        ? 'record_fields rf'
        : `temp.${table} t JOIN record_fields rf ON rf.seq = t.seq`;
    const where = table === null ? 'rf.seq >= @lo AND rf.seq < @hi' : rows.where;
    values = db
      .prepare(
        `SELECT rf.value_id AS id, COUNT(*) AS n FROM ${from} JOIN field_values v ON v.id = rf.value_id AND v.field_id = @fid WHERE ${where} GROUP BY rf.value_id`,
      )
      .raw()
      .all({ lo, hi, fid: fieldId }) as [number, number][];
  }
  return { values, seconds: seconds.map(([s, n]) => [Math.floor(Number(s)), n] as const) };
}

/** The text of dictionary values by id. */
export function valueTexts(store: RecordStore, ids: readonly number[]): Map<number, string> {
  const out = new Map<number, string>();
  if (ids.length === 0) return out;
  const rows = store.connection
    .prepare(`SELECT id, value FROM field_values WHERE id IN (${ids.map(() => '?').join(', ')})`)
    .raw()
    .all(...ids) as [number, unknown][];
  for (const [id, v] of rows) out.set(id, String(v));
  return out;
}

/** When the newest record arrived (ms), or null for an empty session. */
export function lastReceivedAt(store: RecordStore): number | null {
  const v = store.connection
    .prepare('SELECT received_at FROM records ORDER BY seq DESC LIMIT 1')
    .pluck()
    .get() as unknown;
  return v === undefined || v === null ? null : Number(v);
}

export function firstReceivedAt(store: RecordStore): number | null {
  const v = store.connection
    .prepare('SELECT received_at FROM records ORDER BY seq LIMIT 1')
    .pluck()
    .get() as unknown;
  return v === undefined || v === null ? null : Number(v);
}

export interface EventTotal {
  readonly generation: number;
  readonly eventId: number;
  readonly count: number;
  readonly lastAt: number;
  readonly source: number | null;
}

/** Records per event (a full pass over the records; a past session does it once). */
export function eventTotals(store: RecordStore, limit: number): EventTotal[] {
  return (
    store.connection
      .prepare(
        `SELECT generation, event_id, COUNT(*), MAX(received_at), MAX(source) FROM records
         GROUP BY generation, event_id ORDER BY generation, event_id LIMIT ?`,
      )
      .raw()
      .all(limit) as unknown[][]
  ).map(([g, e, n, at, src]) => ({
    generation: Number(g),
    eventId: Number(e),
    count: Number(n),
    lastAt: Number(at),
    source: src === null ? null : Number(src),
  }));
}

/** Decoded field names, first seen first. */
export function fieldNames(store: RecordStore, limit: number): string[] {
  return (
    store.connection
      .prepare('SELECT name FROM fields ORDER BY id LIMIT ?')
      .pluck()
      .all(limit) as unknown[]
  ).map(String);
}

export interface MarkRow {
  readonly kind: 'started' | 'ended';
  readonly generation: number;
  readonly at: number;
  readonly targetLabel: string;
  readonly reason: string | null;
}

/** The session's marks, oldest first (at most `limit`). */
export function markRows(store: RecordStore, limit: number): MarkRow[] {
  return (
    store.connection
      .prepare('SELECT kind, generation, at, target_label, reason FROM marks ORDER BY id LIMIT ?')
      .raw()
      .all(limit) as unknown[][]
  ).map(([kind, g, at, label, reason]) => ({
    kind: kind === 'ended' ? 'ended' : 'started',
    generation: Number(g),
    at: Number(at),
    targetLabel: String(label).slice(0, 500),
    reason: reason === null ? null : String(reason).slice(0, 500),
  }));
}

/** Exact counts of a field's values over a view (a full pass; on request only). */
export function exactViewCounts(
  store: RecordStore,
  table: string,
  fieldId: number,
  top: number,
): { top: { value: string; count: number }[]; total: number; distinct: number } {
  checkTable(table);
  const db = store.connection;
  const grouped = `SELECT rf.value_id AS id, COUNT(*) AS n FROM temp.${table} t
    JOIN record_fields rf ON rf.seq = t.seq
    JOIN field_values v ON v.id = rf.value_id AND v.field_id = @fid GROUP BY rf.value_id`;
  const rows = db
    .prepare(
      `SELECT v.value AS value, c.n AS count FROM (${grouped}) c JOIN field_values v ON v.id = c.id ORDER BY c.n DESC, v.id LIMIT @top`,
    )
    .all({ fid: fieldId, top }) as { value: unknown; count: number }[];
  const totals = db
    .prepare(`SELECT COALESCE(SUM(n), 0) AS total, COUNT(*) AS d FROM (${grouped})`)
    .get({ fid: fieldId }) as { total: number; d: number };
  return {
    top: rows.map((r) => ({ value: String(r.value), count: r.count })),
    total: totals.total,
    distinct: totals.d,
  };
}
