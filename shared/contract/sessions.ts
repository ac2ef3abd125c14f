// Contract entries of the `sessions` domain: every run's session database as a document (listed,
// opened read-only with the log's own views, deleted, kept by a retention policy) and the import
// of console transcripts and HyperDbg `.logopen` files into new sessions. Pure.
import { z } from 'zod';
import type { CoreLossInfo, LogUpdate, TargetCountTable } from './log';
import { method, stream } from './define';

/** A session's id: its database file's name without `.sqlite3` (what the CLI takes too). */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const sessionIdSchema = z.string().regex(SESSION_ID_PATTERN, 'a session id');

/** Ids the client picks for a long job (an import, an export) so it can follow and cancel it. */
export const jobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a job id');

/** Sessions one delete may name: a screenful of checked rows, not a loop over the folder. */
export const MAX_DELETE_IDS = 500;
/** Retention limits: numbers a person types, with room to spare. */
export const MAX_KEEP_SESSIONS = 100_000;
export const MAX_KEEP_DAYS = 36_500;
export const MAX_KEEP_MIB = 16 * 1024 * 1024;
/** Raw bytes one upload chunk carries (base64 makes it a third larger on the wire). */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;
/** Event-to-action choices an import takes: more events than any session has. */
export const MAX_IMPORT_MAPPINGS = 4096;

/** Where a session came from. */
export type SessionKind = 'app' | 'capture' | 'import';

/**
 * `running`: this host is writing it (the live session) or another process still is;
 * `ended`: closed normally; `interrupted`: its writer stopped without closing it (a crash).
 */
export type SessionRunState = 'running' | 'ended' | 'interrupted';

export interface SessionSummary {
  readonly id: string;
  readonly file: string;
  readonly kind: SessionKind | null;
  readonly state: SessionRunState;
  /** This host's own running session: the Live log shows it. */
  readonly live: boolean;
  /** Opened read-only in this host now. */
  readonly open: boolean;
  /** When the document was made (ms since the epoch): what retention goes by. */
  readonly createdAt: number | null;
  /** ms since the epoch; null when neither the file nor its records say. */
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly targetLabel: string | null;
  readonly mode: string | null;
  readonly capability: string | null;
  readonly osBuild: string | null;
  readonly cliVersion: string | null;
  readonly records: number;
  readonly malformed: number;
  /** Records the app could not store; null when the file does not say (older files). */
  readonly lost: number | null;
  /**
   * Records the target lost (HDBG2 sequence gaps, docs/buffer-records.md §2a); null when it
   * cannot be told: records without sequence numbers, or a file that does not say.
   */
  readonly targetLost: number | null;
  /** The database and its write-ahead log, in bytes. */
  readonly sizeBytes: number;
  /** Imports: the file it was made from. */
  readonly importedFrom: string | null;
  /** `meta`: the file describes itself; `derived`: an older file, read from its tables. */
  readonly described: 'meta' | 'derived';
  /** The file could not be read as a session: why (it is listed so it can be deleted). */
  readonly problem: string | null;
}

export interface SessionEventSummary {
  readonly generation: number;
  readonly eventId: number;
  readonly records: number;
  readonly actionName: string | null;
  /** The event's command line when the session knows it (imports, captures). */
  readonly command: string | null;
  /** Records the target lost (sequence gaps, counted from the stored records); null: unknown. */
  readonly lost: number | null;
  /** Each core's delivered and lost records; null when unknown (a layout-1 file, HDBG1). */
  readonly cores: readonly CoreLossInfo[] | null;
}

