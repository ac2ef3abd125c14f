// The log service against real SQLite files: records stored and decoded through their action's
// schema, malformed lines and marks kept, filters (SQL over stored records and the in-memory test
// over new ones give the same answer), live updates with gaps and pause, counts and export.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStreamHub } from '../../../shared/contract/hub';
import type { LogUpdate } from '../../../shared/contract/log';
import { AppError } from '../../../shared/contract/result';
import type { LogFilter } from '../../../shared/log/logFilter';
import { LogService, TAIL_ROWS } from '../../../electron/host/log/logService';
import { inspectSessionDatabase } from '../../../electron/host/store/records/recordStore';
import {
  eventOf,
  makeRecord,
  makeRecords,
  processNameOf,
  standardResolver,
} from '../../helpers/inProcessHost';
import { tempDir } from '../../helpers/paths';

const open: LogService[] = [];
function setup(resolver: typeof standardResolver | undefined = standardResolver) {
  const hub = createStreamHub();
  const dataDir = tempDir('hds-log-');
  const log = new LogService({ hub, dataDir, resolveSource: resolver });
  open.push(log);
  return { hub, log, dataDir };
}
afterEach(() => {
  for (const l of open.splice(0)) l.dispose();
});

function allSeqs(log: LogService, viewId: string, revision = 0): number[] {
  const out: number[] = [];
  for (;;) {
    const p = log.page(viewId, revision, out.length, 1000);
    if (p.rows.length === 0) return out;
    out.push(...p.rows.map((r) => r.seq));
  }
}

