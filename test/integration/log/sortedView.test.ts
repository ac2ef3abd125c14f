// Sorting a log view against a real session database: pages of a sorted view follow the column
// (numbers by value, missing values last, equal values in arrival order), the sort is a snapshot
// (new records are counted, not sorted in), it is built in steps, a filter change sorts again,
// and `null` goes back to arrival order and live rows.
import { afterEach, describe, expect, it } from 'vitest';
import { createStreamHub } from '../../../shared/contract/hub';
import type { LogUpdate, LogViewInfo } from '../../../shared/contract/log';
import type { LogSort } from '../../../shared/log/logSort';
import { LogService } from '../../../electron/host/log/logService';
import { SORT_READ_ROWS } from '../../../electron/host/log/sortedView';
import {
  eventOf,
  IMAGE_ACTION,
  makeRecord,
  makeRecords,
  processNameOf,
  standardResolver,
} from '../../helpers/inProcessHost';
import { tempDir } from '../../helpers/paths';

const open: LogService[] = [];
function setup() {
  const hub = createStreamHub();
  const updates: LogUpdate[] = [];
  hub.subscribe('log:update', (u) => void updates.push(u));
  const log = new LogService({
    hub,
    dataDir: tempDir('hds-sort-'),
    resolveSource: standardResolver,
  });
  open.push(log);
  return { log, updates };
}
afterEach(() => {
  for (const l of open.splice(0)) l.dispose();
});

/** Waits until the view's sort is done; returns its info. */
async function sorted(log: LogService, viewId: string): Promise<LogViewInfo> {
  for (let i = 0; i < 10_000; i++) {
    const info = log.setPaused(viewId, false);
    if (info.sort !== null && info.sort.count !== null) return info;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('the sort never finished');
}

function allRows(log: LogService, info: LogViewInfo) {
  const out = [];
  for (;;) {
    const p = log.page(info.viewId, info.revision, out.length, 1000);
    if (p.rows.length === 0) return out;
    out.push(...p.rows);
  }
}

/** Arrival order of `seqs` sorted by `key` (ties by seq), written out plainly. */
function byKey<T>(seqs: number[], key: (seq: number) => T, desc = false): number[] {
  return [...seqs].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const c = ka < kb ? -1 : ka > kb ? 1 : 0;
    return (desc ? -c : c) || a - b;
  });
}

