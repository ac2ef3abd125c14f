// Record lines (buffer-records.md §2): decoding from bytes, the reasons given for malformed
// ones, and the writer the simulator and tests share.
import { describe, expect, it } from 'vitest';
import {
  decodeRecordLine,
  explainMalformedRecord,
  startsWithRecordPrefix,
} from '../../../shared/hyperdbg/recordLine';
import {
  bytesToHex,
  formatRecordLine,
  hdbgRecordSchema,
  recordWordCount,
} from '../../../shared/model/record';
import { rng, utf8 } from './parserHelpers';

function decode(line: string): ReturnType<typeof decodeRecordLine> {
  const b = utf8(line);
  return startsWithRecordPrefix(b, 0, b.length) ? decodeRecordLine(b, 0, b.length) : null;
}

describe('decodeRecordLine', () => {
  it('reads the words little-endian, unpadded, cut to length', () => {
    const r = decode('HDBG1 3 1 55 18 1122334455667788 99aabbccddeeff00 123456789abcdef0');
    expect(r).not.toBeNull();
    expect(r?.eventId).toBe(3);
    expect(r?.core).toBe(1);
    expect(r?.context).toBe(0x55n);
    expect(r?.length).toBe(0x18);
    expect(bytesToHex(r?.bytes ?? new Uint8Array())).toBe(
      '8877665544332211' + '00ffeeddccbbaa99' + 'f0debc9a78563412',
    );
  });

  it('reads a 64-bit context exactly', () => {
    expect(decode('HDBG1 0 0 fffff8004ed6f010 0')?.context).toBe(0xfffff8004ed6f010n);
    expect(decode('HDBG1 0 0 123456789 0')?.context).toBe(0x123456789n);
  });

  it('refuses anything off (the parser then keeps the line as text)', () => {
    for (const bad of [
      'HDBG1 0 0 0 9 1',
      'HDBG1 0 0 0 1 1 1',
      'HDBG1 0 0 0 1 1 ',
      'HDBG1 0 0 0 1  1',
      'HDBG1 0 0 0 1 x',
      'HDBG1 0 0 0 3e8',
      'HDBG1 0 0 0 8 11111111111111111',
      'HDBG1 0 0 11111111111111111 0',
      'HDBG1 111111111 0 0 0',
      'HDBG1 0 0 0',
      'HDBG1 0 0 0 ',
      'HDBG1  0 0 0 0',
      'HDBG1 0 0 0 1 1\r',
    ])
      expect(decode(bad), bad).toBeNull();
  });

  it('a full 16-digit word decodes alike on its shortcut, in any case; 16 characters with a non-digit do not', () => {
    const word = 'A1b2C3d4E5f60718';
    const full = decode(`HDBG1 0 0 0 10 ${word} ${word.toLowerCase()}`);
    expect(bytesToHex(full?.bytes ?? new Uint8Array())).toBe('1807f6e5d4c3b2a1'.repeat(2));
    // The same word with a leading zero dropped takes the general path: the same bytes.
    expect(bytesToHex(decode('HDBG1 0 0 0 8 0a1b2c3d4e5f6071')?.bytes ?? new Uint8Array())).toBe(
      '71605f4e3d2c1b0a',
    );
    expect(bytesToHex(decode('HDBG1 0 0 0 8 a1b2c3d4e5f6071')?.bytes ?? new Uint8Array())).toBe(
      '71605f4e3d2c1b0a',
    );
    for (const bad of [
      'HDBG1 0 0 0 8 a1b2c3d4e5f6071g',
      'HDBG1 0 0 0 8 a1b2c3d4 5f60718',
      'HDBG1 0 0 0 8 a1b2c3d4e5f607181',
      'HDBG1 0 0 0 10 a1b2c3d4e5f60718x1',
      'HDBG1 0 0 0 10 a1b2c3d4e5f60718',
    ])
      expect(decode(bad), bad).toBeNull();
  });

  it('explains what is wrong', () => {
    expect(explainMalformedRecord('HDBG1 0 0 0 9 1')).toBe(
      '1 payload words for length 0x9; expected 2',
    );
    expect(explainMalformedRecord('HDBG1 0 0 0 3e8')).toBe('length 0x3e8 is over the limit 0x3e7');
    expect(explainMalformedRecord('HDBG1 0 0 zz 0')).toBe("the context 'zz' is not hex");
    expect(explainMalformedRecord('HDBG1 0 0')).toBe('the context is missing');
  });
});

