// The rate probe's binding (a one-slot geometric table on the event's kind and arguments) and the
// rate it reads from its latest table.
import { describe, expect, it } from 'vitest';
import { probeRate, rateProbeBinding, rateProbeTag } from '../../../shared/delivery/rateProbe';

const PAYLOAD = {
  length: 15,
  words: ['dq($proc+0x450)', 'dq($proc+0x458)'],
  origin: 'derived' as const,
};

describe('rate probe', () => {
  it('binds a geometric one-slot table on the event, with its arguments', () => {
    const b = rateProbeBinding('!syscall', ['55'], PAYLOAD, 'pab1');
    expect(b.kind).toBe('!syscall');
    expect(b.args).toEqual(['55']);
    expect(b.buffer).toBeUndefined();
    expect(b.script).toContain('hk = dq($proc+0x450);');
    expect(b.script).toContain('>= .hctpab1_d)');
    // One slot: a key and a count, no second slot.
    expect(b.script).toContain('.hctpab1_k0');
    expect(b.script).not.toContain('.hctpab1_k1');
    expect(rateProbeBinding('!cpuid', [], PAYLOAD).args).toBeUndefined();
  });
  it('fresh tags differ and are valid table tags', () => {
    const tags = new Set(Array.from({ length: 50 }, () => rateProbeTag()));
    expect(tags.size).toBeGreaterThan(40);
    for (const t of tags) expect(t).toMatch(/^p[a-z0-9]{3}$/);
  });
  it('reads the rate as the total over the time to the table', () => {
    expect(probeRate(6000, 1000, 4000)).toBe(2000);
    expect(probeRate(5, 1000, 1000)).toBe(0);
  });
});
