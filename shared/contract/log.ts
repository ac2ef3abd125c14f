// Contract entries of the `log` domain: the session's records as views (a filter, paged by
// offset), their live updates (batched per flush, newest rows only: a renderer that falls behind
// sees a gap and pages on demand), statistics, counts by value, malformed lines and export. Pure.
import { z } from 'zod';
import { MAX_FIELD_NAME_LENGTH } from '../model/bufferSchema';
import { EXPORT_FORMATS, type ExportFormat } from '../log/exportFormat';
import { logFilterSchema, type LogFilter } from '../log/logFilter';
import { logSortSchema, type LogSort } from '../log/logSort';
import type { LogRow, LogSourceInfo } from '../log/logRow';
import { method, stream } from './define';
import { jobIdSchema, sessionIdSchema } from './sessions';

export type { LogRow, LogSourceInfo } from '../log/logRow';
export type { LogFilter } from '../log/logFilter';
export type { LogSort } from '../log/logSort';

/**
 * A view sorted by a column: a snapshot of its records when the sort was asked (new records are
 * not sorted in; `matched` keeps counting them). Positions 0..count-1 are in sorted order.
 */
export interface LogSortState extends LogSort {
  /** Records in the sorted snapshot; null while sorting. */
  readonly count: number | null;
  /** How far the sort got (keys read); null when done. */
  readonly building: { readonly scanned: number; readonly of: number } | null;
  readonly error: string | null;
}

/** Most rows one page request returns: a screenful is ~50, an export chunk is the host's own. */
export const MAX_PAGE_ROWS = 1000;
/** Counts pane: how many values a top list may show, and how far back the rate chart goes. */
export const MAX_TOP_VALUES = 100;
export const MAX_RATE_SECONDS = 3600;

const viewIdSchema = z.string().regex(/^v[0-9a-z]{1,16}$/, 'a view id');
const offsetSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/**
 * Which session a call reads: absent = this host's live session; an id = a session opened with
 * `sessions:open` (read-only). Calls that name a view need no session: the view belongs to one.
 */
const sessionField = { session: sessionIdSchema.optional() };

/** One event's latest count table (buffer-records.md §7), numbers as JavaScript numbers. */
export interface TargetCountTable {
  readonly generation: number;
  readonly eventId: number;
  /** The table's number: 1, 2, ... one per period. */
  readonly seq: number;
  /** Triggers counted up to this table; `other` those whose key found no slot. */
  readonly total: number;
  readonly other: number;
  /** Host time the table arrived (ms since the epoch). */
  readonly receivedAt: number;
  /** Triggers per second between the previous table and this one (exact); null for the first. */
  readonly triggersPerSecond: number | null;
  /** Filled slots, biggest count first: the key as a user reads it, and its hex. */
  readonly entries: readonly {
    readonly key: string;
    readonly keyHex: string;
    readonly count: number;
  }[];
}

/** A view: one renderer's filter over the session's records, positions 0..matched-1. */
export interface LogViewInfo {
  readonly viewId: string;
  /** Increases with every filter change; pages and updates of an older revision are stale. */
  readonly revision: number;
  readonly filter: LogFilter;
  /** Records matching so far (during a build: matching among those scanned so far). */
  readonly matched: number;
  /** A new filter is being applied to stored records: how far it got. Null when done. */
  readonly building: { readonly scanned: number; readonly of: number } | null;
  /** Sorted by a column (then pages are the sorted snapshot), or null: arrival order, live. */
  readonly sort: LogSortState | null;
}

/** What changed in one view since the last update. */
export interface LogViewUpdate {
  readonly viewId: string;
  readonly revision: number;
  readonly matched: number;
  readonly building: { readonly scanned: number; readonly of: number } | null;
  readonly sort: LogSortState | null;
  /**
   * The newest matching rows, positions `offset`..`offset + rows.length - 1` (= matched - 1).
   * Positions between the previous update and `offset` were left out (a gap): page them on
   * demand. Null while the view is paused or has nothing new.
   */
  readonly tail: { readonly offset: number; readonly rows: readonly LogRow[] } | null;
}

/** One flush of records into the session database. */
export interface LogUpdate {
  readonly total: number;
  readonly malformed: number;
  readonly views: readonly LogViewUpdate[];
}

