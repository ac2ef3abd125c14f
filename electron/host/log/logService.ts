// The log service: the RecordSink the session engine feeds. Records are decoded through their
// action's buffer schema, written to the session database in batched transactions, counted, and
// offered to renderers as views (a filter, paged by offset) with live updates that carry only
// the newest rows, so the debugger is never held back by a slow screen. Host side.
import type { StreamHub } from '../../../shared/contract/hub';
import type {
  ExportResult,
  LogCounts,
  LogRecordDetail,
  LogRow,
  LogStats,
  LogUpdate,
  LogViewInfo,
  LogViewUpdate,
  MalformedRow,
} from '../../../shared/contract/log';
import { AppError } from '../../../shared/contract/result';
import type { ExportFormat } from '../../../shared/log/exportFormat';
import type { LogSort } from '../../../shared/log/logSort';
import {
  compileFilter,
  isEmptyFilter,
  normalizeFilter,
  searchText,
  type FilterSubject,
  type LogFilter,
  type RecordPredicate,
} from '../../../shared/log/logFilter';
import { decodeForLog, rowHex } from '../../../shared/log/logRow';
import {
  MAX_RECORD_BYTES,
  validateBufferSchema,
  type BufferSchema,
} from '../../../shared/model/bufferSchema';
import { createBatcher, type Batcher } from '../../../shared/stream/batcher';
import { systemClock, type Clock } from '../../../shared/stream/clock';
import { createRingBuffer, type RingBuffer } from '../../../shared/stream/ringBuffer';
import {
  openRecordStore,
  type MalformedInput,
  type RecordInput,
  type RecordStore,
  type ViewAppend,
  type ViewBuild,
} from '../store/records/recordStore';
import { exportsDirOf, resolveExportTarget } from './exportFiles';
import { writeExport } from './exporter';
import { LogStatsTracker } from './logStats';
import { toDetail, toLogRow } from './rows';
import { SortedSnapshot } from './sortedView';
import type { IngestedRecord, MalformedLine, RecordSink, SessionMark } from './sink';

/** What explains an event's records: the saved action that created it and its buffer schema. */
export interface RecordSourceInfo {
  readonly actionId: string;
  readonly actionName: string;
  readonly schema: BufferSchema;
}

/**
 * Tells which action (and schema) produced the records of an event. The composition root glues
 * the session's event registry (`EventInfo.source.actionIds`) and the action library. Null when
 * the event is unknown or foreign: its records show as hex. Called at most once per event per
 * write batch until it answers, then cached.
 */
export type RecordSourceResolver = (generation: number, eventId: number) => RecordSourceInfo | null;

/**
 * Newest rows kept in memory, decoded: the live tail and pages near it never touch the disk.
 * About 1-2 MB; everything else is read back from the database.
 */
export const LOG_RING_ROWS = 4096;
/** Newest rows one update carries per view: more than a tall window shows, far fewer than 20k/s. */
export const TAIL_ROWS = 100;
/** Open views (one per renderer window and filter); the least recently used is closed. */
export const MAX_VIEWS = 16;
/** Records a filter build scans per step (~30-60 ms of SQLite), yielding between steps. */
export const BUILD_CHUNK_RECORDS = 100_000;
/** Stats stream period: the counters move visibly, the event list stays cheap to refresh. */
export const STATS_INTERVAL_MS = 250;
/** Events whose source is remembered; a new CLI process brings new ids. */
const RESOLVED_CACHE_MAX = 4096;
/** Bytes a name from the resolver may take in the database and on screen. */
const MAX_ACTION_NAME = 200;
const MAX_ACTION_ID = 64;
const U32_MAX = 0xffffffff;
const U64_MAX = (1n << 64n) - 1n;

export interface LogServiceOptions {
  readonly dataDir: string;
  readonly hub: StreamHub;
  readonly resolveSource?: RecordSourceResolver;
  readonly clock?: Clock;
  /** Stored in the session database's meta table. */
  readonly appVersion?: string;
}

