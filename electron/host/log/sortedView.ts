// A log view sorted by a column: a snapshot of the view's records when the sort was asked,
// ordered in steps between event-loop turns (keys read in chunks, then runs merged), so the
// session's pty reader never waits on it (spec §6.1: a stalled reader loses records). New
// records are not added to a sorted snapshot; the view says how many came since. Host side.
import type { LogSortState } from '../../../shared/contract/log';
import { SnapshotSorter, type LogSort, type SortKey } from '../../../shared/log/logSort';

/**
 * Keys read per step. A decoded field's key is a lookup per record and a text key to build:
 * 10,000 of them take ~10-30 ms, so a step never holds the pty reader for long.
 */
export const SORT_READ_ROWS = 10_000;
/** Records merged per step: ~5-15 ms with text keys. */
export const SORT_MERGE_ROWS = 50_000;

export interface SortSource {
  /** Records in the view when the sort starts: positions 0..count-1. */
  readonly count: number;
  /** Seqs and keys of positions [lo, hi). */
  keys(lo: number, hi: number): { seqs: number[]; keys: SortKey[] };
}

export class SortedSnapshot {
  /** The seqs in sorted order, once done. */
  seqs: Float64Array | null = null;
  error: string | null = null;
  private scanned = 0;
  private cancelled = false;
  private readonly sorter: SnapshotSorter;

  constructor(
    readonly sort: LogSort,
    private readonly source: SortSource,
    /** After each step (progress) and when done. */
    private readonly onChange: () => void,
  ) {
    this.sorter = new SnapshotSorter(sort.dir);
    setImmediate(() => this.step());
  }

  get count(): number {
    return this.source.count;
  }

  /** What the renderer sees: the order, and the snapshot's size or how far the sort got. */
  state(): LogSortState {
    return {
      ...this.sort,
      count: this.seqs === null ? null : this.seqs.length,
      building:
        this.seqs === null && this.error === null
          ? { scanned: this.scanned, of: this.source.count }
          : null,
      error: this.error,
    };
  }

  cancel(): void {
    this.cancelled = true;
  }

  private step(): void {
    if (this.cancelled) return;
    try {
      if (this.scanned < this.source.count) {
        const hi = Math.min(this.scanned + SORT_READ_ROWS, this.source.count);
        const { seqs, keys } = this.source.keys(this.scanned, hi);
        this.sorter.add(seqs, keys);
        this.scanned = hi;
      } else if (this.sorter.step(SORT_MERGE_ROWS)) this.seqs = this.sorter.result();
    } catch (e) {
      this.error = `the records could not be sorted: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (this.seqs === null && this.error === null) setImmediate(() => this.step());
    this.onChange();
  }
}
