// The log service's facade: the RecordSink the session engine feeds and the API the contract
// handlers call. Its parts: LogIngest (check, decode, write, ring, counters), LogViews (filters,
// pages, live updates) and LogQueries (detail, stats, counts, exports). Host side.
import type { StreamHub } from '../../../shared/contract/hub';
import type {
  CoreLossInfo,
  TargetCountTable,
  ExportResult,
  LogCounts,
  LogRecordDetail,
  LogRow,
  LogStats,
  LogViewInfo,
  MalformedRow,
} from '../../../shared/contract/log';
import type { LogSort } from '../../../shared/log/logSort';
import type { SessionKind } from '../../../shared/contract/sessions';
import type { ExportFormat } from '../../../shared/log/exportFormat';
import type { LogFilter } from '../../../shared/log/logFilter';
import { countTableLine } from '../../../shared/delivery/countedTable';
import { systemClock, type Clock } from '../../../shared/stream/clock';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { newSessionFile, RecordStore } from '../store/records/recordStore';
import { removeSessionFiles } from '../store/records/sessionFiles';
import { META, sessionIdOf, type SessionInfo } from '../store/records/sessionMeta';
import type { Jobs } from '../sessions/jobs';
import { exportsDirOf } from './exportFiles';
import { LogIngest, type RecordSourceResolver } from './logIngest';
import { LogQueries, type CountsRequest } from './logQueries';
import { LogStatsTracker } from './logStats';
import { LogViews } from './logViews';
import type { SessionLogApi } from './sessionLog';
import type {
  IngestedCountTable,
  IngestedRecord,
  MalformedLine,
  RecordSink,
  SessionMark,
} from './sink';
import { TargetCounts } from './targetCounts';

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
  /** What kind of run writes this session (default `app`). */
  readonly kind?: SessionKind;
  /** More meta entries written at the start (an import's source file, ...). */
  readonly meta?: Readonly<Record<string, string>>;
  /** Exports report progress and can be cancelled through these. */
  readonly jobs?: Jobs;
}

export class LogService implements RecordSink, SessionLogApi {
  readonly exportsDir: string;
  private readonly store: RecordStore;
  private readonly hub: StreamHub;
  private readonly clock: Clock;
  private readonly ingest: LogIngest;
  private readonly targetTables = new TargetCounts();
  private readonly views: LogViews;
  private readonly queries: LogQueries;
  private statsTimer: unknown;
  private disposed = false;
  private readonly info = new Map<string, string>();
  private readonly stats: LogStatsTracker;
  private readonly transcripts: string[] = [];

