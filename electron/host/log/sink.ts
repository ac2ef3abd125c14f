// The seam between the session engine and the log service: the session parses the CLI's output
// and hands records (and lines that looked like records but were not) to a RecordSink, in
// arrival order and in batches. The log service implements it; tests use a recording one.
import type { CountTable } from '../../../shared/delivery/countedTable';
import type { HdbgRecord } from '../../../shared/model/record';

export interface IngestedRecord {
  /** Host time the record's line was parsed, ms since the epoch. */
  readonly receivedAt: number;
  /** The CLI process it came from: event ids restart at 0 in a new process (spec §2.4). */
  readonly generation: number;
  readonly record: HdbgRecord;
}

export interface MalformedLine {
  readonly receivedAt: number;
  readonly generation: number;
  readonly text: string;
  /** What is wrong with it (from the parser). */
  readonly reason: string;
}

export interface SessionMark {
  readonly generation: number;
  readonly at: number;
  readonly targetLabel: string;
  /** The raw transcript file of this CLI process, when one is written. */
  readonly transcript?: string;
}

/** A count table an event printed (counted in the target, buffer-records.md §7). */
export interface IngestedCountTable {
  readonly receivedAt: number;
  readonly generation: number;
  readonly table: CountTable;
}

export interface RecordSink {
  records(batch: readonly IngestedRecord[]): void;
  /** A count table arrived; sinks that do not show counts leave it out. */
  countTable?(t: IngestedCountTable): void;
  malformed(batch: readonly MalformedLine[]): void;
  /** A CLI process started (generation increases by one each time). */
  sessionStarted(mark: SessionMark): void;
  /** It ended; `reason` says how (exit code, crash, user). */
  sessionEnded(mark: SessionMark & { readonly reason: string }): void;
}
