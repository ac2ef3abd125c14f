// Records and malformed lines reach the sink in batches, in arrival order, with the generation;
// a failing sink is counted and never stops the flow. Plus the capability rules
// (buffer-records.md §1, spec §5.2, §5.6).
import { describe, expect, it } from 'vitest';
import type { IngestedRecord, MalformedLine, RecordSink } from '../../../electron/host/log/sink';
import { RecordForwarder } from '../../../electron/host/session/recordForwarder';
import {
  bindingNotice,
  bindingPrintsRecords,
  capabilityNotices,
  detectCapability,
} from '../../../electron/host/session/capability';
import type { HdbgRecord } from '../../../shared/model/record';

const rec = (eventId: number): HdbgRecord => ({
  eventId,
  core: 0,
  context: 0x55n,
  length: 1,
  bytes: Uint8Array.of(eventId),
});

describe('record forwarder', () => {
  it('keeps arrival order across records and malformed lines, in runs, with the generation', () => {
    const calls: (['records', IngestedRecord[]] | ['malformed', MalformedLine[]])[] = [];
    const sink: RecordSink = {
      records: (b) => void calls.push(['records', [...b]]),
      malformed: (b) => void calls.push(['malformed', [...b]]),
      sessionStarted: () => undefined,
      sessionEnded: () => undefined,
    };
    const f = new RecordForwarder(sink, 3);
    f.record(rec(1), 10);
    f.record(rec(2), 11);
    f.malformed('HDBG1 zz', 'bad hex', 12);
    f.record(rec(3), 13);
    f.flush();
    expect(calls.map(([k, b]) => [k, b.length])).toEqual([
      ['records', 2],
      ['malformed', 1],
      ['records', 1],
    ]);
    expect(calls[0]?.[1][0]).toMatchObject({ generation: 3, receivedAt: 10 });
    expect(f.counts).toEqual({ records: 3, malformed: 1, sinkErrors: 0 });
  });

  it('flushes by itself at 500 items and survives a throwing sink', () => {
    let got = 0;
    let throwNext = true;
    const errors: unknown[] = [];
    const sink: RecordSink = {
      records: (b) => {
        if (throwNext) {
          throwNext = false;
          throw new Error('disk full');
        }
        got += b.length;
      },
      malformed: () => undefined,
      sessionStarted: () => undefined,
      sessionEnded: () => undefined,
    };
    const f = new RecordForwarder(sink, 1, (e) => errors.push(e));
    for (let i = 0; i < 1000; i++) f.record(rec(i & 0xff), i);
    expect(f.counts.sinkErrors).toBe(1);
    expect(got).toBe(500);
    expect(errors).toHaveLength(1);
    f.dispose();
  });
});

describe('capability (buffer-records.md §1, spec §5.6)', () => {
  const sim = { version: 'v0.23.0-sim' };
  const stock = { version: 'v0.23.0' };

  it('returns buffers on the simulator and on a build marked patched, not on stock', () => {
    expect(detectCapability(sim, true, 'auto')).toEqual({
      returnsBuffers: true,
      customCodeMayFault: false,
      source: 'banner',
      capability: 'sim',
    });
    expect(detectCapability(stock, false, 'auto')).toMatchObject({
      returnsBuffers: false,
      customCodeMayFault: true,
      capability: 'stock',
    });
    expect(detectCapability(stock, false, 'patched')).toMatchObject({
      returnsBuffers: true,
      customCodeMayFault: false,
      source: 'profile',
    });
    expect(detectCapability({ version: 'v0.17.0' }, false, 'auto').customCodeMayFault).toBe(false);
    expect(detectCapability({ version: 'v0.18.0' }, false, 'auto').customCodeMayFault).toBe(true);
  });

  it('says so: no returned buffers and probable NX on stock; a notice per code-only binding', () => {
    const c = detectCapability(stock, false, 'auto');
    const notes = capabilityNotices(c).join('\n');
    expect(notes).toMatch(/never comes back/);
    expect(notes).toMatch(/non-executable memory \(docs\/hyperdbg-v0\.23\.md §5\.6\)/);
    const codeOnly = { kind: '!syscall' as const, buffer: '18', code: '90' };
    expect(bindingNotice(codeOnly, c)).toMatch(/can never come back/);
    expect(bindingPrintsRecords(codeOnly, c)).toBe(false);
    expect(bindingPrintsRecords({ ...codeOnly, script: 'print(1);' }, c)).toBe(true);
    const s = detectCapability(sim, true, 'auto');
    expect(capabilityNotices(s)).toEqual([]);
    expect(bindingNotice(codeOnly, s)).toBeNull();
    expect(bindingPrintsRecords(codeOnly, s)).toBe(true);
  });
});
