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
import { countPastLoss, eventLoss, type PastLoss } from './pastLoss';
import { TargetCounts } from './targetCounts';
import { parseCountTableLine } from '../../../shared/delivery/countedTable';
import { countTableRows } from '../store/records/recordSequences';

/** Marks a past session's stats list (the live log keeps the newest 100 in memory too). */
const MAX_MARKS = 100;
/** Count tables read back: hours of one table a second per event, far more than a session has. */
const MAX_COUNT_TABLES = 200_000;

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
  /** A past session's stats count its loss again from its records first (pastLoss.ts). */
  getStats(): LogStats | Promise<LogStats>;
  counts(req: CountsRequest): Promise<LogCounts>;
  malformedLines(offset: number, limit: number): { total: number; lines: MalformedRow[] };
  /** Counts kept in the target: the live session's, or those a past session's file kept. */
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
  private stats: Promise<LogStats> | null = null;
  private lossCount: Promise<PastLoss> | null = null;
  private counted: PastLoss | null = null;
  private tables: TargetCountTable[] | null = null;
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

  /**
   * What the target lost, counted once from the stored sequence numbers (pastLoss.ts): the same
   * SequenceGaps as the live log, so a reopened session shows the loss the live log showed.
   */
  loss(): Promise<PastLoss> {
    if (this.lossCount === null) {
      const p = countPastLoss(this.store, this.meta, { isOpen: () => !this.closed });
      this.lossCount = p;
      p.then(
        (l) => (this.counted = l),
        () => undefined,
      );
    }
    return this.lossCount;
  }

  /** The loss once counted (null before): what a listing of an open session shows. */
  get countedLoss(): PastLoss | null {
    return this.counted;
  }

  /** The file's meta table as read when it was opened. */
  get metaTable(): Readonly<Record<string, string>> {
    return this.meta;
  }

  /** The store, for the sessions service's description of the session. */
  get recordStore(): RecordStore {
    return this.store;
  }

  /** A past session's stats, read once from its tables (nothing changes them). */
  getStats(): Promise<LogStats> {
    if (this.stats === null) {
      const p = this.readStats();
      this.stats = p;
      // A failed count (the session closed meanwhile) is not kept: the next call tries again.
      p.catch(() => {
        if (this.stats !== p) return;
        this.stats = null;
        this.lossCount = null;
      });
    }
    return this.stats;
  }

  private async readStats(): Promise<LogStats> {
    const loss = await this.loss();
    const store = this.store;
    const sources = store.sources();
    const names = fieldNames(store, MAX_TRACKED_FIELDS);
    for (const s of sources)
      for (const f of s.schema) if (!names.includes(f.name)) names.push(f.name);
    const events = pastEvents(store, this.meta, MAX_EVENT_STATS + 1);
    const listed = events.slice(0, MAX_EVENT_STATS);
    const other =
      events.length > MAX_EVENT_STATS ? store.total - listed.reduce((n, e) => n + e.count, 0) : 0;
    return {
      total: store.total,
      malformed: store.malformedTotal,
      pending: 0,
      lost: metaNumber(this.meta, META.lost) ?? 0,
      targetLost: loss.targetLost,
      unsequenced: loss.unsequenced,
      lossUnknown: loss.unknownBecause,
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
      events: listed.map((e) => {
        const l = eventLoss(loss, e.generation, e.eventId);
        return { ...e, rate: 0, decodeWarning: null, lost: l.lost, cores: l.cores };
      }),
      otherEventsCount: Math.max(0, other),
      marks: markRows(store, MAX_MARKS),
    };
  }

  /**
   * The count tables the session's file kept, replayed in arrival order through the live log's
   * own TargetCounts: the newest table of each event, its rate measured from the first.
   */
  targetCounts(): { readonly tables: readonly TargetCountTable[] } {
    if (this.tables === null) {
      const counts = new TargetCounts();
      if (this.store.keepsSequences)
        for (const row of countTableRows(this.store, MAX_COUNT_TABLES)) {
          const table = parseCountTableLine(row.line);
          // A line that does not read back (a foreign file) is left out, as the live log would.
          if (table === null || typeof table === 'string') continue;
          counts.add({ receivedAt: row.receivedAt, generation: row.generation, table });
        }
      this.tables = counts.list();
    }
    return { tables: this.tables };
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
