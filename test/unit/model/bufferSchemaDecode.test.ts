// decodeRecord: typed values from a record's bytes with a schema, a hex dump without one, and
// fields past the end of a short record reported missing, never read from outside the bytes.
import { describe, expect, it } from 'vitest';
import { decodeRecord, hexDump } from '../../../shared/model/bufferSchemaDecode';

const IMAGE_FILE_NAME = [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }];

function bytes(...parts: (number[] | string)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'string') for (const c of p) out.push(c.charCodeAt(0));
    else out.push(...p);
  }
  return Uint8Array.from(out);
}

describe('decodeRecord', () => {
  it('decodes the ImageFileName record of the seed example', () => {
    const r = decodeRecord(
      IMAGE_FILE_NAME,
      bytes('explorer.exe', [0, 0, 0], 'xyz', [1, 2, 3, 4, 5, 6]),
    );
    expect(r.length).toBe(0x18);
    expect(r.fields).toEqual([
      {
        name: 'ImageFileName',
        type: 'cstr[15]',
        offset: 0,
        size: 15,
        missing: false,
        value: 'explorer.exe',
        display: 'explorer.exe',
      },
    ]);
    expect(r.hexDump).toBeNull();
  });

  it('takes all N bytes of a cstr with no NUL (ImageFileName is cut at 15)', () => {
    const r = decodeRecord(IMAGE_FILE_NAME, bytes('SearchApp.exe12', 'Z'));
    expect(r.fields[0]?.value).toBe('SearchApp.exe12');
  });

  it('reads cstr as Windows-1252', () => {
    const r = decodeRecord(IMAGE_FILE_NAME, bytes([0x80, 0xe9, 0x9c, 0x41, 0], 'padding-padding'));
    expect(r.fields[0]?.value).toBe('€éœA');
  });

  it('escapes control characters in the display, not in the value', () => {
    const r = decodeRecord(
      IMAGE_FILE_NAME,
      bytes('a', [0x1b], '[2J', [0x07, 0], 'padding-padding'),
    );
    expect(r.fields[0]?.value).toBe('a\u001b[2J\u0007');
    expect(r.fields[0]?.display).toBe('a\\x1b[2J\\x07');
  });

  it('reads wstr as UTF-16LE up to a NUL, with surrogate pairs and lone surrogates', () => {
    const schema = [{ name: 'w', offset: 0, type: 'wstr[6]' }];
    const r = decodeRecord(
      schema,
      bytes([0x48, 0, 0x69, 0, 0x3d, 0xd8, 0x00, 0xde, 0x00, 0xd8, 0, 0], 'junk'),
    );
    expect(r.fields[0]?.value).toBe('Hi😀\ufffd');
  });

  it('reads little-endian integers, signed and unsigned, and pointers', () => {
    const schema = [
      { name: 'u8', offset: 0, type: 'u8' },
      { name: 'i8', offset: 1, type: 'i8' },
      { name: 'u16', offset: 2, type: 'u16' },
      { name: 'i16', offset: 4, type: 'i16' },
      { name: 'u32', offset: 8, type: 'u32' },
      { name: 'i32', offset: 12, type: 'i32' },
      { name: 'u64', offset: 16, type: 'u64' },
      { name: 'i64', offset: 24, type: 'i64' },
      { name: 'p', offset: 32, type: 'ptr' },
      { name: 'b', offset: 40, type: 'bytes[4]' },
    ];
    const data = new Uint8Array(44);
    const v = new DataView(data.buffer);
    v.setUint8(0, 0xfe);
    v.setInt8(1, -2);
    v.setUint16(2, 0xbeef, true);
    v.setInt16(4, -300, true);
    v.setUint32(8, 0xdeadbeef, true);
    v.setInt32(12, -5, true);
    v.setBigUint64(16, 0xfffff8004ed6f010n, true);
    v.setBigInt64(24, -7n, true);
    v.setBigUint64(32, 0x1234n, true);
    data.set([0x48, 0x44, 0x42, 0x47], 40);
    const r = decodeRecord(schema, data);
    expect(r.fields.map((f) => f.value)).toEqual([
      0xfe,
      -2,
      0xbeef,
      -300,
      0xdeadbeef,
      -5,
      0xfffff8004ed6f010n,
      -7n,
      0x1234n,
      '48444247',
    ]);
    expect(r.fields.map((f) => f.display)).toEqual([
      '0xfe',
      '-2',
      '0xbeef',
      '-300',
      '0xdeadbeef',
      '-5',
      '0xfffff8004ed6f010',
      '-7',
      '0x0000000000001234',
      '48 44 42 47',
    ]);
  });

  it('reports fields past the end of a short record as missing, reading nothing beyond it', () => {
    const backing = Uint8Array.from([1, 2, 3, 4, 0xaa, 0xbb, 0xcc, 0xdd]);
    const record = backing.subarray(0, 4);
    const r = decodeRecord(
      [
        { name: 'a', offset: 0, type: 'u16' },
        { name: 'b', offset: 2, type: 'u32' },
        { name: 'c', offset: 6, type: 'u8' },
        { name: 's', offset: 0, type: 'cstr[8]' },
      ],
      record,
    );
    expect(r.fields.map((f) => [f.name, f.missing, f.value])).toEqual([
      ['a', false, 0x0201],
      ['b', true, null],
      ['c', true, null],
      ['s', true, null],
    ]);
    expect(r.hex).toBe('01020304');
  });

  it('gives a hex dump without a schema', () => {
    const r = decodeRecord(null, bytes('HDBG', [0, 1, 0x7f], 'x'.repeat(13)));
    expect(r.fields).toEqual([]);
    expect(r.hexDump).toEqual([
      '0000  48 44 42 47 00 01 7f 78 78 78 78 78 78 78 78 78  HDBG...xxxxxxxxx',
      '0010  78 78 78 78                                      xxxx',
    ]);
    expect(decodeRecord([], bytes('a')).hexDump).toEqual(hexDump(bytes('a')));
  });

  it('decodes an empty record', () => {
    expect(decodeRecord(IMAGE_FILE_NAME, new Uint8Array(0)).fields[0]?.missing).toBe(true);
    expect(decodeRecord(null, new Uint8Array(0)).hexDump).toEqual([]);
  });
});
