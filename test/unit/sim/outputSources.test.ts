// The CLI's output-source list (output.cpp, forwarding.cpp; docs/hyperdbg-v0.23.md §6.4): the
// listing format, the state rules of open/close, and ForwardingPerformEventForwarding's result,
// which is the last opened source's write, FALSE with none opened, and FALSE with all 5 slots used.
import { describe, expect, it } from 'vitest';
import { OutputSources } from '../../../electron/sim/forwarding/outputSources';
import type { SinkConnection } from '../../../electron/sim/forwarding/sinkConnections';

function sink(ok: boolean, written: string[]): SinkConnection {
  return {
    write: (b) => {
      written.push(b.toString('latin1'));
      return ok;
    },
    close: () => undefined,
    congested: false,
    drained: () => Promise.resolve(),
  };
}

describe('output sources', () => {
  it('lists oldest first as "%x  %s   %s\\t%s\\n" with padded type and state', () => {
    const o = new OutputSources();
    expect(o.listing()).toBe('output forwarding list is empty\n');
    o.add('First', 'namedpipe', sink(true, []));
    o.add('second', 'file', sink(true, []));
    o.add('3rd', 'tcp', sink(true, []));
    o.add('mod', 'module', sink(true, []));
    o.open('second');
    o.open('3rd');
    o.close('3rd');
    expect(o.listing()).toBe(
      '1  namedpipe   not opened\tFirst\n' +
        '2  file        opened    \tsecond\n' +
        '3  tcp         closed    \t3rd\n' +
        '4  module      not opened\tmod\n',
    );
  });

  it('open and close follow the state machine; names are case-sensitive', () => {
    const o = new OutputSources();
    o.add('A', 'tcp', sink(true, []));
    expect(o.open('a')).toBe('not found');
    expect(o.close('A')).toBe('unknown error');
    expect(o.open('A')).toBe('done');
    expect(o.open('A')).toBe('already opened');
    expect(o.close('A')).toBe('done');
    expect(o.close('A')).toBe('already closed');
    expect(o.open('A')).toBe('already closed');
  });

  it("forward's result is the last opened source's write, FALSE when none is opened or all 5 slots are used", () => {
    const o = new OutputSources();
    const wa: string[] = [];
    const wb: string[] = [];
    const a = o.add('A', 'tcp', sink(true, wa));
    const b = o.add('B', 'tcp', sink(false, wb));
    const msg = Buffer.from('m');
    expect(o.forward([a.tag], msg)).toBe(false);
    expect(wa).toEqual([]);
    o.open('A');
    expect(o.forward([a.tag], msg)).toBe(true);
    expect(o.forward([a.tag, b.tag], msg)).toBe(true); // B is not opened: A's result stands
    o.open('B');
    expect(o.forward([a.tag, b.tag], msg)).toBe(false);
    expect(o.forward([b.tag, a.tag], msg)).toBe(true);
    const before = wa.length;
    expect(o.forward([a.tag, a.tag, a.tag, a.tag, a.tag], msg)).toBe(false);
    expect(wa.length - before).toBe(5);
  });
});
