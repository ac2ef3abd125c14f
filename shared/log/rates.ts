// Counting over time for the live log: per-second buckets in a fixed ring (the record rate
// chart, each event's records/s) and capped counts by value (the Counts pane). Memory is fixed
// by the caps, never by how long a session runs. Pure.

/** Per-second counts of the last `capacity` seconds, addressed by whole seconds. */
export class SecondBuckets {
  private readonly counts: Float64Array;
  /** The newest second written (seconds since the epoch), or -1 before the first add. */
  private newest = -1;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0)
      throw new RangeError('capacity must be a positive integer');
    this.counts = new Float64Array(capacity);
  }

  /** Adds `n` to the second containing `atMs`; seconds older than the window are ignored. */
  add(atMs: number, n = 1): void {
    const sec = Math.floor(atMs / 1000);
    if (this.newest < 0) this.newest = sec;
    if (sec > this.newest) {
      // Zero the seconds skipped since the newest one (at most the whole ring).
      const gap = Math.min(sec - this.newest, this.capacity);
      for (let i = 1; i <= gap; i++) this.counts[(this.newest + i) % this.capacity] = 0;
      this.newest = sec;
    }
    if (sec <= this.newest - this.capacity) return;
    this.counts[sec % this.capacity] = (this.counts[sec % this.capacity] as number) + n;
  }

  /** Counts of the `seconds` whole seconds ending with the one containing `nowMs`, oldest first. */
  series(nowMs: number, seconds: number): { readonly startSec: number; readonly counts: number[] } {
    const span = Math.max(1, Math.min(Math.floor(seconds), this.capacity));
    const endSec = Math.floor(nowMs / 1000);
    const startSec = endSec - span + 1;
    const counts: number[] = [];
    for (let s = startSec; s <= endSec; s++) counts.push(this.at(s));
    return { startSec, counts };
  }

  /**
   * Mean records per second over the `seconds` complete seconds before the one containing
   * `nowMs` (the current second is still filling and would read low).
   */
  rate(nowMs: number, seconds: number): number {
    const span = Math.max(1, Math.min(Math.floor(seconds), this.capacity - 1));
    const endSec = Math.floor(nowMs / 1000) - 1;
    let sum = 0;
    for (let s = endSec - span + 1; s <= endSec; s++) sum += this.at(s);
    return sum / span;
  }

  private at(sec: number): number {
    if (this.newest < 0 || sec > this.newest || sec <= this.newest - this.capacity) return 0;
    return this.counts[sec % this.capacity] as number;
  }
}

export interface ValueCount {
  readonly value: string;
  readonly count: number;
}

/** The top of a field's value counts, and how much of the total the tracked values cover. */
export interface TopValues {
  readonly top: readonly ValueCount[];
  /** Records that had the field. */
  readonly total: number;
  /** Distinct values tracked. */
  readonly distinct: number;
  /** Records whose value arrived after the tracking cap was reached: not in `top`. */
  readonly untracked: number;
}

/**
 * Counts by value, tracking at most `maxValues` distinct values: once full, records with a new
 * value are counted as `untracked` (said in the UI, never dropped silently). Values already
 * tracked keep counting exactly.
 */
export class ValueCounter {
  private readonly counts = new Map<string, number>();
  private totalCount = 0;
  private untrackedCount = 0;

  constructor(readonly maxValues: number) {}

  add(value: string, n = 1): void {
    this.totalCount += n;
    const c = this.counts.get(value);
    if (c !== undefined) this.counts.set(value, c + n);
    else if (this.counts.size < this.maxValues) this.counts.set(value, n);
    else this.untrackedCount += n;
  }

  get distinct(): number {
    return this.counts.size;
  }

  top(n: number): TopValues {
    const limit = Math.max(0, Math.floor(n));
    // A bounded selection instead of sorting everything: n is small, the map may be large.
    const best: ValueCount[] = [];
    for (const [value, count] of this.counts) {
      if (best.length === limit && limit > 0 && count <= (best[limit - 1] as ValueCount).count)
        continue;
      if (limit === 0) break;
      let i = best.length;
      while (i > 0 && (best[i - 1] as ValueCount).count < count) i--;
      // Ties keep first-seen order, so the list does not flicker between equal counts.
      best.splice(i, 0, { value, count });
      if (best.length > limit) best.pop();
    }
    return {
      top: best,
      total: this.totalCount,
      distinct: this.counts.size,
      untracked: this.untrackedCount,
    };
  }
}
