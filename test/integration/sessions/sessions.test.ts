// Sessions as documents through the real host (createHost, the contract's memory client, real
// SQLite files): a past session opens read-only (a write is refused and the file stays
// byte-for-byte the same), broken and foreign files are refused by name, an older file without a
// description still opens, Counts follow a view's filter (live and past), a long export shows
// progress and can be cancelled, and retention never touches the running or an open session.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryClient } from '../../helpers/memoryClient';
import { unwrap } from '../../../shared/contract/result';
import type { HostClient } from '../../../shared/contract/client';
import { createHost, type Host } from '../../../electron/host/composition';
import { createStreamHub } from '../../../shared/contract/hub';
import { LogService } from '../../../electron/host/log/logService';
import { RecordStore } from '../../../electron/host/store/records/recordStore';
import { eventOf, makeRecords, processNameOf, standardResolver } from '../../helpers/inProcessHost';
import { tempDir } from '../../helpers/paths';

const hosts: Host[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.dispose();
});

async function startHost(dataDir = tempDir('hds-sessions-')): Promise<{
  host: Host;
  client: HostClient;
  dataDir: string;
}> {
  const host = await createHost({ hostKind: 'web', dataDir, appVersion: '0.0.0-test' });
  host.log.setSourceResolver(standardResolver);
  hosts.push(host);
  return { host, client: createMemoryClient(host.handlers, host.hub), dataDir };
}

/** A finished session of `n` records (an app run that ended), written the way the app does. */
function pastSession(dataDir: string, n: number, label = 'Simulator (seed 1)'): string {
  const log = new LogService({ dataDir, hub: createStreamHub(), resolveSource: standardResolver });
  log.sessionStarted({ generation: 1, at: 1_700_000_000_000, targetLabel: label });
  for (let i = 0; i < n; i += 5000) log.records(makeRecords(i, Math.min(5000, n - i)));
  log.sessionEnded({
    generation: 1,
    at: 1_700_000_060_000,
    targetLabel: label,
    reason: 'ended by the user',
  });
  const file = log.file;
  log.dispose();
  return file;
}

const idOf = (file: string) => (file.split('/').pop() as string).replace(/\.sqlite3$/, '');
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const expected = (n: number, keep: (i: number) => boolean) =>
  Array.from({ length: n }, (_, i) => i).filter(keep);