describe('formatRecordLine and the record model', () => {
  it('writes what buffer-records.md §2 describes', () => {
    const bytes = Uint8Array.from([
      0x73, 0x76, 0x63, 0x68, 0x6f, 0x73, 0x74, 0x2e, 0x65, 0x78, 0x65, 0, 0, 0, 0,
    ]);
    expect(
      formatRecordLine({ eventId: 0, core: 2, context: 0xfffff8004ed6f010n, length: 15, bytes }),
    ).toBe('HDBG1 0 2 fffff8004ed6f010 f 2e74736f68637673 657865');
    expect(
      formatRecordLine({ eventId: 0x1a, core: 0, context: 0n, length: 0, bytes: new Uint8Array() }),
    ).toBe('HDBG1 1a 0 0 0');
    expect(recordWordCount(0x3e7)).toBe(125);
  });

  it('round-trips random records through the line format', () => {
    const rand = rng(9);
    for (let i = 0; i < 500; i++) {
      const length = Math.floor(rand() * 0x3e8);
      const bytes = new Uint8Array(length);
      for (let k = 0; k < length; k++) bytes[k] = rand() < 0.3 ? 0 : Math.floor(rand() * 256);
      const record = {
        eventId: Math.floor(rand() * 0x100000000),
        core: Math.floor(rand() * 64),
        context:
          (BigInt(Math.floor(rand() * 0x100000000)) << 32n) |
          BigInt(Math.floor(rand() * 0x100000000)),
        length,
        bytes,
      };
      const r = decode(formatRecordLine(record));
      expect(r && { ...r, type: undefined }).toEqual({ ...record, type: undefined });
    }
  });

  it('validates records built elsewhere', () => {
    const ok = { eventId: 1, core: 0, context: 5n, length: 2, bytes: new Uint8Array(2) };
    expect(hdbgRecordSchema.safeParse(ok).success).toBe(true);
    expect(hdbgRecordSchema.safeParse({ ...ok, length: 3 }).success).toBe(false);
    expect(
      hdbgRecordSchema.safeParse({ ...ok, length: 0x3e8, bytes: new Uint8Array(0x3e8) }).success,
    ).toBe(false);
    expect(hdbgRecordSchema.safeParse({ ...ok, context: 1n << 64n }).success).toBe(false);
  });
});

describe('version 2 (buffer-records.md §2a)', () => {
  it('reads the sequence number between the core and the context', () => {
    const r = decode('HDBG2 3 1 2a fffff8004ed6f010 10 6578652e74736f68 0');
    expect(r).toMatchObject({ eventId: 3, core: 1, seq: 0x2a, context: 0xfffff8004ed6f010n });
    expect(r?.length).toBe(0x10);
    expect(decode('HDBG1 3 1 55 0')?.seq).toBeUndefined();
  });

  it('round-trips through formatRecordLine', () => {
    const rec = { eventId: 7, core: 2, context: 5n, length: 3, bytes: Uint8Array.of(1, 2, 3) };
    const line = formatRecordLine({ ...rec, seq: 0x1234 });
    expect(line).toBe('HDBG2 7 2 1234 5 3 30201');
    expect(decode(line)).toMatchObject({ ...rec, seq: 0x1234 });
  });

  it('refuses a missing or oversized sequence number, and says so', () => {
    expect(decode('HDBG2 3 1 55 0')).toBeNull(); // the context is read as the sequence number
    expect(decode('HDBG2 3 1 12345678901234 0 0')).toBeNull();
    expect(explainMalformedRecord('HDBG2 3 1 12345678901234 0 0')).toBe(
      'the sequence number has too many digits (14)',
    );
    expect(explainMalformedRecord('HDBG2 3 1 x 0 0')).toBe("the sequence number 'x' is not hex");
    expect(explainMalformedRecord('HDBG3 3 1 0 0')).toMatch(/unsupported record version 3/);
  });
});