export interface SessionDetail extends SessionSummary {
  readonly appVersion: string | null;
  readonly events: readonly SessionEventSummary[];
  readonly sources: readonly { readonly actionId: string; readonly actionName: string }[];
  readonly marks: readonly {
    readonly kind: string;
    readonly generation: number;
    readonly at: number;
    readonly targetLabel: string;
    readonly reason: string | null;
  }[];
  /** The raw console transcripts of its CLI processes (file names in the same folder). */
  readonly transcripts: readonly string[];
  /** What an import could not do (unmapped events, ...), in words. */
  readonly notes: readonly string[];
  /** Records without a sequence number: their loss cannot be told. */
  readonly unsequenced: number;
  /** Why the session's loss cannot be told at all, or null (then `targetLost` is exact). */
  readonly lossUnknown: string | null;
  /** The session file's layout version (docs/session-files.md). */
  readonly layout: number;
  /** The newest count table each counted-in-the-target event printed (kept from layout 2). */
  readonly countTables: readonly TargetCountTable[];
}

/** Which old sessions are deleted; null = no limit of that kind. */
export interface RetentionPolicy {
  readonly keepSessions: number | null;
  readonly keepDays: number | null;
  readonly maxTotalMiB: number | null;
}

export const retentionPolicySchema = z
  .object({
    keepSessions: z.number().int().min(1).max(MAX_KEEP_SESSIONS).nullable(),
    keepDays: z.number().int().min(1).max(MAX_KEEP_DAYS).nullable(),
    maxTotalMiB: z.number().int().min(1).max(MAX_KEEP_MIB).nullable(),
  })
  .strict();

export interface SessionList {
  readonly dir: string;
  readonly sessions: readonly SessionSummary[];
  readonly totalBytes: number;
  readonly retention: RetentionPolicy;
}

export interface DeleteResult {
  readonly deleted: readonly string[];
  readonly refused: readonly { readonly id: string; readonly reason: string }[];
}

export interface RetentionResult extends DeleteResult {
  readonly policy: RetentionPolicy;
}

/** What an import file is, by its content. */
export type ImportSourceKind = 'transcript' | 'logopen' | 'session';

/** One event seen in an import file, and the action its records will be decoded with. */
export interface ImportEvent {
  readonly generation: number;
  readonly eventId: number;
  readonly records: number;
  /** The command that created it, as the file shows it (the `events` listing may cut it). */
  readonly command: string | null;
  readonly commandTruncated: boolean;
  /** The library action matched to it; null when none could be. */
  readonly actionId: string | null;
  readonly actionName: string | null;
  /** How the match was made, or why there is none, in words. */
  readonly match: string;
}

export interface ImportPlan {
  readonly jobId: string;
  readonly fileName: string;
  readonly bytes: number;
  readonly kind: ImportSourceKind;
  readonly records: number;
  readonly malformed: number;
  readonly events: readonly ImportEvent[];
  /** Actions the user may choose for an event (the library's record actions). */
  readonly actions: readonly {
    readonly id: string;
    readonly name: string;
    readonly kind: 'log' | 'code';
    readonly fields: readonly string[];
  }[];
  readonly notes: readonly string[];
}

export interface ImportResult {
  readonly session: SessionSummary;
  readonly records: number;
  readonly malformed: number;
  readonly events: readonly ImportEvent[];
  readonly notes: readonly string[];
}

export interface JobProgress {
  readonly jobId: string;
  readonly phase: 'upload' | 'scan' | 'import' | 'export';
  readonly done: number;
  readonly of: number;
  /** What `done` and `of` count. */
  readonly unit: 'bytes' | 'records';
}

const importSource = {
  /** A file on the host's machine (absolute path)... */
  path: z.string().min(1).max(4096).optional(),
  /** ...or one the renderer uploaded with `sessions:upload-*`. */
  uploadId: jobIdSchema.optional(),
};

const oneSource = (v: { path?: string; uploadId?: string }) =>
  (v.path === undefined) !== (v.uploadId === undefined);

