// The log's views: one filter each (a renderer window's), paged by position, built over stored
// records in chunks so a big filter never blocks the write path, and fed the new rows of every
// write so live updates carry only the newest ones. Host side.
import type { StreamHub } from '../../../shared/contract/hub';
import type { LogRow, LogViewInfo, LogViewUpdate } from '../../../shared/contract/log';
import { AppError } from '../../../shared/contract/result';
import {
  compileFilter,
  isEmptyFilter,
  normalizeFilter,
  type FilterSubject,
  type LogFilter,
  type RecordPredicate,
} from '../../../shared/log/logFilter';
import type { Clock } from '../../../shared/stream/clock';
import type { LogSort } from '../../../shared/log/logSort';
import type { RecordStore, ViewAppend, ViewBuild } from '../store/records/recordStore';
import { errorText, type RoutedRecords } from './logIngest';
import { toLogRow } from './rows';
import { SortedSnapshot } from './sortedView';

/** Newest rows one update carries per view: more than a tall window shows, far fewer than 20k/s. */
export const TAIL_ROWS = 100;
/** Open views (one per renderer window and filter); the least recently used is closed. */
export const MAX_VIEWS = 16;
/** Records a filter build scans per step (~30-60 ms of SQLite), yielding between steps. */
export const BUILD_CHUNK_RECORDS = 100_000;

/**
 * View ids are unique in the process, not per log: the live session and every opened session
 * have views, and a `log:*` call that names a view finds its session by the id alone.
 */
let viewsOpened = 0;

/** What a view needs of a newly written record. */
export interface NewRecord {
  readonly row: LogRow;
  readonly subject: FilterSubject;
}

/** What the views need from the rest of the log. */
export interface ViewsPort {
  readonly store: RecordStore;
  readonly hub: StreamHub;
  readonly clock: Clock;
  /** A row still in memory, by seq (pages near the live tail never touch the disk). */
  recentRow(seq: number): LogRow | undefined;
  /** A failure to show with the stats. */
  reportError(text: string): void;
}

/**
 * A view as an export reads it: its filter and its table (null: every record). Handles come only
 * from `lookup`, and stay usable after their view closes (the export holds the table).
 */
export interface ViewHandle {
  readonly id: string;
  readonly filter: LogFilter;
  readonly table: string | null;
}

interface BuildState {
  /** Stored records below this seq are scanned by SQL; later ones are matched in memory. */
  readonly upTo: number;
  next: number;
  readonly queued: number[];
  readonly sql: ViewBuild;
  cancelled: boolean;
  readonly waiters: (() => void)[];
}

interface ViewState extends ViewHandle {
  revision: number;
  filter: LogFilter;
  /** Null: every record (no table; positions are seqs). */
  predicate: RecordPredicate | null;
  table: string | null;
  matched: number;
  build: BuildState | null;
  paused: boolean;
  touchedAt: number;
  /** The column it is sorted by (sortedView.ts), and the snapshot once its build started. */
  sortSpec: LogSort | null;
  sorted: SortedSnapshot | null;
}

export class LogViews {
  private readonly store: RecordStore;
  private readonly views = new Map<string, ViewState>();
  /** Tables an export is reading: dropped only when the last reader is done. */
  private readonly tableReaders = new Map<string, number>();
  private readonly orphanTables = new Set<string>();
  private disposed = false;

  constructor(private readonly port: ViewsPort) {
    this.store = port.store;
  }

  openView(filter: LogFilter): LogViewInfo {
    this.assertOpen();
    if (this.views.size >= MAX_VIEWS) {
      const oldest = [...this.views.values()].sort((a, b) => a.touchedAt - b.touchedAt)[0];
      if (oldest !== undefined) this.closeView(oldest.id);
    }
    const v: ViewState = {
      id: `v${(++viewsOpened).toString(36)}`,
      revision: 0,
      filter: {},
      predicate: null,
      table: null,
      matched: 0,
      build: null,
      paused: false,
      touchedAt: this.port.clock.now(),
      sortSpec: null,
      sorted: null,
    };
    this.views.set(v.id, v);
    this.applyFilter(v, filter);
    return this.viewInfo(v);
  }

  setFilter(viewId: string, filter: LogFilter): LogViewInfo {
    const v = this.view(viewId);
    const next = normalizeFilter(filter);
    if (JSON.stringify(next) !== JSON.stringify(v.filter)) {
      v.revision++;
      v.sorted?.cancel();
      this.applyFilter(v, next);
      this.startSort(v);
    }
    return this.viewInfo(v);
  }

  /** Sorts a view by a column (a snapshot, sorted in steps), or back to arrival order. */
  setSort(viewId: string, sort: LogSort | null): LogViewInfo {
    const v = this.view(viewId);
    if (JSON.stringify(sort) !== JSON.stringify(v.sortSpec)) {
      v.revision++;
      v.sortSpec = sort;
      this.startSort(v);
    }
    return this.viewInfo(v);
  }

  setPaused(viewId: string, paused: boolean): LogViewInfo {
    const v = this.view(viewId);
    v.paused = paused;
    return this.viewInfo(v);
  }

