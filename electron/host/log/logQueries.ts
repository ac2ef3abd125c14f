// The log's read side for the contract: one record's detail, the stats (with the live counters),
// field value counts, malformed lines, and a view's export to a file. Reads the session database
// and the other parts of the log through a narrow port. Host side.
import type {
  ExportResult,
  LogCounts,
  LogRecordDetail,
  LogStats,
  MalformedRow,
} from '../../../shared/contract/log';
import { AppError } from '../../../shared/contract/result';
import type { ExportFormat } from '../../../shared/log/exportFormat';
import { isEmptyFilter } from '../../../shared/log/logFilter';
import type { Clock } from '../../../shared/stream/clock';
import { exactViewCounts, fieldIdOf } from '../store/records/recordReports';
import type { RecordStore } from '../store/records/recordStore';
import type { Jobs } from '../sessions/jobs';
import { resolveExportTarget } from './exportFiles';
import { writeExport } from './exporter';
import type { LogStatsTracker } from './logStats';
import type { LogViews, ViewHandle } from './logViews';
import { toDetail } from './rows';
import { ViewCounts, type TallyTarget } from './viewCounts';

/** What `counts` is asked. */
export interface CountsRequest {
  readonly viewId?: string;
  readonly field: string;
  readonly top: number;
  readonly seconds: number;
  readonly exact: boolean;
}

/** What the queries need from the rest of the log. */
export interface QueriesPort {
  readonly store: RecordStore;
  readonly clock: Clock;
  readonly stats: LogStatsTracker;
  readonly dataDir: string;
  /** When this log started (ms since the epoch). */
  readonly startedAt: number;
  readonly views: Pick<
    LogViews,
    'lookup' | 'built' | 'matchedOf' | 'retainTable' | 'releaseTable' | 'revisionOf'
  >;
  /**
   * The live session: its in-memory counters count every record, so unfiltered counts come from
   * them. A past session counts from its database only.
   */
  readonly live: boolean;
  /** Where rate series end: now (live), or the session's last record (past). */
  rateEnd(): number;
  /** Long exports report progress and can be cancelled through these. */
  readonly jobs?: Jobs;
  isOpen(): boolean;
  /** Writes what the intake holds, so an answer includes everything received before it. */
  flush(): void;
  /** Items received but not written yet. */
  pending(): number;
  /** Items that could not be logged, and the last refusal in words. */
  health(): { readonly lost: number; readonly storeError: string | null };
}

export class LogQueries {
  private readonly store: RecordStore;
  private readonly tallies: ViewCounts;

  constructor(private readonly port: QueriesPort) {
    this.store = port.store;
    this.tallies = new ViewCounts(port.store, port.clock);
  }

  /** A view closed: its tallies go too. */
  viewClosed(viewId: string): void {
    this.tallies.forget(viewId);
  }

  record(seq: number): LogRecordDetail {
    this.assertOpen();
    const r = this.store.record(seq);
    if (r === undefined) throw new AppError('not-found', `no record ${seq} in this session`, 'seq');
    return toDetail(r, (id) => this.store.source(id));
  }

  getStats(): LogStats {
    const { clock, stats } = this.port;
    const now = clock.now();
    const health = this.port.health();
    return {
      total: this.store.total,
      malformed: this.store.malformedTotal,
      pending: this.port.pending(),
      lost: health.lost,
      targetLost: stats.targetLost,
      unsequenced: stats.unsequenced,
      storeError: health.storeError,
      file: this.store.file,
      fileBytes: this.port.isOpen() ? this.store.fileBytes() : 0,
      startedAt: this.port.startedAt,
      rate: stats.recordRate(now),
      sources: this.store.sources().map((s) => ({
        id: s.id,
        actionId: s.actionId,
        actionName: s.actionName,
        fields: s.schema.map((f) => ({ name: f.name, type: f.type })),
      })),
      fields: stats.fields,
      events: stats.eventStats(now),
      otherEventsCount: stats.otherEventsCount,
      marks: stats.marks,
    };
  }