export const sessionsMethods = {
  /** Every session database in the data folder, newest first, with the retention policy. */
  'sessions:list': method<SessionList>()(
    'Lists the sessions in the data folder.',
    z.object({}).strict(),
  ),
  /** One session's description: its events, actions, marks, transcripts and notes. */
  'sessions:show': method<SessionDetail>()(
    'Describes one session.',
    z.object({ id: sessionIdSchema }).strict(),
  ),
  /**
   * Opens a past session read-only: `log:*` calls that name it (`session`) then read it with the
   * live log's views, counts and export. The live session needs no opening.
   */
  'sessions:open': method<SessionSummary>()(
    'Opens a session read-only for the log.',
    z.object({ id: sessionIdSchema }).strict(),
  ),
  'sessions:close': method<null>()(
    'Closes an opened session.',
    z.object({ id: sessionIdSchema }).strict(),
  ),
  /** Deletes session files; the running session and open ones are refused, one by one. */
  'sessions:delete': method<DeleteResult>()(
    'Deletes sessions (never the running or an open one).',
    z.object({ ids: z.array(sessionIdSchema).min(1).max(MAX_DELETE_IDS) }).strict(),
  ),
  'sessions:get-retention': method<RetentionPolicy>()(
    'The retention policy.',
    z.object({}).strict(),
  ),
  /** Saves the policy and applies it at once (and at every start-up). */
  'sessions:set-retention': method<RetentionResult>()(
    'Saves and applies the retention policy.',
    z.object({ policy: retentionPolicySchema }).strict(),
  ),
  /** Starts an upload of a file the user picked in the renderer (browser mode has no paths). */
  'sessions:upload-begin': method<{ readonly uploadId: string }>()(
    'Starts uploading an import file.',
    z
      .object({
        fileName: z.string().min(1).max(255),
        bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      })
      .strict(),
  ),
  /** The next chunk, at `offset` (chunks arrive in order), as base64. */
  'sessions:upload-chunk': method<{ readonly received: number }>()(
    'Appends a chunk to an upload.',
    z
      .object({
        uploadId: jobIdSchema,
        offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
        data: z
          .string()
          .max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
      })
      .strict(),
  ),
  'sessions:upload-discard': method<null>()(
    'Discards an upload.',
    z.object({ uploadId: jobIdSchema }).strict(),
  ),
  /**
   * Reads an import file once (streamed): what it is, its events and the actions they map to.
   * Progress on `sessions:progress` under `jobId`; `sessions:cancel` stops it.
   */
  'sessions:import-scan': method<ImportPlan>()(
    'Scans a transcript or .logopen file for import.',
    z
      .object({ jobId: jobIdSchema, ...importSource })
      .strict()
      .refine(oneSource, { message: 'give either path or uploadId', path: ['path'] }),
  ),
  /** Imports the file into a new session, decoding each event with the chosen action. */
  'sessions:import': method<ImportResult>()(
    'Imports a transcript or .logopen file as a new session.',
    z
      .object({
        jobId: jobIdSchema,
        ...importSource,
        /** Overrides of the scan's matches; `actionId: null` keeps an event's records as hex. */
        mapping: z
          .array(
            z
              .object({
                generation: z.number().int().min(0).max(0xffffffff),
                eventId: z.number().int().min(0).max(0xffffffff),
                actionId: z.string().min(1).max(64).nullable(),
              })
              .strict(),
          )
          .max(MAX_IMPORT_MAPPINGS)
          .default([]),
        label: z.string().max(200).optional(),
      })
      .strict()
      .refine(oneSource, { message: 'give either path or uploadId', path: ['path'] }),
  ),
  /** Cancels a running import, scan or export job (its partial output is removed). */
  'sessions:cancel': method<{ readonly cancelled: boolean }>()(
    'Cancels a running import, scan or export.',
    z.object({ jobId: jobIdSchema }).strict(),
  ),
} as const;

export const sessionsStreams = {
  /** The set of sessions changed (one started, ended, was imported, deleted or retired). */
  'sessions:changed': stream<{ readonly reason: string }>('The list of sessions changed.'),
  /** An opened session's view updates (a filter being applied to its records). */
  'sessions:log-update': stream<{ readonly session: string; readonly update: LogUpdate }>(
    "An opened session's log view updates.",
  ),
  /** Progress of a long job (upload, scan, import, export), a few times a second. */
  'sessions:progress': stream<JobProgress>('Progress of an import or export job.'),
} as const;
