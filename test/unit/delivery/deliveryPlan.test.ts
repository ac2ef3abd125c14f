// The delivery plan's numbers for each path (docs/hyperdbg-v0.23.md §6.1, §6.2): VMI's reader is
// one packet per 30 ms of at most 4094 characters and loses what its ring overwrites; a serial
// link carries baud/10 bytes/s and a pipe its rate, each packet framed, and the target waits.
// Expected values are computed here from those facts, not read back from the module.
import { describe, expect, it } from 'vitest';
import {
  maxBatch,
  planDelivery,
  recordLineChars,
  tableLineChars,
  type DeliveryPlan,
  type DeliveryStrategy,
  type StrategyOutcome,
} from '../../../shared/delivery/deliveryPlan';

const READER_PACKETS = 1000 / 30;
const PACKET_CHARS = 4094;
const FRAMING = 33;
/** The ImageFileName action's record: 15 bytes, two words. */
const NAME_BYTES = 15;
/**
 * "HDBG2 " event(<=3) core(<=2) sequence number(<=8) context(16) length(1) and two 16-digit
 * words, spaces, newline: the numbered line the log forms print (buffer-records.md §2a).
 */
const NAME_LINE = 6 + 3 + 1 + 2 + 1 + 8 + 1 + 16 + 1 + 1 + 2 * 17 + 1;
/**
 * Its largest batch: what one packet holds, and what v0.23's 512 script globals allow (a batch
 * takes at most 270; each record keeps core, number, context and two words in five).
 */
const NAME_MAX_K = Math.min(Math.floor(PACKET_CHARS / NAME_LINE), Math.floor((270 - 1) / 5));

const of = (p: DeliveryPlan, s: DeliveryStrategy) =>
  p.outcomes.find((o) => o.strategy === s) as StrategyOutcome;

describe('line sizes', () => {
  it('bounds a record line and a batch by the 4094-character packet', () => {
    expect(recordLineChars(NAME_BYTES)).toBe(NAME_LINE);
    expect(maxBatch(NAME_BYTES)).toBe(NAME_MAX_K);
    expect(maxBatch(NAME_BYTES)).toBe(53);
    expect(maxBatch(NAME_BYTES) * NAME_LINE).toBeLessThanOrEqual(PACKET_CHARS);
    // A 16-slot table is one packet.
    expect(tableLineChars(16)).toBeLessThanOrEqual(PACKET_CHARS);
  });
});

describe('VMI (spec §6.1)', () => {
  it('a slow event goes per event, every record arriving', () => {
    const p = planDelivery({
      path: { kind: 'vmi' },
      eventsPerSecond: 10,
      rateSource: 'expected',
      recordBytes: NAME_BYTES,
    });
    expect(p.capacity.packetsPerSecond).toBeCloseTo(READER_PACKETS, 6);
    expect(p.capacity.bytesPerSecond).toBeCloseTo(READER_PACKETS * PACKET_CHARS, 3);
    expect(p.recommended).toBe('per-event');
    expect(of(p, 'per-event').lostPerSecond).toBe(0);
  });

  it('a fast event: per event keeps 33/s and loses the rest; batched carries 1000/s', () => {
    const p = planDelivery({
      path: { kind: 'vmi' },
      eventsPerSecond: 1000,
      rateSource: 'observed',
      recordBytes: NAME_BYTES,
    });
    const per = of(p, 'per-event');
    expect(per.deliveredPerSecond).toBeCloseTo(READER_PACKETS, 6);
    expect(per.lostPerSecond).toBeCloseTo(1000 - READER_PACKETS, 6);
    // The smallest batch that keeps 20% headroom on the reader's 33 packets/s.
    const k = Math.ceil(1000 / (READER_PACKETS * 0.8));
    const b = of(p, 'batched');
    expect(b.perPacket).toBe(k);
    expect(b.deliveredPerSecond).toBeCloseTo(1000, 6);
    expect(b.packetsPerSecond).toBeCloseTo(1000 / k, 6);
    expect(b.latencySeconds).toBeCloseTo(k / 1000, 9);
    expect(p.recommended).toBe('batched');
    expect(p.reason).toMatch(/lose 97%/);
  });

  it('faster than batches can carry: counted in the target, exact totals, one table a second', () => {
    const rate = 5000;
    const p = planDelivery({
      path: { kind: 'vmi' },
      eventsPerSecond: rate,
      rateSource: 'expected',
      recordBytes: NAME_BYTES,
    });
    const k = NAME_MAX_K;
    expect(of(p, 'batched').deliveredPerSecond).toBeCloseTo(READER_PACKETS * k, 6);
    expect(of(p, 'batched').lostPerSecond).toBeCloseTo(rate - READER_PACKETS * k, 6);
    const c = of(p, 'counted');
    expect(c.deliveredPerSecond).toBe(rate);
    expect(c.lostPerSecond).toBe(0);
    expect(c.perPacket).toBe(rate); // one table per second
    expect(p.recommended).toBe('counted');
    const lost = Math.round(((rate - READER_PACKETS * k) / rate) * 100);
    expect(p.reason).toContain(`even ${k} per packet, ${lost}% would be lost`);
  });

  it('without batching on offer, a fast event is counted; without a key, batched it is', () => {
    const a = planDelivery({
      path: { kind: 'vmi' },
      eventsPerSecond: 1000,
      rateSource: 'expected',
      recordBytes: NAME_BYTES,
      unavailable: { batched: 'not in this build' },
    });
    expect(a.recommended).toBe('counted');
    expect(of(a, 'batched').why).toBe('not in this build');
    expect(a.reason).toMatch(
      /^One record per event would lose 97% of them; batched delivery is not available \(not in this build\)/,
    );
    const b = planDelivery({
      path: { kind: 'vmi' },
      eventsPerSecond: 5000,
      rateSource: 'expected',
      recordBytes: NAME_BYTES,
      unavailable: { counted: 'no payload' },
    });
    expect(b.recommended).toBe('batched');
  });
});

