// A million records through the sink into a real session database, then what a user does with
// them: filters (each applied to every stored record), deep pages, counts, and export of a filter
// to CSV and JSON lines. How fast is measured by `npm run bench -- storedLog`, not here.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStreamHub } from '../../../shared/contract/hub';
import type { LogFilter } from '../../../shared/log/logFilter';
import { LogService } from '../../../electron/host/log/logService';
import { inspectSessionDatabase } from '../../../electron/host/store/records/recordStore';
import { eventOf, makeRecords, processNameOf, standardResolver } from '../../helpers/inProcessHost';
import { tempDir } from '../../helpers/paths';

const TOTAL = 1_000_000;
/** The batch size the session engine hands on at most (one parser flush). */
const BATCH = 500;

let log: LogService;
let ingestMs = 0;

beforeAll(() => {
  log = new LogService({
    hub: createStreamHub(),
    dataDir: tempDir('hds-1m-'),
    resolveSource: standardResolver,
  });
  const t = performance.now();
  for (let i = 0; i < TOTAL; i += BATCH) log.records(makeRecords(i, BATCH));
  log.flush();
  ingestMs = performance.now() - t;
  console.log(
    `ingest: ${TOTAL} records in ${ingestMs.toFixed(0)} ms (${((TOTAL / ingestMs) * 1000).toFixed(0)} records/s)`,
  );
}, 300_000);
afterAll(() => log?.dispose());

/** Counts of the generator, the oracle (never the code under test). */
function oracle(keep: (i: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < TOTAL; i++) if (keep(i)) n++;
  return n;
}

async function timedBuild(
  filter: LogFilter,
): Promise<{ ms: number; viewId: string; matched: number }> {
  const t = performance.now();
  const v = log.openView(filter);
  let info = log.setPaused(v.viewId, false);
  while (info.building !== null) {
    await new Promise((r) => setImmediate(r));
    info = log.setPaused(v.viewId, false);
  }
  return { ms: performance.now() - t, viewId: v.viewId, matched: info.matched };
}

describe('a million stored records', () => {
  it('stores them all, readable and intact', () => {
    expect(log.getStats()).toMatchObject({ total: TOTAL, lost: 0, storeError: null });
    expect(inspectSessionDatabase(log.file)).toMatchObject({ records: TOTAL, integrity: ['ok'] });
  });

  it.each<[string, LogFilter, (i: number) => boolean]>([
    [
      'field equals',
      { fields: [{ field: 'ImageFileName', op: 'equals', value: 'chrome.exe' }] },
      (i) => eventOf(i) === 1 && processNameOf(i) === 'chrome.exe',
    ],
    [
      'field contains',
      { fields: [{ field: 'ImageFileName', op: 'contains', value: 'SS.E' }] },
      (i) => eventOf(i) === 1 && /ss\.e/i.test(processNameOf(i)),
    ],
    ['event', { events: [{ generation: 1, eventId: 2 }] }, (i) => eventOf(i) === 2],
    ['action', { actions: ['act-pool-tag'] }, (i) => eventOf(i) === 2],
    [
      'free text',
      { text: 'explorer' },
      (i) => eventOf(i) === 1 && processNameOf(i) === 'explorer.exe',
    ],
    [
      'event and field',
      {
        events: [{ generation: 1, eventId: 1 }],
        fields: [{ field: 'ImageFileName', op: 'equals', value: 'lsass.exe' }],
      },
      (i) => eventOf(i) === 1 && processNameOf(i) === 'lsass.exe',
    ],
  ])('filter by %s matches exactly the records it should', async (name, filter, keep) => {
    const { ms, viewId, matched } = await timedBuild(filter);
    console.log(`filter ${name}: ${matched} of ${TOTAL} in ${ms.toFixed(0)} ms`);
    expect(matched).toBe(oracle(keep));
    log.closeView(viewId);
  });

  it('pages at any depth at once, in arrival order', async () => {
    const all = log.openView({});
    let t = performance.now();
    const deep = log.page(all.viewId, 0, 900_000, 100);
    const deepMs = performance.now() - t;
    expect(deep.rows.map((r) => r.seq)).toEqual(Array.from({ length: 100 }, (_, k) => 900_000 + k));
    const { viewId, matched } = await timedBuild({ events: [{ generation: 1, eventId: 3 }] });
    t = performance.now();
    const last = log.page(viewId, 0, matched - 100, 100);
    const filteredMs = performance.now() - t;
    const seqs = last.rows.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(last.rows.every((r) => r.eventId === 3 && r.fields === null)).toBe(true);
    console.log(
      `page at 900,000: ${deepMs.toFixed(1)} ms; last page of a filter: ${filteredMs.toFixed(1)} ms`,
    );
  });

  it('counts a field by value, live and exactly, and they agree', async () => {
    const live = await log.counts({ field: 'ImageFileName', top: 5, seconds: 60, exact: false });
    const t = performance.now();
    const exact = await log.counts({ field: 'ImageFileName', top: 5, seconds: 60, exact: true });
    console.log(`exact counts over the database: ${(performance.now() - t).toFixed(0)} ms`);
    expect(exact.top).toEqual(live.top);
    expect(live.total).toBe(oracle((i) => eventOf(i) === 1));
    expect(live.top[0]).toEqual({
      value: 'svchost.exe',
      count: oracle((i) => eventOf(i) === 1 && processNameOf(i) === 'svchost.exe'),
    });
  });

  it('exports a filter of 100k+ records to CSV and JSON lines', async () => {
    const { viewId, matched } = await timedBuild({ actions: ['act-pool-tag'] });
    expect(matched).toBeGreaterThan(100_000);
    let t = performance.now();
    const csv = await log.exportView(viewId, 'csv', undefined, false);
    const csvMs = performance.now() - t;
    t = performance.now();
    const jl = await log.exportView(viewId, 'jsonl', undefined, false);
    const jlMs = performance.now() - t;
    console.log(
      `export ${matched} records: CSV ${csvMs.toFixed(0)} ms (${(csv.bytes / 1e6).toFixed(1)} MB), JSONL ${jlMs.toFixed(0)} ms (${(jl.bytes / 1e6).toFixed(1)} MB)`,
    );
    expect(csv.records).toBe(matched);
    expect(jl.records).toBe(matched);
    let lines = 0;
    let lastSeq = -1;
    for await (const line of createInterface({ input: createReadStream(jl.path) })) {
      const o = JSON.parse(line) as { seq: number; fields: { Tag: string } };
      expect(o.seq).toBeGreaterThan(lastSeq);
      lastSeq = o.seq;
      lines++;
    }
    expect(lines).toBe(matched);
  });
});