type QueueItem =
  | { readonly kind: 'record'; readonly item: IngestedRecord }
  | { readonly kind: 'malformed'; readonly item: MalformedLine };

interface Resolved {
  readonly sourceId: number;
  readonly actionId: string;
  readonly actionName: string;
  readonly schema: BufferSchema | null;
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

interface ViewState {
  readonly id: string;
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

/** A record prepared for one write: what is stored, shown and filtered. */
interface Prepared {
  readonly input: RecordInput;
  readonly row: LogRow;
  readonly subject: FilterSubject;
}

export class LogService implements RecordSink {
  readonly exportsDir: string;
  private readonly store: RecordStore;
  private readonly hub: StreamHub;
  private readonly clock: Clock;
  private readonly dataDir: string;
  private resolver: RecordSourceResolver | undefined;
  private readonly resolved = new Map<string, Resolved>();
  private readonly queue: Batcher<QueueItem>;
  private readonly ring: RingBuffer<LogRow> = createRingBuffer<LogRow>(LOG_RING_ROWS);
  private readonly stats = new LogStatsTracker();
  private readonly views = new Map<string, ViewState>();
  /** Tables an export is reading: dropped only when the last reader is done. */
  private readonly tableReaders = new Map<string, number>();
  private readonly orphanTables = new Set<string>();
  private viewCounter = 0;
  private lost = 0;
  private lostMalformed = 0;
  private storeError: string | null = null;
  private readonly startedAt: number;
  private lastActivity = 0;
  private statsTimer: unknown;
  private disposed = false;

  constructor(opts: LogServiceOptions) {
    this.hub = opts.hub;
    this.clock = opts.clock ?? systemClock;
    this.dataDir = opts.dataDir;
    this.resolver = opts.resolveSource;
    this.exportsDir = exportsDirOf(opts.dataDir);
    this.startedAt = this.clock.now();
    this.store = openRecordStore(opts.dataDir, {
      appVersion: opts.appVersion ?? 'unknown',
      pid: String(process.pid),
    });
    this.queue = createBatcher<QueueItem>({
      flush: (items) => this.writeSafely(items),
      clock: this.clock,
    });
  }

  /** The session database of this app run. */
  get file(): string {
    return this.store.file;
  }

  /** Sets (or replaces) how events map to actions; records already stored keep theirs. */
  setSourceResolver(resolver: RecordSourceResolver | undefined): void {
    this.resolver = resolver;
    this.resolved.clear();
  }

  // ---- RecordSink --------------------------------------------------------------------------

  records(batch: readonly IngestedRecord[]): void {
    if (this.disposed) {
      this.lost += batch.length;
      return;
    }
    for (const r of batch) {
      const problem = recordProblem(r);
      if (problem !== null) {
        this.queue.push({
          kind: 'malformed',
          item: {
            receivedAt: Number.isFinite(r.receivedAt) ? r.receivedAt : this.clock.now(),
            generation: Number.isSafeInteger(r.generation) ? r.generation : -1,
            text: describeRecord(r),
            reason: `invalid record from the session: ${problem}`,
          },
        });
        continue;
      }
      // The parser's bytes may be views into a shared slab that it reuses: keep a copy.
      const item: IngestedRecord = {
        receivedAt: r.receivedAt,
        generation: r.generation,
        record: { ...r.record, bytes: r.record.bytes.slice() },
      };
      this.queue.push({ kind: 'record', item }, r.record.length + 64);
    }
  }

  malformed(batch: readonly MalformedLine[]): void {
    if (this.disposed) {
      this.lostMalformed += batch.length;
      return;
    }
    for (const m of batch)
      this.queue.push(
        {
          kind: 'malformed',
          item: {
            receivedAt: Number.isFinite(m.receivedAt) ? m.receivedAt : this.clock.now(),
            generation: Number.isSafeInteger(m.generation) ? m.generation : -1,
            text: String(m.text),
            reason: String(m.reason),
          },
        },
        String(m.text).length + 64,
      );
  }

