// The log's latest count table per event (buffer-records.md §7): a table older than the one held
// (the VMI ring can reorder packets, spec §6.1) is ignored, and the trigger rate is measured from
// the event's first table.
import { describe, expect, it } from 'vitest';
import { TargetCounts } from '../../../electron/host/log/targetCounts';
import type { CountTable } from '../../../shared/delivery/countedTable';

const SVCHOST = 0x2e74736f68637673n; // "svchost." little-endian
const table = (seq: number, total: number): CountTable => ({
  eventId: 1,
  seq,
  total: BigInt(total),
  other: 0n,
  entries: [{ key: SVCHOST, count: BigInt(total) }],
});

describe('TargetCounts', () => {
  it('keeps the newest table per event and measures the rate from the first', () => {
    const t = new TargetCounts();
    t.add({ generation: 1, receivedAt: 10_000, table: table(1, 1000) });
    expect(t.list()[0]?.triggersPerSecond).toBeNull();
    t.add({ generation: 1, receivedAt: 12_000, table: table(3, 3000) });
    // A reordered older table changes nothing.
    t.add({ generation: 1, receivedAt: 12_100, table: table(2, 2000) });
    const [shown] = t.list();
    expect(shown?.seq).toBe(3);
    expect(shown?.total).toBe(3000);
    expect(shown?.triggersPerSecond).toBe(1000);
    expect(shown?.entries).toEqual([
      { key: 'svchost.', keyHex: SVCHOST.toString(16), count: 3000 },
    ]);
    // Another CLI process's event 1 is another table, listed first.
    t.add({ generation: 2, receivedAt: 13_000, table: table(1, 5) });
    expect(t.list().map((x) => [x.generation, x.seq])).toEqual([
      [2, 1],
      [1, 3],
    ]);
  });
});