export interface LogEventStats {
  readonly generation: number;
  readonly eventId: number;
  readonly count: number;
  /** Records per second over the last few complete seconds. */
  readonly rate: number;
  readonly lastAt: number;
  readonly actionName: string | null;
  /**
   * Decode sanity: a field blank, zero or not text in most of the event's first records, and
   * the likely cause (offsets of another Windows build). Null while they look like values.
   */
  readonly decodeWarning: string | null;
  /**
   * Records the target lost (overwritten in its ring, cut, never delivered), from the gaps in
   * the event's HDBG2 sequence numbers (docs/buffer-records.md §2a). Null when its records carry
   * no sequence number (HDBG1): then nobody can tell what was lost.
   */
  readonly lost: number | null;
  /**
   * Each core's delivered and lost records (lowest core first), when the log has them: a past
   * session counted again from its stored sequence numbers. Absent on the live log's stream.
   */
  readonly cores?: readonly CoreLossInfo[] | null;
}

/** One core of one event: records delivered, lost below the highest number, and that number. */
export interface CoreLossInfo {
  readonly core: number;
  readonly delivered: number;
  readonly lost: number;
  readonly highest: number;
}

export interface LogMark {
  readonly kind: 'started' | 'ended';
  readonly generation: number;
  readonly at: number;
  readonly targetLabel: string;
  readonly reason: string | null;
}

export interface LogStats {
  /** Records stored in the session database. */
  readonly total: number;
  readonly malformed: number;
  /** Received and waiting for the next batched write (a few ms' worth). */
  readonly pending: number;
  /** Records that could not be stored (the database failed): counted, never hidden. */
  readonly lost: number;
  /** Records the target lost over every event, from sequence gaps (LogEventStats.lost). */
  readonly targetLost: number;
  /** Records received without a sequence number (HDBG1): their loss cannot be counted. */
  readonly unsequenced: number;
  /**
   * Why the loss of this session cannot be told at all (a session file of layout 1, a run that
   * stopped without closing one, records without sequence numbers), or null/absent when it can.
   */
  readonly lossUnknown?: string | null;
  readonly storeError: string | null;
  /** The session database file and its size. */
  readonly file: string;
  readonly fileBytes: number;
  readonly startedAt: number;
  /** Records per second over the last few complete seconds. */
  readonly rate: number;
  readonly sources: readonly LogSourceInfo[];
  /** Decoded field names across the sources, first seen first. */
  readonly fields: readonly string[];
  readonly events: readonly LogEventStats[];
  /** Records of events beyond the per-event table's cap (counted in `total`). */
  readonly otherEventsCount: number;
  /** The newest session marks (CLI process started / ended). */
  readonly marks: readonly LogMark[];
}

export interface LogRecordDetail {
  readonly row: LogRow;
  readonly fields: readonly {
    readonly name: string;
    readonly type: string;
    readonly offset: number;
    readonly size: number;
    readonly missing: boolean;
    readonly display: string;
  }[];
  /** The whole payload, lower-case hex. */
  readonly hex: string;
  /** 16 bytes a line: `0000  48 44 ...  HD..`. */
  readonly hexDump: readonly string[];
}

export interface LogCounts {
  readonly field: string;
  readonly top: readonly { readonly value: string; readonly count: number }[];
  /** Records that had the field. */
  readonly total: number;
  readonly distinct: number;
  /** Records with values beyond the tracking cap (exact only with `exact: true`). */
  readonly untracked: number;
  readonly exact: boolean;
  /**
   * Records per second, oldest first, starting at `startSec` (epoch s): of the records counted
   * (the view's filter), ending now for the live session and at its last record for a past one.
   */
  readonly rate: { readonly startSec: number; readonly counts: readonly number[] };
  /** The view whose filter the counts follow (null: every record of the session). */
  readonly viewId: string | null;
  readonly revision: number;
  /** The filter counted (normalized; `{}` = every record). */
  readonly filter: LogFilter;
  /** Records the counts are over: those matching the filter, as far as counted. */
  readonly matched: number;
  /** Still counting a large view: how far it got (positions). Null when done. */
  readonly counting: { readonly counted: number; readonly of: number } | null;
}

export interface MalformedRow {
  readonly seq: number;
  readonly receivedAt: number;
  readonly generation: number;
  readonly text: string;
  readonly reason: string;
}

export interface ExportResult {
  readonly path: string;
  readonly fileName: string;
  readonly format: ExportFormat;
  readonly records: number;
  readonly bytes: number;
  /** Browser mode: where the web host serves the file (`/exports/<name>`); null elsewhere. */
  readonly downloadPath: string | null;
}

