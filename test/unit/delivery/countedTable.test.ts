// The HDBGT count table line (buffer-records.md §7): parsed when whole, refused when cut or when
// its counts do not add up, never taken for a record; keys shown as ImageFileName prefixes.
import { describe, expect, it } from 'vitest';
import {
  countedTableScript,
  keyText,
  parseCountTableLine,
  tableGlobals,
} from '../../../shared/delivery/countedTable';
import { looksLikeRecord } from '../../../shared/hyperdbg/lineClassifier';

/** "svchost." as the 8 little-endian bytes dq() reads. */
const SVCHOST = Buffer.from('svchost.', 'latin1').readBigUInt64LE(0);
const SYSTEM = Buffer.from('System\0\0', 'latin1').readBigUInt64LE(0);

describe('parseCountTableLine', () => {
  const line = `HDBGT 1 3 600 0 2 ${SVCHOST.toString(16)} 400 ${SYSTEM.toString(16)} 200`;
  it('reads a whole table', () => {
    const t = parseCountTableLine(line);
    expect(t).toEqual({
      eventId: 1,
      seq: 3,
      total: 0x600n,
      other: 0n,
      entries: [
        { key: SVCHOST, count: 0x400n },
        { key: SYSTEM, count: 0x200n },
      ],
    });
    expect(looksLikeRecord(line)).toBe(false);
  });
  it('refuses a cut table and one that does not add up', () => {
    expect(parseCountTableLine(line.slice(0, -4))).toMatch(/says 2 slots but carries 1/);
    expect(parseCountTableLine(line.replace(' 600 ', ' 601 '))).toMatch(/add up to 1536, not/);
    expect(parseCountTableLine('HDBGT 1 X')).toMatch(/lower-case hex/);
    expect(parseCountTableLine('HDBG1 1 2')).toBeNull();
  });
  it('shows keys as text when printable', () => {
    expect(keyText(SVCHOST)).toBe('svchost.');
    expect(keyText(SYSTEM)).toBe('System');
    expect(keyText(0x0102n)).toBe('0x102');
  });
});

describe('countedTableScript', () => {
  it('names every global once, uses the payload word as key and prints one line per period', () => {
    const s = countedTableScript({
      payload: { length: 15, words: ['dq($proc+0x5a8)', 'dq($proc+0x5b0)'], origin: 'derived' },
      slots: 4,
      periodTriggers: 0x100,
      tag: 'ab',
    });
    expect(s).toContain('hk = dq($proc+0x5a8);');
    expect(s).toContain('>= 0x100)');
    expect(s.match(/printf\(/g)).toHaveLength(1);
    const globals = new Set(s.match(/\.hctab_[a-z0-9]+/g));
    expect(globals.size).toBe(tableGlobals(4));
    expect(() =>
      countedTableScript({ payload: { length: 8, words: ['1'], origin: 'authored' }, tag: 'A-' }),
    ).toThrow();
  });
  it('geometric growth compares with a step global that grows by a quarter and one', () => {
    const s = countedTableScript({
      payload: { length: 8, words: ['dq($proc+0x450)'], origin: 'derived' },
      slots: 1,
      growth: 'geometric',
      tag: 'p',
    });
    expect(s).toContain('>= .hctp_d)');
    expect(s).toContain('.hctp_d = .hctp_d + (.hctp_d >> 2) + 1;');
    expect(s).not.toMatch(/>= 0x/);
    expect(new Set(s.match(/\.hctp_[a-z0-9]+/g)).size).toBe(tableGlobals(1, 'geometric'));
  });
});
