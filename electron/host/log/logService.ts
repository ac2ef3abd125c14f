// The log service's facade: the RecordSink the session engine feeds and the API the contract
// handlers call. Its parts: LogIngest (check, decode, write, ring, counters), LogViews (filters,
// pages, live updates) and LogQueries (detail, stats, counts, exports). Host side.
import type { StreamHub } from '../../../shared/contract/hub';
import type {
  ExportResult,
  LogCounts,
  LogRecordDetail,
  LogRow,
  LogStats,
  LogViewInfo,
  MalformedRow,
} from '../../../shared/contract/log';
import type { LogSort } from '../../../shared/log/logSort';
import type { ExportFormat } from '../../../shared/log/exportFormat';
import type { LogFilter } from '../../../shared/log/logFilter';
import { systemClock, type Clock } from '../../../shared/stream/clock';
import { openRecordStore, type RecordStore } from '../store/records/recordStore';
import { exportsDirOf } from './exportFiles';
import { LogIngest, type RecordSourceResolver } from './logIngest';
import { LogQueries } from './logQueries';
import { LogStatsTracker } from './logStats';
import { LogViews } from './logViews';
import type { IngestedRecord, MalformedLine, RecordSink, SessionMark } from './sink';

export {
  LOG_RING_ROWS,
  recordProblem,
  type RecordSourceInfo,
  type RecordSourceResolver,
} from './logIngest';
export { BUILD_CHUNK_RECORDS, MAX_VIEWS, TAIL_ROWS } from './logViews';

/** Stats stream period: the counters move visibly, the event list stays cheap to refresh. */
export const STATS_INTERVAL_MS = 250;
/** Seconds after the last record during which stats keep flowing (rates fall to zero). */
const RATE_WINDOW_DECAY_S = 6;

export interface LogServiceOptions {
  readonly dataDir: string;
  readonly hub: StreamHub;
  readonly resolveSource?: RecordSourceResolver;
  readonly clock?: Clock;
  /** Stored in the session database's meta table. */
  readonly appVersion?: string;
}

export class LogService implements RecordSink {
  readonly exportsDir: string;
  private readonly store: RecordStore;
  private readonly hub: StreamHub;
  private readonly clock: Clock;
  private readonly ingest: LogIngest;
  private readonly views: LogViews;
  private readonly queries: LogQueries;
  private statsTimer: unknown;
  private disposed = false;

  constructor(opts: LogServiceOptions) {
    this.hub = opts.hub;
    this.clock = opts.clock ?? systemClock;
    this.exportsDir = exportsDirOf(opts.dataDir);
    const startedAt = this.clock.now();
    const store = openRecordStore(opts.dataDir, {
      appVersion: opts.appVersion ?? 'unknown',
      pid: String(process.pid),
    });
    this.store = store;
    const stats = new LogStatsTracker();
    const { hub, clock } = this;
    this.ingest = new LogIngest(
      {
        store,
        hub,
        clock,
        stats,
        route: (records) => this.views.route(records),
        statsChanged: () => this.scheduleStats(),
      },
      opts.resolveSource,
    );
    this.views = new LogViews({
      store,
      hub,
      clock,
      recentRow: (seq) => this.ingest.recentRow(seq),
      reportError: (text) => this.ingest.reportStoreError(text),
    });
    this.queries = new LogQueries({
      store,
      clock,
      stats,
      dataDir: opts.dataDir,
      startedAt,
      views: this.views,
      isOpen: () => !this.disposed,
      flush: () => this.ingest.flushNow(),
      pending: () => this.ingest.pending,
      health: () => ({ lost: this.ingest.lost, storeError: this.ingest.storeError }),
    });
  }

  /** The session database of this app run. */
  get file(): string {
    return this.store.file;
  }

  /** Sets (or replaces) how events map to actions; records already stored keep theirs. */
  setSourceResolver(resolver: RecordSourceResolver | undefined): void {
    this.ingest.setSourceResolver(resolver);
  }

  // ---- RecordSink (LogIngest) ----------------------------------------------------------------

  records(batch: readonly IngestedRecord[]): void {
    this.ingest.records(batch);
  }

  malformed(batch: readonly MalformedLine[]): void {
    this.ingest.malformed(batch);
  }

  sessionStarted(mark: SessionMark): void {
    this.ingest.sessionStarted(mark);
  }

  sessionEnded(mark: SessionMark & { readonly reason: string }): void {
    this.ingest.sessionEnded(mark);
  }

  // ---- Views (LogViews) ----------------------------------------------------------------------

  openView(filter: LogFilter): LogViewInfo {
    return this.views.openView(filter);
  }

  setFilter(viewId: string, filter: LogFilter): LogViewInfo {
    return this.views.setFilter(viewId, filter);
  }

  /** Sorts a view by a column, or back to arrival order (null). */
  setSort(viewId: string, sort: LogSort | null): LogViewInfo {
    return this.views.setSort(viewId, sort);
  }

  setPaused(viewId: string, paused: boolean): LogViewInfo {
    return this.views.setPaused(viewId, paused);
  }

  closeView(viewId: string): void {
    this.views.closeView(viewId);
  }

  /** Rows of a view by position. */
  page(
    viewId: string,
    revision: number,
    offset: number,
    limit: number,
  ): { offset: number; rows: LogRow[]; matched: number } {
    return this.views.page(viewId, revision, offset, limit);
  }

  // ---- Queries (LogQueries) ------------------------------------------------------------------

  record(seq: number): LogRecordDetail {
    return this.queries.record(seq);
  }

  getStats(): LogStats {
    return this.queries.getStats();
  }

  counts(field: string, top: number, seconds: number, exact: boolean): LogCounts {
    return this.queries.counts(field, top, seconds, exact);
  }

  malformedLines(offset: number, limit: number): { total: number; lines: MalformedRow[] } {
    return this.queries.malformedLines(offset, limit);
  }

  exportView(
    viewId: string,
    format: ExportFormat,
    path: string | undefined,
    overwrite: boolean,
  ): Promise<ExportResult> {
    return this.queries.exportView(viewId, format, path, overwrite);
  }

  // ---- Stats stream and lifecycle ------------------------------------------------------------

  /** One `log:stats` message per period while records flow, however many batches were written. */
  private scheduleStats(): void {
    if (this.statsTimer !== undefined || this.disposed) return;
    this.statsTimer = this.clock.setTimeout(() => {
      this.statsTimer = undefined;
      if (this.disposed) return;
      if (this.hub.listenerCount('log:stats') > 0) this.hub.publish('log:stats', this.getStats());
      // Keep publishing while rates still fall back to zero after the last record.
      const lastActivity = this.ingest.lastActivity;
      const quietFor = this.clock.now() - lastActivity;
      if (lastActivity > 0 && quietFor < (RATE_WINDOW_DECAY_S + 1) * 1000) this.scheduleStats();
    }, STATS_INTERVAL_MS);
  }

  /** Writes what is pending now (tests, shutdown). */
  flush(): void {
    if (!this.disposed) this.ingest.flushNow();
  }

  dispose(): void {
    if (this.disposed) return;
    // Writes what is pending first; later batches from the session are counted as lost.
    this.ingest.dispose();
    this.disposed = true;
    if (this.statsTimer !== undefined) this.clock.clearTimeout(this.statsTimer);
    this.statsTimer = undefined;
    this.views.dispose();
    this.store.close();
  }
}