  constructor(opts: LogServiceOptions) {
    this.hub = opts.hub;
    this.clock = opts.clock ?? systemClock;
    this.exportsDir = exportsDirOf(opts.dataDir);
    const startedAt = this.clock.now();
    // What a listing needs is written into the file itself, so a copied file describes itself.
    const store = new RecordStore(newSessionFile(opts.dataDir), {
      [META.kind]: opts.kind ?? 'app',
      [META.appVersion]: opts.appVersion ?? 'unknown',
      [META.pid]: String(process.pid),
      [META.hostname]: hostname(),
      [META.startedAt]: String(startedAt),
      ...opts.meta,
    });
    this.store = store;
    const stats = new LogStatsTracker();
    this.stats = stats;
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
      live: true,
      rateEnd: () => this.clock.now(),
      jobs: opts.jobs,
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

  /** This session's id (its file name without `.sqlite3`). */
  get id(): string {
    return sessionIdOf(basename(this.store.file));
  }

  /** Whether `viewId` is one of this log's views. */
  ownsView(viewId: string): boolean {
    return this.views.has(viewId);
  }

  /**
   * Records what the session knows about its target (label, mode, capability, versions) in the
   * file's meta table; unknown (null) parts are left as they were.
   */
  setSessionInfo(info: SessionInfo): void {
    const changed: Record<string, string> = {};
    for (const [k, v] of Object.entries(info)) {
      if (v === null || v === undefined) continue;
      const key = META[k as keyof SessionInfo];
      const text = String(v).slice(0, 500);
      if (this.info.get(key) === text) continue;
      this.info.set(key, text);
      changed[key] = text;
    }
    if (Object.keys(changed).length > 0) this.writeMeta(changed);
  }

  /** Adds entries to the file's meta table (keys of META); never fails the caller. */
  addMeta(entries: Readonly<Record<string, string>>): void {
    this.writeMeta(entries);
  }

  /** Meta writes never fail the caller: a refusal is shown with the stats. */
  private writeMeta(entries: Readonly<Record<string, string>>): void {
    if (this.disposed) return;
    try {
      this.store.setMeta(entries);
    } catch (e) {
      this.ingest.reportStoreError(
        `the session's description could not be stored: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  /** Totals as of now, for the meta table; with `events`, the per-event totals too. */
  private countsMeta(events = false): Record<string, string> {
    const out: Record<string, string> = {
      [META.records]: String(this.store.total),
      [META.malformed]: String(this.store.malformedTotal),
      [META.lost]: String(this.ingest.lost),
      [META.targetLost]: String(this.stats.targetLost),
      [META.unsequenced]: String(this.stats.unsequenced),
    };
    // Events beyond the tracker's cap are not listed one by one: then a reader counts them.
    if (events && this.stats.otherEventsCount === 0)
      out[META.events] = JSON.stringify(
        this.stats
          .eventStats(this.clock.now())
          .map((e) => [e.generation, e.eventId, e.count, e.lastAt, e.actionName, e.lost]),
      );
    return out;
  }

  /** The file's meta table as it stands. */
  get metaTable(): Readonly<Record<string, string>> {
    return this.store.meta();
  }

  /** Each core of one event: delivered and lost records (sequence gaps), lowest core first. */
  coreLoss(generation: number, eventId: number): CoreLossInfo[] | null {
    const cores = this.stats.gaps.cores(generation, eventId);
    return cores.length > 0 ? cores : null;
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

  countTable(t: IngestedCountTable): void {
    this.targetTables.add(t);
    if (this.disposed) return;
    // Kept in the file so a reopened session's Counts shows it (docs/session-files.md). Records
    // received before it are written first, so the file keeps the order they arrived in.
    this.ingest.flushNow();
    try {
      this.store.addCountTable({
        receivedAt: t.receivedAt,
        generation: t.generation,
        eventId: t.table.eventId,
        seq: t.table.seq,
        line: countTableLine(t.table),
      });
    } catch (e) {
      this.ingest.reportStoreError(
        `a count table could not be stored: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  /** The latest count table of each event counted in the target (buffer-records.md §7). */
  targetCounts(): { readonly tables: readonly TargetCountTable[] } {
    return { tables: this.targetTables.list() };
  }

  sessionStarted(mark: SessionMark): void {
    this.ingest.sessionStarted(mark);
    const entries = this.countsMeta();
    if (typeof mark.targetLabel === 'string' && !this.info.has(META.targetLabel))
      entries[META.targetLabel] = String(mark.targetLabel).slice(0, 500);
    if (typeof mark.transcript === 'string' && mark.transcript !== '') {
      this.transcripts.push(basename(mark.transcript));
      entries[META.transcripts] = JSON.stringify(this.transcripts);
    }
    this.writeMeta(entries);
  }

  sessionEnded(mark: SessionMark & { readonly reason: string }): void {
    this.ingest.sessionEnded(mark);
    this.writeMeta(this.countsMeta(true));
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
    this.queries.viewClosed(viewId);
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

  /** Counts over a view's records (its filter), or over every record without a view. */
  counts(req: CountsRequest): Promise<LogCounts> {
    return this.queries.counts(req);
  }

  malformedLines(offset: number, limit: number): { total: number; lines: MalformedRow[] } {
    return this.queries.malformedLines(offset, limit);
  }

  exportView(
    viewId: string,
    format: ExportFormat,
    path: string | undefined,
    overwrite: boolean,
    jobId?: string,
  ): Promise<ExportResult> {
    return this.queries.exportView(viewId, format, path, overwrite, jobId);
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

  /** Closes the session; `finalMeta` overrides what is written last (an import's own times). */
  dispose(finalMeta: Readonly<Record<string, string>> = {}): void {
    if (this.disposed) return;
    // Writes what is pending first; later batches from the session are counted as lost.
    this.ingest.dispose();
    this.writeMeta({
      ...this.countsMeta(true),
      [META.endedAt]: String(this.clock.now()),
      ...finalMeta,
    });
    this.disposed = true;
    if (this.statsTimer !== undefined) this.clock.clearTimeout(this.statsTimer);
    this.statsTimer = undefined;
    this.views.dispose();
    this.store.close();
  }

  /** Closes and deletes this session's files (a cancelled or failed import). */
  discard(): void {
    this.dispose();
    removeSessionFiles(this.store.file, []);
  }
}
