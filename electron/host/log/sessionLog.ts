// A past session opened read-only with the live log's own machinery: the same views (filters
// built in chunks, paged by position), the same counts that follow a view's filter, the same
// record detail, malformed lines and export, over a session database nobody writes. Its view
// updates go out on `sessions:log-update`, tagged with the session. Host side.
import type { StreamHub } from '../../../shared/contract/hub';
import type {
  ExportResult,
  LogCounts,
  LogRecordDetail,
  LogRow,
  LogStats,
  LogUpdate,
  LogViewInfo,
  MalformedRow,
  TargetCountTable,
} from '../../../shared/contract/log';
import type { LogSort } from '../../../shared/log/logSort';
import { exportsDirOf } from './exportFiles';
import type { ExportFormat } from '../../../shared/log/exportFormat';
import type { LogFilter } from '../../../shared/log/logFilter';
import { systemClock, type Clock } from '../../../shared/stream/clock';
import {
  eventTotals,
  fieldNames,
  firstReceivedAt,
  lastReceivedAt,
  markRows,
} from '../store/records/recordReports';
import { RecordStore } from '../store/records/recordStore';
import { META, metaEvents, metaNumber } from '../store/records/sessionMeta';
import type { Jobs } from '../sessions/jobs';
import { LogQueries, type CountsRequest } from './logQueries';
import { LogStatsTracker, MAX_EVENT_STATS, MAX_TRACKED_FIELDS } from './logStats';
import { LogViews } from './logViews';

/** Marks a past session's stats list (the live log keeps the newest 100 in memory too). */
const MAX_MARKS = 100;

/** What the log's contract handlers call, on the live session or on an opened one. */
export interface SessionLogApi {
  readonly id: string;
  ownsView(viewId: string): boolean;
  openView(filter: LogFilter): LogViewInfo;
  setFilter(viewId: string, filter: LogFilter): LogViewInfo;
  setPaused(viewId: string, paused: boolean): LogViewInfo;
  setSort(viewId: string, sort: LogSort | null): LogViewInfo;
  /** Where this session's exports are written (every session shares the data folder's). */
  readonly exportsDir: string;
  closeView(viewId: string): void;
  page(
    viewId: string,
    revision: number,
    offset: number,
    limit: number,
  ): { offset: number; rows: LogRow[]; matched: number };
  record(seq: number): LogRecordDetail;
  getStats(): LogStats;
  counts(req: CountsRequest): Promise<LogCounts>;
  malformedLines(offset: number, limit: number): { total: number; lines: MalformedRow[] };
  /** Counts kept in the target (live sessions only: a past session keeps none yet). */
  targetCounts?(): { readonly tables: readonly TargetCountTable[] };
  exportView(
    viewId: string,
    format: ExportFormat,
    path: string | undefined,
    overwrite: boolean,
    jobId?: string,
  ): Promise<ExportResult>;
}

/** An event's totals in a past session. */
export interface PastEvent {
  readonly generation: number;
  readonly eventId: number;
  readonly count: number;
  readonly lastAt: number;
  readonly actionName: string | null;
  /** Lost in the target, when the session's meta kept it. */
  readonly lost: number | null;
}

/**
 * Per-event totals of a past session: from its meta table when it ended with them (no pass over
 * the records, which for a big session would hold up a live capture in the same process), else
 * counted from the records (older files, crashed runs).
 */
export function pastEvents(
  store: RecordStore,
  meta: Readonly<Record<string, string>>,
  limit: number,
): PastEvent[] {
  const fromMeta = metaNumber(meta, META.endedAt) !== null ? metaEvents(meta) : null;
  const total = fromMeta?.reduce((n, e) => n + e.count, 0);
  if (fromMeta !== null && total === store.total)
    return [...fromMeta]
      .sort((a, b) => a.generation - b.generation || a.eventId - b.eventId)
      .slice(0, limit);
  return eventTotals(store, limit).map((e) => ({
    generation: e.generation,
    eventId: e.eventId,
    count: e.count,
    lastAt: e.lastAt,
    actionName: e.source === null ? null : (store.source(e.source)?.actionName ?? null),
    // Sequence numbers are not stored with the records: without the meta, loss is unknown.
    lost: null,
  }));
}

/** Publishes a past session's `log:update`s as `sessions:log-update` with its id. */
function sessionHub(hub: StreamHub, session: string): StreamHub {
  return {
    publish(stream, payload) {
      if (stream === 'log:update')
        hub.publish('sessions:log-update', { session, update: payload as unknown as LogUpdate });
    },
    subscribe: () => () => undefined,
    subscribeAll: () => () => undefined,
    listenerCount: (stream) =>
      stream === 'log:update' ? hub.listenerCount('sessions:log-update') : 0,
  };
}

