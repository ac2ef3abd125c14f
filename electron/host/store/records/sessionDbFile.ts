// A session database as a file: where a new one is put and what it is called, reading one on
// read-only media through a temporary copy, its size on disk, and counting what one holds
// without opening it as a store. Apart from the store because none of it needs the store's
// statements or state, only paths and a connection of its own. Host side.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Session databases live here, one per app run, beside the library. */
export const SESSIONS_DIR = 'sessions';

function timestamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** A fresh file name for this app run's session database. */
export function newSessionFile(dataDir: string, now = new Date()): string {
  const dir = join(dataDir, SESSIONS_DIR);
  mkdirSync(dir, { recursive: true });
  const base = `session-${timestamp(now)}-${process.pid}`;
  let file = join(dir, `${base}.sqlite3`);
  for (let n = 2; existsSync(file); n++) file = join(dir, `${base}-${n}.sqlite3`);
  return file;
}

/**
 * A WAL database is read through its `-shm` index, which SQLite must create beside the file:
 * on read-only media (a CD, a read-only share, a folder without write permission) even a
 * read-only open then fails with "unable to open database file". The session is then read
 * from a temporary copy (its `-wal` too, if one was left) in `snapshotDir`, which the caller
 * removes when it closes the connection.
 */
export function readableOnThisMedia(
  db: Database.Database,
  file: string,
): { db: Database.Database; snapshotDir: string | null } {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return { db, snapshotDir: null };
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'SQLITE_CANTOPEN') throw e;
    db.close();
  }
  const dir = mkdtempSync(join(tmpdir(), 'hds-session-copy-'));
  try {
    const copy = join(dir, 'session.sqlite3');
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    return { db: new Database(copy, { readonly: true, fileMustExist: true }), snapshotDir: dir };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Bytes on disk: the database and its write-ahead log. */
export function sessionFileBytes(file: string): number {
  let n = 0;
  for (const f of [file, `${file}-wal`]) {
    try {
      n += statSync(f).size;
    } catch {
      // The WAL exists only while the database is open and written.
    }
  }
  return n;
}

/** Reads a session database without writing to it: counts and integrity (tests, recovery). */
export function inspectSessionDatabase(file: string): {
  records: number;
  malformed: number;
  marks: number;
  integrity: string[];
  version: number;
} {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const count = (t: string) => db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
    return {
      records: count('records'),
      malformed: count('malformed'),
      marks: count('marks'),
      integrity: (db.pragma('integrity_check') as { integrity_check: string }[]).map(
        (r) => r.integrity_check,
      ),
      version: db.pragma('user_version', { simple: true }) as number,
    };
  } finally {
    db.close();
  }
}
