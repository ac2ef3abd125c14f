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
import type { Clock } from '../../../shared/stream/clock';
import type { RecordStore } from '../store/records/recordStore';
import { resolveExportTarget } from './exportFiles';
import { writeExport } from './exporter';
import type { LogStatsTracker } from './logStats';
import type { LogViews } from './logViews';
import { toDetail } from './rows';

/** What the queries need from the rest of the log. */
export interface QueriesPort {
  readonly store: RecordStore;
  readonly clock: Clock;
  readonly stats: LogStatsTracker;
  readonly dataDir: string;
  /** When this log started (ms since the epoch). */
  readonly startedAt: number;
  readonly views: Pick<LogViews, 'lookup' | 'built' | 'matchedOf' | 'retainTable' | 'releaseTable'>;
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

  constructor(private readonly port: QueriesPort) {
    this.store = port.store;
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

  counts(field: string, top: number, seconds: number, exact: boolean): LogCounts {
    this.assertOpen();
    const stats = this.port.stats;
    const rate = stats.rateSeries(this.port.clock.now(), seconds);
    const live = exact ? undefined : stats.top(field, top);
    if (live !== undefined)
      return {
        field,
        top: live.top,
        total: live.total,
        distinct: live.distinct,
        untracked: live.untracked,
        exact: live.untracked === 0,
        rate,
      };
    // Asked for, or a field beyond the live counters' cap: count in the database.
    this.port.flush();
    const db = this.store.exactCounts(field, top);
    return { field, ...db, untracked: 0, exact: true, rate };
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
  ): Promise<ExportResult> {
    const views = this.port.views;
    const v = views.lookup(viewId);
    // Everything received before the request is part of the export.
    this.port.flush();
    await views.built(v);
    const target = resolveExportTarget(this.port.dataDir, format, path, overwrite);
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
      if (table !== null) views.releaseTable(table);
    }
  }

  private assertOpen(): void {
    if (!this.port.isOpen()) throw new AppError('unavailable', 'the log is closed');
  }
}
