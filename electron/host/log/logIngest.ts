// The log's intake, the RecordSink side: checks what the session hands over, batches it, decodes
// each record with its action's buffer schema, writes batches to the session database with the
// views' appends in one transaction, and keeps the in-memory ring and live counters. Host side.
import type { StreamHub } from '../../../shared/contract/hub';
import type { LogRow, LogUpdate, LogViewUpdate } from '../../../shared/contract/log';
import { searchText, type FilterSubject } from '../../../shared/log/logFilter';
import { decodeForLog, rowHex } from '../../../shared/log/logRow';
import type { DecodedField } from '../../../shared/model/bufferSchemaDecode';
import {
  MAX_RECORD_BYTES,
  validateBufferSchema,
  type BufferSchema,
} from '../../../shared/model/bufferSchema';
import { createBatcher, type Batcher } from '../../../shared/stream/batcher';
import type { Clock } from '../../../shared/stream/clock';
import { createRingBuffer, type RingBuffer } from '../../../shared/stream/ringBuffer';
import type {
  MalformedInput,
  RecordInput,
  RecordStore,
  ViewAppend,
} from '../store/records/recordStore';
import type { LogStatsTracker } from './logStats';
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
/** Events whose source is remembered; a new CLI process brings new ids. */
const RESOLVED_CACHE_MAX = 4096;
/** Bytes a name from the resolver may take in the database and on screen. */
const MAX_ACTION_NAME = 200;
const MAX_ACTION_ID = 64;
/** Bytes a session mark's label and reason may take (they come from the CLI's profile and exit). */
const MAX_MARK_TEXT = 500;
const U32_MAX = 0xffffffff;
const U64_MAX = (1n << 64n) - 1n;

/** A record prepared for one write: what is stored, shown and filtered. */
export interface PreparedRecord {
  readonly input: RecordInput;
  readonly row: LogRow;
  readonly subject: FilterSubject;
  /** The schema's fields as decoded (empty without a schema), for decode sanity. */
  readonly decoded: readonly DecodedField[];
}

/** Where the new records of one write go besides the records table. */
export interface RoutedRecords {
  /** Filtered views' rows, appended in the write's transaction. */
  readonly appends: readonly ViewAppend[];
  /** Called once the write succeeded: counts the rows in and returns each view's update. */
  committed(): LogViewUpdate[];
}

/** What the intake needs from the rest of the log. */
export interface IngestPort {
  readonly store: RecordStore;
  readonly hub: StreamHub;
  readonly clock: Clock;
  readonly stats: LogStatsTracker;
  /** Which open views show which of the new records. */
  route(records: readonly PreparedRecord[]): RoutedRecords;
  /** The counters moved: the stats stream should show it. */
  statsChanged(): void;
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

export class LogIngest implements RecordSink {
  private readonly store: RecordStore;
  private readonly clock: Clock;
  private resolver: RecordSourceResolver | undefined;
  private readonly resolved = new Map<string, Resolved>();
  private readonly queue: Batcher<QueueItem>;
  private readonly ring: RingBuffer<LogRow> = createRingBuffer<LogRow>(LOG_RING_ROWS);
  private lostRecords = 0;
  private lostMalformed = 0;
  private error: string | null = null;
  private lastWrite = 0;
  private disposed = false;

  constructor(
    private readonly port: IngestPort,
    resolver: RecordSourceResolver | undefined,
  ) {
    this.store = port.store;
    this.clock = port.clock;
    this.resolver = resolver;
    this.queue = createBatcher<QueueItem>({
      flush: (items) => this.writeSafely(items),
      clock: this.clock,
    });
  }

  /** Sets (or replaces) how events map to actions; records already stored keep theirs. */
  setSourceResolver(resolver: RecordSourceResolver | undefined): void {
    this.resolver = resolver;
    this.resolved.clear();
  }

  /** Items received but not written yet. */
  get pending(): number {
    return this.queue.pending;
  }

  /** Records and malformed lines that could not be logged. */
  get lost(): number {
    return this.lostRecords + this.lostMalformed;
  }

  /** The last thing the session database refused, in words. */
  get storeError(): string | null {
    return this.error;
  }

  /** When records last reached the database (0: never). */
  get lastActivity(): number {
    return this.lastWrite;
  }

  /** A failure of another part of the log, shown with the stats. */
  reportStoreError(text: string): void {
    this.error = text;
  }

