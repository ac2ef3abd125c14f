// The sessions of a data folder as documents: lists them, describes one, opens past ones
// read-only for the log (the live log's own views over them), deletes them (never the running
// session or an open one), applies the retention policy (at start-up and when it changes), and
// imports transcripts and `.logopen` files as new sessions. The app's handlers and the headless
// CLI both use it. Host side.
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import type { StreamHub } from '../../../shared/contract/hub';
import { AppError } from '../../../shared/contract/result';
import type {
  DeleteResult,
  ImportPlan,
  ImportResult,
  RetentionPolicy,
  RetentionResult,
  SessionDetail,
  SessionList,
  SessionSummary,
} from '../../../shared/contract/sessions';
import { retentionVictims } from '../../../shared/sessions/retention';
import type { LogService } from '../log/logService';
import { SessionLog, type SessionLogApi } from '../log/sessionLog';
import { RecordStore } from '../store/records/recordStore';
import {
  listSessionFiles,
  removeSessionFiles,
  sessionsDirOf,
  summarizeSessionFile,
  transcriptsOf,
} from '../store/records/sessionFiles';
import { processAlive, SESSION_FILE_EXTENSION, sessionIdOf } from '../store/records/sessionMeta';
import { runImport, scanImport, type ImportAction, type ScanResult } from './importer';
import { liveDetail, pastDetail } from './sessionDetail';
import type { Jobs } from './jobs';
import { describeFsError } from '../dataFolders';
import { readRetention, writeRetention } from './retentionFile';
import { sniffFile } from './transcriptReader';
import { Uploads } from './uploads';

/** Events a detail lists (a session with more is a flood of bogus ids). */
const MAX_DETAIL_EVENTS = 1024;
const MAX_DETAIL_MARKS = 200;
/** Sessions opened read-only at once: each holds a SQLite connection and page cache. */
export const MAX_OPEN_SESSIONS = 8;
/** Marks a session as open in some app process: `<file>-open-<pid>`. */
const OPEN_MARK = /^(.+)-open-(\d{1,10})$/;

export interface SessionsServiceOptions {
  readonly dataDir: string;
  readonly hub: StreamHub;
  readonly jobs: Jobs;
  readonly appVersion: string;
  /** This host's live session (null: the CLI, which has none). */
  readonly live: () => LogService | null;
  /** The library's actions that decode records, with their code and script, for imports. */
  readonly importActions: () => Promise<readonly ImportAction[]>;
  /** Why the data folder cannot be written, when start-up found out (dataFolders.ts). */
  readonly readOnlyBecause?: string | null;
}

export class SessionsService {
  readonly dir: string;
  private readonly opened = new Map<string, SessionLog>();
  private readonly scans = new Map<string, { path: string; scan: ScanResult }>();
  private readonly uploads: Uploads;
  private readonly thisHost = hostname();
  /**
   * Why the sessions folder cannot be written (read-only media, a file in the way, a full
   * disk), or null. Past sessions are then still listed and opened read-only; deleting,
   * retention and imports are refused with this reason.
   */
  readonly readOnlyBecause: string | null;

  constructor(private readonly o: SessionsServiceOptions) {
    this.dir = sessionsDirOf(o.dataDir);
    let problem = o.readOnlyBecause ?? null;
    if (problem === null)
      try {
        mkdirSync(this.dir, { recursive: true });
      } catch (e) {
        problem = describeFsError(e);
      }
    this.readOnlyBecause = problem;
    this.uploads = new Uploads(join(this.dir, '.uploads'));
    if (problem === null) this.cleanStaleOpenMarks();
  }

  /** Refuses a change to the sessions folder when it cannot be written, saying why. */
  private assertWritable(what: string): void {
    if (this.readOnlyBecause !== null)
      throw new AppError(
        'unavailable',
        `cannot ${what}: the sessions folder ${this.dir} cannot be written (${this.readOnlyBecause}); past sessions can still be opened read-only`,
      );
  }

  // ---- Listing -------------------------------------------------------------------------------

  private fileOf(id: string): string {
    return join(this.dir, `${id}${SESSION_FILE_EXTENSION}`);
  }

  private ctx() {
    return {
      thisHost: this.thisHost,
      liveFile: this.o.live()?.file ?? null,
      openIds: new Set(this.opened.keys()),
    };
  }

