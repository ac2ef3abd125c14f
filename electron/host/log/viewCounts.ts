// Counts that follow a view's filter: value counts of a decoded field and records per second over
// the view's records, tallied from the session database in position steps and kept per (view,
// filter revision, field), so each later request counts only the records that joined the view
// since. A large view is counted within a time budget per request and says how far it got.
// Host side.
import { AppError } from '../../../shared/contract/result';
import { MAX_RATE_SECONDS } from '../../../shared/contract/log';
import type { Clock } from '../../../shared/stream/clock';
import { tallyPositions, valueTexts, fieldIdOf } from '../store/records/recordReports';
import type { RecordStore } from '../store/records/recordStore';

/** Positions one SQL step tallies: ~20-60 ms of SQLite, so the write path waits little. */
export const TALLY_STEP_POSITIONS = 50_000;
/** Work one request does before answering with what it has (the pane asks again in 500 ms). */
export const TALLY_BUDGET_MS = 200;
/**
 * Distinct values counted one by one per tally; beyond it records count as "untracked" (a
 * field of unique values, pointers or counters, would otherwise grow memory with the session).
 */
export const MAX_TALLY_VALUES = 100_000;
/** Tallies kept (views x fields); the least recently used is dropped. */
const MAX_TALLIES = 16;

/** What the caller says about the view being counted. */
export interface TallyTarget {
  /** The view (null: every record of the session). */
  readonly viewId: string | null;
  readonly revision: number;
  /** Current table of the view (null: every record, positions are seqs). */
  table(): string | null;
  /** The view's current revision (a filter change ends the tally). */
  currentRevision(): number;
  /** Positions the view holds now. */
  matched(): number;
}

export interface TallyAnswer {
  readonly top: { value: string; count: number }[];
  readonly total: number;
  readonly distinct: number;
  readonly untracked: number;
  readonly rate: { readonly startSec: number; readonly counts: number[] };
  readonly counted: number;
  /** Null when every position of the view is counted. */
  readonly counting: { readonly counted: number; readonly of: number } | null;
}

interface Tally {
  readonly key: string;
  readonly field: string;
  counted: number;
  readonly values: Map<number, number>;
  untracked: number;
  total: number;
  readonly seconds: Map<number, number>;
  fieldId: number | undefined;
  busy: Promise<void> | null;
  touchedAt: number;
}

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ViewCounts {
  private readonly tallies = new Map<string, Tally>();

  constructor(
    private readonly store: RecordStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Counts of `field` over the target's records, advanced by at most TALLY_BUDGET_MS of work.
   * `endMs` is where the rate series ends (now for a live session, the last record for a past
   * one).
   */
  async count(
    target: TallyTarget,
    field: string,
    top: number,
    seconds: number,
    endMs: number,
  ): Promise<TallyAnswer> {
    const key = `${target.viewId ?? '*'}:${target.revision}:${field}`;
    let t = this.tallies.get(key);
    if (t === undefined) {
      this.evict();
      t = {
        key,
        field,
        counted: 0,
        values: new Map(),
        untracked: 0,
        total: 0,
        seconds: new Map(),
        fieldId: undefined,
        busy: null,
        touchedAt: 0,
      };
      this.tallies.set(key, t);
    }
    t.touchedAt = this.clock.now();
    while (t.busy !== null) await t.busy;
    const tally = t;
    const run = this.advance(tally, target, endMs);
    tally.busy = run.finally(() => {
      tally.busy = null;
    });
    await tally.busy;
    return this.answer(tally, target, top, seconds, endMs);
  }

  /** Forgets the tallies of a view (closed) or of every view. */
  forget(viewId?: string): void {
    for (const k of [...this.tallies.keys()])
      if (viewId === undefined || k.startsWith(`${viewId}:`)) this.tallies.delete(k);
  }

  private evict(): void {
    if (this.tallies.size < MAX_TALLIES) return;
    const oldest = [...this.tallies.values()]
      .filter((t) => t.busy === null)
      .sort((a, b) => a.touchedAt - b.touchedAt)[0];
    if (oldest !== undefined) this.tallies.delete(oldest.key);
  }

  private async advance(t: Tally, target: TallyTarget, endMs: number): Promise<void> {
    const started = this.clock.now();
    // The field may appear later (its first record arrives): look until it exists, and count
    // again from the start when it does.
    if (t.fieldId === undefined) {
      t.fieldId = fieldIdOf(this.store, t.field);
      if (t.fieldId !== undefined && t.counted > 0) {
        t.counted = 0;
        t.seconds.clear();
      }
    }
    const oldestSec = Math.floor(endMs / 1000) - MAX_RATE_SECONDS;
    for (;;) {
      if (target.currentRevision() !== target.revision)
        throw new AppError('conflict', 'the view’s filter changed while counting; ask again');
      const of = target.matched();
      if (t.counted >= of) return;
      const hi = Math.min(of, t.counted + TALLY_STEP_POSITIONS);
      const step = tallyPositions(this.store, target.table(), t.fieldId, t.counted, hi);
      for (const [id, n] of step.values) {
        t.total += n;
        const known = t.values.get(id);
        if (known !== undefined) t.values.set(id, known + n);
        else if (t.values.size < MAX_TALLY_VALUES) t.values.set(id, n);
        else t.untracked += n;
      }
      for (const [sec, n] of step.seconds)
        if (sec >= oldestSec) t.seconds.set(sec, (t.seconds.get(sec) ?? 0) + n);
      if (t.seconds.size > MAX_RATE_SECONDS * 2)
        for (const sec of t.seconds.keys()) if (sec < oldestSec) t.seconds.delete(sec);
      t.counted = hi;
      if (this.clock.now() - started >= TALLY_BUDGET_MS) return;
      await yieldTurn();
    }
  }

  private answer(
    t: Tally,
    target: TallyTarget,
    top: number,
    seconds: number,
    endMs: number,
  ): TallyAnswer {
    const best = [...t.values].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, top);
    const texts = valueTexts(
      this.store,
      best.map(([id]) => id),
    );
    const span = Math.max(1, Math.min(Math.floor(seconds), MAX_RATE_SECONDS));
    const endSec = Math.floor(endMs / 1000);
    const startSec = endSec - span + 1;
    const counts: number[] = [];
    for (let s = startSec; s <= endSec; s++) counts.push(t.seconds.get(s) ?? 0);
    const of = target.matched();
    return {
      top: best.map(([id, count]) => ({ value: texts.get(id) ?? `#${id}`, count })),
      total: t.total,
      distinct: t.values.size,
      untracked: t.untracked,
      rate: { startSec, counts },
      counted: t.counted,
      counting: t.counted >= of ? null : { counted: t.counted, of },
    };
  }
}
