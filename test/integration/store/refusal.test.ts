// Files the library must refuse without writing a byte: not a database, a database whose pages
// are damaged, and a database from a newer schema. The error says what and that nothing changed.
import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreOpenError } from '../../../electron/host/store/database';
import { LIBRARY_DB_FILE, openLibraryStore } from '../../../electron/host/store/libraryStore';
import { LATEST_SCHEMA_VERSION } from '../../../electron/host/store/migrations';
import { tempDir } from '../../helpers/paths';

function refusal(dir: string): StoreOpenError {
  try {
    openLibraryStore(dir).close();
  } catch (e) {
    expect(e).toBeInstanceOf(StoreOpenError);
    return e as StoreOpenError;
  }
  throw new Error('the store opened a file it should have refused');
}

/** A library with some actions in it, closed (checkpointed into the main file). */
function populated(): { dir: string; file: string } {
  const dir = tempDir();
  const store = openLibraryStore(dir);
  for (let i = 0; i < 40; i++)
    store.actions.create({
      kind: 'log',
      name: `action ${i}`,
      description: 'x'.repeat(300),
      tags: [],
      eventKinds: [],
      windowsBuilds: null,
      script: `printf("${i}");`,
      bufferSize: 0,
      bufferSchema: [],
    });
  store.close();
  return { dir, file: join(dir, LIBRARY_DB_FILE) };
}

describe('refused database files', () => {
  it('refuses a file that is not a database and leaves it byte-identical', () => {
    const dir = tempDir();
    const file = join(dir, LIBRARY_DB_FILE);
    const garbage = Buffer.from('this is not a SQLite database, just some text\n'.repeat(200));
    writeFileSync(file, garbage);
    const e = refusal(dir);
    expect(e.reason).toBe('corrupt');
    expect(e.code).toBe('unavailable');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/not opened and not changed/);
    expect(readFileSync(file).equals(garbage)).toBe(true);
    expect(readdirSync(dir)).toEqual([LIBRARY_DB_FILE]);
  });

  it('refuses a database whose pages are damaged and leaves it byte-identical', () => {
    const { dir, file } = populated();
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    expect(bytes.length).toBeGreaterThan(pageSize * 4);
    // Scribble over the third and fourth pages (b-tree pages of the tables), headers included.
    bytes.fill(0xa5, pageSize * 2, pageSize * 4);
    writeFileSync(file, bytes);
    const e = refusal(dir);
    expect(e.reason).toBe('corrupt');
    expect(e.message).toMatch(/integrity check|not a readable/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a database from a newer schema, saying which, and leaves it byte-identical', () => {
    const { dir, file } = populated();
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    db.close();
    const before = readFileSync(file);
    const e = refusal(dir);
    expect(e.reason).toBe('newer-schema');
    expect(e.message).toContain(`schema ${LATEST_SCHEMA_VERSION + 5}`);
    expect(e.message).toContain(`up to ${LATEST_SCHEMA_VERSION}`);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('opens an empty file as a new library', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LIBRARY_DB_FILE), '');
    const store = openLibraryStore(dir);
    expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    store.close();
  });
});
