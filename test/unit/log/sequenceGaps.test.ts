// Loss accounting from HDBG2 sequence numbers (buffer-records.md §2a): gaps are lost, late
// records (a ring overwrite reorders) fill their gap, cut lines are lost, repeats are not
// delivered twice, and events and cores are kept apart.
import { describe, expect, it } from 'vitest';
import { MAX_OPEN_GAPS, SequenceGaps } from '../../../shared/log/sequenceGaps';
import { createOutputParser, type OutputParser } from '../../../shared/hyperdbg/outputParser';
import { rng } from '../hyperdbg/parserHelpers';
import {
  BATCH_MAX_GLOBALS,
  batchLatencyS,
  batchLineChars,
  chooseBatchSize,
  maxBatchSize,
  PACKET_MAX_CHARS,
  payloadToBatchScript,
  READER_PACKETS_PER_S,
} from '../../../shared/hyperdbg/recordScript';

/** A seeded shuffle of 1..n with the numbers in `drop` removed. */
function arrival(n: number, drop: ReadonlySet<number>, seed: number): number[] {
  const r = rng(seed);
  const out: number[] = [];
  for (let i = 1; i <= n; i++) if (!drop.has(i)) out.push(i);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

describe('SequenceGaps', () => {
  it('counts numbers missing below the highest as lost, from 1', () => {
    const g = new SequenceGaps();
    for (const s of [3, 4, 7, 8]) g.add(0, 5, 0, s);
    expect(g.event(0, 5)).toEqual({
      generation: 0,
      eventId: 5,
      delivered: 4,
      lost: 4, // 1, 2, 5, 6
      repeated: 0,
      cores: 1,
    });
  });

  it('a late record fills its gap: any arrival order gives the same loss', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed * 7);
      const n = 500;
      const drop = new Set<number>();
      while (drop.size < 60) drop.add(1 + Math.floor(r() * (n - 1)));
      const g = new SequenceGaps();
      for (const s of arrival(n, drop, seed)) g.add(1, 2, 3, s);
      // n itself is never dropped, so every dropped number lies below the highest.
      expect(g.event(1, 2)?.lost).toBe(drop.size);
      expect(g.event(1, 2)?.delivered).toBe(n - drop.size);
    }
  });

  it('keeps events and cores apart, and generations too', () => {
    const g = new SequenceGaps();
    g.add(0, 1, 0, 2); // lost 1 on core 0
    g.add(0, 1, 1, 1);
    g.add(0, 1, 1, 4); // lost 2, 3 on core 1
    g.add(0, 2, 0, 1);
    g.add(1, 1, 0, 1); // a new CLI process: event 1 again, nothing lost
    expect(g.event(0, 1)?.lost).toBe(3);
    expect(g.cores(0, 1)).toEqual([
      { core: 0, delivered: 1, lost: 1, highest: 2 },
      { core: 1, delivered: 2, lost: 2, highest: 4 },
    ]);
    expect(g.event(0, 2)?.lost).toBe(0);
    expect(g.event(1, 1)?.lost).toBe(0);
    expect(g.event(0, 9)).toBeNull();
    expect(g.totalLost).toBe(3);
  });

  it('a repeated number is counted apart and fills nothing', () => {
    const g = new SequenceGaps();
    for (const s of [1, 3, 3, 1]) g.add(0, 0, 0, s);
    expect(g.event(0, 0)).toMatchObject({ delivered: 4, lost: 1, repeated: 2 });
  });

  it('settles the oldest gaps past the cap but keeps counting them', () => {
    const g = new SequenceGaps();
    const gaps = MAX_OPEN_GAPS + 10;
    for (let i = 1; i <= gaps; i++) g.add(0, 0, 0, 2 * i);
    expect(g.event(0, 0)?.lost).toBe(gaps);
    g.add(0, 0, 0, 2 * gaps - 1); // a late record in an open gap
    expect(g.event(0, 0)?.lost).toBe(gaps - 1);
  });
});

