// Schema migrations on real SQLite files: a new library, a library written by schema 1 (a frozen
// fixture) and one built by the first migration alone all reach the latest schema with their
// data; a failing migration changes nothing.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/host/store/database';
import {
  LIBRARY_DB_FILE,
  openLibraryStore,
  type LibraryStore,
} from '../../../electron/host/store/libraryStore';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../electron/host/store/migrations';
import { repoRoot, tempDir } from '../../helpers/paths';

const V1_FIXTURE = join(repoRoot, 'test/fixtures/library/schema-v1.sql');
const POOL_TAG_HEX = '488B5A404881FB484442477402EB0848C7424048444232C3';

const open: LibraryStore[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
function openStore(dir: string): LibraryStore {
  const s = openLibraryStore(dir);
  open.push(s);
  return s;
}

describe('migrations', () => {
  it('creates a new library at the latest schema, in WAL mode with foreign keys', () => {
    const dir = tempDir();
    const store = openStore(dir);
    expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
    const db = new Database(join(dir, LIBRARY_DB_FILE), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = db
        .prepare<[], { name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
        )
        .all()
        .map((r) => r.name);
      expect(tables).toEqual(
        expect.arrayContaining([
          'actions',
          'action_versions',
          'builtin_installs',
          'connection_profiles',
        ]),
      );
    } finally {
      db.close();
    }
    expect(store.actions.list()).toEqual([]);
  });

  it('migrates a library written by schema 1, keeping every action and version', () => {
    const dir = tempDir();
    const file = join(dir, LIBRARY_DB_FILE);
    const v1 = new Database(file);
    v1.exec(readFileSync(V1_FIXTURE, 'utf8'));
    v1.close();

    const store = openStore(dir);
    expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(store.integrityCheck()).toEqual(['ok']);
    const list = store.actions.list();
    expect(list.map((a) => [a.name, a.kind, a.version, a.deletedAt, a.builtin])).toEqual([
      ['Pool tag (v1)', 'code', 2, null, null],
      ['Process names', 'log', 1, null, null],
    ]);
    const pool = store.actions.get('11111111-1111-4111-8111-111111111111');
    expect(pool.kind === 'code' && pool.code.bytesHex).toBe(POOL_TAG_HEX);
    const history = store.actions.history(pool.id);
    expect(history.map((v) => [v.version, v.reason, v.codeBytesHex])).toEqual([
      [2, 'save', POOL_TAG_HEX],
      [1, 'create', '488B5A40C3'],
    ]);
    // The schema-2 features work on migrated rows: soft delete frees the name, history restores.
    store.actions.softDelete(pool.id);
    const again = store.actions.create({ ...pool, name: 'Pool tag (v1)' });
    expect(again.name).toBe('Pool tag (v1)');
    const restored = store.actions.restoreVersion('22222222-2222-4222-8222-222222222222', 1);
    expect(restored.version).toBe(2);
  });

  it('migrates a database built by the first migration alone', () => {
    const dir = tempDir();
    openDatabase(join(dir, LIBRARY_DB_FILE), { migrations: MIGRATIONS.slice(0, 1) }).close();
    const check = new Database(join(dir, LIBRARY_DB_FILE), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(1);
    check.close();
    expect(openStore(dir).schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
  });

  it('rolls a failing migration back whole, leaving the previous version', () => {
    const dir = tempDir();
    const file = join(dir, LIBRARY_DB_FILE);
    openDatabase(file).close();
    const broken = [
      ...MIGRATIONS,
      {
        version: LATEST_SCHEMA_VERSION + 1,
        description: 'fails half way',
        sql: 'CREATE TABLE half_done (x); SELECT * FROM no_such_table;',
      },
    ];
    expect(() => openDatabase(file, { migrations: broken })).toThrow(/no_such_table/);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(
        db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'").get(),
      ).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
