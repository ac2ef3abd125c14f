// Live statistics of the log, kept in memory with fixed caps: per-event hits and rates (the
// event list reads them), the record rate per second (the Counts chart), and counts by value
// for each decoded field, and what each event lost in the target (HDBG2 sequence gaps).
// Everything beyond a cap is counted as such, never dropped. Host side.
import type { LogEventStats, LogMark } from '../../../shared/contract/log';
import { SecondBuckets, ValueCounter } from '../../../shared/log/rates';
import { MAX_RATE_SECONDS } from '../../../shared/contract/log';
import { DecodeSanity } from '../../../shared/log/decodeSanity';
import { SequenceGaps } from '../../../shared/log/sequenceGaps';
import type { DecodedField } from '../../../shared/model/bufferSchemaDecode';

/** "Records/s over the last few seconds": long enough to be steady, short enough to follow. */
export const RATE_WINDOW_S = 5;
/** Distinct events tracked one by one; a flood of bogus ids must not grow memory. */
export const MAX_EVENT_STATS = 1024;
/** Distinct values counted per field, and fields counted, before values go "untracked". */
export const MAX_TRACKED_VALUES = 10_000;
export const MAX_TRACKED_FIELDS = 64;
/** Session marks kept in memory for the stats (all are in the database). */
const MAX_MARKS = 100;

interface EventEntry {
  readonly generation: number;
  readonly eventId: number;
  count: number;
  lastAt: number;
  actionName: string | null;
  readonly buckets: SecondBuckets;
  /** Over the event's first decoded records (see shared/log/decodeSanity.ts). */
  readonly sanity: DecodeSanity;
}

export class LogStatsTracker {
  private readonly events = new Map<string, EventEntry>();
  private otherEvents = 0;
  private readonly rate = new SecondBuckets(MAX_RATE_SECONDS + 1);
  private readonly counters = new Map<string, ValueCounter>();
  private readonly fieldOrder: string[] = [];
  private readonly marksList: LogMark[] = [];
  /** Lost records per event and core, from the sequence numbers of HDBG2 records. */
  readonly gaps = new SequenceGaps();
  /** Records that carried no sequence number (HDBG1): their loss cannot be counted. */
  private unsequencedCount = 0;

  /** Counts one record the target delivered: its sequence number, when it has one. */
  addDelivery(generation: number, eventId: number, core: number, seq: number | undefined): void {
    if (seq === undefined) this.unsequencedCount++;
    else this.gaps.add(generation, eventId, core, seq);
  }

  get unsequenced(): number {
    return this.unsequencedCount;
  }

  /** Records lost in the target over every event (sequence gaps). */
  get targetLost(): number {
    return this.gaps.totalLost;
  }

  /** Counts one stored record. */
  addRecord(
    generation: number,
    eventId: number,
    receivedAt: number,
    actionName: string | null,
    fields: readonly (readonly [string, string])[],
  ): void {
    this.rate.add(receivedAt);
    const key = `${generation}:${eventId}`;
    let e = this.events.get(key);
    if (e === undefined) {
      if (this.events.size >= MAX_EVENT_STATS) this.otherEvents++;
      else {
        e = {
          generation,
          eventId,
          count: 0,
          lastAt: 0,
          actionName,
          buckets: new SecondBuckets(RATE_WINDOW_S + 2),
          sanity: new DecodeSanity(),
        };
        this.events.set(key, e);
      }
    }
    if (e !== undefined) {
      e.count++;
      e.lastAt = Math.max(e.lastAt, receivedAt);
      e.buckets.add(receivedAt);
      if (actionName !== null) e.actionName = actionName;
    }
    for (const [name, value] of fields) this.counter(name)?.add(value);
  }

  /** Feeds an event's decoded record to its decode-sanity check (only its first ones count). */
  checkDecoding(generation: number, eventId: number, fields: readonly DecodedField[]): void {
    const e = this.events.get(`${generation}:${eventId}`);
    if (e !== undefined && !e.sanity.settled) e.sanity.add(fields);
  }

  /** Declares a field name (a source appeared), so the field list has it before any value. */
  noteField(name: string): void {
    if (!this.fieldOrder.includes(name)) this.fieldOrder.push(name);
  }

  private counter(name: string): ValueCounter | undefined {
    let c = this.counters.get(name);
    if (c === undefined && this.counters.size < MAX_TRACKED_FIELDS) {
      c = new ValueCounter(MAX_TRACKED_VALUES);
      this.counters.set(name, c);
      this.noteField(name);
    }
    return c;
  }

  addMark(mark: LogMark): void {
    this.marksList.push(mark);
    if (this.marksList.length > MAX_MARKS) this.marksList.shift();
  }

  get fields(): readonly string[] {
    return this.fieldOrder;
  }

  get marks(): readonly LogMark[] {
    return this.marksList;
  }

  get otherEventsCount(): number {
    return this.otherEvents;
  }

  eventStats(nowMs: number): LogEventStats[] {
    return [...this.events.values()].map((e) => ({
      generation: e.generation,
      eventId: e.eventId,
      count: e.count,
      rate: e.buckets.rate(nowMs, RATE_WINDOW_S),
      lastAt: e.lastAt,
      actionName: e.actionName,
      decodeWarning: e.sanity.warning()?.message ?? null,
      lost: this.gaps.event(e.generation, e.eventId)?.lost ?? null,
    }));
  }

  recordRate(nowMs: number): number {
    return this.rate.rate(nowMs, RATE_WINDOW_S);
  }

  rateSeries(nowMs: number, seconds: number) {
    return this.rate.series(nowMs, seconds);
  }

  /** Live counts of a field; undefined when the field was never counted. */
  top(field: string, n: number) {
    return this.counters.get(field)?.top(n);
  }
}
