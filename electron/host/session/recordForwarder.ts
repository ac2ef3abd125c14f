// Hands parsed records and malformed record lines to the RecordSink (the log service) in batches
// (architecture §3: ~16 ms or 500 items), in arrival order, stamped with the CLI process's
// generation. The sink is called synchronously and a failing sink is counted, never allowed to
// stop the session: the log must not back-pressure the debugger. Host side.
import { COUNT_TABLE_PREFIX, parseCountTableLine } from '../../../shared/delivery/countedTable';
import type { HdbgRecord } from '../../../shared/model/record';
import { BATCH_MAX_DELAY_MS, BATCH_MAX_ITEMS } from '../../../shared/stream/batcher';
import type { IngestedRecord, MalformedLine, RecordSink } from '../log/sink';

/** A sink that keeps nothing, for hosts without a log service. */
export const NO_OP_SINK: RecordSink = {
  records: () => undefined,
  malformed: () => undefined,
  sessionStarted: () => undefined,
  sessionEnded: () => undefined,
};

/** One object per record: an IngestedRecord (has `record`) or a MalformedLine (has `text`). */
type Pending = IngestedRecord | MalformedLine;

export interface ForwarderCounts {
  records: number;
  malformed: number;
  /** Sink calls that threw. */
  sinkErrors: number;
}

export class RecordForwarder {
  readonly counts: ForwarderCounts = { records: 0, malformed: 0, sinkErrors: 0 };
  private pending: Pending[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly sink: RecordSink,
    private readonly generation: number,
    private readonly onSinkError: (e: unknown) => void = () => undefined,
  ) {}

  record(record: HdbgRecord, receivedAt: number): void {
    this.counts.records++;
    this.pending.push({ receivedAt, generation: this.generation, record });
    this.scheduled();
  }

  malformed(text: string, reason: string, receivedAt: number): void {
    this.counts.malformed++;
    this.pending.push({ receivedAt, generation: this.generation, text, reason });
    this.scheduled();
  }

  /**
   * A text line that may be a count table (buffer-records.md §7): handed on at once (one per
   * period, so no batching), after the records before it; a cut table is a malformed line.
   * Returns whether the line was one.
   */
  text(line: string, receivedAt: number): boolean {
    if (!line.startsWith(COUNT_TABLE_PREFIX)) return false;
    const table = parseCountTableLine(line);
    if (table === null) return false;
    if (typeof table === 'string') {
      this.malformed(line, table, receivedAt);
      return true;
    }
    this.flush();
    try {
      this.sink.countTable?.({ receivedAt, generation: this.generation, table });
    } catch (e) {
      this.counts.sinkErrors++;
      this.onSinkError(e);
    }
    return true;
  }

  /** Hands on everything pending: runs of records and of malformed lines, in order. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.pending;
    if (items.length === 0) return;
    this.pending = [];
    let i = 0;
    while (i < items.length) {
      const isRecord = 'record' in (items[i] as Pending);
      let j = i;
      while (j < items.length && 'record' in (items[j] as Pending) === isRecord) j++;
      // The common case, records only, hands the array on without copying it.
      const run = i === 0 && j === items.length ? items : items.slice(i, j);
      try {
        if (isRecord) this.sink.records(run as IngestedRecord[]);
        else this.sink.malformed(run as MalformedLine[]);
      } catch (e) {
        this.counts.sinkErrors++;
        this.onSinkError(e);
      }
      i = j;
    }
  }

  dispose(): void {
    this.flush();
  }

  private scheduled(): void {
    if (this.pending.length >= BATCH_MAX_ITEMS) this.flush();
    else if (this.timer === undefined)
      this.timer = setTimeout(() => this.flush(), BATCH_MAX_DELAY_MS);
  }
}