  /** A logged row still in memory, by seq. */
  recentRow(seq: number): LogRow | undefined {
    return this.ring.get(seq);
  }

  /** Writes what is pending now. */
  flushNow(): void {
    this.queue.flushNow();
  }

  /** Writes what is pending, then takes nothing more (later batches are counted as lost). */
  dispose(): void {
    if (this.disposed) return;
    this.queue.flushNow();
    this.disposed = true;
    this.queue.dispose();
  }

  // ---- RecordSink --------------------------------------------------------------------------

  records(batch: readonly IngestedRecord[]): void {
    if (this.disposed) {
      this.lostRecords += batch.length;
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
      // Counted on arrival, in arrival order: a late record fills its gap (sequenceGaps.ts).
      this.port.stats.addDelivery(r.generation, r.record.eventId, r.record.core, r.record.seq);
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
    this.mark({
      kind: 'ended',
      ...markFields(mark),
      reason: String(mark.reason).slice(0, MAX_MARK_TEXT),
    });
  }

  private mark(m: Parameters<RecordStore['addMark']>[0]): void {
    if (this.disposed) return;
    // Records received before the mark are written before it.
    this.queue.flushNow();
    try {
      this.store.addMark(m);
    } catch (e) {
      this.error = `a session mark could not be stored: ${errorText(e)}`;
    }
    this.port.stats.addMark(m);
    this.port.statsChanged();
  }

  // ---- Writing -----------------------------------------------------------------------------

  /** Never throws into the session engine: whatever fails is counted as lost and shown. */
  private writeSafely(items: QueueItem[]): void {
    try {
      this.write(items);
    } catch (e) {
      const records = items.filter((q) => q.kind === 'record').length;
      this.lostRecords += records;
      this.lostMalformed += items.length - records;
      this.error = `records could not be logged: ${errorText(e)}`;
      this.port.statsChanged();
    }
  }

  private write(items: QueueItem[]): void {
    if (this.disposed) return;
    const prepared: PreparedRecord[] = [];
    const malformed: MalformedInput[] = [];
    const batchMisses = new Set<string>();
    let seq = this.store.total;
    for (const q of items) {
      if (q.kind === 'malformed') malformed.push(q.item);
      else prepared.push(this.prepare(q.item, seq++, batchMisses));
    }

    const routed = this.port.route(prepared);
    try {
      this.store.write(
        prepared.map((p) => p.input),
        malformed,
        routed.appends,
      );
    } catch (e) {
      this.lostRecords += prepared.length;
      this.lostMalformed += malformed.length;
      this.error = `the session database refused a write (${prepared.length} records, ${malformed.length} malformed lines lost): ${errorText(e)}`;
      this.port.statsChanged();
      return;
    }

    for (const p of prepared) {
      this.ring.push(p.row);
      this.port.stats.addRecord(
        p.row.generation,
        p.row.eventId,
        p.row.receivedAt,
        p.row.actionName,
        p.subject.fields,
      );
      if (p.decoded.length > 0)
        this.port.stats.checkDecoding(p.row.generation, p.row.eventId, p.decoded);
    }
    if (prepared.length > 0 || malformed.length > 0) this.lastWrite = this.clock.now();

    const updates = routed.committed();
    const hub = this.port.hub;
    if (hub.listenerCount('log:update') > 0) {
      const update: LogUpdate = {
        total: this.store.total,
        malformed: this.store.malformedTotal,
        views: updates,
      };
      hub.publish('log:update', update);
    }
    this.port.statsChanged();
  }

  private prepare(r: IngestedRecord, seq: number, batchMisses: Set<string>): PreparedRecord {
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
        targetSeq:
          rec.seq !== undefined && Number.isSafeInteger(rec.seq) && rec.seq >= 0 ? rec.seq : null,
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
      decoded: decoded.fields,
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
      this.error = `the session database refused a source: ${errorText(e)}`;
      batchMisses.add(key);
      return null;
    }
    for (const f of usable) this.port.stats.noteField(f.name);
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
}

function markFields(mark: SessionMark) {
  return {
    generation: Number.isSafeInteger(mark.generation) ? mark.generation : -1,
    at: Number.isFinite(mark.at) ? mark.at : Date.now(),
    targetLabel: String(mark.targetLabel).slice(0, MAX_MARK_TEXT),
  };
}

export function errorText(e: unknown): string {
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
    return `payload over ${MAX_RECORD_BYTES} bytes (docs/hyperdbg-v0.23.md §3.5)`;
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
