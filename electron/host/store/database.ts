// Opens the library database: checks an existing file read-only first (integrity, schema
// version) so a corrupt file or one from a newer app is refused without a single byte written,
// then opens it for writing (WAL, foreign keys, full sync) and applies pending migrations.
// The only module that imports better-sqlite3 (the others take its Db). Host side.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../../shared/contract/result';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;
export type Stmt<P extends unknown[] = unknown[], R = unknown> = Database.Statement<P, R>;

/** Another process (the CLI next to the app) may hold the write lock briefly. */
const BUSY_TIMEOUT_MS = 5_000;
/**
 * `PRAGMA application_id` of a library ('HDSS'): says in the file's header whose file it is, so
 * another program's SQLite database put in its place is refused, never migrated.
 */
export const LIBRARY_APPLICATION_ID = 0x48445353;
/** Tables every library has from schema 1 on (migrations.ts). */
const LIBRARY_TABLES = ['actions', 'action_versions'];
/** Table names quoted when refusing a foreign database. */
const FOREIGN_TABLES_SHOWN = 5;
/** Lines of integrity_check output quoted in the error; the rest is counted. */
const INTEGRITY_LINES_SHOWN = 3;

/** Why a database file could not be opened. The file is left exactly as it was. */
export class StoreOpenError extends AppError {
  readonly reason: 'corrupt' | 'newer-schema' | 'unreadable' | 'foreign';
  constructor(reason: StoreOpenError['reason'], message: string) {
    super('unavailable', message);
    this.name = 'StoreOpenError';
    this.reason = reason;
  }
}

export interface OpenOptions {
  /** Migrations to apply (tests pass a prefix to build an older schema). */
  readonly migrations?: readonly Migration[];
  /**
   * Never write the file (read-only media, an unwritable data folder): it is read as it is,
   * or, when SQLite cannot read it in place, as a snapshot in memory.
   */
  readonly readOnly?: boolean;
}

/** Where a read-only open got its data from. */
export type ReadOnlySource = 'file' | 'snapshot' | 'empty';

/** SQLite's header bytes 18 and 19: the write and read versions, 2 meaning WAL (file format). */
const HEADER_WRITE_VERSION = 18;
const HEADER_READ_VERSION = 19;
const ROLLBACK_JOURNAL_VERSION = 1;

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (options.readOnly === true) return openReadOnly(file, options).db;
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (existsSync(file) && statSync(file).size > 0) checkExisting(file, latest);
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // FULL: a save the user saw succeed survives a power cut, not only a crash; library writes
    // are rare enough that the extra fsync costs nothing noticeable.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(db, migrations);
    if ((db.pragma('application_id', { simple: true }) as number) === 0)
      db.pragma(`application_id = ${LIBRARY_APPLICATION_ID}`);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Opens `file` without ever writing it. A WAL database needs its `-shm` file to be read in
 * place, which read-only media cannot give it: then the file is read into memory (with its header
 * marked as a rollback-journal database, which is all an in-memory copy needs) and checked like
 * any other. A missing file is an empty library in memory. Pending migrations are applied to the
 * in-memory copy only.
 */
export function openReadOnly(
  file: string,
  options: OpenOptions = {},
): { db: Db; source: ReadOnlySource } {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  let exists: boolean;
  try {
    exists = statSync(file).size > 0;
  } catch {
    exists = false;
  }
  if (!exists) {
    const db = new Database(':memory:');
    migrate(db, migrations);
    return { db, source: 'empty' };
  }
  let db: Db | undefined;
  let source: ReadOnlySource = 'file';
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('user_version', { simple: true });
  } catch (e) {
    db?.close();
    if ((e as { code?: unknown }).code !== 'SQLITE_CANTOPEN')
      throw new StoreOpenError('unreadable', `${file} cannot be opened: ${errorText(e)}`);
    try {
      db = memoryCopy(readFileSync(file));
    } catch (e2) {
      throw new StoreOpenError(
        'corrupt',
        `${file} is not a readable SQLite database (${errorText(e2)})`,
      );
    }
    source = 'snapshot';
  }
  try {
    checkOpened(db, file, latest);
    if (schemaVersion(db) < latest) {
      if (source === 'file') {
        const image = db.serialize();
        db.close();
        db = memoryCopy(image);
        source = 'snapshot';
      }
      migrate(db, migrations);
    }
    return { db, source };
  } catch (e) {
    db.close();
    throw e;
  }
}