  sessionStarted(mark: SessionMark): void {
    this.mark({ kind: 'started', ...markFields(mark), reason: null });
  }

  sessionEnded(mark: SessionMark & { readonly reason: string }): void {
    this.mark({ kind: 'ended', ...markFields(mark), reason: String(mark.reason).slice(0, 500) });
  }

  private mark(m: Parameters<RecordStore['addMark']>[0]): void {
    if (this.disposed) return;
    // Records received before the mark are written before it.
    this.queue.flushNow();
    try {
      this.store.addMark(m);
    } catch (e) {
      this.storeError = `a session mark could not be stored: ${errorText(e)}`;
    }
    this.stats.addMark(m);
    this.scheduleStats();
  }

  // ---- Writing -----------------------------------------------------------------------------

  /** Never throws into the session engine: whatever fails is counted as lost and shown. */
  private writeSafely(items: QueueItem[]): void {
    try {
      this.write(items);
    } catch (e) {
      const records = items.filter((q) => q.kind === 'record').length;
      this.lost += records;
      this.lostMalformed += items.length - records;
      this.storeError = `records could not be logged: ${errorText(e)}`;
      this.scheduleStats();
    }
  }

  private write(items: QueueItem[]): void {
    if (this.disposed) return;
    const prepared: Prepared[] = [];
    const malformed: MalformedInput[] = [];
    const batchMisses = new Set<string>();
    let seq = this.store.total;
    for (const q of items) {
      if (q.kind === 'malformed') malformed.push(q.item);
      else prepared.push(this.prepare(q.item, seq++, batchMisses));
    }

    // Which new records each view shows: appended in the same transaction, except for views
    // still building over older records (their matches wait until the build reaches them).
    const matches = new Map<ViewState, Prepared[]>();
    const appends: ViewAppend[] = [];
    for (const v of this.views.values()) {
      const predicate = v.predicate;
      if (predicate === null) continue;
      const hit = prepared.filter((p) => predicate(p.subject));
      matches.set(v, hit);
      if (v.build === null && v.table !== null && hit.length > 0)
        appends.push({ table: v.table, seqs: hit.map((p) => p.input.seq) });
    }

    try {
      this.store.write(
        prepared.map((p) => p.input),
        malformed,
        appends,
      );
    } catch (e) {
      this.lost += prepared.length;
      this.lostMalformed += malformed.length;
      this.storeError = `the session database refused a write (${prepared.length} records, ${malformed.length} malformed lines lost): ${errorText(e)}`;
      this.scheduleStats();
      return;
    }

    for (const p of prepared) {
      this.ring.push(p.row);
      this.stats.addRecord(
        p.row.generation,
        p.row.eventId,
        p.row.receivedAt,
        p.row.actionName,
        p.subject.fields,
      );
    }
    if (prepared.length > 0 || malformed.length > 0) this.lastActivity = this.clock.now();

    const updates: LogViewUpdate[] = [];
    for (const v of this.views.values()) {
      let newRows: Prepared[];
      if (v.predicate === null) newRows = prepared;
      else {
        newRows = matches.get(v) ?? [];
        if (v.build !== null) {
          for (const p of newRows) v.build.queued.push(p.input.seq);
          continue;
        }
        v.matched += newRows.length;
      }
      if (newRows.length === 0) continue;
      updates.push(this.viewUpdate(v, newRows));
    }
    if (this.hub.listenerCount('log:update') > 0) {
      const update: LogUpdate = {
        total: this.store.total,
        malformed: this.store.malformedTotal,
        views: updates,
      };
      this.hub.publish('log:update', update);
    }
    this.scheduleStats();
  }