  private summaryOf(file: string): SessionSummary {
    const s = summarizeSessionFile(file, this.ctx());
    const live = this.o.live();
    if (!s.live || live === null) {
      // An opened session's loss, once counted from its records, is the truth (its meta may be
      // stale: a run that crashed wrote it at its last CLI start).
      const counted = this.opened.get(s.id)?.countedLoss;
      if (counted === undefined || counted === null) return s;
      return { ...s, targetLost: counted.unknownBecause === null ? counted.targetLost : null };
    }
    // The live session's tables are being written: its own counters are the truth.
    const stats = live.getStats();
    const targetLost =
      stats.targetLost === 0 && stats.unsequenced >= stats.total && stats.total > 0
        ? null
        : stats.targetLost;
    return {
      ...s,
      records: stats.total,
      malformed: stats.malformed,
      lost: stats.lost,
      targetLost,
    };
  }

  list(): SessionList {
    const sessions = listSessionFiles(this.dir)
      .map((n) => this.summaryOf(join(this.dir, n)))
      .sort((a, b) => (b.startedAt ?? b.createdAt ?? 0) - (a.startedAt ?? a.createdAt ?? 0));
    return {
      dir: this.dir,
      sessions,
      totalBytes: sessions.reduce((n, s) => n + s.sizeBytes, 0),
      retention: this.getRetention(),
    };
  }

  /** A session by id, a unique id prefix, or `latest` (the newest). */
  resolve(idOrPrefix: string): string {
    const names = listSessionFiles(this.dir).map(sessionIdOf);
    if (names.includes(idOrPrefix)) return idOrPrefix;
    if (idOrPrefix === 'latest') {
      const newest = this.list().sessions[0];
      if (newest !== undefined) return newest.id;
    }
    const hits = names.filter((n) => n.startsWith(idOrPrefix));
    if (hits.length === 1) return hits[0] as string;
    if (hits.length > 1)
      throw new AppError(
        'invalid-input',
        `${idOrPrefix} names ${hits.length} sessions (${hits.slice(0, 3).join(', ')}${hits.length > 3 ? ', ...' : ''}); give more of the id`,
        'id',
      );
    throw new AppError('not-found', `no session ${idOrPrefix} in ${this.dir}`, 'id');
  }

  /**
   * One session described, its loss counted again from its records (per event and core) and
   * its count tables read back: through the session opened for the log when it is, else through
   * one opened for this call only.
   */
  async show(id: string): Promise<SessionDetail> {
    const sid = this.resolve(id);
    const file = this.fileOf(sid);
    const summary = this.summaryOf(file);
    if (summary.problem !== null) throw new AppError('invalid-input', summary.problem, 'id');
    const live = this.o.live();
    if (live !== null && live.id === sid) return liveDetail(live, summary, MAX_DETAIL_EVENTS);
    const opened = this.opened.get(sid);
    let log: SessionLog;
    try {
      log = opened ?? this.sessionLog(sid);
    } catch (e) {
      throw e instanceof AppError ? e : new AppError('invalid-input', String(e), 'id');
    }
    try {
      return await pastDetail(log, summary, MAX_DETAIL_EVENTS, MAX_DETAIL_MARKS);
    } finally {
      if (opened === undefined) log.close();
    }
  }

  private sessionLog(sid: string): SessionLog {
    return new SessionLog({
      id: sid,
      file: this.fileOf(sid),
      dataDir: this.o.dataDir,
      hub: this.o.hub,
      jobs: this.o.jobs,
    });
  }

  // ---- Opening for the log -------------------------------------------------------------------

  /** Opens a past session read-only (the live one needs no opening). */
  open(id: string): SessionSummary {
    const sid = this.resolve(id);
    const live = this.o.live();
    if (live !== null && live.id === sid) return this.summaryOf(live.file);
    if (!this.opened.has(sid)) {
      if (this.opened.size >= MAX_OPEN_SESSIONS)
        throw new AppError(
          'conflict',
          `${MAX_OPEN_SESSIONS} sessions are open already; close one first`,
          'id',
        );
      const log = this.sessionLog(sid);
      this.opened.set(sid, log);
      this.markOpen(log.file, true);
    }
    return this.summaryOf(this.fileOf(sid));
  }

  close(id: string): void {
    const log = this.opened.get(id);
    if (log === undefined) return;
    this.opened.delete(id);
    log.close();
    this.markOpen(log.file, false);
  }

  /** The log a `log:*` call reads: the live one, or an opened (opened now if need be) session. */
  logFor(session: string | undefined): SessionLogApi {
    const live = this.o.live();
    if (session === undefined || (live !== null && live.id === session)) {
      if (live === null) throw new AppError('unavailable', 'there is no live session here');
      return live;
    }
    if (!this.opened.has(session)) this.open(session);
    return this.opened.get(session) as SessionLog;
  }