  closeView(viewId: string): void {
    const v = this.views.get(viewId);
    if (v === undefined) return;
    v.sorted?.cancel();
    this.cancelBuild(v);
    if (v.table !== null) this.dropTable(v.table);
    this.views.delete(viewId);
  }

  /** Rows of a view by position. */
  page(
    viewId: string,
    revision: number,
    offset: number,
    limit: number,
  ): { offset: number; rows: LogRow[]; matched: number } {
    const v = this.view(viewId);
    if (revision !== v.revision)
      throw new AppError(
        'conflict',
        `log view ${viewId} is at revision ${v.revision}, not ${revision}`,
        'revision',
      );
    const sources = (id: number) => this.store.source(id);
    if (v.sortSpec !== null) {
      // Positions of the sorted snapshot; nothing until it is sorted.
      const sorted = v.sorted?.seqs ?? new Float64Array(0);
      const seqs = Array.from(sorted.subarray(offset, offset + limit));
      const rows =
        this.ringRows(seqs) ?? this.store.recordsBySeq(seqs).map((r) => toLogRow(r, sources));
      return { offset, rows, matched: sorted.length };
    }
    const matched = this.matchedOf(v);
    const n = Math.max(0, Math.min(limit, matched - offset));
    if (n === 0) return { offset, rows: [], matched };
    let rows: LogRow[];
    if (v.table === null) {
      const fromRing = this.ringRows(Array.from({ length: n }, (_, i) => offset + i));
      rows = fromRing ?? this.store.range(offset, offset + n).map((r) => toLogRow(r, sources));
    } else {
      const fromRing = this.ringRows(this.store.viewSeqs(v.table, offset, n));
      rows =
        fromRing ?? this.store.viewRecords(v.table, offset, n).map((r) => toLogRow(r, sources));
    }
    return { offset, rows, matched };
  }

  // ---- The write path ----------------------------------------------------------------------

  /**
   * Which new records each view shows: appended in the write's transaction, except for views
   * still building over older records (their matches wait until the build reaches them).
   */
  route(records: readonly NewRecord[]): RoutedRecords {
    const matches = new Map<ViewState, NewRecord[]>();
    const appends: ViewAppend[] = [];
    for (const v of this.views.values()) {
      const predicate = v.predicate;
      if (predicate === null) continue;
      const hit = records.filter((p) => predicate(p.subject));
      matches.set(v, hit);
      if (v.build === null && v.table !== null && hit.length > 0)
        appends.push({ table: v.table, seqs: hit.map((p) => p.row.seq) });
    }
    return {
      appends,
      committed: () => {
        const updates: LogViewUpdate[] = [];
        for (const v of this.views.values()) {
          let newRows: readonly NewRecord[];
          if (v.predicate === null) newRows = records;
          else {
            newRows = matches.get(v) ?? [];
            if (v.build !== null) {
              for (const p of newRows) v.build.queued.push(p.row.seq);
              continue;
            }
            v.matched += newRows.length;
          }
          if (newRows.length === 0) continue;
          updates.push(this.viewUpdate(v, newRows));
        }
        return updates;
      },
    };
  }

  /** Whether `viewId` is one of this log's open views. */
  has(viewId: string): boolean {
    return this.views.has(viewId);
  }

  /** A view's revision (its filter's), for counts that follow it. */
  revisionOf(handle: ViewHandle): number {
    return (handle as ViewState).revision;
  }

  // ---- For exports -------------------------------------------------------------------------

  /** The open view `viewId` (touched: it stays open), or a not-found error. */
  lookup(viewId: string): ViewHandle {
    return this.view(viewId);
  }

  /** Resolves when the view's current filter has been applied to every stored record. */
  async built(handle: ViewHandle): Promise<void> {
    const v = handle as ViewState;
    while (v.build !== null) {
      const b = v.build;
      await new Promise<void>((resolve) => b.waiters.push(resolve));
    }
  }

  /** How many records the view shows now. */
  matchedOf(handle: ViewHandle): number {
    const v = handle as ViewState;
    return v.predicate === null ? this.store.total : v.matched;
  }

  /** Keeps a view's table while an export reads it, even if the view closes meanwhile. */
  retainTable(table: string): void {
    this.tableReaders.set(table, (this.tableReaders.get(table) ?? 0) + 1);
  }

  /** The export is done with the table: drop it if its view closed meanwhile. */
  releaseTable(table: string): void {
    const left = (this.tableReaders.get(table) ?? 1) - 1;
    if (left > 0) this.tableReaders.set(table, left);
    else {
      this.tableReaders.delete(table);
      if (this.orphanTables.delete(table) && !this.disposed) this.store.dropViewTable(table);
    }
  }

  /** Stops every build and forgets every view (the database is closing). */
  dispose(): void {
    this.disposed = true;
    for (const v of this.views.values()) {
      v.sorted?.cancel();
      this.cancelBuild(v);
    }
    this.views.clear();
  }