const seqsOf = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('sorted log views', () => {
  it('sorts every record by core, then keeps the snapshot while records arrive', async () => {
    const { log, updates } = setup();
    log.records(makeRecords(0, 500));
    log.flush();
    const v = log.openView({});
    const asked = log.setSort(v.viewId, { column: 'core', dir: 'asc' });
    expect(asked.revision).toBe(1);
    expect(asked.sort).toMatchObject({ column: 'core', dir: 'asc', count: null });
    // Before it is sorted, pages are empty, never in the wrong order.
    expect(log.page(v.viewId, 1, 0, 10).rows).toEqual([]);
    const info = await sorted(log, v.viewId);
    expect(info.sort?.count).toBe(500);
    expect(allRows(log, info).map((r) => r.seq)).toEqual(byKey(seqsOf(500), (s) => s % 4));
    // New records: counted by the view, not sorted in, and sent without rows.
    updates.length = 0;
    log.records(makeRecords(500, 20));
    log.flush();
    const after = log.setPaused(v.viewId, false);
    expect(after.matched).toBe(520);
    expect(after.sort?.count).toBe(500);
    expect(updates.at(-1)?.views[0]?.tail).toBeNull();
    expect(allRows(log, after)).toHaveLength(500);
    // Back to arrival order: live again, every record.
    const plain = log.setSort(v.viewId, null);
    expect(plain.sort).toBeNull();
    expect(allRows(log, plain).map((r) => r.seq)).toEqual(seqsOf(520));
  });

  it('sorts a filtered view by a decoded text field, descending', async () => {
    const { log } = setup();
    log.records(makeRecords(0, 400));
    log.flush();
    const v = log.openView({ actions: [IMAGE_ACTION.actionId] });
    log.setSort(v.viewId, { column: 'field:ImageFileName', dir: 'desc' });
    const info = await sorted(log, v.viewId);
    const image = seqsOf(400).filter((s) => eventOf(s) === 1);
    const rows = allRows(log, info);
    expect(rows.map((r) => r.seq)).toEqual(byKey(image, processNameOf, true));
    expect(rows[0]?.fields?.[0]?.[1]).toBe('winlogon.exe');
  });

  it('orders hex numbers by value and puts records without the field last', async () => {
    const { log } = setup();
    log.records(makeRecords(0, 300));
    log.flush();
    const v = log.openView({});
    for (const dir of ['asc', 'desc'] as const) {
      log.setSort(v.viewId, { column: 'field:Size', dir });
      const rows = allRows(log, await sorted(log, v.viewId));
      const pool = seqsOf(300).filter((s) => eventOf(s) === 2);
      const size = (s: number) => 0x40 + (s % 64) * 0x10;
      const expected = [
        ...byKey(pool, size, dir === 'desc'),
        ...seqsOf(300).filter((s) => eventOf(s) !== 2),
      ];
      expect(
        rows.map((r) => r.seq),
        dir,
      ).toEqual(expected);
      // As text, 0x100 would come before 0x40.
      const smallest = Math.min(...pool.map(size));
      const first = rows[dir === 'asc' ? 0 : pool.length - 1]?.fields?.find(([n]) => n === 'Size');
      expect(first?.[1]).toBe(`0x${smallest.toString(16)}`);
      // Sizes from 0x40 to 0x430: as text, 0x100 would sort before 0x40.
      expect(pool.some((s) => size(s) >= 0x100)).toBe(true);
    }
  });

  it('sorts by Context as a 64-bit number, by action name and by event', async () => {
    const { log } = setup();
    log.records(makeRecords(0, 200));
    log.flush();
    const v = log.openView({});
    const cases: [LogSort, (s: number) => string | number | bigint][] = [
      [{ column: 'context', dir: 'desc' }, (s) => makeRecord(s).record.context],
      [{ column: 'event', dir: 'asc' }, eventOf],
      [
        { column: 'action', dir: 'asc' },
        (s) =>
          ['', 'Current process ImageFileName', 'Pool allocation', '\uffff'][eventOf(s)] as string,
      ],
    ];
    for (const [sort, key] of cases) {
      log.setSort(v.viewId, sort);
      const rows = allRows(log, await sorted(log, v.viewId));
      expect(
        rows.map((r) => r.seq),
        sort.column,
      ).toEqual(byKey(seqsOf(200), key, sort.dir === 'desc'));
    }
  });

  it('sorts again after a filter change, and refuses pages of the old revision', async () => {
    const { log } = setup();
    log.records(makeRecords(0, 300));
    log.flush();
    const v = log.openView({});
    log.setSort(v.viewId, { column: 'core', dir: 'desc' });
    const first = await sorted(log, v.viewId);
    const next = log.setFilter(v.viewId, { cores: [1, 2] });
    expect(next.revision).toBe(first.revision + 1);
    expect(() => log.page(v.viewId, first.revision, 0, 10)).toThrow(/revision/);
    const info = await sorted(log, v.viewId);
    expect(info.sort).toMatchObject({ column: 'core', dir: 'desc', count: 150 });
    expect(allRows(log, info).map((r) => r.seq)).toEqual(
      byKey(
        seqsOf(300).filter((s) => s % 4 === 1 || s % 4 === 2),
        (s) => s % 4,
        true,
      ),
    );
  });

  it('sorts a large view in steps, telling its progress between them', async () => {
    const { log, updates } = setup();
    const n = SORT_READ_ROWS * 3 + 10;
    for (let i = 0; i < n; i += 10_000) log.records(makeRecords(i, Math.min(10_000, n - i)));
    log.flush();
    const v = log.openView({});
    updates.length = 0;
    log.setSort(v.viewId, { column: 'core', dir: 'asc' });
    const info = await sorted(log, v.viewId);
    const progress = updates
      .map((u) => u.views[0]?.sort?.building?.scanned)
      .filter((x): x is number => x !== undefined);
    expect(progress).toEqual([SORT_READ_ROWS, SORT_READ_ROWS * 2, SORT_READ_ROWS * 3, n]);
    const head = log.page(v.viewId, info.revision, 0, 5).rows.map((r) => r.seq);
    expect(head).toEqual([0, 4, 8, 12, 16]);
  });
});
