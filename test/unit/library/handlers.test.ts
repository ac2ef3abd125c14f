// The library, asm and profile contract through createMemoryClient (the same validation path as
// the real transports), on a real SQLite file in a temporary data folder.
import Database from 'better-sqlite3';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLibraryHandlers } from '../../../electron/host/library/handlers';
import type { HostClient } from '../../../shared/contract/client';
import type { Handlers } from '../../../shared/contract/dispatch';
import { createStreamHub } from '../../../shared/contract/hub';
import type { LibraryChange } from '../../../shared/contract/library';
import { createMemoryClient } from '../../helpers/memoryClient';
import { unwrap } from '../../../shared/contract/result';
import { repoRoot, tempDir } from '../../helpers/paths';

let client: HostClient;
let dispose: () => Promise<void>;
let dataDir: string;
let changes: LibraryChange[];

beforeEach(() => {
  dataDir = tempDir();
  const hub = createStreamHub();
  const library = createLibraryHandlers({ hub, dataDir });
  client = createMemoryClient(library.handlers as unknown as Handlers, hub);
  dispose = library.dispose;
  changes = [];
  client.subscribe('library:changed', (c) => changes.push(c));
});
afterEach(async () => {
  await dispose();
});

const draft = {
  kind: 'code' as const,
  name: 'Image name',
  eventKinds: ['!syscall' as const],
  code: {
    source: 'mov rax, qword ptr gs:[0x188]\nmov rax, qword ptr [rax+0xb8]\nadd rax, 0x450\nret',
  },
  bufferSize: 0x18,
  bufferSchema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
};

