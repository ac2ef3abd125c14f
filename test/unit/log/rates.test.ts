// Counting over time and by value: per-second buckets (rate chart, per-event rates) and the
// capped value counter (Counts pane).
import { describe, expect, it } from 'vitest';
import { SecondBuckets, ValueCounter } from '../../../shared/log/rates';

const s = (sec: number, ms = 0) => sec * 1000 + ms;

describe('SecondBuckets', () => {
  it('counts per whole second and gives the series oldest first', () => {
    const b = new SecondBuckets(10);
    b.add(s(100, 10));
    b.add(s(100, 990), 2);
    b.add(s(102, 0), 5);
    expect(b.series(s(102, 500), 4)).toEqual({ startSec: 99, counts: [0, 3, 0, 5] });
  });

  it('the rate is the mean of complete seconds, the current one left out', () => {
    const b = new SecondBuckets(10);
    for (let sec = 100; sec < 105; sec++) b.add(s(sec), 10);
    b.add(s(105, 100), 1000); // the second still filling
    expect(b.rate(s(105, 200), 5)).toBe(10);
    // Quiet for a while: the rate falls to zero.
    expect(b.rate(s(120), 5)).toBe(0);
  });

  it('forgets seconds that fell out of the ring, also across long gaps', () => {
    const b = new SecondBuckets(5);
    b.add(s(100), 7);
    b.add(s(103), 1);
    expect(b.series(s(103), 5).counts).toEqual([0, 7, 0, 0, 1]);
    b.add(s(106), 2);
    expect(b.series(s(106), 5).counts).toEqual([0, 1, 0, 0, 2]);
    b.add(s(1000), 3); // far later: the whole ring is stale
    expect(b.series(s(1000), 5).counts).toEqual([0, 0, 0, 0, 3]);
    // A late sample still inside the window counts; one outside it is ignored.
    b.add(s(998), 4);
    b.add(s(900), 4);
    expect(b.series(s(1000), 5).counts).toEqual([0, 0, 4, 0, 3]);
  });

  it('refuses a zero capacity', () => {
    expect(() => new SecondBuckets(0)).toThrow(RangeError);
  });
});

describe('ValueCounter', () => {
  it('gives the top N by count, ties in first-seen order', () => {
    const c = new ValueCounter(100);
    for (const [v, n] of [
      ['a', 3],
      ['b', 5],
      ['c', 3],
      ['d', 1],
    ] as const)
      c.add(v, n);
    expect(c.top(3)).toEqual({
      top: [
        { value: 'b', count: 5 },
        { value: 'a', count: 3 },
        { value: 'c', count: 3 },
      ],
      total: 12,
      distinct: 4,
      untracked: 0,
    });
    expect(c.top(0).top).toEqual([]);
  });

  it('past the cap, new values are counted as untracked and tracked ones keep counting', () => {
    const c = new ValueCounter(2);
    c.add('a');
    c.add('b');
    c.add('c');
    c.add('c');
    c.add('a');
    expect(c.top(5)).toEqual({
      top: [
        { value: 'a', count: 2 },
        { value: 'b', count: 1 },
      ],
      total: 5,
      distinct: 2,
      untracked: 2,
    });
  });

  it('agrees with a full sort on a larger sample', () => {
    const c = new ValueCounter(10_000);
    const want = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const v = `v${(i * 7919) % 997}`;
      c.add(v);
      want.set(v, (want.get(v) ?? 0) + 1);
    }
    const sorted = [...want.values()].sort((a, b) => b - a).slice(0, 20);
    expect(c.top(20).top.map((t) => t.count)).toEqual(sorted);
  });
});
