// Checks that a SQLite file is a session database this build can read (its tables, columns and
// layout version) and turns SQLite's failures into errors that name the file and say what is
// wrong. Runs before anything is read, on a read-only connection. Host side.
import type Database from 'better-sqlite3';
import { AppError } from '../../../../shared/contract/result';
import {
  LAYOUT_2_COLUMNS,
  LAYOUT_WITH_SEQUENCES,
  REQUIRED_COLUMNS,
  SESSION_FORMAT,
} from './recordSchema';

/** Why a session file was refused; the file is left exactly as it was. */
export class SessionFileError extends AppError {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(
      'invalid-input',
      `${file} cannot be opened as a session: ${problem}. It was not changed.`,
    );
    this.name = 'SessionFileError';
  }
}

/** Throws a SessionFileError when the open database is not a readable session. */
export function checkSessionLayout(
  db: Database.Database,
  file: string,
  knownVersion: number,
): void {
  let tables: Set<string>;
  try {
    tables = new Set(
      (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as unknown[]
      ).map(String),
    );
  } catch (e) {
    throw sessionOpenError(file, e);
  }
  const missing = Object.keys(REQUIRED_COLUMNS).filter((t) => !tables.has(t));
  if (missing.length === Object.keys(REQUIRED_COLUMNS).length || !tables.has('records'))
    throw new SessionFileError(
      file,
      `it is a SQLite database but not a HyperDbg Studio session (it has no ${missing.includes('records') ? 'records' : missing[0]} table; tables: ${[...tables].slice(0, 8).join(', ') || 'none'})`,
    );
  if (missing.length > 0)
    throw new SessionFileError(
      file,
      `its ${missing.join(', ')} table${missing.length > 1 ? 's are' : ' is'} missing`,
    );
  const checkColumns = (required: Readonly<Record<string, readonly string[]>>) => {
    for (const [table, columns] of Object.entries(required)) {
      if (!tables.has(table)) throw new SessionFileError(file, `its ${table} table is missing`);
      const have = new Set(
        (db.prepare(`PRAGMA table_info(${table})`).all() as { name: unknown }[]).map((c) =>
          String(c.name),
        ),
      );
      const lacking = columns.filter((c) => !have.has(c));
      if (lacking.length > 0)
        throw new SessionFileError(
          file,
          `its ${table} table lacks the column ${lacking.join(', ')}`,
        );
    }
  };
  checkColumns(REQUIRED_COLUMNS);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > knownVersion)
    throw new SessionFileError(
      file,
      `it was written by a newer HyperDbg Studio (session layout ${version}; this build reads up to ${knownVersion})`,
    );
  // A file says its layout: one that claims 2 must have what 2 adds (an older one is read as it is).
  if (version >= LAYOUT_WITH_SEQUENCES) checkColumns(LAYOUT_2_COLUMNS);
  const format = db.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get() as
    string | undefined;
  if (format !== undefined && format !== SESSION_FORMAT)
    throw new SessionFileError(
      file,
      `its format is ${JSON.stringify(String(format).slice(0, 60))}, not a session`,
    );
}

/** A SessionFileError for what SQLite (or the checks) threw while opening `file`. */
export function sessionOpenError(file: string, e: unknown): AppError {
  if (e instanceof SessionFileError) return e;
  if (e instanceof AppError) return e;
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_NOTADB') return new SessionFileError(file, 'it is not a SQLite database');
  if (code === 'SQLITE_CORRUPT')
    return new SessionFileError(file, `the database is damaged (${message})`);
  if (code === 'SQLITE_CANTOPEN' || code === 'ENOENT')
    return new SessionFileError(file, `it cannot be read (${message})`);
  return new SessionFileError(file, message);
}
