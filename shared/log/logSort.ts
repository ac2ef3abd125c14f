// Sorting a log view by a column: which columns sort, their keys in an order-preserving form,
// and a sorter that orders a snapshot of records in bounded steps, so the host can sort a
// million records between pty reads without pausing the debugger. Pure.
import { z } from 'zod';
import { MAX_FIELD_NAME_LENGTH } from '../model/bufferSchema';

/** Columns every record has; `time` is arrival order. */
export const FIXED_SORT_COLUMNS = ['time', 'event', 'core', 'context', 'action', 'length'] as const;
export type FixedSortColumn = (typeof FIXED_SORT_COLUMNS)[number];
/** A fixed column or a decoded field, `field:<name>`. */
export type SortColumn = FixedSortColumn | `field:${string}`;
export type SortDirection = 'asc' | 'desc';

export interface LogSort {
  readonly column: SortColumn;
  readonly dir: SortDirection;
}

const FIELD_PREFIX = 'field:';

export const logSortSchema = z
  .object({
    column: z.union([
      z.enum(FIXED_SORT_COLUMNS),
      z
        .string()
        .max(FIELD_PREFIX.length + MAX_FIELD_NAME_LENGTH)
        .regex(/^field:.+$/, 'a decoded field column is field:<name>')
        .transform((s) => s as `field:${string}`),
    ]),
    dir: z.enum(['asc', 'desc']),
  })
  .strict();

/** The decoded field a column sorts by, or null for a fixed column. */
export function sortField(column: SortColumn): string | null {
  return column.startsWith(FIELD_PREFIX) ? column.slice(FIELD_PREFIX.length) : null;
}

/** A record's key for one column: a number, a string (see displaySortKey), or none (last). */
export type SortKey = number | string | null;

const HEX_VALUE = /^0x([0-9a-f]+)$/i;
const DECIMAL_VALUE = /^-?\d+$/;
/** Numbers of any field type fit in [-2^63, 2^64): shifted by 2^63 they are non-negative. */
const NUMBER_BIAS = 1n << 63n;
/** Hex digits of a biased number (up to 2^64 + 2^63). */
const NUMBER_DIGITS = 17;

/**
 * An order-preserving key for a decoded value as the table shows it: numbers (`0x..` as u8-u64
 * and pointers print, signed decimal as i8-i64 do) by value, before any text; text by code unit.
 */
export function displaySortKey(display: string): string {
  let value: bigint | null = null;
  const hex = HEX_VALUE.exec(display);
  if (hex !== null && (hex[1] as string).length <= 16) value = BigInt(`0x${hex[1]}`);
  else if (DECIMAL_VALUE.test(display) && display.length <= 20) value = BigInt(display);
  if (value !== null && value >= -NUMBER_BIAS)
    return `0${(value + NUMBER_BIAS).toString(16).padStart(NUMBER_DIGITS, '0')}`;
  return `1${display}`;
}

/** Missing keys last whatever the direction; numbers before strings; then the key's order. */
function compareKeys(a: SortKey, b: SortKey): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : 1;
}

/**
 * Records sorted at once into one run: a JS sort of this many takes a few ms, so a step of the
 * sorter never holds the host's event loop for long.
 */
export const SORT_RUN_ROWS = 8192;

/**
 * Orders a snapshot of (seq, key) pairs: `add` them in any chunks (each full run is sorted as
 * it fills), then `step` merges the runs, at most `budget` records per call, until it answers
 * true; `result` is the seqs in order. Equal keys keep arrival order (seq ascending); missing
 * keys come last in both directions.
 */
export class SnapshotSorter {
  private readonly seqs: number[] = [];
  private readonly keys: SortKey[] = [];
  private readonly runs: Uint32Array[] = [];
  private runStart = 0;
  private merge: { heap: number[]; cursor: number[]; out: Float64Array; n: number } | null = null;
  private readonly sign: number;

  constructor(
    dir: SortDirection,
    private readonly runRows = SORT_RUN_ROWS,
  ) {
    this.sign = dir === 'asc' ? 1 : -1;
  }

  get added(): number {
    return this.seqs.length;
  }

  /** Orders two added records (by index). */
  private readonly compare = (i: number, j: number): number => {
    const a = this.keys[i] as SortKey;
    const b = this.keys[j] as SortKey;
    const c = compareKeys(a, b);
    // Missing keys stay last: only present keys follow the direction.
    const d = a === null || b === null ? c : c * this.sign;
    return d !== 0 ? d : (this.seqs[i] as number) - (this.seqs[j] as number);
  };

  add(seqs: readonly number[], keys: readonly SortKey[]): void {
    if (this.merge !== null) throw new Error('the sorter is merging: no more records');
    for (let i = 0; i < seqs.length; i++) {
      this.seqs.push(seqs[i] as number);
      this.keys.push(keys[i] ?? null);
      if (this.seqs.length - this.runStart >= this.runRows) this.closeRun();
    }
  }

  private closeRun(): void {
    const n = this.seqs.length - this.runStart;
    if (n === 0) return;
    const run = Array.from({ length: n }, (_, k) => this.runStart + k).sort(this.compare);
    this.runs.push(Uint32Array.from(run));
    this.runStart = this.seqs.length;
  }

  /** Merges up to `budget` records; true once every record is in the result. */
  step(budget: number): boolean {
    if (this.merge === null) {
      this.closeRun();
      const heap: number[] = [];
      const cursor = this.runs.map(() => 0);
      for (let r = 0; r < this.runs.length; r++) this.heapPush(heap, r, cursor);
      this.merge = { heap, cursor, out: new Float64Array(this.seqs.length), n: 0 };
    }
    const m = this.merge;
    for (let k = 0; k < budget && m.heap.length > 0; k++) {
      const r = m.heap[0] as number;
      const run = this.runs[r] as Uint32Array;
      m.out[m.n++] = this.seqs[run[m.cursor[r] as number] as number] as number;
      m.cursor[r] = (m.cursor[r] as number) + 1;
      this.heapPopPush(m.heap, m.cursor, (m.cursor[r] as number) < run.length);
    }
    return m.heap.length === 0;
  }

  /** The seqs in sorted order (after `step` answered true). */
  result(): Float64Array {
    if (this.merge === null || this.merge.heap.length > 0) throw new Error('not sorted yet');
    return this.merge.out;
  }

  // A binary min-heap of run numbers ordered by each run's current record.
  private head(r: number, cursor: readonly number[]): number {
    return (this.runs[r] as Uint32Array)[cursor[r] as number] as number;
  }

  private less(a: number, b: number, cursor: readonly number[]): boolean {
    return this.compare(this.head(a, cursor), this.head(b, cursor)) < 0;
  }

  private heapPush(heap: number[], r: number, cursor: readonly number[]): void {
    if ((this.runs[r] as Uint32Array).length === 0) return;
    heap.push(r);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(heap[i] as number, heap[p] as number, cursor)) break;
      [heap[i], heap[p]] = [heap[p] as number, heap[i] as number];
      i = p;
    }
  }

  /** The top run moved on: keep it (it has more) or drop it, then restore the heap. */
  private heapPopPush(heap: number[], cursor: readonly number[], more: boolean): void {
    if (!more) {
      const last = heap.pop() as number;
      if (heap.length === 0) return;
      heap[0] = last;
    }
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && this.less(heap[l] as number, heap[m] as number, cursor)) m = l;
      if (r < heap.length && this.less(heap[r] as number, heap[m] as number, cursor)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m] as number, heap[i] as number];
      i = m;
    }
  }
}