  /** The log that owns a view. */
  logForView(viewId: string): SessionLogApi {
    const live = this.o.live();
    if (live !== null && live.ownsView(viewId)) return live;
    for (const log of this.opened.values()) if (log.ownsView(viewId)) return log;
    throw new AppError('not-found', `log view ${viewId} is closed; open a new one`, 'viewId');
  }

  // ---- Deleting and retention ------------------------------------------------------------------

  /** Why a session must not be deleted now, or null. */
  private protectedBy(s: SessionSummary): string | null {
    if (s.live) return 'it is the running session';
    if (s.state === 'running') return 'another program is still writing it';
    if (this.opened.has(s.id)) return 'it is open; close it first';
    if (this.openElsewhere(s.file)) return 'it is open in another HyperDbg Studio';
    return null;
  }

  delete(ids: readonly string[]): DeleteResult {
    this.assertWritable('delete sessions');
    const deleted: string[] = [];
    const refused: { id: string; reason: string }[] = [];
    for (const raw of ids) {
      let id: string;
      try {
        id = this.resolve(raw);
      } catch (e) {
        refused.push({ id: raw, reason: e instanceof Error ? e.message : String(e) });
        continue;
      }
      const file = this.fileOf(id);
      const s = this.summaryOf(file);
      const why = this.protectedBy(s);
      if (why !== null) {
        refused.push({ id, reason: why });
        continue;
      }
      const failed = removeSessionFiles(file, transcriptsOf(file));
      if (failed.length > 0) refused.push({ id, reason: `could not remove ${failed.join('; ')}` });
      else deleted.push(id);
    }
    if (deleted.length > 0) this.changed(`deleted ${deleted.length}`);
    return { deleted, refused };
  }

  getRetention(): RetentionPolicy {
    return readRetention(this.o.dataDir);
  }

  setRetention(policy: RetentionPolicy): RetentionResult {
    this.assertWritable('change the retention policy');
    writeRetention(this.o.dataDir, policy);
    return this.applyRetention();
  }

  /** Deletes what the policy says (never a protected session); at start-up and on change. */
  applyRetention(now = Date.now()): RetentionResult {
    const policy = this.getRetention();
    // Nothing can be deleted from a folder that cannot be written: the policy waits.
    if (this.readOnlyBecause !== null) return { deleted: [], refused: [], policy };
    const sessions = this.list().sessions;
    const victims = retentionVictims(
      sessions.map((s) => ({
        id: s.id,
        createdAt: s.createdAt,
        sizeBytes: s.sizeBytes,
        protectedBy:
          s.problem !== null
            ? 'it is not a readable session (delete it yourself)'
            : this.protectedBy(s),
      })),
      policy,
      now,
    );
    const result =
      victims.length === 0 ? { deleted: [], refused: [] } : this.delete(victims.map((v) => v.id));
    return { ...result, policy };
  }

  // ---- Open marks (so another app process, or the CLI, never deletes what is open) -----------

  private markOpen(file: string, open: boolean): void {
    if (this.readOnlyBecause !== null) return;
    const mark = `${file}-open-${process.pid}`;
    try {
      if (open) writeFileSync(mark, '');
      else rmSync(mark, { force: true });
    } catch {
      // Only a courtesy to other processes: the open session works without it.
    }
  }