export interface SessionLogOptions {
  readonly id: string;
  readonly file: string;
  readonly dataDir: string;
  readonly hub: StreamHub;
  readonly jobs?: Jobs;
  readonly clock?: Clock;
}

export class SessionLog implements SessionLogApi {
  readonly id: string;
  readonly file: string;
  readonly exportsDir: string;
  private readonly store: RecordStore;
  private readonly views: LogViews;
  private readonly queries: LogQueries;
  private readonly meta: Readonly<Record<string, string>>;
  private readonly endMs: number;
  private stats: LogStats | null = null;
  private closed = false;

  /** Opens `file` read-only; a foreign or broken file throws an error naming it. */
  constructor(opts: SessionLogOptions) {
    this.id = opts.id;
    this.file = opts.file;
    this.exportsDir = exportsDirOf(opts.dataDir);
    const clock = opts.clock ?? systemClock;
    const store = new RecordStore(opts.file, {}, { readOnly: true });
    this.store = store;
    this.meta = store.meta();
    this.endMs = lastReceivedAt(store) ?? metaNumber(this.meta, META.endedAt) ?? clock.now();
    const hub = sessionHub(opts.hub, opts.id);
    this.views = new LogViews({
      store,
      hub,
      clock,
      recentRow: () => undefined,
      reportError: (text) => console.error(`session ${opts.id}: ${text}`),
    });
    this.queries = new LogQueries({
      store,
      clock,
      stats: new LogStatsTracker(),
      dataDir: opts.dataDir,
      startedAt: metaNumber(this.meta, META.startedAt) ?? firstReceivedAt(store) ?? 0,
      views: this.views,
      live: false,
      rateEnd: () => this.endMs,
      jobs: opts.jobs,
      isOpen: () => !this.closed,
      flush: () => undefined,
      pending: () => 0,
      health: () => ({ lost: metaNumber(this.meta, META.lost) ?? 0, storeError: null }),
    });
  }

  ownsView(viewId: string): boolean {
    return this.views.has(viewId);
  }

  openView(filter: LogFilter): LogViewInfo {
    return this.views.openView(filter);
  }

  setFilter(viewId: string, filter: LogFilter): LogViewInfo {
    return this.views.setFilter(viewId, filter);
  }

  setPaused(viewId: string, paused: boolean): LogViewInfo {
    return this.views.setPaused(viewId, paused);
  }

  setSort(viewId: string, sort: LogSort | null): LogViewInfo {
    return this.views.setSort(viewId, sort);
  }

  closeView(viewId: string): void {
    this.views.closeView(viewId);
    this.queries.viewClosed(viewId);
  }

  page(viewId: string, revision: number, offset: number, limit: number) {
    return this.views.page(viewId, revision, offset, limit);
  }

  record(seq: number): LogRecordDetail {
    return this.queries.record(seq);
  }

  /** A past session's stats, read once from its tables (nothing changes them). */
  getStats(): LogStats {
    if (this.stats !== null) return this.stats;
    const store = this.store;
    const sources = store.sources();
    const names = fieldNames(store, MAX_TRACKED_FIELDS);
    for (const s of sources)
      for (const f of s.schema) if (!names.includes(f.name)) names.push(f.name);
    const events = pastEvents(store, this.meta, MAX_EVENT_STATS + 1);
    const listed = events.slice(0, MAX_EVENT_STATS);
    const other =
      events.length > MAX_EVENT_STATS ? store.total - listed.reduce((n, e) => n + e.count, 0) : 0;
    const stats: LogStats = {
      total: store.total,
      malformed: store.malformedTotal,
      pending: 0,
      lost: metaNumber(this.meta, META.lost) ?? 0,
      targetLost: metaNumber(this.meta, META.targetLost) ?? 0,
      // A file from before sequence numbers (or a crashed run) cannot tell its loss.
      unsequenced: metaNumber(this.meta, META.unsequenced) ?? store.total,
      storeError: null,
      file: store.file,
      fileBytes: store.fileBytes(),
      startedAt: metaNumber(this.meta, META.startedAt) ?? firstReceivedAt(store) ?? 0,
      rate: 0,
      sources: sources.map((s) => ({
        id: s.id,
        actionId: s.actionId,
        actionName: s.actionName,
        fields: s.schema.map((f) => ({ name: f.name, type: f.type })),
      })),
      fields: names,
      // Decode sanity watches records as they arrive; a past session shows what it decoded.
      events: listed.map((e) => ({ ...e, rate: 0, decodeWarning: null })),
      otherEventsCount: Math.max(0, other),
      marks: markRows(store, MAX_MARKS),
    };
    this.stats = stats;
    return stats;
  }

  counts(req: CountsRequest): Promise<LogCounts> {
    return this.queries.counts(req);
  }

  malformedLines(offset: number, limit: number) {
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

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.views.dispose();
    this.store.close();
  }
}
