// The console stream: batched, flow-controlled by acknowledgements (architecture §3), a bounded
// backlog with an explicit "not shown" marker, snapshots, and nothing held without a console.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FLOW_HIGH_WATERMARK_CHARS,
  FLOW_LOW_WATERMARK_CHARS,
} from '../../../shared/stream/flowControl';
import type { TerminalChunk } from '../../../shared/contract/session';
import {
  HIDDEN_COUNT_INTERVAL_MS,
  omittedMarker,
  TerminalStream,
} from '../../../electron/host/session/terminalStream';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function rig(opts: { console?: boolean; backlogChars?: number; snapshotChars?: number } = {}) {
  const sent: TerminalChunk[] = [];
  let consoleOn = opts.console ?? true;
  const t = new TerminalStream({
    publish: (p) => void sent.push(p),
    hasConsole: () => consoleOn,
    transcriptPath: () => '/data/sessions/x.log',
    ...(opts.backlogChars !== undefined ? { backlogChars: opts.backlogChars } : {}),
    ...(opts.snapshotChars !== undefined ? { snapshotChars: opts.snapshotChars } : {}),
  });
  return { t, sent, setConsole: (v: boolean) => (consoleOn = v) };
}

const enc = new TextEncoder();
/** Output as the pty gives it: bytes. */
const put = (t: TerminalStream, s: string) => t.pushBytes(enc.encode(s));

const text = (sent: { data: string }[]) => sent.map((s) => s.data).join('');
/** What every payload says when no record line has come by (records are hidden by default). */
const NO_RECORDS = { hiddenRecords: 0, showRecords: false } as const;

