// Records into the table's columns: decoded fields present in the record (a short record leaves
// the rest out), the search text, hex only for records no schema decodes; and the per-event
// statistics with their cap.
import { describe, expect, it } from 'vitest';
import { decodeForLog, ROW_HEX_BYTES, rowHex } from '../../../shared/log/logRow';
import { searchText } from '../../../shared/log/logFilter';
import { LogStatsTracker, MAX_EVENT_STATS } from '../../../electron/host/log/logStats';

const schema = [
  { name: 'ImageFileName', offset: 0, type: 'cstr[15]' },
  { name: 'Pid', offset: 16, type: 'u32' },
  { name: 'Flags', offset: 20, type: 'bytes[4]' },
];

function bytes(name: string, length: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < name.length && i < 15; i++) b[i] = name.charCodeAt(i);
  if (length >= 20) new DataView(b.buffer).setUint32(16, 0x1c4, true);
  if (length >= 24) b.set([0xde, 0xad, 0xbe, 0xef], 20);
  return b;
}

describe('decodeForLog', () => {
  it('gives one column per schema field, as the decoder shows it', () => {
    const { fields, decoded } = decodeForLog(schema, bytes('explorer.exe', 24));
    expect(fields).toEqual([
      ['ImageFileName', 'explorer.exe'],
      ['Pid', '0x1c4'],
      ['Flags', 'de ad be ef'],
    ]);
    expect(searchText(fields)).toBe('explorer.exe 0x1c4 de ad be ef');
    expect(decoded.hex.startsWith('6578706c6f726572')).toBe(true);
  });

  it('leaves out fields the record is too short for', () => {
    expect(decodeForLog(schema, bytes('cmd.exe', 18)).fields).toEqual([
      ['ImageFileName', 'cmd.exe'],
    ]);
  });

  it('escapes control characters so a record cannot drive a cell or a terminal', () => {
    const b = bytes('a\u001b[31mb', 24);
    expect(decodeForLog(schema, b).fields[0]).toEqual(['ImageFileName', 'a\\x1b[31mb']);
  });

  it('without a schema: no fields, and the row carries the head of the bytes as hex', () => {
    const long = new Uint8Array(200).map((_, i) => i);
    const { fields, decoded } = decodeForLog(null, long);
    expect(fields).toEqual([]);
    const head = rowHex(decoded.hex, false);
    expect(head.truncated).toBe(true);
    expect(head.hex.length).toBe(ROW_HEX_BYTES * 2);
    expect(rowHex('0102', false)).toEqual({ hex: '0102', truncated: false });
    expect(rowHex(decoded.hex, true)).toEqual({ hex: '', truncated: false });
  });
});

describe('LogStatsTracker', () => {
  it('counts hits and rate per (generation, event), and field values', () => {
    const t = new LogStatsTracker();
    const now = 1_000_000;
    for (let s = 0; s < 6; s++)
      for (let k = 0; k < 10; k++)
        t.addRecord(1, 5, now - 6000 + s * 1000 + k, 'Act', [['Name', k % 2 ? 'a' : 'b']]);
    t.addRecord(2, 5, now, null, []);
    const ev = t.eventStats(now);
    expect(ev.map((e) => [e.generation, e.eventId, e.count])).toEqual([
      [1, 5, 60],
      [2, 5, 1],
    ]);
    expect(ev[0]?.rate).toBe(10);
    expect(ev[0]?.actionName).toBe('Act');
    expect(t.top('Name', 5)?.top).toEqual([
      { value: 'b', count: 30 },
      { value: 'a', count: 30 },
    ]);
    expect(t.fields).toEqual(['Name']);
    expect(t.recordRate(now)).toBe(10);
  });

  it('events beyond the cap are counted together, not dropped', () => {
    const t = new LogStatsTracker();
    for (let id = 0; id < MAX_EVENT_STATS + 7; id++) t.addRecord(1, id, 0, null, []);
    expect(t.eventStats(0).length).toBe(MAX_EVENT_STATS);
    expect(t.otherEventsCount).toBe(7);
  });
});
