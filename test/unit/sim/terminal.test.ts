// Terminal input, kernel message pacing and options: the simulator's reading of keys (Enter as
// \r, \n or \r\n; Ctrl+C), the v0.23 ring/reader model of spec §6.1, and option validation.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MessageTransport,
  READER_SLEEP_MS,
  RING_SLOTS,
} from '../../../electron/sim/engine/messageTransport';
import { SimStats } from '../../../electron/sim/engine/stats';
import { OptionsError, parseOptions } from '../../../electron/sim/options';
import { LineReader } from '../../../electron/sim/terminal/lineReader';

function reader() {
  const events: string[] = [];
  const echo: string[] = [];
  const r = new LineReader(
    {
      line: (t) => events.push(`line:${t}`),
      interrupt: () => events.push('interrupt'),
      end: () => events.push('end'),
    },
    (t) => echo.push(t),
  );
  return { r, events, echo };
}

describe('line reading (spec §1.3, §1.7)', () => {
  it('takes \\r, \\n and \\r\\n as one Enter each, even when \\r\\n is split across reads', () => {
    const { r, events } = reader();
    r.push('a\rb\nc\r\nd\r');
    r.push('\ne\r');
    expect(events).toEqual(['line:a', 'line:b', 'line:c', 'line:d', 'line:e']);
  });

  it('turns 0x03 into an interrupt and drops the pending line', () => {
    const { r, events } = reader();
    r.push('half\x03next\r');
    expect(events).toEqual(['interrupt', 'line:next']);
  });

  it('edits with backspace and skips terminal escape sequences', () => {
    const { r, events } = reader();
    r.push('gx\x7f\x1b[A\x1bOP\r');
    expect(events).toEqual(['line:g']);
  });

  it('discards an unterminated last line at end of input (spec §1.7)', () => {
    const { r, events } = reader();
    r.push('done\rpartial');
    r.finish();
    expect(events).toEqual(['line:done', 'end']);
  });
});

describe('kernel message pacing (spec §6.1)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('realistic: the reader takes one packet at once and prints it after its 30 ms sleep, then one per 30 ms; a 1000-slot ring that overwrites silently', () => {
    vi.useFakeTimers();
    const printed: string[] = [];
    const stats = new SimStats();
    const t = new MessageTransport({ pacing: 'realistic', print: (x) => printed.push(x), stats });
    for (let i = 0; i < RING_SLOTS + 500; i++) t.send({ text: `${i}\n`, eventId: 0 }, true);
    // packets.cpp sleeps between the IOCTL that returned the packet and printing it (spec §6.1).
    expect(printed.length).toBe(0);
    vi.advanceTimersByTime(READER_SLEEP_MS);
    expect(printed).toEqual(['0\n']);
    vi.advanceTimersByTime(READER_SLEEP_MS * 9);
    expect(printed.length).toBe(10);
    const c = stats.counters(0);
    expect(c.dropped).toBe(499);
    expect(c.emitted + c.dropped + c.pending).toBe(RING_SLOTS + 500);
    t.close();
  });

  it('serves VMX non-root before root, priority before regular', () => {
    vi.useFakeTimers();
    const printed: string[] = [];
    const t = new MessageTransport({
      pacing: 'realistic',
      print: (x) => printed.push(x),
      stats: new SimStats(),
    });
    t.send({ text: 'first', eventId: null }, true);
    t.send({ text: 'root', eventId: null }, true);
    t.send({ text: 'nonroot', eventId: null }, false);
    t.send({ text: 'root-priority', eventId: null }, true, true);
    t.send({ text: 'nonroot-priority', eventId: null }, false, true);
    vi.advanceTimersByTime(READER_SLEEP_MS * 5);
    expect(printed).toEqual(['first', 'nonroot-priority', 'root-priority', 'nonroot', 'root']);
    t.close();
  });

  it('flush clears the regular slots of both pools only, never the priority ones (Logging.c LogMarkAllAsRead)', () => {
    vi.useFakeTimers();
    const printed: string[] = [];
    const stats = new SimStats();
    const t = new MessageTransport({ pacing: 'realistic', print: (x) => printed.push(x), stats });
    t.send({ text: 'taken', eventId: 1 }, true);
    for (let i = 0; i < 3; i++) t.send({ text: `r${i}`, eventId: 1 }, true);
    for (let i = 0; i < 2; i++) t.send({ text: `n${i}`, eventId: 1 }, false);
    t.send({ text: 'warning', eventId: 1 }, true, true);
    // The first packet is already with the reader; 5 regular ones are queued, 1 priority one.
    expect(t.flush()).toBe(5);
    vi.advanceTimersByTime(READER_SLEEP_MS * 5);
    expect(printed).toEqual(['taken', 'warning']);
    expect(stats.counters(1).discarded).toBe(5);
    t.close();
  });

  it('a packet the reader took before `pause` is thrown away when its sleep ends (spec §2.7, §6.1)', () => {
    vi.useFakeTimers();
    const printed: string[] = [];
    const t = new MessageTransport({
      pacing: 'realistic',
      print: (x) => printed.push(x),
      stats: new SimStats(),
    });
    t.send({ text: 'in flight', eventId: 2 }, true);
    t.paused = true;
    vi.advanceTimersByTime(READER_SLEEP_MS);
    expect(printed).toEqual([]);
    t.close();
  });

  it('forwarding takes event-tagged packets before the mute; kernel log lines never go there (spec §6.4)', () => {
    const printed: string[] = [];
    const forwarded: string[] = [];
    const stats = new SimStats();
    const t = new MessageTransport({
      pacing: 'fast',
      print: (x) => printed.push(x),
      stats,
      forward: (p) => {
        forwarded.push(p.text);
        return p.text === 'bad' ? 'failed' : 'forwarded';
      },
    });
    t.paused = true;
    t.send({ text: 'ok', eventId: 4, tagged: true }, true);
    t.send({ text: 'bad', eventId: 4, tagged: true }, true);
    t.send({ text: 'kernel log line', eventId: 4 }, true);
    expect(forwarded).toEqual(['ok', 'bad']);
    expect(printed).toEqual([]);
    expect(stats.counters(4)).toMatchObject({ forwarded: 1, forwardFailed: 1, discarded: 1 });
  });

  it('discards packets while paused and counts them (spec §2.7)', () => {
    const printed: string[] = [];
    const stats = new SimStats();
    const t = new MessageTransport({ pacing: 'fast', print: (x) => printed.push(x), stats });
    t.paused = true;
    t.send({ text: 'x', eventId: 3 }, true);
    expect(printed).toEqual([]);
    expect(stats.counters(3).discarded).toBe(1);
  });
});

describe('options', () => {
  it('has the documented defaults and validates values', () => {
    const o = parseOptions([], 1234);
    expect(o).toMatchObject({
      seed: 1234,
      cores: 4,
      rate: 1000,
      pacing: 'realistic',
      conpty: false,
      stock: false,
      osBuild: 18363,
    });
    expect(parseOptions(['--rate', 'max', '--pacing=fast', '--os-build', '19041'])).toMatchObject({
      rate: 'max',
      pacing: 'fast',
      osBuild: 19041,
    });
    expect(() => parseOptions(['--cores', '0'])).toThrow(OptionsError);
    expect(() => parseOptions(['--pacing', 'slow'])).toThrow(OptionsError);
    expect(() => parseOptions(['--bogus'])).toThrow(OptionsError);
    expect(parseOptions(['--help'])).toBe('help');
  });
});
