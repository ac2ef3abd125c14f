// The session databases of a data folder as documents: which files there are, what each says
// about itself (read-only, a few indexed reads each, so a listing of hundreds stays quick), what
// an older file without a description lets us derive, and removing a session with its side
// files and transcripts. Host side; the store's sibling (it opens SQLite files).
import Database from 'better-sqlite3';
import { lstatSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SESSION_ID_PATTERN, type SessionSummary } from '../../../../shared/contract/sessions';
import { RECORD_DB_VERSION } from './recordSchema';
import { SESSIONS_DIR } from './recordStore';
import { checkSessionLayout, sessionOpenError } from './sessionCheck';
import { sessionFileBytes } from './sessionDbFile';
import {
  kindOf,
  META,
  metaList,
  metaNumber,
  metaText,
  runStateOf,
  SESSION_FILE_EXTENSION,
  sessionIdOf,
} from './sessionMeta';

/** The transcript files a session names are removed with it only if they look like ours. */
const TRANSCRIPT_NAME = /^[0-9TZ-]{10,40}-g\d{1,9}\.log$/;
/** Meta rows a listing reads per file, and the length of each value (it needs short ones). */
const MAX_META_ROWS = 200;
const LISTING_META_VALUE = 4096;

export function sessionsDirOf(dataDir: string): string {
  return join(dataDir, SESSIONS_DIR);
}