describe('batch lines through the parser', () => {
  /** HDBG2 lines of one event on two cores, as a batch printf packs them (buffer-records §2b). */
  function line(core: number, seq: number): string {
    return `HDBG2 7 ${core.toString(16)} ${seq.toString(16)} fffff80012345678 10 6578652e74736f68 0`;
  }

  function account(text: string, chunk: number): { g: SequenceGaps; malformed: number } {
    const p = createOutputParser();
    const g = new SequenceGaps();
    let malformed = 0;
    const b = new TextEncoder().encode(text);
    const take = (items: ReturnType<OutputParser['push']>): void => {
      for (const it of items) {
        if (it.type === 'record' && it.seq !== undefined) g.add(0, it.eventId, it.core, it.seq);
        if (it.type === 'text' && it.malformed === true) malformed++;
      }
    };
    for (let i = 0; i < b.length; i += chunk) take(p.push(b.subarray(i, i + chunk)));
    take(p.end());
    return { g, malformed };
  }

  it('counts a batch that arrives after a later one (ring overwrite) as not lost', () => {
    const batch = (core: number, from: number, k: number): string =>
      Array.from({ length: k }, (_, i) => line(core, from + i)).join('\n') + '\n';
    // batches 1-8 and 9-16 of core 0 arrive after 17-24; batch 25-32 is overwritten
    const text =
      batch(0, 17, 8) + batch(1, 1, 8) + batch(0, 1, 8) + batch(0, 9, 8) + batch(0, 33, 8);
    for (const chunk of [1, 7, 64, 4096]) {
      const { g, malformed } = account(text, chunk);
      expect(malformed).toBe(0);
      expect(g.cores(0, 7)).toEqual([
        { core: 0, delivered: 32, lost: 8, highest: 40 },
        { core: 1, delivered: 8, lost: 0, highest: 8 },
      ]);
    }
  });

  it('a cut record line is malformed and its record lost; its neighbours count', () => {
    const whole = [1, 2, 3, 4, 5].map((s) => line(0, s));
    // the third line lost its tail (a packet cut at 4094 characters, then the next packet)
    const cut = whole[2]?.slice(0, 30) ?? '';
    const text = [whole[0], whole[1], cut, whole[3], whole[4]].join('\n') + '\n';
    const { g, malformed } = account(text, 13);
    expect(malformed).toBe(1);
    expect(g.event(0, 7)).toMatchObject({ delivered: 4, lost: 1 });
  });
});

describe('the batched log form (buffer-records.md §2b)', () => {
  const payload = {
    length: 0xf,
    words: ['dq($proc+0x450)', 'dq($proc+0x458)'],
    origin: 'derived' as const,
  };

  it('fits K of the widest lines in one packet, and K globals slots in the budget', () => {
    const k = maxBatchSize(payload.length);
    expect(k).toBeGreaterThan(40);
    expect(k * batchLineChars(payload.length)).toBeLessThanOrEqual(PACKET_MAX_CHARS);
    // The widest line the format can print with the assumed field widths.
    const widest = `HDBG2 fff 3f ffffffff ffffffffffffffff f ${'f'.repeat(16)} ${'f'.repeat(16)}\n`;
    expect(widest.length).toBe(batchLineChars(payload.length));
    const script = payloadToBatchScript(payload, k, 'ab');
    expect(script.split('HDBG2 ').length - 1).toBe(k);
    expect(new Set(script.match(/\.hab\w+/g)).size).toBeLessThanOrEqual(BATCH_MAX_GLOBALS);
    expect(() => payloadToBatchScript(payload, k + 1, 'ab')).toThrow(/batch size/);
    expect(() => payloadToBatchScript(payload, 4, 'a"b')).toThrow(/tag/);
  });

  it('chooses K from the event rate and the reader budget, and says the latency', () => {
    expect(chooseBatchSize(10, payload.length)).toBe(1);
    expect(chooseBatchSize(READER_PACKETS_PER_S * 10, payload.length)).toBe(13); // 10 * 1.25
    expect(chooseBatchSize(1e6, payload.length)).toBe(maxBatchSize(payload.length));
    expect(batchLatencyS(20, 400)).toBe(0.05);
    expect(batchLatencyS(20, 0)).toBeNull();
  });
});