  /**
   * Counts of a field's values and the record rate over the records of `viewId` (its current
   * filter), or over every record without one.
   */
  async counts(req: CountsRequest): Promise<LogCounts> {
    this.assertOpen();
    const { field, top, seconds, exact } = req;
    const views = this.port.views;
    const view: ViewHandle | null = req.viewId === undefined ? null : views.lookup(req.viewId);
    const unfiltered = view === null || isEmptyFilter(view.filter);
    const revision = view === null ? 0 : views.revisionOf(view);
    const common = {
      field,
      viewId: view?.id ?? null,
      revision,
      filter: view?.filter ?? {},
    };
    if (unfiltered && this.port.live) {
      const stats = this.port.stats;
      const rate = stats.rateSeries(this.port.clock.now(), seconds);
      const live = exact ? undefined : stats.top(field, top);
      const matched = this.store.total;
      if (live !== undefined)
        return {
          ...common,
          top: live.top,
          total: live.total,
          distinct: live.distinct,
          untracked: live.untracked,
          exact: live.untracked === 0,
          rate,
          matched,
          counting: null,
        };
      // Asked for, or a field beyond the live counters' cap: count in the database.
      this.port.flush();
      const db = this.store.exactCounts(field, top);
      return { ...common, ...db, untracked: 0, exact: true, rate, matched, counting: null };
    }
    // A filter, or a past session: count the view's records in the database.
    this.port.flush();
    if (view !== null) await views.built(view);
    const target: TallyTarget = {
      viewId: view?.id ?? null,
      revision,
      table: () => (unfiltered ? null : (view?.table ?? null)),
      currentRevision: () => (view === null ? 0 : views.revisionOf(view)),
      matched: () => (view === null ? this.store.total : views.matchedOf(view)),
    };
    const t = await this.tallies.count(target, field, top, seconds, this.port.rateEnd());
    if (exact && t.counting === null && t.untracked > 0) {
      const table = target.table();
      const fid = fieldIdOf(this.store, field);
      const db =
        fid === undefined
          ? { top: [], total: 0, distinct: 0 }
          : table === null
            ? this.store.exactCounts(field, top)
            : exactViewCounts(this.store, table, fid, top);
      return {
        ...common,
        ...db,
        untracked: 0,
        exact: true,
        rate: t.rate,
        matched: t.counted,
        counting: null,
      };
    }
    return {
      ...common,
      top: t.top,
      total: t.total,
      distinct: t.distinct,
      untracked: t.untracked,
      exact: t.untracked === 0 && t.counting === null,
      rate: t.rate,
      matched: t.counted,
      counting: t.counting,
    };
  }

  malformedLines(offset: number, limit: number): { total: number; lines: MalformedRow[] } {
    this.assertOpen();
    return {
      total: this.store.malformedTotal,
      lines: this.store.malformedPage(offset, limit),
    };
  }

  async exportView(
    viewId: string,
    format: ExportFormat,
    path: string | undefined,
    overwrite: boolean,
    jobId?: string,
  ): Promise<ExportResult> {
    const views = this.port.views;
    const v = views.lookup(viewId);
    // Everything received before the request is part of the export.
    this.port.flush();
    await views.built(v);
    const target = resolveExportTarget(this.port.dataDir, format, path, overwrite);
    const job = this.port.jobs?.start(jobId, 'export', 'records', 'the export');
    const table = v.table;
    const count = views.matchedOf(v);
    const wanted =
      v.filter.actions === undefined
        ? undefined
        : new Set(v.filter.actions.filter((a): a is string => a !== null));
    const fieldNames: string[] = [];
    for (const s of this.store.sources())
      if (wanted === undefined || wanted.has(s.actionId))
        for (const f of s.schema) if (!fieldNames.includes(f.name)) fieldNames.push(f.name);
    if (table !== null) views.retainTable(table);
    try {
      job?.progress(0, count);
      const { records, bytes } = await writeExport(
        target,
        format,
        {
          count,
          read: (o, l) =>
            table === null ? this.store.range(o, o + l) : this.store.viewRecords(table, o, l),
          sources: (id) => this.store.source(id),
          fieldNames,
        },
        overwrite,
        { progress: (done, of) => job?.progress(done, of), check: () => job?.check() },
      );
      return {
        path: target.path,
        fileName: target.fileName,
        format,
        records,
        bytes,
        downloadPath: target.downloadPath,
      };
    } finally {
      job?.end();
      if (table !== null) views.releaseTable(table);
    }
  }

  private assertOpen(): void {
    if (!this.port.isOpen()) throw new AppError('unavailable', 'the log is closed');
  }
}
