// The renderer's page cache: rows by position across pages, gaps left empty, least recently
// used pages evicted past the cap except the ones on screen.
import { describe, expect, it } from 'vitest';
import type { LogRow } from '../../../shared/contract/log';
import { PageCache } from '../../../renderer/src/log/pageCache';

const row = (seq: number): LogRow => ({
  seq,
  receivedAt: 0,
  generation: 1,
  eventId: 1,
  core: 0,
  context: '0',
  length: 0,
  source: null,
  actionId: null,
  actionName: null,
  fields: null,
  hex: '',
  hexTruncated: false,
});
const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => row(from + i));

describe('PageCache', () => {
  it('stores rows spanning pages and leaves gaps empty', () => {
    const c = new PageCache(10, 100);
    c.put(5, rows(5, 10)); // positions 5..14: pages 0 and 1
    expect(c.get(5)?.seq).toBe(5);
    expect(c.get(14)?.seq).toBe(14);
    expect(c.get(4)).toBeUndefined();
    expect(c.get(15)).toBeUndefined();
    expect(c.complete(5, 15)).toBe(true);
    expect(c.complete(4, 15)).toBe(false);
    c.put(30, rows(30, 2)); // a gap 15..29
    expect(c.complete(15, 30)).toBe(false);
    expect(c.size).toBe(3);
  });

  it('evicts the least recently used pages beyond the cap', () => {
    const c = new PageCache(10, 3);
    c.put(0, rows(0, 10));
    c.put(10, rows(10, 10));
    c.put(20, rows(20, 10));
    c.touch(0, 0); // page 0 is on screen again
    c.put(30, rows(30, 10));
    expect(c.size).toBe(3);
    expect(c.get(0)).toBeDefined();
    expect(c.get(10)).toBeUndefined();
  });

  it('never evicts the pages the caller keeps (on screen), even past the cap', () => {
    const c = new PageCache(10, 2);
    c.put(0, rows(0, 10));
    c.put(10, rows(10, 10), (p) => p === 0);
    c.put(20, rows(20, 10), (p) => p === 0);
    expect(c.get(0)).toBeDefined();
    expect(c.get(20)).toBeDefined();
    expect(c.size).toBe(2);
  });

  it('memory stays bounded however many rows pass through', () => {
    const c = new PageCache(100, 60);
    for (let off = 0; off < 1_000_000; off += 100) c.put(off, rows(off, 100));
    expect(c.size).toBe(60);
    c.clear();
    expect(c.size).toBe(0);
  });
});
