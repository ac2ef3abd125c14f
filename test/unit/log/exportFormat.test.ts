// Export formats: CSV a spreadsheet opens safely (formula injection defused, RFC 4180 quoting)
// and JSON lines with typed fields and bytes as hex.
import { describe, expect, it } from 'vitest';
import {
  csvCell,
  csvHeader,
  csvLine,
  csvRecord,
  jsonlRecord,
  type ExportRecord,
} from '../../../shared/log/exportFormat';
import { decodeRecord } from '../../../shared/model/bufferSchemaDecode';

describe('csvCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\t=x', "'\t=x"],
    ['\r=x', '"\'\r=x"'],
    ['  =HYPERLINK("http://x")', '"\'  =HYPERLINK(""http://x"")"'],
  ])('defuses a formula start: %j -> %j', (input, out) => {
    expect(csvCell(input)).toBe(out);
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    [' padded ', '" padded "'],
    ['', ''],
    ['0x1c4', '0x1c4'],
  ])('quotes only when needed: %j -> %j', (input, out) => {
    expect(csvCell(input)).toBe(out);
  });

  it('lines end in CRLF', () => {
    expect(csvLine(['a', 'b,c'])).toBe('a,"b,c"\r\n');
  });
});

const schema = [
  { name: 'Name', offset: 0, type: 'cstr[8]' },
  { name: 'Size', offset: 8, type: 'u32' },
  { name: 'Delta', offset: 12, type: 'i32' },
  { name: 'Addr', offset: 16, type: 'ptr' },
  { name: 'Tail', offset: 24, type: 'u64' },
];

function record(bytes: Uint8Array, withSchema = true): ExportRecord {
  return {
    seq: 7,
    receivedAt: Date.UTC(2025, 0, 2, 3, 4, 5, 6),
    generation: 2,
    eventId: 0x1f,
    core: 3,
    context: '55',
    actionId: withSchema ? 'a1' : null,
    actionName: withSchema ? 'My, "action"' : null,
    length: bytes.length,
    hex: Buffer.from(bytes).toString('hex'),
    decoded: withSchema ? decodeRecord(schema, bytes) : null,
  };
}

function bytes24(): Uint8Array {
  const b = new Uint8Array(24); // Tail (24..31) is missing: the record is shorter
  const name = '=cmd|x';
  for (let i = 0; i < name.length; i++) b[i] = name.charCodeAt(i);
  const v = new DataView(b.buffer);
  v.setUint32(8, 0x40, true);
  v.setInt32(12, -5, true);
  v.setBigUint64(16, 0xfffff80112345678n, true);
  return b;
}

describe('CSV records', () => {
  it('writes fixed columns, one per field (missing ones empty), then the bytes', () => {
    const names = schema.map((f) => f.name);
    expect(csvHeader(names)).toBe(
      'seq,time,generation,event,core,context,action,length,Name,Size,Delta,Addr,Tail,hex\r\n',
    );
    const line = csvRecord(record(bytes24()), names);
    expect(line).toBe(
      `7,2025-01-02T03:04:05.006Z,2,1f,3,0x55,"My, ""action""",24,'=cmd|x,0x40,'-5,0xfffff80112345678,,${Buffer.from(bytes24()).toString('hex')}\r\n`,
    );
  });

  it('a record without a schema has empty field cells and its hex', () => {
    const line = csvRecord(record(new Uint8Array([1, 2]), false), ['Name']);
    expect(line).toBe('7,2025-01-02T03:04:05.006Z,2,1f,3,0x55,,2,,0102\r\n');
  });
});

describe('JSON lines', () => {
  it('one object per line: typed fields, 64-bit values as shown, missing as null', () => {
    const line = jsonlRecord(record(bytes24()));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual({
      seq: 7,
      time: '2025-01-02T03:04:05.006Z',
      receivedAt: Date.UTC(2025, 0, 2, 3, 4, 5, 6),
      generation: 2,
      eventId: '1f',
      core: 3,
      context: '0x55',
      action: { id: 'a1', name: 'My, "action"' },
      length: 24,
      hex: Buffer.from(bytes24()).toString('hex'),
      fields: { Name: '=cmd|x', Size: 64, Delta: -5, Addr: '0xfffff80112345678', Tail: null },
    });
  });

  it('a record without a schema has no fields; control characters stay escaped JSON', () => {
    const b = new Uint8Array([0x0a, 0x1b, 0x22]);
    expect(JSON.parse(jsonlRecord(record(b, false)))).toMatchObject({
      action: null,
      fields: null,
      hex: '0a1b22',
    });
    const named = new Uint8Array(24);
    named.set([0x61, 0x0a, 0x1b, 0x62]);
    const line = jsonlRecord(record(named));
    expect(line.split('\n').length).toBe(2);
    expect(JSON.parse(line).fields.Name).toBe('a\n\u001bb');
  });

  it('a field name cannot reach a prototype', () => {
    const rec: ExportRecord = {
      ...record(new Uint8Array(4), false),
      decoded: {
        length: 4,
        hex: '00000000',
        hexDump: null,
        fields: [
          {
            name: '__proto__',
            type: 'u32',
            offset: 0,
            size: 4,
            missing: false,
            value: 1,
            display: '0x1',
          },
        ],
      },
    };
    const parsed = JSON.parse(jsonlRecord(rec));
    expect(Object.hasOwn(parsed.fields, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