  private prepare(r: IngestedRecord, seq: number, batchMisses: Set<string>): Prepared {
    const rec = r.record;
    const src = this.resolve(r.generation, rec.eventId, batchMisses);
    const schema = src?.schema ?? null;
    const { fields, decoded } = decodeForLog(schema, rec.bytes);
    const text = searchText(fields);
    const context = rec.context.toString(16);
    const { hex, truncated } = rowHex(decoded.hex, schema !== null);
    return {
      input: {
        seq,
        receivedAt: r.receivedAt,
        generation: r.generation,
        eventId: rec.eventId,
        core: rec.core,
        context,
        source: src?.sourceId ?? null,
        length: rec.length,
        bytes: rec.bytes,
        text,
        fields,
      },
      row: {
        seq,
        receivedAt: r.receivedAt,
        generation: r.generation,
        eventId: rec.eventId,
        core: rec.core,
        context,
        length: rec.length,
        source: src?.sourceId ?? null,
        actionId: src?.actionId ?? null,
        actionName: src?.actionName ?? null,
        fields: schema === null ? null : fields,
        hex,
        hexTruncated: truncated,
      },
      subject: {
        generation: r.generation,
        eventId: rec.eventId,
        core: rec.core,
        actionId: src?.actionId ?? null,
        fields,
        text,
        hex: decoded.hex,
      },
    };
  }

  private resolve(generation: number, eventId: number, batchMisses: Set<string>): Resolved | null {
    const key = `${generation}:${eventId}`;
    const known = this.resolved.get(key);
    if (known !== undefined) return known;
    if (batchMisses.has(key) || this.resolver === undefined) return null;
    let info: RecordSourceInfo | null = null;
    try {
      info = this.resolver(generation, eventId);
    } catch (e) {
      console.error(`log: the source resolver failed for event ${key}:`, e);
    }
    if (info === null || typeof info !== 'object') {
      batchMisses.add(key);
      return null;
    }
    const actionId = String(info.actionId).slice(0, MAX_ACTION_ID);
    const actionName = String(info.actionName).slice(0, MAX_ACTION_NAME);
    const schema = Array.isArray(info.schema) ? info.schema : [];
    // A schema that does not validate would decode nonsense: show such records as hex.
    const usable = validateBufferSchema(schema, MAX_RECORD_BYTES).length === 0 ? schema : [];
    let sourceId: number;
    try {
      sourceId = this.store.sourceId(actionId, actionName, usable);
    } catch (e) {
      this.storeError = `the session database refused a source: ${errorText(e)}`;
      batchMisses.add(key);
      return null;
    }
    for (const f of usable) this.stats.noteField(f.name);
    const resolved: Resolved = {
      sourceId,
      actionId,
      actionName,
      schema: usable.length > 0 ? usable : null,
    };
    if (this.resolved.size >= RESOLVED_CACHE_MAX) this.resolved.clear();
    this.resolved.set(key, resolved);
    return resolved;
  }

  // ---- Views -------------------------------------------------------------------------------