  // ---- Inside ------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.disposed) throw new AppError('unavailable', 'the log is closed');
  }

  private view(viewId: string): ViewState {
    this.assertOpen();
    const v = this.views.get(viewId);
    if (v === undefined)
      throw new AppError('not-found', `log view ${viewId} is closed; open a new one`, 'viewId');
    v.touchedAt = this.port.clock.now();
    return v;
  }

  private viewInfo(v: ViewState): LogViewInfo {
    return { ...this.viewInfoParts(v), filter: v.filter };
  }

  private viewInfoParts(v: ViewState) {
    return {
      viewId: v.id,
      revision: v.revision,
      matched: this.matchedOf(v),
      building: v.build === null ? null : { scanned: v.build.next, of: v.build.upTo },
      sort:
        v.sortSpec === null
          ? null
          : (v.sorted?.state() ?? {
              ...v.sortSpec,
              count: null,
              building: { scanned: 0, of: this.matchedOf(v) },
              error: null,
            }),
    };
  }

  private viewUpdate(v: ViewState, newRows: readonly NewRecord[]): LogViewUpdate {
    const matched = this.matchedOf(v);
    // A sorted view shows its snapshot: new rows have no place in it.
    const tailRows =
      v.paused || v.sortSpec !== null || newRows.length === 0
        ? null
        : newRows.slice(Math.max(0, newRows.length - TAIL_ROWS)).map((p) => p.row);
    return {
      ...this.viewInfoParts(v),
      tail: tailRows === null ? null : { offset: matched - tailRows.length, rows: tailRows },
    };
  }

  /** (Re)sorts a view once its filter is applied to every stored record. */
  private startSort(v: ViewState): void {
    v.sorted?.cancel();
    v.sorted = null;
    const spec = v.sortSpec;
    if (spec === null) return;
    const revision = v.revision;
    void this.built(v).then(() => {
      if (v.revision !== revision || this.disposed || this.views.get(v.id) !== v) return;
      const table = v.table;
      v.sorted = new SortedSnapshot(
        spec,
        {
          count: this.matchedOf(v),
          keys: (lo, hi) => this.store.sortKeys(table, spec.column, lo, hi),
        },
        () => this.publishView(v),
      );
    });
  }

  /** Tells renderers a view changed outside a write (a sort's progress). */
  private publishView(v: ViewState): void {
    const hub = this.port.hub;
    if (this.disposed || hub.listenerCount('log:update') === 0) return;
    hub.publish('log:update', {
      total: this.store.total,
      malformed: this.store.malformedTotal,
      views: [{ ...this.viewInfoParts(v), tail: null }],
    });
  }

  private applyFilter(v: ViewState, filter: LogFilter): void {
    this.cancelBuild(v);
    if (v.table !== null) this.dropTable(v.table);
    v.table = null;
    v.matched = 0;
    v.filter = normalizeFilter(filter);
    if (isEmptyFilter(v.filter)) {
      v.predicate = null;
      return;
    }
    v.predicate = compileFilter(v.filter);
    const table = this.store.createViewTable();
    v.table = table;
    const upTo = this.store.total;
    if (upTo === 0) return;
    const build: BuildState = {
      upTo,
      next: 0,
      queued: [],
      sql: this.store.prepareViewBuild(table, v.filter),
      cancelled: false,
      waiters: [],
    };
    v.build = build;
    // The first chunk runs now, so the answer to a filter change already has rows.
    this.buildStep(v, build, false);
  }

  private buildStep(v: ViewState, b: BuildState, publish: boolean): void {
    if (b.cancelled || this.disposed) return;
    const hi = Math.min(b.next + BUILD_CHUNK_RECORDS, b.upTo);
    try {
      v.matched += b.sql.chunk(b.next, hi);
    } catch (e) {
      this.port.reportError(`a filter could not be applied to stored records: ${errorText(e)}`);
    }
    b.next = hi;
    if (hi >= b.upTo) {
      if (v.table !== null && b.queued.length > 0) {
        try {
          this.store.appendViewSeqs(v.table, b.queued);
          v.matched += b.queued.length;
        } catch (e) {
          this.port.reportError(`new records could not join a filtered view: ${errorText(e)}`);
        }
      }
      this.finishBuild(v, b);
    } else setImmediate(() => this.buildStep(v, b, true));
    const hub = this.port.hub;
    if (publish && hub.listenerCount('log:update') > 0)
      hub.publish('log:update', {
        total: this.store.total,
        malformed: this.store.malformedTotal,
        views: [{ ...this.viewInfoParts(v), tail: null }],
      });
  }

  private finishBuild(v: ViewState, b: BuildState): void {
    b.sql.dispose();
    if (v.build === b) v.build = null;
    for (const w of b.waiters.splice(0)) w();
  }

  private cancelBuild(v: ViewState): void {
    const b = v.build;
    if (b === null) return;
    b.cancelled = true;
    this.finishBuild(v, b);
  }

  private dropTable(table: string): void {
    if ((this.tableReaders.get(table) ?? 0) > 0) this.orphanTables.add(table);
    else this.store.dropViewTable(table);
  }

  private ringRows(seqs: readonly number[]): LogRow[] | undefined {
    const out: LogRow[] = [];
    for (const s of seqs) {
      const row = this.port.recentRow(s);
      if (row === undefined) return undefined;
      out.push(row);
    }
    return out;
  }
}