describe('Debugger Mode (spec §6.2)', () => {
  it('serial 9600 baud: 960 bytes/s; the target is throttled, nothing is lost', () => {
    const p = planDelivery({
      path: { kind: 'serial', baud: 9600 },
      eventsPerSecond: 50,
      rateSource: 'expected',
      recordBytes: NAME_BYTES,
    });
    expect(p.capacity.bytesPerSecond).toBe(960);
    const perPacket = 960 / (NAME_LINE + FRAMING);
    expect(p.capacity.packetsPerSecond).toBeCloseTo(perPacket, 6);
    const per = of(p, 'per-event');
    expect(per.deliveredPerSecond).toBeCloseTo(perPacket, 6);
    expect(per.lostPerSecond).toBe(0);
    expect(per.throttledPerSecond).toBeCloseTo(50 - perPacket, 6);
    expect(per.bytesPerSecond).toBeCloseTo(960, 6);
    // A 16-slot table with framing takes longer than a second at 960 bytes/s (half the link).
    const tableBytes = tableLineChars(16) + FRAMING;
    const seconds = Math.max(1, tableBytes / (960 * 0.5));
    expect(of(p, 'counted').perPacket).toBe(Math.round(50 * seconds));
    // On a link bytes are the limit: a batch saves only the framing, so it carries too few here.
    const k = NAME_MAX_K;
    expect(of(p, 'batched').deliveredPerSecond).toBeCloseTo(
      (960 / (k * NAME_LINE + FRAMING)) * k,
      6,
    );
    expect(p.recommended).toBe('counted');
  });

  it('serial 115200 baud carries 11520 bytes/s', () => {
    const p = planDelivery({
      path: { kind: 'serial', baud: 115200 },
      eventsPerSecond: 50,
      rateSource: 'expected',
      recordBytes: NAME_BYTES,
    });
    expect(p.capacity.bytesPerSecond).toBe(11520);
    expect(p.capacity.packetsPerSecond).toBeCloseTo(11520 / (NAME_LINE + FRAMING), 6);
    expect(p.recommended).toBe('per-event');
  });

  it('a named pipe is fast: its rate, or 1 MB/s assumed', () => {
    const p = planDelivery({
      path: { kind: 'pipe' },
      eventsPerSecond: 5000,
      rateSource: 'expected',
      recordBytes: NAME_BYTES,
    });
    expect(p.capacity.bytesPerSecond).toBe(1_000_000);
    expect(p.capacity.describe).toMatch(/assumed/);
    expect(p.recommended).toBe('per-event');
    const slow = planDelivery({
      path: { kind: 'pipe', bytesPerSecond: 20_000 },
      eventsPerSecond: 5000,
      rateSource: 'expected',
      recordBytes: NAME_BYTES,
    });
    expect(of(slow, 'per-event').deliveredPerSecond).toBeCloseTo(20_000 / (NAME_LINE + FRAMING), 6);
    expect(slow.recommended).not.toBe('per-event');
  });
});
