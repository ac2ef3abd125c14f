// The event catalog against spec §3.8's table, §3.1's token-count checks and §11's addenda.
import { describe, expect, it } from 'vitest';
import { EVENT_CATALOG, EVENT_KINDS, eventKindInfo } from '../../../shared/model/eventCatalog';

describe('event catalog', () => {
  it('has one entry per event kind, in order', () => {
    expect(EVENT_CATALOG.map((e) => e.kind)).toEqual([...EVENT_KINDS]);
  });

  it('allows only stage pre for the hidden hooks and !mode (spec §3.8)', () => {
    for (const e of EVENT_CATALOG) {
      const preOnly = ['!epthook', '!epthook2', '!mode'].includes(e.kind);
      expect(e.stages, e.kind).toEqual(preOnly ? ['pre'] : ['pre', 'post', 'all']);
    }
  });

  it('requires a pid for !mode only', () => {
    expect(EVENT_CATALOG.filter((e) => e.requiresPid).map((e) => e.kind)).toEqual(['!mode']);
  });

  it("knows §3.1's token-count minimums (no id used up below them)", () => {
    const minimums = Object.fromEntries(
      EVENT_CATALOG.filter((e) => e.minTokens > 1).map((e) => [e.kind, e.minTokens]),
    );
    expect(minimums).toEqual({ '!epthook': 2, '!epthook2': 2, '!monitor': 4, '!crwrite': 2 });
  });

  it('gives each kind its Context meaning (spec §3.8; §11: !epthook2 is the virtual address)', () => {
    expect(eventKindInfo('!syscall').context).toMatch(/syscall number|system-call number/);
    expect(eventKindInfo('!sysret').context).toMatch(/RIP of the SYSRET/);
    expect(eventKindInfo('!epthook').context).toMatch(/hooked virtual address/);
    expect(eventKindInfo('!epthook2').context).toMatch(/virtual address of the hooked function/);
    expect(eventKindInfo('!epthook2').context).not.toMatch(/physical/);
    expect(eventKindInfo('!monitor').context).toMatch(/exact virtual address accessed/);
    expect(eventKindInfo('!msrread').context).toMatch(/ECX/);
    expect(eventKindInfo('!cpuid').context).toMatch(/EAX/);
    expect(eventKindInfo('!tsc').context).toMatch(/0 for RDTSC, 1 for RDTSCP/);
    expect(eventKindInfo('!mode').context).toMatch(/3 = user, 0 = kernel/);
    expect(eventKindInfo('!crwrite').context).toMatch(/0 or 4/);
    expect(eventKindInfo('!trace').context).toMatch(/always 1/);
    for (const k of ['!pmc', '!dr', '!vmcall'] as const) expect(eventKindInfo(k).context).toBe('0');
  });

  it('says where actions run: VMX non-root only for !epthook2 (spec §3.8, §8)', () => {
    expect(
      EVENT_CATALOG.filter((e) => e.actionsRunIn === 'vmx-non-root').map((e) => e.kind),
    ).toEqual(['!epthook2']);
  });

  it('describes the arguments with their grammar', () => {
    expect(eventKindInfo('!syscall').args).toMatchObject([
      { name: 'syscall-number', required: false },
    ]);
    expect(eventKindInfo('!epthook').args).toMatchObject([
      { grammar: { type: 'address' }, required: true },
    ]);
    expect(eventKindInfo('!interrupt').args[0]?.grammar).toEqual({
      type: 'number',
      min: 0x20n,
      max: 0xffn,
    });
    // §9.14: the code tests >= 31, so 0x1f is refused.
    expect(eventKindInfo('!exception').args[0]?.grammar).toEqual({
      type: 'number',
      min: 0n,
      max: 0x1en,
    });
    expect(eventKindInfo('!monitor').args.map((a) => a.name)).toEqual([
      'address-type',
      'attributes',
      'from',
      'to',
    ]);
    expect(eventKindInfo('!sysret').extraTokens).toBe('ignored');
    expect(eventKindInfo('!msrread').aliases).toEqual(['!msread']);
    expect(eventKindInfo('!ioout').aliases).toEqual(['!iout']);
    for (const e of EVENT_CATALOG) expect(e.eventType.length, e.kind).toBeGreaterThan(3);
  });
});
