// Opens the library database: checks an existing file read-only first (integrity, schema
// version) so a corrupt file or one from a newer app is refused without a single byte written,
// then opens it for writing (WAL, foreign keys, full sync) and applies pending migrations.
// The only module that imports better-sqlite3 (the others take its Db). Host side.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../../shared/contract/result';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;
export type Stmt<P extends unknown[] = unknown[], R = unknown> = Database.Statement<P, R>;

/** Another process (the CLI next to the app) may hold the write lock briefly. */
const BUSY_TIMEOUT_MS = 5_000;
/** Lines of integrity_check output quoted in the error; the rest is counted. */
const INTEGRITY_LINES_SHOWN = 3;

/** Why a database file could not be opened. The file is left exactly as it was. */
export class StoreOpenError extends AppError {
  readonly reason: 'corrupt' | 'newer-schema' | 'unreadable';
  constructor(reason: StoreOpenError['reason'], message: string) {
    super('unavailable', message);
    this.name = 'StoreOpenError';
    this.reason = reason;
  }
}

export interface OpenOptions {
  /** Migrations to apply (tests pass a prefix to build an older schema). */
  readonly migrations?: readonly Migration[];
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
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
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function checkExisting(file: string, latest: number): void {
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
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