describe('library:*', () => {
  it('lists the built-ins in a fresh data folder', async () => {
    const list = unwrap(await client.call('library:list', {}));
    expect(list.length).toBe(7);
    expect(list.every((a) => a.builtin?.state === 'pristine')).toBe(true);
    const builtins = unwrap(await client.call('library:builtins', {}));
    expect(builtins.map((b) => b.state)).toEqual(Array(7).fill('pristine'));
  });

  it('saves code assembled by the host, versions each save and restores one', async () => {
    const saved = unwrap(await client.call('library:save', { action: draft }));
    expect(saved.action).toMatchObject({
      version: 1,
      code: { bytesHex: '65488B042588010000488B80B8000000480550040000C3' },
    });
    expect(saved.diagnostics.code).toEqual([]);
    const id = saved.action.id;
    const second = unwrap(
      await client.call('library:save', {
        id,
        baseVersion: 1,
        action: { ...draft, code: { source: 'xor eax, eax\nret' } },
      }),
    );
    expect(second.action).toMatchObject({ version: 2, code: { bytesHex: '31C0C3' } });
    const history = unwrap(await client.call('library:history', { id }));
    expect(history.map((v) => v.version)).toEqual([2, 1]);
    expect(unwrap(await client.call('library:get-version', { id, version: 1 })).codeBytesHex).toBe(
      '65488B042588010000488B80B8000000480550040000C3',
    );
    const restored = unwrap(await client.call('library:restore-version', { id, version: 1 }));
    expect(restored).toMatchObject({ version: 3, code: { source: draft.code.source } });
    expect(changes.map((c) => c.reason)).toEqual(
      expect.arrayContaining(['created', 'saved', 'restored']),
    );
  });

  it('saves a draft that does not assemble with null bytes and its diagnostics', async () => {
    const saved = unwrap(
      await client.call('library:save', {
        action: { ...draft, name: 'broken', code: { source: 'nop\nbogus rax' } },
      }),
    );
    expect(saved.action).toMatchObject({ code: { bytesHex: null } });
    expect(saved.diagnostics.code).toEqual([
      expect.objectContaining({ severity: 'error', line: 2 }),
    ]);
    const list = unwrap(await client.call('library:list', {}));
    expect(list.find((a) => a.name === 'broken')?.assembled).toBe(false);
  });

  it('refuses a save over a newer version, and inputs that break the schema', async () => {
    const { action } = unwrap(await client.call('library:save', { action: draft }));
    await client.call('library:save', { id: action.id, baseVersion: 1, action: draft });
    const stale = await client.call('library:save', {
      id: action.id,
      baseVersion: 1,
      action: draft,
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', field: 'baseVersion' } });

    for (const [input, field] of [
      [{ action: { ...draft, eventKinds: ['!nope'] } }, 'action.eventKinds.0'],
      [{ action: { ...draft, bufferSize: 0x400 } }, 'action.bufferSize'],
      [{ action: draft, extra: 1 }, undefined],
      [
        { action: { ...draft, bufferSchema: [{ name: 'x', offset: 0x20, type: 'u8' }] } },
        'action.bufferSchema.0.offset',
      ],
    ] as const) {
      const r = await client.call('library:save', input as never);
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      if (!r.ok && field !== undefined) expect(r.error.field).toBe(field);
    }
  });

  it('renames, duplicates, deletes and undeletes', async () => {
    const { action } = unwrap(await client.call('library:save', { action: draft }));
    expect(
      unwrap(await client.call('library:rename', { id: action.id, name: 'Renamed' })).name,
    ).toBe('Renamed');
    const copy = unwrap(await client.call('library:duplicate', { id: action.id }));
    expect(copy.name).toBe('Renamed (copy)');
    unwrap(await client.call('library:delete', { id: copy.id }));
    expect(await client.call('library:get', { id: copy.id })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(unwrap(await client.call('library:undelete', { id: copy.id })).name).toBe(
      'Renamed (copy)',
    );
  });

  it('restores an edited built-in only when asked', async () => {
    const pool = unwrap(await client.call('library:list', {})).find(
      (a) => a.builtin?.key === 'pool-tag-hdbg-to-hdb2',
    );
    const id = pool?.id as string;
    const original = unwrap(await client.call('library:get', { id }));
    await client.call('library:save', {
      id,
      action: { kind: 'code', name: original.name, code: { source: 'int3' } },
    });
    const builtins = unwrap(await client.call('library:builtins', {}));
    expect(builtins.find((b) => b.key === 'pool-tag-hdbg-to-hdb2')?.state).toBe('edited');
    const [restored] = unwrap(
      await client.call('library:restore-builtins', { keys: ['pool-tag-hdbg-to-hdb2'] }),
    );
    expect(restored).toMatchObject({
      id,
      code: { bytesHex: '488B5A404881FB484442477402EB0848C7424048444232C3' },
    });
    expect(await client.call('library:restore-builtins', { keys: ['no-such-key'] })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('exports and imports, and a hostile import changes nothing', async () => {
    unwrap(await client.call('library:save', { action: draft }));
    const exported = unwrap(await client.call('library:export', {}));
    expect(exported.count).toBe(8);
    const before = unwrap(await client.call('library:list', {})).length;

    // The user's action (the built-ins have comments after 0x450): source edited, bytes not.
    const tampered = exported.content.replace('add rax, 0x450\\nret', 'add rax, 0x5a8\\nret');
    expect(tampered).not.toBe(exported.content);
    const r = await client.call('library:import', { fileName: 'x.json', content: tampered });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    if (!r.ok) expect(r.error.message).toMatch(/not what the source assembles to/);
    expect(unwrap(await client.call('library:list', {})).length).toBe(before);

    const again = unwrap(
      await client.call('library:import', { fileName: 'x.json', content: exported.content }),
    );
    expect(again.imported).toEqual([]);
    expect(again.skipped.length).toBe(8);

    const script = unwrap(
      await client.call('library:import', {
        fileName: 'calls.ds',
        content: '!syscall script { printf("%x\\n", $context); }\n',
      }),
    );
    expect(script.imported.map((a) => a.name)).toEqual(['calls: !syscall']);
    const imported = unwrap(
      await client.call('library:get', { id: script.imported[0]?.id as string }),
    );
    expect(imported).toMatchObject({
      kind: 'log',
      eventKinds: ['!syscall'],
      script: 'printf("%x\\n", $context);',
    });
  });
});

describe('asm:*', () => {
  it('assembles with listing and diagnostics, and disassembles', async () => {
    const r = unwrap(
      await client.call('asm:assemble', {
        source: 'mov qword ptr [rdx+0x20], rax',
        role: 'code',
        eventKind: '!syscall',
        bufferSize: 0,
        target: 'stock',
      }),
    );
    expect(r.bytesHex).toBe('48894220');
    expect(r.listing[0]?.annotations).toContain('[rdx+0x20] = Regs->rsp');
    expect(r.diagnostics.map((d) => d.code)).toEqual(
      expect.arrayContaining(['lint/regs-rsp-write', 'lint/stock-nx', 'lint/c3-appended']),
    );
    const d = unwrap(
      await client.call('asm:disassemble', { hex: '48 89 42 20', role: 'condition' }),
    );
    expect(d.listing[0]?.annotations.join()).toContain('Context');
    expect(d.source).toBe('mov qword ptr [rdx+0x20], rax');
    expect(await client.call('asm:disassemble', { hex: '489' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', field: 'hex' },
    });
  });
});

describe('profile:*', () => {
  it('saves, lists and deletes connection profiles, refusing bad connections', async () => {
    const p = unwrap(
      await client.call('profile:save', {
        profile: { name: 'VM', connection: { kind: 'tcp', host: '192.168.1.10' } },
      }),
    );
    expect(p).toMatchObject({ connection: { port: 50000 }, capability: 'auto', cliPath: '' });
    expect(unwrap(await client.call('profile:list', {}))).toEqual([p]);
    expect(
      await client.call('profile:save', {
        profile: { name: 'bad', connection: { kind: 'serial', port: 'COM1', baud: 12345 } },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', field: 'profile.connection.baud' },
    });
    unwrap(await client.call('profile:delete', { id: p.id }));
    expect(unwrap(await client.call('profile:list', {}))).toEqual([]);
    expect(changes.filter((c) => c.scope === 'profiles').map((c) => c.reason)).toEqual([
      'created',
      'deleted',
    ]);
  });
});

describe('dispose', () => {
  it('closes the database (the write-ahead log is folded back and removed)', async () => {
    unwrap(await client.call('library:list', {}));
    expect(existsSync(join(dataDir, 'library.sqlite3-wal'))).toBe(true);
    await dispose();
    expect(existsSync(join(dataDir, 'library.sqlite3-wal'))).toBe(false);
    expect(await client.call('library:list', {})).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
  });
});

describe('a damaged built-in file', () => {
  it('does not lock the user out of the library: it is reported and skipped', async () => {
    const builtinsDir = tempDir();
    writeFileSync(join(builtinsDir, 'broken.json'), '{"format": "hyperdbg-studio/actions", ');
    const hub = createStreamHub();
    const library = createLibraryHandlers({ hub, dataDir: tempDir(), builtinsDir });
    const c = createMemoryClient(library.handlers as unknown as Handlers, hub);
    const errors: unknown[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args));
    try {
      expect(unwrap(await c.call('library:list', {}))).toEqual([]);
      expect(unwrap(await c.call('library:save', { action: draft })).action.version).toBe(1);
      expect(String(errors[0])).toMatch(/built-in actions not installed: broken\.json/);
    } finally {
      spy.mockRestore();
      await library.dispose();
    }
  });
});

describe('library:import names and sizes', () => {
  it('reads a .json that is not JSON as a broken exchange file, never as a script', async () => {
    const r = await client.call('library:import', {
      fileName: 'mine.json',
      content: 'print($pid);',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!r.ok && r.error.message).toMatch(/mine\.json: not valid JSON/);
  });

  it('refuses a file name with control characters, naming the character', async () => {
    const r = await client.call('library:import', {
      fileName: 'evil\u001b[31m.ds',
      content: '!syscall script { print($pid); }',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'fileName' } });
    expect(!r.ok && r.error.message).toMatch(/an ESC character at position 5/);
    expect(!r.ok && r.error.message).not.toMatch(/damaged/);
  });

  it('gives a true error for a valid event command too long to record, not "damaged"', async () => {
    const before = unwrap(await client.call('library:list', {})).length;
    const args = Array.from({ length: 1200 }, (_, i) => `pid ${i.toString(16)}`).join(' ');
    const r = await client.call('library:import', {
      fileName: 'long.ds',
      content: `!syscall ${args} script { print($pid); }`,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!r.ok && r.error.message).toMatch(/long\.ds, line 1: .*characters/);
    expect(!r.ok && r.error.message).not.toMatch(/damaged/);
    // Nothing was imported, and the library still lists.
    expect(unwrap(await client.call('library:list', {})).length).toBe(before);
  });
});

describe('library:list with a damaged row', () => {
  it('lists the other actions and reports the damaged one, which says so when opened', async () => {
    const a = unwrap(await client.call('library:save', { action: { ...draft, name: 'Good' } }));
    const b = unwrap(await client.call('library:save', { action: { ...draft, name: 'Broken' } }));
    await dispose();
    const db = new Database(join(dataDir, 'library.sqlite3'));
    db.prepare('UPDATE actions SET content = ? WHERE id = ?').run(
      '{"kind":"code","name":',
      b.action.id,
    );
    db.close();
    const hub = createStreamHub();
    const library = createLibraryHandlers({ hub, dataDir });
    client = createMemoryClient(library.handlers as unknown as Handlers, hub);
    dispose = library.dispose;
    const list = await client.call('library:list', {});
    expect(list.ok).toBe(true);
    const rows = unwrap(list);
    expect(rows.find((r) => r.id === a.action.id)?.damaged).toBeUndefined();
    const broken = rows.find((r) => r.id === b.action.id);
    expect(broken?.name).toBe('Broken');
    expect(broken?.damaged).toMatch(/damaged \(its content is not JSON\)/);
    // Every built-in the app ships (one definition file each) is still listed.
    const shipped = readdirSync(join(repoRoot, 'resources/builtins')).filter((f) =>
      f.endsWith('.json'),
    ).length;
    expect(rows.filter((r) => r.builtin !== null)).toHaveLength(shipped);
    const opened = await client.call('library:get', { id: b.action.id });
    expect(!opened.ok && opened.error.message).toMatch(/in the database is damaged/);
  });
});
