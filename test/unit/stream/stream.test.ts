// Batching, the gap-aware ring buffer and terminal flow control, on a manual clock.
import { describe, expect, it } from 'vitest';
import { createBatcher } from '../../../shared/stream/batcher';
import { manualClock } from '../../../shared/stream/clock';
import { createFlowControl } from '../../../shared/stream/flowControl';
import { createRingBuffer } from '../../../shared/stream/ringBuffer';

describe('batcher', () => {
  it('flushes after the delay, at the item limit, or at the byte limit, whichever first', () => {
    const clock = manualClock();
    const out: number[][] = [];
    const b = createBatcher<number>({
      flush: (xs) => out.push(xs),
      clock,
      maxDelayMs: 16,
      maxItems: 3,
      maxBytes: 100,
    });
    b.push(1);
    b.push(2);
    clock.advance(15);
    expect(out).toEqual([]);
    clock.advance(1);
    expect(out).toEqual([[1, 2]]);
    b.push(3);
    b.push(4);
    b.push(5);
    expect(out).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    b.push(6, 60);
    b.push(7, 60);
    expect(out.at(-1)).toEqual([6, 7]);
    clock.advance(100);
    expect(out).toHaveLength(3);
  });

  it('flushNow hands on pending items once, and dispose drops the timer', () => {
    const clock = manualClock();
    const out: string[][] = [];
    const b = createBatcher<string>({ flush: (xs) => out.push(xs), clock });
    b.push('a');
    b.flushNow();
    b.flushNow();
    expect(out).toEqual([['a']]);
    b.push('b');
    b.dispose();
    clock.advance(1000);
    expect(out).toEqual([['a']]);
  });
});

describe('ring buffer', () => {
  it('keeps the newest items and reports exactly what was dropped', () => {
    const r = createRingBuffer<string>(3);
    for (const x of ['a', 'b', 'c', 'd', 'e']) r.push(x);
    expect(r.nextSeq).toBe(5);
    expect(r.firstSeq).toBe(2);
    expect(r.size).toBe(3);
    expect(r.range(0, 10)).toEqual({ firstSeq: 2, items: ['c', 'd', 'e'] });
    expect(r.range(3, 4)).toEqual({ firstSeq: 3, items: ['d'] });
    expect(r.get(1)).toBeUndefined();
    expect(r.get(4)).toBe('e');
    expect(() => createRingBuffer(0)).toThrow(RangeError);
  });
});

describe('flow control', () => {
  it('pauses above the high watermark and resumes below the low one', () => {
    const f = createFlowControl(100, 10);
    expect(f.sent(60)).toBe(false);
    expect(f.sent(60)).toBe(true);
    expect(f.sent(60)).toBe(false); // already paused: no second pause signal
    expect(f.acked(100)).toBe(false);
    expect(f.acked(75)).toBe(true);
    expect(f.paused).toBe(false);
    expect(f.acked(1_000_000)).toBe(false);
    expect(f.unacked).toBe(0);
    expect(f.acked(-50)).toBe(false);
    expect(f.unacked).toBe(0);
  });
});
