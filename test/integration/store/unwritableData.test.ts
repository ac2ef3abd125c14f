// A data folder the app cannot write (a file in the way, read-only media, a full disk) does not
// stop the host from starting: it says what is wrong with which folder, the library is listed
// read-only (its saved actions, or the built-ins), changes are refused saying why, and this run's
// records go to a temporary folder instead.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../../electron/host/composition';
import { prepareDataFolders } from '../../../electron/host/dataFolders';
import { openRecordStore } from '../../../electron/host/store/records/recordStore';
import { startWebHost } from '../../helpers/webHost';
import type { HostClient } from '../../../shared/contract/client';
import { createMemoryClient } from '../../helpers/memoryClient';
import { unwrap } from '../../../shared/contract/result';
import { makeFullDisk, makeReadOnly, type Made } from '../../helpers/unwritableDirs';
import { tempDir } from '../../helpers/paths';

let host: Host | null = null;
let made: Made | null = null;
afterEach(async () => {
  await host?.dispose();
  host = null;
  if (made?.ok === true) made.undo();
  made = null;
});

async function start(dataDir: string): Promise<HostClient> {
  host = await createHost({ hostKind: 'web', dataDir, appVersion: 'test' });
  return createMemoryClient(host.handlers, host.hub);
}

const draft = {
  kind: 'log' as const,
  name: 'Mine',
  eventKinds: ['!syscall' as const],
  script: 'print($pid);',
};

/** The checks every unwritable folder gets. */
async function expectUsableReadOnly(c: HostClient, dataDir: string, reason: RegExp) {
  const info = unwrap(await c.call('app:info', {}));
  expect(info.storageProblems.length).toBe(1);
  expect(info.storageProblems[0]).toContain(dataDir);
  expect(info.storageProblems[0]).toMatch(reason);
  // The library is there to read.
  const list = unwrap(await c.call('library:list', {}));
  expect(list.length).toBeGreaterThan(0);
  // A change is refused, saying why and where.
  const saved = await c.call('library:save', { action: { ...draft, name: 'New one' } });
  expect(saved.ok).toBe(false);
  if (!saved.ok) {
    expect(saved.error.message).toContain(dataDir);
    expect(saved.error.message).toMatch(/read-only|cannot be written/);
  }
  // The live log works, elsewhere.
  const view = await c.call('log:open-view', { filter: {} });
  expect(view.ok).toBe(true);
  const stats = unwrap(await c.call('log:stats', {}));
  expect(stats.total).toBe(0);
  return { info, list };
}

describe('a data folder the app cannot write', () => {
  it('a file where the folder should be: starts, says so, shows the built-ins read-only', async () => {
    const parent = tempDir('hds-unwritable-');
    writeFileSync(join(parent, 'blocker'), 'not a folder');
    const dataDir = join(parent, 'blocker', 'data');
    const c = await start(dataDir);
    const { list } = await expectUsableReadOnly(c, dataDir, /not a folder|ENOTDIR/);
    expect(list.every((a) => a.builtin !== null)).toBe(true);
  });

  it('read-only media: the saved library is listed, nothing is written to it', async (ctx) => {
    const dataDir = tempDir('hds-readonly-');
    await start(dataDir);
    const c0 = createMemoryClient(host!.handlers, host!.hub);
    unwrap(await c0.call('library:save', { action: draft }));
    await host!.dispose();
    host = null;
    made = makeReadOnly(dataDir);
    if (!made.ok) return ctx.skip(made.why);
    const c = await start(dataDir);
    const { list } = await expectUsableReadOnly(c, dataDir, /read-only|permission/i);
    expect(list.map((a) => a.name)).toContain('Mine');
    const mine = list.find((a) => a.name === 'Mine');
    expect(unwrap(await c.call('library:get', { id: mine!.id })).name).toBe('Mine');
    // The first run's session is still listed and opens read-only; deleting it is refused with
    // the folder and the reason, and the file stays.
    const past = unwrap(await c.call('sessions:list', {})).sessions;
    expect(past.length).toBeGreaterThanOrEqual(1);
    const first = past[past.length - 1]!;
    expect(unwrap(await c.call('sessions:open', { id: first.id })).id).toBe(first.id);
    const del = await c.call('sessions:delete', { ids: [first.id] });
    expect(del.ok).toBe(false);
    if (!del.ok) expect(del.error.message).toMatch(/sessions folder .* cannot be written/);
    expect(unwrap(await c.call('sessions:list', {})).sessions.map((x) => x.id)).toContain(first.id);
  });

  it('a full disk: starts and says the disk is full', async (ctx) => {
    const mountPoint = mkdtempSync(join(tmpdir(), 'hds-full-'));
    made = makeFullDisk(mountPoint);
    if (!made.ok) return ctx.skip(made.why);
    const dataDir = join(mountPoint, 'data');
    mkdirSync(dataDir, { recursive: true });
    const c = await start(dataDir);
    await expectUsableReadOnly(c, dataDir, /full|ENOSPC/);
  });
});

describe('when no folder at all can be written', () => {
  it('the temporary folder cannot be made either: says records stay in memory', () => {
    const parent = tempDir('hds-unwritable-');
    writeFileSync(join(parent, 'file'), 'x');
    const f = prepareDataFolders(join(parent, 'file', 'data'), join(parent, 'file', 'tmp'));
    expect(f.readOnlyBecause).toMatch(/ENOTDIR/);
    expect(f.problems[0]).toMatch(/kept in memory only/);
  });

  it('the session database falls back to memory and still keeps records', () => {
    const parent = tempDir('hds-unwritable-');
    writeFileSync(join(parent, 'file'), 'x');
    const store = openRecordStore(join(parent, 'file', 'data'));
    try {
      expect(store.file).toBe(':memory:');
      expect(store.total).toBe(0);
    } finally {
      store.close();
    }
  });
});

describe('the web host on an unwritable data folder', () => {
  it('starts, prints its URL and what is wrong with which folder, no stack trace', async () => {
    const parent = tempDir('hds-unwritable-');
    writeFileSync(join(parent, 'blocker'), 'not a folder');
    const dataDir = join(parent, 'blocker', 'data');
    const web = await startWebHost([], dataDir);
    try {
      await expect
        .poll(() => web.output())
        .toContain(`The data folder ${dataDir} cannot be written`);
      expect(web.output()).not.toMatch(/\n\s+at /);
      expect(web.child.exitCode).toBeNull();
    } finally {
      await web.stop();
    }
  });
});
