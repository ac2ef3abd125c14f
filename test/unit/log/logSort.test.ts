// Sorting a log view: keys of decoded values order numbers by value (hex as u8-u64 and pointers
// print, signed decimal) before text; the stepwise sorter gives exactly the order of one plain
// sort (missing keys last, equal keys in arrival order), whatever the chunks and step budgets.
import { describe, expect, it } from 'vitest';
import {
  displaySortKey,
  logSortSchema,
  SnapshotSorter,
  sortField,
  type SortKey,
} from '../../../shared/log/logSort';
import { rng } from '../hyperdbg/parserHelpers';

/** The order the sorter must produce, written out plainly. */
function expectedOrder(seqs: number[], keys: SortKey[], dir: 'asc' | 'desc'): number[] {
  const rank = (k: SortKey) => (k === null ? 2 : typeof k === 'number' ? 0 : 1);
  return seqs
    .map((seq, i) => ({ seq, key: keys[i] as SortKey }))
    .sort((a, b) => {
      const ra = rank(a.key);
      const rb = rank(b.key);
      if (ra === 2 || rb === 2) return ra !== rb ? ra - rb : a.seq - b.seq;
      let c = ra - rb;
      if (c === 0 && a.key !== b.key)
        c = (a.key as number | string) < (b.key as number | string) ? -1 : 1;
      if (dir === 'desc') c = -c;
      return c !== 0 ? c : a.seq - b.seq;
    })
    .map((x) => x.seq);
}

function sortAll(
  seqs: number[],
  keys: SortKey[],
  dir: 'asc' | 'desc',
  opts: { run: number; chunk: number; budget: number },
): number[] {
  const s = new SnapshotSorter(dir, opts.run);
  for (let i = 0; i < seqs.length; i += opts.chunk)
    s.add(seqs.slice(i, i + opts.chunk), keys.slice(i, i + opts.chunk));
  let steps = 0;
  while (!s.step(opts.budget)) steps++;
  expect(steps).toBeGreaterThanOrEqual(Math.floor(seqs.length / opts.budget) - 1);
  return Array.from(s.result());
}

describe('displaySortKey', () => {
  it('orders numbers by value, hex and decimal alike, before text', () => {
    const shown = [
      'explorer.exe',
      '0x10',
      '-5',
      '0x9',
      '12',
      '0xfffff8004ed6f010',
      '-9223372036854775808',
      '0x0000000000000000',
      'System',
      '(missing)',
      '18446744073709551615',
      '0x3',
    ];
    const sorted = [...shown].sort((a, b) => (displaySortKey(a) < displaySortKey(b) ? -1 : 1));
    expect(sorted).toEqual([
      '-9223372036854775808',
      '-5',
      '0x0000000000000000',
      '0x3',
      '0x9',
      '12',
      '0x10',
      '0xfffff8004ed6f010',
      '18446744073709551615',
      '(missing)',
      'System',
      'explorer.exe',
    ]);
  });
});

describe('SnapshotSorter', () => {
  it('matches one plain sort for numbers, strings and missing keys, both directions', () => {
    const rand = rng(5);
    const n = 5000;
    const seqs = Array.from({ length: n }, (_, i) => i * 3 + 7);
    const keys: SortKey[] = seqs.map(() => {
      const r = rand();
      if (r < 0.1) return null;
      if (r < 0.6) return Math.floor(rand() * 50);
      return displaySortKey(
        ['svchost.exe', 'System', '0x1f', 'dwm.exe', '-3'][Math.floor(rand() * 5)] as string,
      );
    });
    for (const dir of ['asc', 'desc'] as const)
      for (const opts of [
        { run: 64, chunk: 100, budget: 37 },
        { run: 1000, chunk: 4999, budget: 100_000 },
        { run: 5000, chunk: 1, budget: 1 },
      ])
        expect(sortAll(seqs, keys, dir, opts), `${dir} ${JSON.stringify(opts)}`).toEqual(
          expectedOrder(seqs, keys, dir),
        );
  });

  it('sorts nothing and one record', () => {
    const empty = new SnapshotSorter('asc');
    expect(empty.step(10)).toBe(true);
    expect(Array.from(empty.result())).toEqual([]);
    const one = new SnapshotSorter('desc');
    one.add([4], [null]);
    expect(one.step(1)).toBe(true);
    expect(Array.from(one.result())).toEqual([4]);
  });
});

describe('logSortSchema', () => {
  it('takes fixed columns and decoded fields, nothing else', () => {
    expect(logSortSchema.parse({ column: 'core', dir: 'desc' })).toEqual({
      column: 'core',
      dir: 'desc',
    });
    expect(
      sortField(logSortSchema.parse({ column: 'field:ImageFileName', dir: 'asc' }).column),
    ).toBe('ImageFileName');
    expect(sortField('context')).toBeNull();
    for (const bad of [
      { column: 'field:', dir: 'asc' },
      { column: 'seq', dir: 'asc' },
      { column: 'core', dir: 'up' },
      { column: 'core', dir: 'asc', extra: 1 },
      { column: `field:${'x'.repeat(500)}`, dir: 'asc' },
    ])
      expect(logSortSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});
