// Read-side SQL of what layout 2 adds to a session database: the target's sequence numbers of the
// records, read in seq ranges so a past session's loss is counted in steps, and the count tables
// printed in the target, in arrival order. Host side; the store's sibling.
import type { RecordStore } from './recordStore';

/** One record's numbering: generation, event id, core, the target's sequence number or null. */
export type SequenceRow = readonly [number, number, number, number | null];

/** The numbering of records `lo` <= seq < `hi`, in seq (arrival) order. */
export function sequenceRows(store: RecordStore, lo: number, hi: number): SequenceRow[] {
  return store.connection
    .prepare(
      'SELECT generation, event_id, core, target_seq FROM records WHERE seq >= ? AND seq < ? ORDER BY seq',
    )
    .raw()
    .all(lo, hi)
    .map((r) => {
      const [g, e, c, s] = r as unknown[];
      // A foreign file may hold anything: what is not a whole number counts as unnumbered.
      const n = (x: unknown) => (typeof x === 'number' && Number.isSafeInteger(x) ? x : -1);
      const seq = typeof s === 'number' && Number.isSafeInteger(s) && s >= 0 ? s : null;
      return [n(g), n(e), n(c), seq] as const;
    });
}

/** A stored count table: when it arrived, its CLI process and its HDBGT line. */
export interface StoredCountTable {
  readonly receivedAt: number;
  readonly generation: number;
  readonly eventId: number;
  readonly seq: number;
  readonly line: string;
}

/** Longest line read back: a table of 64 slots is ~2.2 KB (buffer-records.md §7). */
const MAX_LINE = 4096;

/** Count tables in arrival order, at most `limit` (a real session has a few per second). */
export function countTableRows(store: RecordStore, limit: number): StoredCountTable[] {
  return (
    store.connection
      .prepare(
        'SELECT received_at, generation, event_id, seq, substr(line, 1, ?) FROM count_tables ORDER BY id LIMIT ?',
      )
      .raw()
      .all(MAX_LINE, limit) as unknown[][]
  ).map(([at, g, e, s, line]) => ({
    receivedAt: Number(at),
    generation: Number(g),
    eventId: Number(e),
    seq: Number(s),
    line: String(line),
  }));
}