async function settled(log: LogService, viewId: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (log.setPaused(viewId, false).building === null) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('view never finished building');
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('log service: storing and decoding', () => {
  it('keeps every record in the session database and decodes it through its schema', () => {
    const { log } = setup();
    log.records(makeRecords(0, 300));
    log.flush();
    expect(log.file).toMatch(/[\\/]sessions[\\/]session-\d{8}-\d{6}-\d+\.sqlite3$/);
    const view = log.openView({});
    expect(view.matched).toBe(300);
    const rows = log.page(view.viewId, 0, 0, 300).rows;
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    for (const [i, r] of rows.entries()) {
      const src = makeRecord(i);
      expect(r.eventId).toBe(eventOf(i));
      expect(r.core).toBe(i % 4);
      expect(r.context).toBe(src.record.context.toString(16));
      if (eventOf(i) === 1) {
        expect(r.actionName).toBe('Current process ImageFileName');
        expect(r.fields).toEqual([['ImageFileName', processNameOf(i)]]);
        expect(r.hex).toBe('');
      } else if (eventOf(i) === 2) {
        expect(r.fields?.map(([n]) => n)).toEqual(['Tag', 'Size', 'Caller']);
      } else {
        // No action explains event 3: the row carries the bytes as hex.
        expect(r.actionName).toBeNull();
        expect(r.fields).toBeNull();
        expect(r.hex).toBe(hex(src.record.bytes));
      }
    }
    const detail = log.record(3);
    expect(detail.hex).toBe(hex(makeRecord(3).record.bytes));
    expect(detail.hexDump[0]).toMatch(/^0000 {2}[0-9a-f]{2}( [0-9a-f]{2})*/);
    expect(() => log.record(300)).toThrow(AppError);
    expect(inspectSessionDatabase(log.file)).toMatchObject({ records: 300, integrity: ['ok'] });
  });

  it('warns on an event whose names come back blank: a deliberately wrong offset', () => {
    const { log } = setup();
    // Event 1 decodes as ImageFileName (cstr[15]); an action reading the wrong offset sends
    // zeros where the name should be, as the seed's +0x450 does on a 2004 guest.
    const at = Date.now();
    const blank = (i: number) => ({
      receivedAt: at + i,
      generation: 1,
      record: { eventId: 1, core: 0, context: 0x55n, length: 0x18, bytes: new Uint8Array(0x18) },
    });
    log.records(Array.from({ length: 20 }, (_, i) => blank(i)));
    log.flush();
    const ev = log.getStats().events.find((e) => e.eventId === 1);
    expect(ev?.decodeWarning).toMatch(
      /^ImageFileName is blank in 20 of the first 20 records: the action probably reads structure offsets of another Windows build/,
    );
    // Events whose records look like values carry no warning.
    log.records(makeRecords(0, 60).filter((r) => r.record.eventId !== 1));
    log.flush();
    for (const e of log.getStats().events.filter((x) => x.eventId !== 1))
      expect(e.decodeWarning).toBeNull();
  });

  it('shows ImageFileName as text, cut at 15 characters as cstr[15] says', () => {
    const { log } = setup();
    const bytes = new Uint8Array(0x18);
    const name = 'a-very-long-process-name.exe';
    for (let k = 0; k < 0x18; k++) bytes[k] = name.charCodeAt(k);
    log.records([
      {
        receivedAt: Date.now(),
        generation: 1,
        record: { eventId: 1, core: 0, context: 0n, length: bytes.length, bytes },
      },
    ]);
    log.flush();
    const v = log.openView({});
    expect(log.page(v.viewId, 0, 0, 1).rows[0]?.fields).toEqual([
      ['ImageFileName', 'a-very-long-pro'],
    ]);
  });

  it('keeps a copy of the bytes (the parser reuses its slab)', () => {
    const { log } = setup();
    const rec = makeRecord(0);
    log.records([rec]);
    (rec.record.bytes as Uint8Array).fill(0x41);
    log.flush();
    const v = log.openView({});
    expect(log.page(v.viewId, 0, 0, 1).rows[0]?.fields).toEqual([
      ['ImageFileName', processNameOf(0)],
    ]);
  });

  it('keeps malformed lines and invalid records, counted and readable, never dropped', () => {
    const { log } = setup();
    log.malformed([
      { receivedAt: 1, generation: 1, text: 'HDBG1 1 0 0 zz', reason: 'not hex' },
      { receivedAt: 2, generation: 1, text: 'x'.repeat(20_000), reason: 'too long' },
    ]);
    const bad = makeRecord(1);
    log.records([
      { ...bad, record: { ...bad.record, length: 5 } },
      { ...bad, record: { ...bad.record, eventId: -1 } },
      makeRecord(2),
    ]);
    log.flush();
    const stats = log.getStats();
    expect(stats.total).toBe(1);
    expect(stats.malformed).toBe(4);
    const m = log.malformedLines(0, 10);
    expect(m.total).toBe(4);
    expect(m.lines.map((l) => l.reason)).toEqual([
      'not hex',
      'too long',
      'invalid record from the session: length does not match the bytes',
      'invalid record from the session: event id is not a 32-bit number',
    ]);
    expect(m.lines[1]?.text).toMatch(/\.\.\. \(11808 more characters\)$/);
  });

  it('records session marks and keys events by (generation, event id)', () => {
    const { log } = setup();
    log.sessionStarted({ generation: 1, at: 1000, targetLabel: 'Simulator (seed 1)' });
    log.records(makeRecords(0, 10, 1));
    log.sessionEnded({
      generation: 1,
      at: 2000,
      targetLabel: 'Simulator (seed 1)',
      reason: 'crash',
    });
    log.sessionStarted({ generation: 2, at: 3000, targetLabel: 'Simulator (seed 1)' });
    log.records(makeRecords(0, 10, 2));
    log.flush();
    const s = log.getStats();
    expect(s.marks.map((m) => [m.kind, m.generation, m.reason])).toEqual([
      ['started', 1, null],
      ['ended', 1, 'crash'],
      ['started', 2, null],
    ]);
    const ev1 = s.events.filter((e) => e.eventId === 1);
    expect(ev1.map((e) => e.generation).sort()).toEqual([1, 2]);
    expect(inspectSessionDatabase(log.file).marks).toBe(3);
    const v = log.openView({ events: [{ generation: 2, eventId: 1 }] });
    const seqs = allSeqs(log, v.viewId);
    expect(seqs.every((s) => s >= 10)).toBe(true);
    expect(seqs.length).toBe(makeRecords(0, 10).filter((r) => r.record.eventId === 1).length);
  });

  it('a resolver that throws or answers junk leaves records as hex, still stored', () => {
    const { log } = setup(() => {
      throw new Error('registry not ready');
    });
    const errors: unknown[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => errors.push(a);
    try {
      log.records(makeRecords(0, 5));
      log.flush();
    } finally {
      console.error = orig;
    }
    expect(errors.length).toBeGreaterThan(0);
    const v = log.openView({});
    expect(log.page(v.viewId, 0, 0, 5).rows.every((r) => r.fields === null)).toBe(true);
    // A schema that does not validate (overlapping fields) decodes nothing rather than nonsense.
    log.setSourceResolver(() => ({
      actionId: 'x',
      actionName: 'bad schema',
      schema: [
        { name: 'A', offset: 0, type: 'u32' },
        { name: 'B', offset: 2, type: 'u32' },
      ],
    }));
    log.records(makeRecords(5, 1));
    log.flush();
    const row = log.page(v.viewId, 0, 5, 1).rows[0];
    expect(row?.actionName).toBe('bad schema');
    expect(row?.fields).toBeNull();
    expect(row?.hex).not.toBe('');
  });
});

/** Oracle: which of records 0..n-1 a filter keeps, computed from the generator, not the code. */
function expected(n: number, keep: (i: number) => boolean): number[] {
  return Array.from({ length: n }, (_, i) => i).filter(keep);
}

const N = 6000;
const recordBytes = (i: number) => makeRecord(i).record.bytes;
const cases: [string, LogFilter, (i: number) => boolean][] = [
  ['event', { events: [{ generation: 1, eventId: 2 }] }, (i) => eventOf(i) === 2],
  [
    'two events',
    {
      events: [
        { generation: 1, eventId: 2 },
        { generation: 1, eventId: 3 },
      ],
    },
    (i) => eventOf(i) !== 1,
  ],
  ['event of another run', { events: [{ generation: 2, eventId: 1 }] }, () => false],
  ['core', { cores: [2] }, (i) => i % 4 === 2],
  ['action', { actions: ['act-pool-tag'] }, (i) => eventOf(i) === 2],
  ['no action', { actions: [null] }, (i) => eventOf(i) === 3],
  ['unknown action', { actions: ['nope'] }, () => false],
  [
    'field equals',
    { fields: [{ field: 'ImageFileName', op: 'equals', value: 'explorer.exe' }] },
    (i) => eventOf(i) === 1 && processNameOf(i) === 'explorer.exe',
  ],
  [
    'field equals is exact',
    { fields: [{ field: 'ImageFileName', op: 'equals', value: 'EXPLORER.EXE' }] },
    () => false,
  ],
  [
    'field contains ignores ASCII case',
    { fields: [{ field: 'ImageFileName', op: 'contains', value: 'SS.EX' }] },
    (i) => eventOf(i) === 1 && /ss\.ex/i.test(processNameOf(i)),
  ],
  [
    'number in decimal',
    { fields: [{ field: 'Size', op: 'equals', value: '80' }] },
    (i) => eventOf(i) === 2 && 0x40 + (i % 64) * 0x10 === 80,
  ],
  [
    'number in hex',
    { fields: [{ field: 'Size', op: 'equals', value: '0x50' }] },
    (i) => eventOf(i) === 2 && 0x40 + (i % 64) * 0x10 === 0x50,
  ],
  [
    'like wildcards are literal',
    { fields: [{ field: 'ImageFileName', op: 'contains', value: '%' }] },
    () => false,
  ],
  [
    'two field conditions',
    {
      fields: [
        { field: 'Tag', op: 'equals', value: 'HDBG' },
        { field: 'Size', op: 'contains', value: '0x4' },
      ],
    },
    (i) =>
      eventOf(i) === 2 &&
      i % 6 === 0 &&
      `0x${(0x40 + (i % 64) * 0x10).toString(16)}`.includes('0x4'),
  ],
  ['text', { text: 'chrome' }, (i) => eventOf(i) === 1 && processNameOf(i).includes('chrome')],
  ['text as hex bytes', { text: '48 44 42 47' }, (i) => hex(recordBytes(i)).includes('48444247')],
  [
    'everything at once',
    {
      events: [{ generation: 1, eventId: 1 }],
      cores: [1, 3],
      actions: ['act-image-file-name'],
      fields: [{ field: 'ImageFileName', op: 'contains', value: 'e' }],
      text: '.exe',
    },
    (i) =>
      eventOf(i) === 1 &&
      i % 2 === 1 &&
      processNameOf(i).includes('e') &&
      processNameOf(i).includes('.exe'),
  ],
];

describe('log service: filters', () => {
  it.each(cases)(
    '%s: stored records (SQL) and new ones (in memory) agree',
    async (_name, filter, keep) => {
      const { log } = setup();
      const live = log.openView(filter); // matches each record as it is written
      log.records(makeRecords(0, N));
      log.flush();
      const built = log.openView(filter); // scans the stored records
      await settled(log, built.viewId);
      const want = expected(N, keep);
      expect(allSeqs(log, live.viewId)).toEqual(want);
      expect(allSeqs(log, built.viewId)).toEqual(want);
      expect(log.setPaused(built.viewId, false).matched).toBe(want.length);
    },
  );

  it('a filter applied while records keep arriving misses none and keeps arrival order', async () => {
    const { log } = setup();
    const filter: LogFilter = {
      fields: [{ field: 'ImageFileName', op: 'equals', value: 'chrome.exe' }],
    };
    const first = 250_000;
    for (let i = 0; i < first; i += 5000) log.records(makeRecords(i, 5000));
    log.flush();
    const v = log.openView(filter);
    expect(v.building).not.toBeNull(); // bigger than one build chunk: it continues in steps
    let next = first;
    while (log.setPaused(v.viewId, false).building !== null) {
      log.records(makeRecords(next, 700));
      next += 700;
      await new Promise((r) => setImmediate(r));
    }
    log.records(makeRecords(next, 700));
    next += 700;
    log.flush();
    const want = expected(next, (i) => eventOf(i) === 1 && processNameOf(i) === 'chrome.exe');
    expect(allSeqs(log, v.viewId)).toEqual(want);
  });

  it('answers a stale revision with conflict and a closed view with not-found', () => {
    const { log } = setup();
    log.records(makeRecords(0, 10));
    log.flush();
    const v = log.openView({});
    const v2 = log.setFilter(v.viewId, { cores: [1] });
    expect(v2.revision).toBe(1);
    expect(() => log.page(v.viewId, 0, 0, 10)).toThrow(/revision 1, not 0/);
    expect(log.setFilter(v.viewId, { cores: [1] }).revision).toBe(1); // the same filter: no rebuild
    expect(log.page(v.viewId, 1, 100, 10).rows).toEqual([]);
    log.closeView(v.viewId);
    expect(() => log.page(v.viewId, 1, 0, 10)).toThrow(/closed/);
  });
});

describe('log service: live updates', () => {
  it('sends only the newest rows per view; a renderer that fell behind sees a gap and pages it', () => {
    const { hub, log } = setup();
    const updates: LogUpdate[] = [];
    hub.subscribe('log:update', (u) => updates.push(u));
    const v = log.openView({ cores: [0] });
    log.records(makeRecords(0, 4000)); // eight write batches of 500
    log.flush();
    const mine = updates.flatMap((u) => u.views.filter((x) => x.viewId === v.viewId));
    expect(updates.length).toBe(8);
    let shown = 0;
    let gaps = 0;
    for (const u of mine) {
      expect(u.tail).not.toBeNull();
      const tail = u.tail as NonNullable<typeof u.tail>;
      expect(tail.rows.length).toBeLessThanOrEqual(TAIL_ROWS);
      expect(tail.offset + tail.rows.length).toBe(u.matched);
      if (tail.offset > shown) gaps++;
      shown = u.matched;
    }
    expect(gaps).toBeGreaterThan(0);
    expect(shown).toBe(1000);
    // The gap is there to be fetched: every position pages in order.
    expect(allSeqs(log, v.viewId)).toEqual(expected(4000, (i) => i % 4 === 0));
  });

  it('a paused view keeps counting but gets no rows; resumed, rows come again', () => {
    const { hub, log } = setup();
    const updates: LogUpdate[] = [];
    hub.subscribe('log:update', (u) => updates.push(u));
    const v = log.openView({});
    log.setPaused(v.viewId, true);
    log.records(makeRecords(0, 1000));
    log.flush();
    const paused = updates.flatMap((u) => u.views);
    expect(paused.map((x) => x.tail)).toEqual([null, null]);
    expect(paused.at(-1)?.matched).toBe(1000);
    log.setPaused(v.viewId, false);
    log.records(makeRecords(1000, 10));
    log.flush();
    const resumed = updates.at(-1)?.views[0];
    expect(resumed?.tail?.rows.map((r) => r.seq)).toEqual(
      Array.from({ length: 10 }, (_, i) => 1000 + i),
    );
    expect(updates.at(-1)?.total).toBe(1010);
  });

  it('publishes stats with per-event hits and rates, then lets rates fall to zero', async () => {
    const { hub, log } = setup();
    const seen: number[] = [];
    hub.subscribe('log:stats', (s) => seen.push(s.total));
    log.records(makeRecords(0, 1000));
    log.flush();
    await expect.poll(() => seen.at(-1)).toBe(1000);
    const s = log.getStats();
    const byEvent = Object.fromEntries(s.events.map((e) => [e.eventId, e.count]));
    expect(byEvent).toEqual({
      1: expected(1000, (i) => eventOf(i) === 1).length,
      2: expected(1000, (i) => eventOf(i) === 2).length,
      3: expected(1000, (i) => eventOf(i) === 3).length,
    });
    expect(s.events.find((e) => e.eventId === 1)?.actionName).toBe('Current process ImageFileName');
    expect(s.sources.map((x) => x.actionName)).toEqual([
      'Current process ImageFileName',
      'Pool allocation',
    ]);
    expect(s.fields).toEqual(['ImageFileName', 'Tag', 'Size', 'Caller']);
  });
});

describe('log service: counts and export', () => {
  it('counts a field by value, live and exactly, and the rate per second', async () => {
    const { log } = setup();
    log.records(makeRecords(0, 5000));
    log.flush();
    const want = new Map<string, number>();
    for (let i = 0; i < 5000; i++)
      if (eventOf(i) === 1) want.set(processNameOf(i), (want.get(processNameOf(i)) ?? 0) + 1);
    const sorted = [...want.entries()].sort((a, b) => b[1] - a[1]);
    const live = await log.counts({ field: 'ImageFileName', top: 3, seconds: 60, exact: false });
    expect(live.top.map((t) => [t.value, t.count])).toEqual(sorted.slice(0, 3));
    expect(live).toMatchObject({
      total: expected(5000, (i) => eventOf(i) === 1).length,
      exact: true,
    });
    const exact = await log.counts({ field: 'ImageFileName', top: 3, seconds: 60, exact: true });
    expect(exact.top).toEqual(live.top);
    expect(exact.distinct).toBe(want.size);
    expect(live.rate.counts.length).toBe(60);
    expect(live.rate.counts.reduce((a, b) => a + b, 0)).toBe(5000);
    expect(
      await log.counts({ field: 'NoSuchField', top: 3, seconds: 60, exact: false }),
    ).toMatchObject({ top: [], total: 0 });
  });

  it('exports the filter to CSV and JSON lines; the caller path is checked before writing', async () => {
    const { log, dataDir } = setup();
    log.records(makeRecords(0, 3000));
    const v = log.openView({ actions: ['act-pool-tag'] });
    const want = expected(3000, (i) => eventOf(i) === 2);
    const csv = await log.exportView(v.viewId, 'csv', undefined, false);
    expect(csv).toMatchObject({ records: want.length, format: 'csv' });
    expect(csv.path.startsWith(join(dataDir, 'exports'))).toBe(true);
    expect(csv.downloadPath).toBe(`/exports/${csv.fileName}`);
    const lines = readFileSync(csv.path, 'utf8').split('\r\n');
    expect(lines[0]).toBe(
      'seq,time,generation,event,core,context,action,length,Tag,Size,Caller,hex',
    );
    expect(lines.length).toBe(want.length + 2); // header, rows, the empty string after the last CRLF
    expect(csv.bytes).toBe(readFileSync(csv.path).length);
    const jl = await log.exportView(v.viewId, 'jsonl', undefined, false);
    const objs = readFileSync(jl.path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(objs.map((o) => o.seq)).toEqual(want);
    expect(objs[0]).toMatchObject({
      eventId: '2',
      action: { id: 'act-pool-tag' },
      fields: {
        Tag: expect.any(String),
        Size: expect.any(Number),
        Caller: expect.stringMatching(/^0x[0-9a-f]{16}$/),
      },
    });

    const dir = tempDir('hds-export-');
    await expect(log.exportView(v.viewId, 'csv', 'relative.csv', false)).rejects.toThrow(
      /absolute/,
    );
    await expect(log.exportView(v.viewId, 'csv', join(dir, 'x.jsonl'), false)).rejects.toThrow(
      /\.csv/,
    );
    await expect(log.exportView(v.viewId, 'csv', `${dir}/../x.csv`, false)).rejects.toThrow(
      /'\.\.'/,
    );
    await expect(
      log.exportView(v.viewId, 'csv', join(dir, 'missing', 'x.csv'), false),
    ).rejects.toThrow(/does not exist/);
    mkdirSync(join(dir, 'folder.csv'));
    await expect(log.exportView(v.viewId, 'csv', join(dir, 'folder.csv'), true)).rejects.toThrow(
      /is a folder/,
    );
    const mine = join(dir, 'mine.csv');
    const first = await log.exportView(v.viewId, 'csv', mine, false);
    expect(first).toMatchObject({ path: mine, downloadPath: null, records: want.length });
    await expect(log.exportView(v.viewId, 'csv', mine, false)).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(log.exportView(v.viewId, 'csv', mine, true)).resolves.toMatchObject({
      records: want.length,
    });
  });
});

describe('log service: loss in the target (buffer-records.md §2a)', () => {
  it('counts sequence gaps per event on arrival; late records fill theirs; HDBG1 stays unknown', () => {
    const { log } = setup();
    const withSeq = (i: number, seq: number, core: number) => {
      const r = makeRecord(i);
      return { ...r, record: { ...r.record, core, seq } };
    };
    // event 1 (i % 3 === 0 in the helper's pattern is not assumed: eventOf says which)
    const i1 = Array.from({ length: 30 }, (_, i) => i).find((i) => eventOf(i) === 1) as number;
    const i2 = Array.from({ length: 30 }, (_, i) => i).find((i) => eventOf(i) === 2) as number;
    // core 0: 1..10 without 4, 5 and 9; 5 arrives later, out of order; core 1: 3 (1, 2 lost)
    log.records([1, 2, 3, 6, 7, 8, 10].map((s) => withSeq(i1, s, 0)));
    log.records([withSeq(i1, 3, 1), withSeq(i1, 5, 0)]);
    log.records([makeRecord(i2), makeRecord(i2)]); // HDBG1: no sequence number
    log.flush();
    const stats = log.getStats();
    const e1 = stats.events.find((e) => e.eventId === 1);
    const e2 = stats.events.find((e) => e.eventId === 2);
    expect(e1).toMatchObject({ count: 9, lost: 4 });
    expect(e2).toMatchObject({ count: 2, lost: null });
    expect(stats.targetLost).toBe(4);
    expect(stats.unsequenced).toBe(2);
  });
});