  openView(filter: LogFilter): LogViewInfo {
    this.assertOpen();
    if (this.views.size >= MAX_VIEWS) {
      const oldest = [...this.views.values()].sort((a, b) => a.touchedAt - b.touchedAt)[0];
      if (oldest !== undefined) this.closeView(oldest.id);
    }
    const v: ViewState = {
      id: `v${(++this.viewCounter).toString(36)}`,
      revision: 0,
      filter: {},
      predicate: null,
      table: null,
      matched: 0,
      build: null,
      paused: false,
      touchedAt: this.clock.now(),
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
    if (this.disposed || this.hub.listenerCount('log:update') === 0) return;
    this.hub.publish('log:update', {
      total: this.store.total,
      malformed: this.store.malformedTotal,
      views: [{ ...this.viewInfoParts(v), tail: null }],
    });
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

  private view(viewId: string): ViewState {
    this.assertOpen();
    const v = this.views.get(viewId);
    if (v === undefined)
      throw new AppError('not-found', `log view ${viewId} is closed; open a new one`, 'viewId');
    v.touchedAt = this.clock.now();
    return v;
  }

  private matchedOf(v: ViewState): number {
    return v.predicate === null ? this.store.total : v.matched;
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

  private viewUpdate(v: ViewState, newRows: readonly Prepared[]): LogViewUpdate {
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
      this.storeError = `a filter could not be applied to stored records: ${errorText(e)}`;
    }
    b.next = hi;
    if (hi >= b.upTo) {
      if (v.table !== null && b.queued.length > 0) {
        try {
          this.store.appendViewSeqs(v.table, b.queued);
          v.matched += b.queued.length;
        } catch (e) {
          this.storeError = `new records could not join a filtered view: ${errorText(e)}`;
        }
      }
      this.finishBuild(v, b);
    } else setImmediate(() => this.buildStep(v, b, true));
    if (publish && this.hub.listenerCount('log:update') > 0)
      this.hub.publish('log:update', {
        total: this.store.total,
        malformed: this.store.malformedTotal,
        views: [
          {
            ...this.viewInfoParts(v),
            tail: null,
          },
        ],
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

  /** Resolves when the view's current filter has been applied to every stored record. */
  private async built(v: ViewState): Promise<void> {
    while (v.build !== null) {
      const b = v.build;
      await new Promise<void>((resolve) => b.waiters.push(resolve));
    }
  }

  private dropTable(table: string): void {
    if ((this.tableReaders.get(table) ?? 0) > 0) this.orphanTables.add(table);
    else this.store.dropViewTable(table);
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

  private ringRows(seqs: readonly number[]): LogRow[] | undefined {
    const out: LogRow[] = [];
    for (const s of seqs) {
      const row = this.ring.get(s);
      if (row === undefined) return undefined;
      out.push(row);
    }
    return out;
  }

  // ---- Queries -----------------------------------------------------------------------------

  record(seq: number): LogRecordDetail {
    this.assertOpen();
    const r = this.store.record(seq);
    if (r === undefined) throw new AppError('not-found', `no record ${seq} in this session`, 'seq');
    return toDetail(r, (id) => this.store.source(id));
  }

  getStats(): LogStats {
    const now = this.clock.now();
    return {
      total: this.store.total,
      malformed: this.store.malformedTotal,
      pending: this.queue.pending,
      lost: this.lost + this.lostMalformed,
      storeError: this.storeError,
      file: this.store.file,
      fileBytes: this.disposed ? 0 : this.store.fileBytes(),
      startedAt: this.startedAt,
      rate: this.stats.recordRate(now),
      sources: this.store.sources().map((s) => ({
        id: s.id,
        actionId: s.actionId,
        actionName: s.actionName,
        fields: s.schema.map((f) => ({ name: f.name, type: f.type })),
      })),
      fields: this.stats.fields,
      events: this.stats.eventStats(now),
      otherEventsCount: this.stats.otherEventsCount,
      marks: this.stats.marks,
    };
  }

  counts(field: string, top: number, seconds: number, exact: boolean): LogCounts {
    this.assertOpen();
    const rate = this.stats.rateSeries(this.clock.now(), seconds);
    const live = exact ? undefined : this.stats.top(field, top);
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
    this.queue.flushNow();
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
    const v = this.view(viewId);
    // Everything received before the request is part of the export.
    this.queue.flushNow();
    await this.built(v);
    const target = resolveExportTarget(this.dataDir, format, path, overwrite);
    const table = v.table;
    const count = this.matchedOf(v);
    const wanted =
      v.filter.actions === undefined
        ? undefined
        : new Set(v.filter.actions.filter((a): a is string => a !== null));
    const fieldNames: string[] = [];
    for (const s of this.store.sources())
      if (wanted === undefined || wanted.has(s.actionId))
        for (const f of s.schema) if (!fieldNames.includes(f.name)) fieldNames.push(f.name);
    if (table !== null) this.tableReaders.set(table, (this.tableReaders.get(table) ?? 0) + 1);
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
      if (table !== null) {
        const left = (this.tableReaders.get(table) ?? 1) - 1;
        if (left > 0) this.tableReaders.set(table, left);
        else {
          this.tableReaders.delete(table);
          if (this.orphanTables.delete(table) && !this.disposed) this.store.dropViewTable(table);
        }
      }
    }
  }

  // ---- Stats stream and lifecycle -------------------------------------------------------

  private scheduleStats(): void {
    if (this.statsTimer !== undefined || this.disposed) return;
    this.statsTimer = this.clock.setTimeout(() => {
      this.statsTimer = undefined;
      if (this.disposed) return;
      if (this.hub.listenerCount('log:stats') > 0) this.hub.publish('log:stats', this.getStats());
      // Keep publishing while rates still fall back to zero after the last record.
      const quietFor = this.clock.now() - this.lastActivity;
      if (this.lastActivity > 0 && quietFor < (RATE_WINDOW_DECAY_S + 1) * 1000)
        this.scheduleStats();
    }, STATS_INTERVAL_MS);
  }

  /** Writes what is pending now (tests, shutdown). */
  flush(): void {
    if (!this.disposed) this.queue.flushNow();
  }

  dispose(): void {
    if (this.disposed) return;
    this.queue.flushNow();
    this.disposed = true;
    this.queue.dispose();
    if (this.statsTimer !== undefined) this.clock.clearTimeout(this.statsTimer);
    this.statsTimer = undefined;
    for (const v of this.views.values()) {
      v.sorted?.cancel();
      this.cancelBuild(v);
    }
    this.views.clear();
    this.store.close();
  }

  private assertOpen(): void {
    if (this.disposed) throw new AppError('unavailable', 'the log is closed');
  }
}

/** Seconds after the last record during which stats keep flowing (rates fall to zero). */
const RATE_WINDOW_DECAY_S = 6;

function markFields(mark: SessionMark) {
  return {
    generation: Number.isSafeInteger(mark.generation) ? mark.generation : -1,
    at: Number.isFinite(mark.at) ? mark.at : Date.now(),
    targetLabel: String(mark.targetLabel).slice(0, 500),
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const isU32 = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= U32_MAX;

/** Why an ingested record cannot be stored as one, or null when it can. */
export function recordProblem(r: IngestedRecord): string | null {
  if (typeof r !== 'object' || r === null) return 'not an object';
  if (!Number.isFinite(r.receivedAt)) return 'receivedAt is not a time';
  if (!Number.isSafeInteger(r.generation) || r.generation < 0) return 'bad generation';
  const rec = r.record as Partial<IngestedRecord['record']> | null;
  if (typeof rec !== 'object' || rec === null) return 'no record';
  if (!isU32(rec.eventId)) return 'event id is not a 32-bit number';
  if (!isU32(rec.core)) return 'core is not a 32-bit number';
  if (typeof rec.context !== 'bigint' || rec.context < 0n || rec.context > U64_MAX)
    return 'context is not a 64-bit number';
  if (!(rec.bytes instanceof Uint8Array)) return 'bytes missing';
  if (rec.length !== rec.bytes.length) return 'length does not match the bytes';
  if (rec.bytes.length > MAX_RECORD_BYTES)
    return `payload over ${MAX_RECORD_BYTES} bytes (spec §3.5)`;
  return null;
}

function describeRecord(r: IngestedRecord): string {
  try {
    const rec = r.record;
    return `event ${String(rec?.eventId)} core ${String(rec?.core)} length ${String(rec?.length)} bytes ${rec?.bytes instanceof Uint8Array ? rec.bytes.length : 'none'}`;
  } catch {
    return '(unreadable record)';
  }
}