/** A database image opened in memory; a WAL header is marked rollback-journal (see above). */
function memoryCopy(image: Buffer): Db {
  if (image.length > HEADER_READ_VERSION) {
    image[HEADER_WRITE_VERSION] = ROLLBACK_JOURNAL_VERSION;
    image[HEADER_READ_VERSION] = ROLLBACK_JOURNAL_VERSION;
  }
  return new Database(image);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Schema version and integrity of an open database, as `checkExisting` checks a file. */
function checkOpened(db: Db, file: string, latest: number): void {
  try {
    checkOwnership(db, file);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latest)
      throw new StoreOpenError(
        'newer-schema',
        `${file} was written by a newer HyperDbg Studio (library schema ${version}; this build knows up to ${latest}). It was not opened and not changed: update the app, or move the file away to start a new library.`,
      );
    const problems = integrityCheck(db).filter((r) => r !== 'ok');
    if (problems.length > 0)
      throw new StoreOpenError(
        'corrupt',
        `${file} failed its integrity check (${problems.slice(0, INTEGRITY_LINES_SHOWN).join('; ')}). It was not opened and not changed.`,
      );
  } catch (e) {
    if (e instanceof StoreOpenError) throw e;
    throw new StoreOpenError(
      'corrupt',
      `${file} is not a readable SQLite database (${errorText(e)})`,
    );
  }
}

/**
 * Refuses a database that is not a library: another program's application id, or tables but
 * no schema version (a library gets both at once), or a schema version without the library's
 * tables. Nothing is written.
 */
function checkOwnership(db: Db, file: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .pluck()
    .all() as string[];
  const ours =
    appId === LIBRARY_APPLICATION_ID ||
    (appId === 0 &&
      (version === 0 ? tables.length === 0 : LIBRARY_TABLES.every((t) => tables.includes(t))));
  if (ours) return;
  const shown = tables.slice(0, FOREIGN_TABLES_SHOWN).join(', ');
  throw new StoreOpenError(
    'foreign',
    `${file} is not a HyperDbg Studio library (${appId !== 0 ? `application id 0x${(appId >>> 0).toString(16)}, ` : ''}${tables.length === 0 ? 'no tables' : `tables ${shown}${tables.length > FOREIGN_TABLES_SHOWN ? ', ...' : ''}`}). It was not opened and not changed: move it away, or choose another data folder.`,
  );
}

function checkExisting(file: string, latest: number): void {
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    checkOwnership(db, file);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latest)
      throw new StoreOpenError(
        'newer-schema',
        `${file} was written by a newer HyperDbg Studio (library schema ${version}; this build knows up to ${latest}). It was not opened and not changed: update the app, or move the file away to start a new library.`,
      );
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if (problems.length > 0)
      throw new StoreOpenError(
        'corrupt',
        `${file} failed its integrity check (${problems.slice(0, INTEGRITY_LINES_SHOWN).join('; ')}${problems.length > INTEGRITY_LINES_SHOWN ? `; and ${problems.length - INTEGRITY_LINES_SHOWN} more` : ''}). It was not opened and not changed: keep it for recovery and move it away to start a new library.`,
      );
  } catch (e) {
    if (e instanceof StoreOpenError) throw e;
    const code = (e as { code?: unknown }).code;
    const message = e instanceof Error ? e.message : String(e);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
      throw new StoreOpenError(
        'corrupt',
        `${file} is not a readable SQLite database (${message}). It was not opened and not changed: keep it for recovery and move it away to start a new library.`,
      );
    throw new StoreOpenError('unreadable', `${file} cannot be opened: ${message}`);
  } finally {
    db?.close();
  }
}

function migrate(db: Db, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function integrityCheck(db: Db): string[] {
  return (db.pragma('integrity_check') as { integrity_check: string }[]).map(
    (r) => r.integrity_check,
  );
}

export { LATEST_SCHEMA_VERSION };