describe('terminal stream', () => {
  it('batches output per frame and numbers it by characters sent', () => {
    const { t, sent } = rig();
    put(t, 'Hyper');
    put(t, 'Dbg> ');
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(16);
    expect(sent).toEqual([{ data: 'HyperDbg> ', seq: 10, ...NO_RECORDS }]);
    put(t, 'x');
    vi.advanceTimersByTime(16);
    expect(sent[1]).toEqual({ data: 'x', seq: 11, ...NO_RECORDS });
  });

  it('stops sending above the high watermark and resumes, in order, below the low one', () => {
    const { t, sent } = rig();
    const chunk = 'a'.repeat(70_000);
    put(t, chunk);
    put(t, chunk); // 140k: the flush makes 140k unacknowledged
    vi.advanceTimersByTime(16);
    expect(t.paused).toBe(true);
    put(t, 'held-1 ');
    put(t, 'held-2');
    vi.advanceTimersByTime(100);
    expect(text(sent)).toBe(chunk + chunk);
    t.ack(140_000 - FLOW_LOW_WATERMARK_CHARS + 1);
    expect(t.paused).toBe(false);
    expect(text(sent)).toBe(`${chunk}${chunk}held-1 held-2`);
  });

  it('keeps a bounded backlog while paused and says how much the console did not show', () => {
    const { t, sent } = rig({ backlogChars: 1000 });
    put(t, 'x'.repeat(FLOW_HIGH_WATERMARK_CHARS + 1));
    vi.advanceTimersByTime(16);
    expect(t.paused).toBe(true);
    for (let i = 0; i < 30; i++) put(t, `${String(i).padStart(99, '.')}\n`);
    t.ack(FLOW_HIGH_WATERMARK_CHARS + 1);
    const after = text(sent.slice(1));
    expect(after.startsWith(omittedMarker(2000, '/data/sessions/x.log'))).toBe(true);
    expect(after).toContain(
      '[... 2,000 characters not shown; the full output is in the session transcript (/data/sessions/x.log) ...]',
    );
    // The newest 1000 characters (10 lines) follow, intact.
    expect(after.endsWith(`${String(29).padStart(99, '.')}\n`)).toBe(true);
    expect(after.length - omittedMarker(2000, '/data/sessions/x.log').length).toBe(1000);
  });

  it('sends nothing and holds nothing without a console; a snapshot has the recent output', () => {
    const { t, sent, setConsole } = rig({ console: false, snapshotChars: 10 });
    put(t, '0123456789abcdef');
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([]);
    expect(t.snapshot()).toEqual({ data: '6789abcdef', seq: 0, droppedChars: 6, ...NO_RECORDS });
    setConsole(true);
    put(t, 'Z');
    vi.advanceTimersByTime(16);
    expect(sent).toEqual([{ data: 'Z', seq: 1, ...NO_RECORDS }]);
  });

  it('a snapshot covers what waited for the console: the stream goes on after it', () => {
    const { t, sent } = rig();
    put(t, 'y'.repeat(FLOW_HIGH_WATERMARK_CHARS + 1));
    vi.advanceTimersByTime(16);
    put(t, 'waiting');
    const snap = t.snapshot();
    expect(snap.data.endsWith('waiting')).toBe(true);
    expect(t.paused).toBe(false);
    put(t, 'next');
    vi.advanceTimersByTime(16);
    expect(sent[sent.length - 1]).toEqual({ data: 'next', seq: snap.seq + 4, ...NO_RECORDS });
  });

  it('decodes a character split between pty reads, live and in snapshots', () => {
    const { t, sent } = rig({ snapshotChars: 5 });
    const bytes = enc.encode('aé€b'); // 61 c3a9 e282ac 62
    t.pushBytes(bytes.subarray(0, 2));
    t.pushBytes(bytes.subarray(2, 5));
    t.pushBytes(bytes.subarray(5));
    vi.advanceTimersByTime(16);
    expect(text(sent)).toBe('aé€b');
    // The 5-byte tail starts inside 'é': the snapshot begins at the next whole character.
    expect(t.snapshot().data).toBe('€b');
  });

  describe('record lines', () => {
    const record = (i: number) => `HDBG1 ${i.toString(16)} 0 55 8 ${(i + 1).toString(16)}\n`;

    it('are kept out of the console and counted; answers and malformed lines go through', () => {
      const { t, sent } = rig();
      put(t, `HyperDbg> ${record(1)}${record(2)}`);
      put(t, 'HDBG1 0 3 55 f 2e74736f68637673\n'); // malformed: one word for 15 bytes
      put(t, `${record(3)}0\t(enabled)\t    !syscall code {c3}\n${record(4)}`);
      vi.advanceTimersByTime(16);
      expect(text(sent)).toBe(
        'HyperDbg> HDBG1 0 3 55 f 2e74736f68637673\n0\t(enabled)\t    !syscall code {c3}\n',
      );
      expect(sent.at(-1)).toMatchObject({ hiddenRecords: 4, showRecords: false });
      expect(t.hiddenRecords).toBe(4);
    });

    it('never fill the flow-control window: an answer gets through a flood at once', () => {
      const { t, sent } = rig();
      // 200,000 record lines, about 4 MB: twenty times the high watermark, never acknowledged.
      for (let batch = 0; batch < 200; batch++)
        put(t, Array.from({ length: 1000 }, (_, i) => record(batch * 1000 + i)).join(''));
      put(t, 'HyperDbg> ');
      put(t, '0\t(enabled)\t    !syscall code {c3}\n');
      for (let batch = 0; batch < 10; batch++)
        put(t, Array.from({ length: 1000 }, (_, i) => record(i)).join(''));
      vi.advanceTimersByTime(16);
      expect(t.paused).toBe(false);
      expect(text(sent)).toBe('HyperDbg> 0\t(enabled)\t    !syscall code {c3}\n');
      expect(t.hiddenRecords).toBe(210_000);
    });

    it('send the count alone, at most every interval, while only records arrive', () => {
      const { t, sent } = rig();
      put(t, record(1));
      vi.advanceTimersByTime(HIDDEN_COUNT_INTERVAL_MS - 1);
      put(t, record(2));
      expect(sent).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(sent).toEqual([{ data: '', seq: 0, hiddenRecords: 2, showRecords: false }]);
      vi.advanceTimersByTime(HIDDEN_COUNT_INTERVAL_MS * 4);
      expect(sent).toHaveLength(1);
    });

    it('can be shown again; the snapshot follows the choice', () => {
      const { t, sent } = rig();
      put(t, `${record(1)}HyperDbg> `);
      vi.advanceTimersByTime(16);
      expect(text(sent)).toBe('HyperDbg> ');
      expect(t.snapshot()).toMatchObject({ data: 'HyperDbg> ', hiddenRecords: 1 });
      // Half a record line waits while hidden; it goes out when records are shown.
      put(t, 'HDBG1 2 0 55');
      expect(t.setShowRecords(true)).toEqual({ showRecords: true });
      put(t, ` 8 3\n${record(4)}`);
      vi.advanceTimersByTime(16);
      expect(text(sent)).toBe(`HyperDbg> HDBG1 2 0 55 8 3\n${record(4)}`);
      expect(sent.at(-1)).toMatchObject({ hiddenRecords: 1, showRecords: true });
      const shown = t.snapshot();
      expect(shown.data).toBe(`${record(1)}HyperDbg> HDBG1 2 0 55 8 3\n${record(4)}`);
      expect(shown.showRecords).toBe(true);
      t.setShowRecords(false);
      expect(t.snapshot()).toMatchObject({ data: 'HyperDbg> ', hiddenRecords: 3 });
    });

    it('count the records a snapshot hides when no console saw them stream', () => {
      const { t, setConsole } = rig({ console: false });
      put(t, `${record(1)}${record(2)}text\n`);
      setConsole(true);
      expect(t.snapshot()).toMatchObject({ data: 'text\n', hiddenRecords: 2 });
      // A line cut at the snapshot's end is judged whole once the rest arrives.
      put(t, 'HDBG1 5 0');
      expect(t.snapshot()).toMatchObject({ data: 'text\n', hiddenRecords: 2 });
      put(t, ' 55 8 1\nafter\n');
      vi.advanceTimersByTime(16);
      expect(t.hiddenRecords).toBe(3);
    });

    it('let a last line go when the process ends before it does', () => {
      const { t, sent } = rig();
      put(t, 'HDBG1 1 0');
      t.endBytes();
      vi.advanceTimersByTime(16);
      expect(text(sent)).toBe('HDBG1 1 0');
      // And a console that opens afterwards sees it too.
      expect(t.snapshot().data).toBe('HDBG1 1 0');
    });
  });
});