  private openElsewhere(file: string): boolean {
    const name = basename(file);
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return false;
    }
    for (const n of names) {
      const m = OPEN_MARK.exec(n);
      if (m === null || m[1] !== name) continue;
      const pid = Number(m[2]);
      if (pid === process.pid) continue;
      if (processAlive(pid)) return true;
    }
    return false;
  }

  private cleanStaleOpenMarks(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const n of names) {
      const m = OPEN_MARK.exec(n);
      if (m !== null && !processAlive(Number(m[2]))) rmSync(join(this.dir, n), { force: true });
    }
  }

  // ---- Import -------------------------------------------------------------------------------

  get uploadsStore(): Uploads {
    this.assertWritable('upload a file to import');
    return this.uploads;
  }

  private sourcePath(input: { path?: string; uploadId?: string }): { path: string; name: string } {
    if (input.uploadId !== undefined) return this.uploads.finished(input.uploadId);
    const path = input.path ?? '';
    if (!isAbsolute(path))
      throw new AppError(
        'invalid-input',
        `the file to import must be an absolute path: ${JSON.stringify(path)}`,
        'path',
      );
    return { path, name: basename(path) };
  }

  /** Reads the file once: what it is, its events and the actions they map to. */
  async scan(input: { jobId: string; path?: string; uploadId?: string }): Promise<ImportPlan> {
    this.assertWritable('import a file');
    const { path, name } = this.sourcePath(input);
    const actions = await this.o.importActions();
    const { kind, size } = await sniffFile(path);
    const base = {
      jobId: input.jobId,
      fileName: name,
      bytes: size,
      actions: actions.map((a) => ({ id: a.id, name: a.name, kind: a.kind, fields: a.fields })),
    };
    if (kind === 'session') {
      const facts = checkSessionCopy(path);
      return {
        ...base,
        kind,
        records: facts.records,
        malformed: facts.malformed,
        events: [],
        notes: ['a session database: it is copied as it is'],
      };
    }
    const job = this.o.jobs.start(input.jobId, 'scan', 'bytes', `the scan of ${name}`);
    try {
      const scan = await scanImport(path, actions, job);
      this.scans.set(input.jobId, { path, scan });
      return {
        ...base,
        kind: scan.summary.kind,
        records: scan.records,
        malformed: scan.malformed,
        events: scan.events,
        notes: scan.notes,
      };
    } finally {
      job.end();
    }
  }

  /** Imports the file into a new session (scanning it first unless this job just did). */
  async import(input: {
    jobId: string;
    path?: string;
    uploadId?: string;
    mapping: readonly { generation: number; eventId: number; actionId: string | null }[];
    label?: string;
  }): Promise<ImportResult> {
    const { path, name } = this.sourcePath(input);
    const { kind } = await sniffFile(path);
    if (kind === 'session') {
      const id = this.copySession(path, name);
      this.uploadDone(input.uploadId);
      this.changed('imported');
      const summary = this.summaryOf(this.fileOf(id));
      return {
        session: summary,
        records: summary.records,
        malformed: summary.malformed,
        events: [],
        notes: [],
      };
    }
    const actions = await this.o.importActions();
    const known = this.scans.get(input.jobId);
    this.scans.delete(input.jobId);
    const scan =
      known !== undefined && known.path === path
        ? known.scan
        : await (async () => {
            const job = this.o.jobs.start(input.jobId, 'scan', 'bytes', `the scan of ${name}`);
            try {
              return await scanImport(path, actions, job);
            } finally {
              job.end();
            }
          })();
    const choices = new Map(input.mapping.map((m) => [`${m.generation}:${m.eventId}`, m.actionId]));
    const job = this.o.jobs.start(input.jobId, 'import', 'bytes', `the import of ${name}`);
    try {
      const out = await runImport({
        path,
        fileName: name,
        dataDir: this.o.dataDir,
        appVersion: this.o.appVersion,
        label: input.label,
        actions,
        scan,
        choices,
        job,
        modifiedAt: modifiedTime(path),
      });
      this.uploadDone(input.uploadId);
      this.changed('imported');
      return {
        session: this.summaryOf(out.file),
        records: out.records,
        malformed: out.malformed,
        events: out.events,
        notes: out.notes,
      };
    } finally {
      job.end();
    }
  }

  private uploadDone(uploadId: string | undefined): void {
    if (uploadId !== undefined) this.uploads.discard(uploadId);
  }

  /** A session database from elsewhere: checked read-only, then copied in under a new name. */
  private copySession(path: string, name: string): string {
    checkSessionCopy(path);
    const stem =
      sessionIdOf(basename(name))
        .replace(/[^A-Za-z0-9._-]/g, '_')
        .slice(0, 80) || 'session';
    let id = /^[A-Za-z0-9]/.test(stem) ? stem : `s${stem}`;
    for (let n = 2; listSessionFiles(this.dir).includes(`${id}${SESSION_FILE_EXTENSION}`); n++)
      id = `${stem}-${n}`;
    copyFileSync(path, this.fileOf(id));
    return id;
  }

  // ---- Lifecycle --------------------------------------------------------------------------------

  /** Tells listeners the list changed (the live session started or ended, an import, ...). */
  changed(reason: string): void {
    this.o.hub.publish('sessions:changed', { reason });
  }

  dispose(): void {
    for (const id of [...this.opened.keys()]) this.close(id);
    this.uploads.dispose();
  }
}

function modifiedTime(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** Checks a session database to be imported (read-only, every layout check); its counts. */
function checkSessionCopy(path: string): { records: number; malformed: number } {
  const store = new RecordStore(path, {}, { readOnly: true });
  try {
    const problems = store.quickCheck();
    if (problems.length > 0)
      throw new AppError(
        'invalid-input',
        `${path} cannot be imported: the database is damaged (${problems.slice(0, 3).join('; ')})`,
        'path',
      );
    return { records: store.total, malformed: store.malformedTotal };
  } finally {
    store.close();
  }
}
