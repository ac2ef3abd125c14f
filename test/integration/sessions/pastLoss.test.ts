// A past session's loss through the real host (createHost, the contract's memory client, real
// SQLite files): a session whose target lost records (gaps in the HDBG2 numbers, some records
// late) reopens showing exactly what was lost per event and core, the figures the live log showed;
// a run that crashed left a stale loss in its meta, which is not listed, and opening it counts the
// loss from its records; a layout-1 file opens read-only and unchanged with its loss unknown, not
// 0; count tables printed in the target are kept and shown again. The truth is counted from the
// plan of what was delivered (test/helpers/numberedRecords.ts), not by the app's SequenceGaps.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../../electron/host/composition';
import { LogService } from '../../../electron/host/log/logService';
import type { HostClient } from '../../../shared/contract/client';
import { createStreamHub } from '../../../shared/contract/hub';
import { unwrap } from '../../../shared/contract/result';
import type { CountTable } from '../../../shared/delivery/countedTable';
import { standardResolver } from '../../helpers/inProcessHost';
import { createMemoryClient } from '../../helpers/memoryClient';
import {
  eventTruth,
  numberedRecords,
  totalLost,
  type LossTruth,
} from '../../helpers/numberedRecords';
import { artifactPath, repoRoot, tempDir } from '../../helpers/paths';
import { CRASH_PLAN, dropBursts } from './lossPlans';

const hosts: Host[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.dispose();
});

async function startHost(dataDir: string): Promise<HostClient> {
  const host = await createHost({ hostKind: 'web', dataDir, appVersion: '0.0.0-test' });
  host.log.setSourceResolver(standardResolver);
  hosts.push(host);
  return createMemoryClient(host.handlers, host.hub);
}

const idOf = (file: string) => (file.split('/').pop() as string).replace(/\.sqlite3$/, '');
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const LABEL = 'Simulator, local VMI';
const LAYOUT1 = join(repoRoot, 'test/fixtures/sessions/layout1-session.sqlite3');

/** Checks one generation's events 1 and 2 of `events` against the truth, core by core. */
function expectEvents(
  events: readonly {
    generation: number;
    eventId: number;
    lost: number | null;
    cores?: readonly unknown[] | null;
  }[],
  truth: LossTruth,
  generation: number,
): void {
  for (const eventId of [1, 2]) {
    const e = events.find((x) => x.generation === generation && x.eventId === eventId);
    const t = eventTruth(truth, generation, eventId);
    expect(t.lost).toBeGreaterThan(0);
    expect(e?.lost, `event ${eventId} of run ${generation}`).toBe(t.lost);
    expect(e?.cores).toEqual(t.cores);
  }
}