describe('a past session opens read-only', () => {
  it('with the live log’s views, detail and stats; a write is refused and the file is unchanged', async () => {
    const dataDir = tempDir('hds-sessions-');
    const file = pastSession(dataDir, 3000);
    const before = hash(file);
    const { client } = await startHost(dataDir);
    const id = idOf(file);
    const opened = unwrap(await client.call('sessions:open', { id }));
    expect(opened).toMatchObject({ id, state: 'ended', records: 3000, live: false, open: true });
    const view = unwrap(
      await client.call('log:open-view', {
        session: id,
        filter: { fields: [{ field: 'ImageFileName', op: 'equals', value: 'chrome.exe' }] },
      }),
    );
    const want = expected(3000, (i) => eventOf(i) === 1 && processNameOf(i) === 'chrome.exe');
    expect(view.matched).toBe(want.length);
    const page = unwrap(
      await client.call('log:page', { viewId: view.viewId, revision: 0, offset: 0, limit: 1000 }),
    );
    expect(page.rows.map((r) => r.seq)).toEqual(want.slice(0, 1000));
    const detail = unwrap(await client.call('log:record', { session: id, seq: want[0] as number }));
    expect(detail.fields.find((f) => f.name === 'ImageFileName')?.display).toBe('chrome.exe');
    const stats = unwrap(await client.call('log:stats', { session: id }));
    expect(stats.total).toBe(3000);
    expect(stats.events.map((e) => [e.eventId, e.count])).toEqual(
      [1, 2, 3].map((ev) => [ev, expected(3000, (i) => eventOf(i) === ev).length]),
    );
    // The live session is another log: its views never see the past one's records.
    const live = unwrap(await client.call('log:open-view', { filter: {} }));
    expect(live.matched).toBe(0);
    const exported = unwrap(
      await client.call('log:export', { viewId: view.viewId, format: 'csv' }),
    );
    expect(exported.records).toBe(want.length);
    unwrap(await client.call('sessions:close', { id }));

    // A write through the store is refused by SQLite itself, not only by our code.
    const store = new RecordStore(file, {}, { readOnly: true });
    expect(() => store.setMeta({ kind: 'tampered' })).toThrow(/read-only/);
    expect(() => store.connection.prepare("INSERT INTO meta VALUES ('x', 'y')").run()).toThrow(
      /readonly/,
    );
    expect(() =>
      store.write(
        [
          {
            seq: 3000,
            receivedAt: 1,
            generation: 1,
            eventId: 1,
            core: 0,
            context: '0',
            source: null,
            length: 0,
            bytes: new Uint8Array(0),
            text: '',
            fields: [],
            targetSeq: 1,
          },
        ],
        [],
      ),
    ).toThrow(/read-only/);
    store.close();
    expect(hash(file)).toBe(before);
  });

  it('refuses broken and foreign files by name, and leaves them as they were', async () => {
    const { client, dataDir } = await startHost();
    const dir = join(dataDir, 'sessions');
    const good = pastSession(dataDir, 100);
    const files: [string, Buffer | null, RegExp][] = [
      [
        'session-noise.sqlite3',
        Buffer.from('this is not a database at all '.repeat(200)),
        /is not a SQLite database/,
      ],
      [
        'session-foreign.sqlite3',
        null,
        /not a HyperDbg Studio session \(it has no records table; tables: notes\)/,
      ],
      [
        'session-newer.sqlite3',
        null,
        /written by a newer HyperDbg Studio \(session layout 99; this build reads up to 2\)/,
      ],
      [
        'session-edited.sqlite3',
        null,
        /its records are numbered from 5, not 0: not written by HyperDbg Studio, or edited/,
      ],
    ];
    for (const [name, bytes] of files.slice(0, 1)) writeFileSync(join(dir, name), bytes as Buffer);
    const foreign = new Database(join(dir, 'session-foreign.sqlite3'));
    foreign.exec('CREATE TABLE notes (t TEXT)');
    foreign.close();
    copyFileSync(good, join(dir, 'session-newer.sqlite3'));
    const newer = new Database(join(dir, 'session-newer.sqlite3'));
    newer.pragma('user_version = 99');
    newer.close();
    copyFileSync(good, join(dir, 'session-edited.sqlite3'));
    const edited = new Database(join(dir, 'session-edited.sqlite3'));
    edited.exec('DELETE FROM records WHERE seq < 5');
    edited.close();
    const listed = unwrap(await client.call('sessions:list', {}));
    for (const [name, , message] of files) {
      const id = name.replace('.sqlite3', '');
      const before = hash(join(dir, name));
      const r = await client.call('sessions:open', { id });
      expect(r.ok, name).toBe(false);
      if (!r.ok) {
        expect(r.error.message).toContain(join(dir, name));
        expect(r.error.message).toMatch(message);
        expect(r.error.message).toMatch(/It was not changed\.$/);
      }
      expect(hash(join(dir, name))).toBe(before);
      // Listed with its problem, so it can be deleted.
      const row = listed.sessions.find((s) => s.id === id);
      if (name !== 'session-edited.sqlite3') expect(row?.problem, name).toMatch(message);
    }
    const del = unwrap(await client.call('sessions:delete', { ids: ['session-noise'] }));
    expect(del.deleted).toEqual(['session-noise']);
  });

  it('opens an older file that does not describe itself, deriving what its tables say', async () => {
    const dataDir = tempDir('hds-sessions-');
    const file = pastSession(dataDir, 500, 'COM2 @ 115200');
    // What the app wrote before sessions described themselves: createdAt, appVersion, pid.
    const db = new Database(file);
    db.exec("DELETE FROM meta WHERE key NOT IN ('createdAt', 'appVersion', 'pid')");
    db.close();
    const { client } = await startHost(dataDir);
    const row = unwrap(await client.call('sessions:list', {})).sessions.find(
      (s) => s.id === idOf(file),
    );
    expect(row).toMatchObject({
      described: 'derived',
      kind: null,
      state: 'ended',
      records: 500,
      targetLabel: 'COM2 @ 115200',
      startedAt: 1_700_000_000_000,
      endedAt: 1_700_000_060_000,
      lost: null,
      // A file from before sequence numbers: what its target lost cannot be told.
      targetLost: null,
      problem: null,
    });
    const view = unwrap(await client.call('log:open-view', { session: idOf(file), filter: {} }));
    expect(view.matched).toBe(500);
    // Its transcript (named after the CLI's start, the `started` mark) goes with it.
    const transcript = join(dataDir, 'sessions', '2023-11-14T22-13-20-000Z-g1.log');
    writeFileSync(transcript, 'HyperDbg> \n');
    unwrap(await client.call('sessions:close', { id: idOf(file) }));
    expect(unwrap(await client.call('sessions:delete', { ids: [idOf(file)] })).deleted).toEqual([
      idOf(file),
    ]);
    expect(existsSync(transcript)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });
});

describe('counts follow the filter of their view', () => {
  it('live: over the view’s records, saying which filter; new records join the counts', async () => {
    const { host, client } = await startHost();
    host.log.sink.records(makeRecords(0, 4000));
    host.log.sink.flush();
    const filter = { cores: [2] };
    const view = unwrap(await client.call('log:open-view', { filter }));
    const count = async () =>
      unwrap(
        await client.call('log:counts', { viewId: view.viewId, field: 'ImageFileName', top: 50 }),
      );
    const tally = (n: number) => {
      const m = new Map<string, number>();
      for (const i of expected(n, (k) => k % 4 === 2 && eventOf(k) === 1))
        m.set(processNameOf(i), (m.get(processNameOf(i)) ?? 0) + 1);
      return [...m.entries()].sort((a, b) => b[1] - a[1] || 0);
    };
    const c = await count();
    expect(c).toMatchObject({ viewId: view.viewId, filter, matched: view.matched, counting: null });
    expect(c.matched).toBe(expected(4000, (k) => k % 4 === 2).length);
    expect(new Map(c.top.map((t) => [t.value, t.count]))).toEqual(new Map(tally(4000)));
    expect(c.total).toBe(tally(4000).reduce((n, [, k]) => n + k, 0));
    expect(c.rate.counts.reduce((a, b) => a + b, 0)).toBe(c.matched);
    host.log.sink.records(makeRecords(4000, 1000));
    host.log.sink.flush();
    const later = await count();
    expect(later.matched).toBe(expected(5000, (k) => k % 4 === 2).length);
    expect(new Map(later.top.map((t) => [t.value, t.count]))).toEqual(new Map(tally(5000)));
    // Without a filter the counts are of every record.
    const all = unwrap(await client.call('log:open-view', { filter: {} }));
    const every = unwrap(
      await client.call('log:counts', { viewId: all.viewId, field: 'ImageFileName', top: 50 }),
    );
    expect(every).toMatchObject({ filter: {}, matched: 5000 });
    expect(every.total).toBe(expected(5000, (k) => eventOf(k) === 1).length);
    // A filter change is a new count.
    const next = unwrap(
      await client.call('log:set-filter', {
        viewId: view.viewId,
        filter: { fields: [{ field: 'ImageFileName', op: 'equals', value: 'System' }] },
      }),
    );
    const sys = await count();
    expect(sys.revision).toBe(next.revision);
    expect(sys.top).toEqual([{ value: 'System', count: next.matched }]);
  });

  it('past: over an opened session’s view, and its rate ends at its last record', async () => {
    const dataDir = tempDir('hds-sessions-');
    const file = pastSession(dataDir, 2000);
    const { client } = await startHost(dataDir);
    const view = unwrap(
      await client.call('log:open-view', {
        session: idOf(file),
        filter: { actions: ['act-pool-tag'] },
      }),
    );
    const c = unwrap(
      await client.call('log:counts', { viewId: view.viewId, field: 'Tag', top: 10, seconds: 60 }),
    );
    const tags = expected(2000, (i) => eventOf(i) === 2);
    expect(c.matched).toBe(tags.length);
    expect(c.total).toBe(tags.length);
    expect(c.top.reduce((n, t) => n + t.count, 0)).toBe(tags.length);
    // Every record arrived in one batch: the chart's last second holds them all.
    expect(c.rate.counts.at(-1)).toBe(tags.length);
  });
});

describe('a long export', () => {
  it('reports progress and can be cancelled, leaving no file behind', async () => {
    const { host, client, dataDir } = await startHost();
    for (let i = 0; i < 150_000; i += 10_000) host.log.sink.records(makeRecords(i, 10_000));
    host.log.sink.flush();
    const view = unwrap(await client.call('log:open-view', { filter: {} }));
    const seen: number[] = [];
    const jobId = 'export-cancel-test';
    host.hub.subscribe('sessions:progress', (p) => {
      if (p.jobId !== jobId) return;
      expect(p).toMatchObject({ phase: 'export', unit: 'records', of: 150_000 });
      seen.push(p.done);
      if (p.done > 0 && seen.length === 2) void client.call('sessions:cancel', { jobId });
    });
    const r = await client.call('log:export', { viewId: view.viewId, format: 'jsonl', jobId });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toMatchObject({ code: 'cancelled', message: 'the export was cancelled' });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toBeLessThan(150_000);
    const exportsDir = join(dataDir, 'exports');
    expect(existsSync(exportsDir) ? readdirSync(exportsDir) : []).toEqual([]);
    // The same export without a cancel completes, with progress up to the end.
    seen.length = 0;
    const done = unwrap(
      await client.call('log:export', { viewId: view.viewId, format: 'jsonl', jobId: 'export-2' }),
    );
    expect(done.records).toBe(150_000);
    expect(readdirSync(exportsDir)).toEqual([done.fileName]);
  }, 60_000);
});

describe('retention', () => {
  /** Sessions made at these times (ms), oldest first; their ids in that order. */
  function sessionsMadeAt(dataDir: string, times: readonly number[], records = 50): string[] {
    return times.map((t) => {
      const file = pastSession(dataDir, records);
      const db = new Database(file);
      db.prepare("UPDATE meta SET value = ? WHERE key = 'createdAt'").run(
        new Date(t).toISOString(),
      );
      db.close();
      return idOf(file);
    });
  }
  const DAY = 24 * 3600 * 1000;

  it('keeps the newest N and the last N days, never the running or an open session', async () => {
    const dataDir = tempDir('hds-sessions-');
    const now = Date.now();
    const ids = sessionsMadeAt(dataDir, [
      now - 40 * DAY,
      now - 20 * DAY,
      now - 10 * DAY,
      now - DAY,
    ]);
    const { client, host } = await startHost(dataDir);
    const liveId = idOf(host.log.sink.file);
    unwrap(await client.call('sessions:open', { id: ids[0] as string }));
    const r = unwrap(
      await client.call('sessions:set-retention', {
        policy: { keepSessions: 2, keepDays: null, maxTotalMiB: null },
      }),
    );
    // The two newest are the running one and the day-old one; the oldest is open: kept.
    expect([...r.deleted].sort()).toEqual([ids[1], ids[2]].sort());
    const left = unwrap(await client.call('sessions:list', {})).sessions.map((s) => s.id);
    expect(left.sort()).toEqual([liveId, ids[0], ids[3]].sort());
    unwrap(await client.call('sessions:close', { id: ids[0] as string }));
    const days = unwrap(
      await client.call('sessions:set-retention', {
        policy: { keepSessions: null, keepDays: 30, maxTotalMiB: null },
      }),
    );
    expect(days.deleted).toEqual([ids[0]]);
    const del = unwrap(await client.call('sessions:delete', { ids: [liveId] }));
    expect(del.refused).toEqual([{ id: liveId, reason: 'it is the running session' }]);
  });

  it('is applied at start-up, with a size cap, from the saved policy', async () => {
    const dataDir = tempDir('hds-sessions-');
    const now = Date.now();
    const ids = sessionsMadeAt(dataDir, [now - 3000, now - 2000, now - 1000], 20_000);
    const [s0, s1, s2] = ids.map(
      (id) => readFileSync(join(dataDir, 'sessions', `${id}.sqlite3`)).length,
    ) as [number, number, number];
    // Room for the newest two (and the new run's small database), not for all three.
    const cap = Math.ceil((s1 + s2 + 256 * 1024) / (1024 * 1024));
    expect(cap * 1024 * 1024).toBeLessThan(s0 + s1 + s2);
    writeFileSync(
      join(dataDir, 'session-retention.json'),
      JSON.stringify({ keepSessions: null, keepDays: null, maxTotalMiB: cap }),
    );
    const { client } = await startHost(dataDir);
    const left = unwrap(await client.call('sessions:list', {})).sessions.map((s) => s.id);
    expect(left).not.toContain(ids[0]);
    expect(left).toContain(ids[1]);
    expect(left).toContain(ids[2]);
    expect(unwrap(await client.call('sessions:get-retention', {})).maxTotalMiB).toBe(cap);
  });
});