/** The session files of a folder (regular files named like a session), by name. */
export function listSessionFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(SESSION_FILE_EXTENSION) && SESSION_ID_PATTERN.test(sessionIdOf(n)))
    .filter((n) => {
      try {
        return lstatSync(join(dir, n)).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

/** The file's modification time (ms), for files that say nothing about their age. */
function fileTime(file: string): number | null {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/** What the listing derives from the tables, for files that do not say (or are running). */
interface Derived {
  readonly records: number;
  readonly malformed: number;
  readonly firstAt: number | null;
  readonly lastAt: number | null;
  readonly firstMark: { kind: string; at: number; label: string } | null;
  readonly lastMark: { kind: string; at: number; label: string } | null;
}

function derive(db: Database.Database): Derived {
  const one = (sql: string) => db.prepare(sql).raw().get() as unknown[] | undefined;
  const maxSeq = (t: string) => {
    const v = db.prepare(`SELECT MAX(seq) FROM ${t}`).pluck().get() as unknown;
    return v === null || v === undefined ? 0 : Number(v) + 1;
  };
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const mark = (order: 'ASC' | 'DESC') => {
    const r = one(`SELECT kind, at, target_label FROM marks ORDER BY id ${order} LIMIT 1`);
    return r === undefined
      ? null
      : { kind: String(r[0]), at: Number(r[1]), label: String(r[2]).slice(0, 500) };
  };
  return {
    records: maxSeq('records'),
    malformed: maxSeq('malformed'),
    firstAt: num(one('SELECT received_at FROM records ORDER BY seq LIMIT 1')?.[0]),
    lastAt: num(one('SELECT received_at FROM records ORDER BY seq DESC LIMIT 1')?.[0]),
    firstMark: mark('ASC'),
    lastMark: mark('DESC'),
  };
}

export interface SummaryContext {
  readonly thisHost: string;
  /** This host's live session file (it is running, whatever its meta says). */
  readonly liveFile: string | null;
  readonly openIds: ReadonlySet<string>;
}

function readMeta(db: Database.Database): Record<string, string> {
  const out: Record<string, string> = {};
  // Long values (an event list, commands) are not for the listing: cut in SQL, never read whole.
  const rows = db
    .prepare('SELECT substr(key, 1, 100), substr(value, 1, ?) FROM meta LIMIT ?')
    .raw()
    .all(LISTING_META_VALUE, MAX_META_ROWS) as [unknown, unknown][];
  for (const [k, v] of rows) out[String(k)] = String(v);
  return out;
}

/** Opens a session file read-only after checking it is one; throws a SessionFileError if not. */
export function openSessionReadOnly(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw sessionOpenError(file, e);
  }
  try {
    checkSessionLayout(db, file, RECORD_DB_VERSION);
    return db;
  } catch (e) {
    db.close();
    throw sessionOpenError(file, e);
  }
}

/** The meta table and derived facts of a session file, read in one short read-only visit. */
export function readSessionFacts(file: string): {
  meta: Record<string, string>;
  derived: Derived;
} {
  const db = openSessionReadOnly(file);
  try {
    return { meta: readMeta(db), derived: derive(db) };
  } catch (e) {
    throw sessionOpenError(file, e);
  } finally {
    db.close();
  }
}

/** A listing row for a session file; a file that cannot be read is listed with its problem. */
export function summarizeSessionFile(file: string, ctx: SummaryContext): SessionSummary {
  const id = sessionIdOf(basename(file));
  const live = ctx.liveFile !== null && file === ctx.liveFile;
  const base = {
    id,
    file,
    live,
    open: ctx.openIds.has(id),
    sizeBytes: sessionFileBytes(file),
  };
  let facts: ReturnType<typeof readSessionFacts>;
  try {
    facts = readSessionFacts(file);
  } catch (e) {
    return {
      ...base,
      kind: null,
      state: 'interrupted',
      createdAt: fileTime(file),
      startedAt: null,
      endedAt: null,
      targetLabel: null,
      mode: null,
      capability: null,
      osBuild: null,
      cliVersion: null,
      records: 0,
      malformed: 0,
      lost: null,
      targetLost: null,
      importedFrom: null,
      described: 'derived',
      problem: e instanceof Error ? e.message : String(e),
    };
  }
  return summaryOf(base, facts.meta, facts.derived, ctx);
}

/** What the target lost as a session's meta says it, null when unknown (sessionMeta.ts). */
export function targetLostOf(meta: Readonly<Record<string, string>>): number | null {
  const lost = metaNumber(meta, META.targetLost);
  const unsequenced = metaNumber(meta, META.unsequenced);
  const records = metaNumber(meta, META.records);
  if (lost === null || unsequenced === null) return null;
  // Every record without a number and none lost: nothing can be told.
  return lost === 0 && records !== null && unsequenced >= records ? null : lost;
}

function summaryOf(
  base: Pick<SessionSummary, 'id' | 'file' | 'live' | 'open' | 'sizeBytes'>,
  meta: Readonly<Record<string, string>>,
  d: Derived,
  ctx: SummaryContext,
): SessionSummary {
  const described = metaText(meta, META.format) !== null ? 'meta' : 'derived';
  const createdAt = Date.parse(meta[META.createdAt] ?? '');
  const startedAt =
    metaNumber(meta, META.startedAt) ??
    d.firstMark?.at ??
    d.firstAt ??
    (Number.isFinite(createdAt) ? createdAt : null);
  const metaEnd = metaNumber(meta, META.endedAt);
  // An older file: its last mark says when its last CLI process ended.
  const derivedEnd = described === 'derived' && d.lastMark?.kind === 'ended' ? d.lastMark.at : null;
  const endedAt = base.live ? null : (metaEnd ?? derivedEnd);
  const state = base.live ? 'running' : runStateOf(meta, ctx.thisHost, endedAt !== null);
  // Counts in the meta table are exact once the session ended; while it runs (or after a
  // crash) the tables are newer.
  const fromMeta = state === 'ended' && metaEnd !== null;
  return {
    ...base,
    kind: kindOf(meta),
    state,
    createdAt: Number.isFinite(createdAt) ? createdAt : (startedAt ?? fileTime(base.file)),
    startedAt,
    endedAt: endedAt ?? (state === 'interrupted' ? (d.lastAt ?? d.lastMark?.at ?? null) : null),
    targetLabel: metaText(meta, META.targetLabel) ?? d.lastMark?.label ?? null,
    mode: metaText(meta, META.mode),
    capability: metaText(meta, META.capability),
    osBuild: metaText(meta, META.osBuild),
    cliVersion: metaText(meta, META.cliVersion),
    records: (fromMeta ? metaNumber(meta, META.records) : null) ?? d.records,
    malformed: (fromMeta ? metaNumber(meta, META.malformed) : null) ?? d.malformed,
    lost: metaNumber(meta, META.lost),
    // A run that stopped without closing wrote these at its last CLI start: stale. Unknown until
    // the session is opened and its loss counted from its records (pastLoss.ts).
    targetLost: fromMeta ? targetLostOf(meta) : null,
    importedFrom: metaText(meta, META.importedFrom),
    described,
    problem: null,
  };
}

/**
 * Removes a session's database, its SQLite side files and the transcripts it names (only those
 * in the same folder with a transcript's name). Returns what could not be removed.
 */
export function removeSessionFiles(file: string, transcripts: readonly string[]): string[] {
  const failed: string[] = [];
  const dir = dirname(file);
  const own = transcripts.filter((t) => TRANSCRIPT_NAME.test(t));
  const targets = [
    file,
    `${file}-wal`,
    `${file}-shm`,
    `${file}-journal`,
    ...own.map((t) => join(dir, t)),
    ...sideTranscripts(dir, own),
  ];
  for (const t of targets) {
    try {
      rmSync(t, { force: true });
    } catch (e) {
      failed.push(`${t}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return failed;
}

/**
 * A CLI process's other streams, beside its console transcript `<time>-g<N>.log`: the record
 * sink's `<time>-g<N>-sink-<name>.log` (Transcript.open's label), which go with it.
 */
const SIDE_TRANSCRIPT_NAME = /^[0-9TZ-]{10,40}-g\d{1,9}-[A-Za-z0-9_-]{1,80}\.log$/;

function sideTranscripts(dir: string, consoleTranscripts: readonly string[]): string[] {
  if (consoleTranscripts.length === 0) return [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const bases = consoleTranscripts.map((t) => `${t.slice(0, -'.log'.length)}-`);
  return names
    .filter((n) => SIDE_TRANSCRIPT_NAME.test(n) && bases.some((b) => n.startsWith(b)))
    .map((n) => join(dir, n));
}

/** The transcripts a session names (empty for files that cannot be read). */
export function transcriptsOf(file: string): string[] {
  try {
    const db = openSessionReadOnly(file);
    try {
      const v = db.prepare("SELECT value FROM meta WHERE key = 'transcripts'").pluck().get();
      if (v !== undefined) return metaList({ transcripts: String(v) }, META.transcripts);
      // Older files do not name them; a transcript is named after its CLI's start, which is
      // the time of the session's `started` mark (runSupervisor takes both from one clock read).
      return (
        db
          .prepare("SELECT at, generation FROM marks WHERE kind = 'started' LIMIT 1000")
          .raw()
          .all() as [unknown, unknown][]
      ).flatMap(([at, g]) => {
        const d = new Date(Number(at));
        return Number.isFinite(d.getTime())
          ? [`${d.toISOString().replace(/[:.]/g, '-')}-g${Number(g)}.log`]
          : [];
      });
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}
