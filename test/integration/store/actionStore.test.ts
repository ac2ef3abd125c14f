// The action and profile stores on a real SQLite file: versions on every save with history and
// restore, concurrent-edit refusal, unique names, soft delete, built-ins that never overwrite a
// user's edit, imports all or nothing, damaged rows reported, profiles.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contentHash, type BuiltinDefinition } from '../../../electron/host/store/actions';
import {
  LIBRARY_DB_FILE,
  openLibraryStore,
  type LibraryStore,
} from '../../../electron/host/store/libraryStore';
import type { ActionContent } from '../../../shared/model/action';
import { tempDir } from '../../helpers/paths';

const stores: LibraryStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});
function fresh(): { store: LibraryStore; dir: string } {
  const dir = tempDir();
  let t = 1_700_000_000_000;
  const store = openLibraryStore(dir, { now: () => (t += 1000) });
  stores.push(store);
  return { store, dir };
}

const code = (name: string, source = 'ret', bytesHex: string | null = 'C3'): ActionContent => ({
  kind: 'code',
  name,
  description: '',
  tags: ['t'],
  eventKinds: ['!syscall'],
  windowsBuilds: null,
  code: { source, bytesHex },
  condition: null,
  bufferSize: 0,
  bufferSchema: [],
});

describe('actions and versions', () => {
  it('keeps a version per save with source, bytes and hash, and restores one', () => {
    const { store } = fresh();
    const a = store.actions.create(code('A', 'ret', 'C3'));
    expect(a.version).toBe(1);
    const b = store.actions.update(a.id, code('A', 'nop\nret', '90C3'), { baseVersion: 1 });
    expect(b.version).toBe(2);
    const history = store.actions.history(a.id);
    expect(history.map((v) => [v.version, v.reason, v.codeBytesHex])).toEqual([
      [2, 'save', '90C3'],
      [1, 'create', 'C3'],
    ]);
    expect(history[1]?.hash).toBe(contentHash(code('A', 'ret', 'C3')));
    expect(store.actions.getVersion(a.id, 1).content).toMatchObject({ code: { source: 'ret' } });
    const restored = store.actions.restoreVersion(a.id, 1, 2);
    expect(restored).toMatchObject({ version: 3, code: { source: 'ret', bytesHex: 'C3' } });
    expect(store.actions.history(a.id)[0]?.reason).toBe('restore');
  });

  it('refuses a save based on an older version, and says so', () => {
    const { store } = fresh();
    const a = store.actions.create(code('A'));
    store.actions.update(a.id, code('A', 'nop'), { baseVersion: 1 });
    expect(() => store.actions.update(a.id, code('A', 'int3'), { baseVersion: 1 })).toThrow(
      expect.objectContaining({ code: 'conflict', field: 'baseVersion' }),
    );
    expect(store.actions.get(a.id).version).toBe(2);
  });

  it('keeps names unique (case-insensitively) and finds actions by name or id', () => {
    const { store } = fresh();
    const a = store.actions.create(code('Pool tag'));
    expect(() => store.actions.create(code('POOL TAG'))).toThrow(
      expect.objectContaining({ code: 'conflict', field: 'name' }),
    );
    expect(store.actions.find('pool tag')?.id).toBe(a.id);
    expect(store.actions.find(a.id)?.name).toBe('Pool tag');
    expect(store.actions.duplicate(a.id).name).toBe('Pool tag (copy)');
    expect(store.actions.duplicate(a.id).name).toBe('Pool tag (copy) (2)');
    expect(store.actions.rename(a.id, 'Renamed').version).toBe(2);
    expect(() => store.actions.rename(a.id, 'pool tag (copy)')).toThrow(/already exists/);
  });

  it('deletes softly: the name is free, the history stays, undelete brings it back', () => {
    const { store } = fresh();
    const a = store.actions.create(code('A'));
    store.actions.softDelete(a.id);
    expect(store.actions.list().map((x) => x.name)).toEqual([]);
    expect(store.actions.list(true).map((x) => [x.name, x.deletedAt !== null])).toEqual([
      ['A', true],
    ]);
    expect(() => store.actions.get(a.id)).toThrow(expect.objectContaining({ code: 'not-found' }));
    store.actions.create(code('A'));
    const back = store.actions.undelete(a.id);
    expect(back.name).toBe('A (2)');
    expect(store.actions.history(a.id).length).toBe(2);
  });

  it('imports all or nothing, skipping what is already there unchanged', () => {
    const { store } = fresh();
    const existing = store.actions.create(code('Same'), {
      id: '9c5f0b3d-6e2a-4c81-b7d9-4a1e8f2c6b06',
    });
    const report = store.actions.importActions([
      { id: existing.id, content: code('Same') },
      { id: existing.id, content: code('Same', 'nop', '90') },
      { content: code('Same') },
    ]);
    expect(report.skipped).toEqual([{ name: 'Same', reason: 'already in the library, unchanged' }]);
    expect(report.imported.map((i) => [i.name, i.renamedFrom, i.id === existing.id])).toEqual([
      ['Same (2)', 'Same', false],
      ['Same (3)', 'Same', false],
    ]);
    // A failure half way leaves nothing behind.
    const before = store.actions.list().length;
    const bad = { ...code('Bad'), kind: 'nonsense' } as unknown as ActionContent;
    expect(() =>
      store.actions.importActions([{ content: code('Fine') }, { content: bad }]),
    ).toThrow();
    expect(store.actions.list().length).toBe(before);
    expect(store.actions.find('Fine')).toBeUndefined();
  });

  it('reports a damaged row with its id instead of crashing later', () => {
    const { store, dir } = fresh();
    const a = store.actions.create(code('A'));
    store.close();
    const db = new Database(join(dir, LIBRARY_DB_FILE));
    db.prepare('UPDATE actions SET content = ? WHERE id = ?').run('{"kind":"code","name":1}', a.id);
    db.close();
    const again = openLibraryStore(dir);
    stores.push(again);
    expect(() => again.actions.get(a.id)).toThrow(
      new RegExp(`action ${a.id} in the database is damaged`),
    );
  });
});