describe('a past session’s loss, counted from its records', () => {
  it('a session with gaps, reopened, shows the exact lost counts per event and core', async () => {
    const dataDir = tempDir('hds-loss-');
    const log = new LogService({
      dataDir,
      hub: createStreamHub(),
      resolveSource: standardResolver,
    });
    log.sessionStarted({ generation: 1, at: 1_700_000_000_000, targetLabel: LABEL });
    const { records, truth } = numberedRecords(0, 20_000, {
      drop: dropBursts,
      lateEvery: 13,
      unnumberedEvent3: true,
    });
    for (let i = 0; i < records.length; i += 1000) log.records(records.slice(i, i + 1000));
    log.sessionEnded({ generation: 1, at: 1_700_000_060_000, targetLabel: LABEL, reason: 'x' });
    log.flush();
    const live = log.getStats();
    const file = log.file;
    log.dispose();
    const unnumbered = records.filter((r) => r.record.seq === undefined).length;
    expect(unnumbered).toBeGreaterThan(0);

    // Layout 2: every numbered record keeps its number.
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(
      db.prepare('SELECT COUNT(*) FROM records WHERE target_seq IS NOT NULL').pluck().get(),
    ).toBe(records.length - unnumbered);
    db.close();

    const client = await startHost(dataDir);
    const id = idOf(file);
    const row = unwrap(await client.call('sessions:list', {})).sessions.find((s) => s.id === id);
    expect(row).toMatchObject({ state: 'ended', targetLost: totalLost(truth) });
    unwrap(await client.call('sessions:open', { id }));
    const stats = unwrap(await client.call('log:stats', { session: id }));
    expect(stats.total).toBe(records.length);
    expect(stats.targetLost).toBe(totalLost(truth));
    expect(stats.unsequenced).toBe(unnumbered);
    expect(stats.lossUnknown).toBeNull();
    expectEvents(stats.events, truth, 1);
    // Event 3's records carry no number: its loss is unknown, not 0.
    expect(stats.events.find((e) => e.eventId === 3)).toMatchObject({ lost: null, cores: null });
    // What the live log showed, event by event.
    const byEvent = (es: readonly { eventId: number; lost: number | null; count: number }[]) =>
      [...es].sort((a, b) => a.eventId - b.eventId).map((e) => [e.eventId, e.count, e.lost]);
    expect(byEvent(stats.events)).toEqual(byEvent(live.events));

    const d = unwrap(await client.call('sessions:show', { id }));
    expect(d).toMatchObject({
      layout: 2,
      targetLost: totalLost(truth),
      unsequenced: unnumbered,
      lossUnknown: null,
    });
    expectEvents(
      d.events.map((e) => ({ ...e, generation: e.generation })),
      truth,
      1,
    );
  });

  it('a crashed run: the stale loss in its meta is not listed; opened, the loss is counted from its records', async () => {
    const child = artifactPath('loss-crash-child.mjs');
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    await build({
      entryPoints: [join(repoRoot, 'test/integration/sessions/lossCrashChild.ts')],
      outfile: child,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      external: ['electron', ...Object.keys(pkg.dependencies)],
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
      logLevel: 'warning',
    });
    const dataDir = tempDir('hds-loss-crash-');
    const proc = spawn(process.execPath, [child, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const file = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^stored (.+)$/m.exec(out);
        if (m !== null) resolve(m[1] as string);
      });
      proc.on('exit', (code) => reject(new Error(`child exited ${code}: ${stderr}`)));
    });
    const exited = new Promise((r) => proc.on('exit', r));
    proc.kill('SIGKILL');
    await exited;

    const truth = numberedRecords(0, CRASH_PLAN.run1, {
      generation: 1,
      drop: CRASH_PLAN.drop,
    }).truth;
    const truth1 = totalLost(truth);
    numberedRecords(
      0,
      CRASH_PLAN.run2,
      { generation: 2, drop: CRASH_PLAN.drop, lateEvery: 7 },
      truth,
    );
    // The meta says what was lost when run 2 started: stale.
    const db = new Database(file, { readonly: true });
    const metaLost = db.prepare("SELECT value FROM meta WHERE key = 'target_lost'").pluck().get();
    db.close();
    expect(Number(metaLost)).toBe(truth1);
    expect(totalLost(truth)).toBeGreaterThan(truth1);

    const client = await startHost(dataDir);
    const id = idOf(file);
    const listed = async () =>
      unwrap(await client.call('sessions:list', {})).sessions.find((s) => s.id === id);
    expect(await listed()).toMatchObject({ state: 'interrupted', targetLost: null });
    unwrap(await client.call('sessions:open', { id }));
    const stats = unwrap(await client.call('log:stats', { session: id }));
    expect(stats.targetLost).toBe(totalLost(truth));
    expect(stats.lossUnknown).toBeNull();
    expectEvents(stats.events, truth, 1);
    expectEvents(stats.events, truth, 2);
    // Once counted, the listing shows it too.
    expect(await listed()).toMatchObject({ state: 'interrupted', targetLost: totalLost(truth) });
  }, 60_000);

  it('a layout-1 file opens read-only and unchanged, its loss unknown rather than 0', async () => {
    const dataDir = tempDir('hds-loss-layout1-');
    mkdirSync(join(dataDir, 'sessions'));
    const file = join(dataDir, 'sessions', 'session-layout1.sqlite3');
    copyFileSync(LAYOUT1, file);
    const before = hash(file);
    const client = await startHost(dataDir);
    const row = unwrap(await client.call('sessions:list', {})).sessions.find(
      (s) => s.id === 'session-layout1',
    );
    expect(row).toMatchObject({ problem: null, records: 40, state: 'ended', targetLost: null });
    unwrap(await client.call('sessions:open', { id: 'session-layout1' }));
    const stats = unwrap(await client.call('log:stats', { session: 'session-layout1' }));
    expect(stats).toMatchObject({ total: 40, targetLost: 0, unsequenced: 40 });
    expect(stats.lossUnknown).toMatch(/layout \(1\) keeps no sequence numbers/);
    expect(stats.events.map((e) => [e.eventId, e.count, e.lost, e.cores])).toEqual([
      [1, 32, null, null],
      [2, 8, null, null],
    ]);
    const view = unwrap(
      await client.call('log:open-view', {
        session: 'session-layout1',
        filter: { fields: [{ field: 'ImageFileName', op: 'equals', value: 'chrome.exe' }] },
      }),
    );
    expect(view.matched).toBe(11);
    expect(unwrap(await client.call('log:target-counts', { viewId: view.viewId }))).toEqual({
      tables: [],
    });
    const d = unwrap(await client.call('sessions:show', { id: 'session-layout1' }));
    expect(d).toMatchObject({ layout: 1, targetLost: null, countTables: [] });
    expect(d.lossUnknown).toMatch(/layout \(1\)/);
    expect(d.events.every((e) => e.lost === null && e.cores === null)).toBe(true);
    unwrap(await client.call('sessions:close', { id: 'session-layout1' }));
    expect(hash(file)).toBe(before);
  });

  it('a layout-1 file whose run counted its loss live shows that loss, per event, without cores', async () => {
    const dataDir = tempDir('hds-loss-layout1-');
    mkdirSync(join(dataDir, 'sessions'));
    const file = join(dataDir, 'sessions', 'session-counted.sqlite3');
    copyFileSync(LAYOUT1, file);
    // What the accounting build wrote when such a session ended (sessionMeta.ts).
    const db = new Database(file);
    const put = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    put.run('target_lost', '7');
    put.run('unsequenced', '8');
    put.run(
      'events',
      JSON.stringify([
        [1, 1, 32, 1_700_000_004_000, 'Current process ImageFileName', 7],
        [1, 2, 8, 1_700_000_004_000, null, null],
      ]),
    );
    db.close();
    const client = await startHost(dataDir);
    unwrap(await client.call('sessions:open', { id: 'session-counted' }));
    const stats = unwrap(await client.call('log:stats', { session: 'session-counted' }));
    expect(stats).toMatchObject({ targetLost: 7, unsequenced: 8, lossUnknown: null });
    expect(stats.events.map((e) => [e.eventId, e.lost, e.cores])).toEqual([
      [1, 7, null],
      [2, null, null],
    ]);
  });
});