export const logMethods = {
  /** Opens a view over the session's records with a filter (`{}` = every record). */
  'log:open-view': method<LogViewInfo>()(
    'Opens a view of the log with a filter.',
    z.object({ filter: logFilterSchema, ...sessionField }).strict(),
  ),
  /** Replaces a view's filter: a new revision, built over stored records in chunks. */
  'log:set-filter': method<LogViewInfo>()(
    "Replaces a view's filter.",
    z.object({ viewId: viewIdSchema, filter: logFilterSchema }).strict(),
  ),
  /** A paused view gets counts but no rows in its updates; capture never stops. */
  'log:set-paused': method<LogViewInfo>()(
    'Pauses or resumes the rows a view is sent (capture continues).',
    z.object({ viewId: viewIdSchema, paused: z.boolean() }).strict(),
  ),
  /**
   * Sorts a view by a column (a snapshot of its records now, sorted in steps), or back to
   * arrival order with `null`. A new revision either way.
   */
  'log:set-sort': method<LogViewInfo>()(
    'Sorts a view by a column, or back to arrival order.',
    z.object({ viewId: viewIdSchema, sort: logSortSchema.nullable() }).strict(),
  ),
  'log:close-view': method<null>()('Closes a view.', z.object({ viewId: viewIdSchema }).strict()),
  /** Rows of a view by position. A stale revision answers `conflict`; an unknown view `not-found`. */
  'log:page': method<{
    readonly offset: number;
    readonly rows: readonly LogRow[];
    readonly matched: number;
  }>()(
    'Rows of a view by position.',
    z
      .object({
        viewId: viewIdSchema,
        revision: z.number().int().min(0),
        offset: offsetSchema,
        limit: z.number().int().min(1).max(MAX_PAGE_ROWS),
      })
      .strict(),
  ),
  /** One record with every field (types, offsets) and its whole payload as a hex dump. */
  'log:record': method<LogRecordDetail>()(
    'One record, fully decoded, with its bytes.',
    z.object({ seq: offsetSchema, ...sessionField }).strict(),
  ),
  'log:stats': method<LogStats>()(
    'Totals, per-event hits and rates.',
    z.object({ ...sessionField }).strict(),
  ),
  /**
   * Counts of a decoded field by value (top N) and the record rate per second, over the records
   * of `viewId` (its current filter), or over every record of the session without one.
   */
  'log:counts': method<LogCounts>()(
    'Counts of a decoded field by value, and the record rate over time.',
    z
      .object({
        ...sessionField,
        viewId: viewIdSchema.optional(),
        field: z.string().min(1).max(MAX_FIELD_NAME_LENGTH),
        top: z.number().int().min(1).max(MAX_TOP_VALUES).default(20),
        seconds: z.number().int().min(10).max(MAX_RATE_SECONDS).default(120),
        /** Count in the database instead of the live counters (slower; no tracking cap). */
        exact: z.boolean().default(false),
      })
      .strict(),
  ),
  /**
   * Counts kept in the target by the counted delivery strategy: the latest HDBGT table of each
   * event (buffer-records.md §7), exact up to that table.
   */
  'log:target-counts': method<{ readonly tables: readonly TargetCountTable[] }>()(
    'The latest count table each counted-in-the-target event printed.',
    // A view names its session (a past session's Counts pane asks through its view).
    z.object({ ...sessionField, viewId: viewIdSchema.optional() }).strict(),
  ),
  /** Lines that looked like records but were not (kept and counted, never dropped). */
  'log:malformed': method<{ readonly total: number; readonly lines: readonly MalformedRow[] }>()(
    'Malformed record lines by position.',
    z
      .object({
        offset: offsetSchema,
        limit: z.number().int().min(1).max(MAX_PAGE_ROWS),
        ...sessionField,
      })
      .strict(),
  ),
  /**
   * Writes the view's matching records (as they are when the call starts) to a file: under the
   * data folder's `exports/` unless `path` (absolute, with the format's extension, in an
   * existing folder) is given.
   */
  'log:export': method<ExportResult>()(
    "Exports a view's records to JSON lines or CSV.",
    z
      .object({
        viewId: viewIdSchema,
        format: z.enum(EXPORT_FORMATS),
        path: z.string().min(1).max(1024).optional(),
        overwrite: z.boolean().default(false),
        /** Names the export for `sessions:progress` and `sessions:cancel` (a cancelled export leaves no file). */
        jobId: jobIdSchema.optional(),
      })
      .strict(),
  ),
} as const;

export const logStreams = {
  /** Per write batch (~16 ms / 500 records): totals and each view's new count and newest rows. */
  'log:update': stream<LogUpdate>('New records: totals, and per view its count and newest rows.'),
  /** A few times a second while records arrive: totals, rates, per-event hits, sources. */
  'log:stats': stream<LogStats>('Log statistics: totals, rates, per-event hits.'),
} as const;