describe('built-in actions', () => {
  const def = (revision: number, source: string): BuiltinDefinition => ({
    id: '3f1c9a52-7d44-4b8e-9a61-0c2f5e8b1d01',
    key: 'pool-tag',
    revision,
    content: code('Pool tag', source, null),
  });

  it('installs once, under the id of its file, and updates an unedited one', () => {
    const { store } = fresh();
    expect(store.actions.installBuiltins([def(1, 'ret')])).toEqual({
      installed: ['pool-tag'],
      updated: [],
    });
    expect(store.actions.installBuiltins([def(1, 'ret')])).toEqual({ installed: [], updated: [] });
    const [summary] = store.actions.list();
    expect(summary).toMatchObject({
      id: '3f1c9a52-7d44-4b8e-9a61-0c2f5e8b1d01',
      builtin: { key: 'pool-tag', revision: 1, state: 'pristine' },
    });
    expect(store.actions.installBuiltins([def(2, 'nop')])).toEqual({
      installed: [],
      updated: ['pool-tag'],
    });
    expect(store.actions.get(summary?.id as string)).toMatchObject({
      version: 2,
      code: { source: 'nop' },
      builtin: { revision: 2 },
    });
  });

  it("never overwrites a user's edit, and never reinstalls a deleted one by itself", () => {
    const { store } = fresh();
    store.actions.installBuiltins([def(1, 'ret')]);
    const id = store.actions.list()[0]?.id as string;
    store.actions.update(id, code('Pool tag', 'int3', 'CC'));
    expect(store.actions.list()[0]?.builtin?.state).toBe('edited');
    expect(store.actions.installBuiltins([def(2, 'nop')]).updated).toEqual([]);
    expect(store.actions.get(id)).toMatchObject({ code: { source: 'int3' } });

    store.actions.softDelete(id);
    expect(store.actions.installBuiltins([def(3, 'nop')])).toEqual({ installed: [], updated: [] });
    expect(store.actions.list()).toEqual([]);
  });

  it('restores explicitly: undeletes, puts the shipped content back, keeps the edit in history', () => {
    const { store } = fresh();
    store.actions.installBuiltins([def(1, 'ret')]);
    const id = store.actions.list()[0]?.id as string;
    store.actions.update(id, code('Pool tag', 'int3', 'CC'));
    store.actions.softDelete(id);
    const [restored] = store.actions.restoreBuiltins([def(2, 'nop')]);
    expect(restored).toMatchObject({ id, code: { source: 'nop' }, builtin: { revision: 2 } });
    expect(store.actions.list()[0]?.builtin?.state).toBe('pristine');
    expect(store.actions.history(id).map((v) => v.reason)).toEqual([
      'builtin-restore',
      'save',
      'builtin-install',
    ]);
  });

  it('retires a built-in no longer shipped: moved to the deleted list unless the user edited it', () => {
    const { store } = fresh();
    const other: BuiltinDefinition = {
      ...def(1, 'nop'),
      id: undefined,
      key: 'old-twin',
      content: code('Old twin', 'nop', null),
    };
    store.actions.installBuiltins([def(1, 'ret'), other]);
    const [edited] = store.actions.list().filter((a) => a.builtin?.key === 'pool-tag');
    store.actions.update(edited?.id as string, code('Pool tag', 'int3', 'CC'));
    const retired = store.actions.retireBuiltins(['pool-tag', 'old-twin', 'never-installed']);
    expect(retired).toHaveLength(1);
    expect(store.actions.list().map((a) => a.name)).toEqual(['Pool tag']);
    const deleted = store.actions.list(true).find((a) => a.name === 'Old twin');
    expect(deleted?.deletedAt).not.toBeNull();
    // It can be brought back, with its history.
    expect(store.actions.undelete(deleted?.id as string).name).toBe('Old twin');
    expect(store.actions.retireBuiltins(['old-twin'])).toHaveLength(1);
  });

  it('installs beside a user action that already has its name', () => {
    const { store } = fresh();
    store.actions.create(code('Pool tag'));
    store.actions.installBuiltins([def(1, 'ret')]);
    expect(store.actions.list().map((a) => a.name)).toEqual(['Pool tag', 'Pool tag (2)']);
    expect(store.actions.list()[1]?.builtin?.state).toBe('pristine');
  });
});

describe('connection profiles', () => {
  it('creates, lists, replaces and deletes profiles with unique names', () => {
    const { store } = fresh();
    const p = store.profiles.save(undefined, {
      name: 'VMware',
      cliPath: 'C:\\hyperdbg\\hyperdbg-cli.exe',
      connection: { kind: 'namedPipe', pipe: '\\\\.\\pipe\\HyperDbgPipe' },
      workingDirectory: 'C:\\hyperdbg',
      capability: 'stock',
    });
    expect(store.profiles.list()).toEqual([p]);
    const q = store.profiles.save(p.id, {
      ...p,
      connection: { kind: 'serial', port: 'COM2', baud: 115200 },
    });
    expect(q).toMatchObject({ id: p.id, connection: { kind: 'serial', port: 'COM2' } });
    expect(() =>
      store.profiles.save(undefined, { ...p, name: 'vmware', connection: { kind: 'local' } }),
    ).toThrow(expect.objectContaining({ code: 'conflict' }));
    store.profiles.delete(p.id);
    expect(store.profiles.list()).toEqual([]);
    expect(() => store.profiles.delete(p.id)).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    );
  });
});