/** A table as the target prints it: keys are 8 little-endian bytes of text. */
function table(
  eventId: number,
  seq: number,
  counts: Record<string, number>,
  other = 0,
): CountTable {
  const key = (s: string) => Buffer.from(s.padEnd(8, '\0').slice(0, 8), 'latin1').readBigUInt64LE();
  const entries = Object.entries(counts).map(([k, c]) => ({ key: key(k), count: BigInt(c) }));
  return {
    eventId,
    seq,
    total: entries.reduce((n, e) => n + e.count, BigInt(other)),
    other: BigInt(other),
    entries,
  };
}

describe('count tables printed in the target', () => {
  it('are kept in the session file and shown again after reopening', async () => {
    const dataDir = tempDir('hds-loss-tables-');
    const log = new LogService({
      dataDir,
      hub: createStreamHub(),
      resolveSource: standardResolver,
    });
    const t0 = 1_700_000_000_000;
    log.sessionStarted({ generation: 1, at: t0, targetLabel: LABEL });
    const add = (generation: number, at: number, t: CountTable) =>
      log.countTable({ generation, receivedAt: t0 + at, table: t });
    add(1, 1000, table(1, 1, { 'explorer.exe': 600, 'svchost.exe': 400 }));
    add(1, 2000, table(1, 2, { 'explorer.exe': 1300, 'svchost.exe': 700 }));
    add(1, 4000, table(1, 3, { 'explorer.exe': 2100, 'svchost.exe': 800, 'csrss.exe': 100 }, 5));
    // A reordered packet: an older table after a newer one is ignored, live and reopened.
    add(1, 4100, table(1, 2, { 'explorer.exe': 1 }));
    add(2, 5000, table(4, 1, { System: 50 }));
    const live = log.targetCounts();
    log.sessionEnded({ generation: 2, at: t0 + 6000, targetLabel: LABEL, reason: 'x' });
    const file = log.file;
    log.dispose();

    const client = await startHost(dataDir);
    const id = idOf(file);
    unwrap(await client.call('sessions:open', { id }));
    const view = unwrap(await client.call('log:open-view', { session: id, filter: {} }));
    const reopened = unwrap(await client.call('log:target-counts', { viewId: view.viewId }));
    expect(reopened).toEqual(live);
    expect(reopened.tables.map((t) => [t.generation, t.eventId, t.seq, t.total, t.other])).toEqual([
      [2, 4, 1, 50, 0],
      [1, 1, 3, 3005, 5],
    ]);
    const ev1 = reopened.tables[1];
    // Measured from the first table: (3005 - 1000) triggers over 3 s.
    expect(ev1?.triggersPerSecond).toBeCloseTo(2005 / 3, 6);
    expect(ev1?.entries.map((e) => [e.key, e.count])).toEqual([
      ['explorer', 2100],
      ['svchost.', 800],
      ['csrss.ex', 100],
    ]);
    const d = unwrap(await client.call('sessions:show', { id }));
    expect(d.countTables).toEqual(live.tables);
  });
});
