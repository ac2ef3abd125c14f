// Decode sanity's rules: a string field blank or garbage in most of an event's first records, or
// records that are all zeros, is flagged with its likely cause; real values, legitimate zeros
// beside real values, and too few records are not.
import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../../../shared/model/bufferSchemaDecode';
import { DecodeSanity, fieldProblem, SANITY_MIN_RECORDS } from '../../../shared/log/decodeSanity';
import type { BufferSchema } from '../../../shared/model/bufferSchema';

const NAME: BufferSchema = [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }];
const COUNTERS: BufferSchema = [
  { name: 'core0', offset: 0, type: 'u64' },
  { name: 'core1', offset: 8, type: 'u64' },
];

const bytesOf = (text: string, size = 0x18) => {
  const b = new Uint8Array(size);
  for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i);
  return b;
};
const feed = (schema: BufferSchema, records: Uint8Array[]) => {
  const s = new DecodeSanity();
  for (const r of records) s.add(decodeRecord(schema, r).fields);
  return s.warning();
};

describe('decode sanity', () => {
  it('classifies values: blank and garbage names, zeros', () => {
    const [blank] = decodeRecord(NAME, bytesOf('')).fields;
    const [name] = decodeRecord(NAME, bytesOf('notepad.exe')).fields;
    const pointer = new Uint8Array(0x18);
    pointer.set([0xc0, 0x1f, 0x08, 0xcb, 0x83, 0xa6, 0xff, 0xff]);
    const [garbage] = decodeRecord(NAME, pointer).fields;
    // Pointer bytes without a control character still are not a name: mostly above 0x7e.
    const printableJunk = new Uint8Array(0x18);
    printableJunk.set([0xc0, 0xec, 0x27, 0xcb, 0x83, 0xa6, 0xff, 0xff]);
    const [highBytes] = decodeRecord(NAME, printableJunk).fields;
    const [accented] = decodeRecord(NAME, bytesOf('caf\u00e9.exe')).fields;
    expect(
      [blank, name, garbage, highBytes, accented].map((f) =>
        f === undefined ? 'none' : fieldProblem(f),
      ),
    ).toEqual(['blank', null, 'invalid', 'invalid', null]);
    const [zero, one] = decodeRecord(
      COUNTERS,
      new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]),
    ).fields;
    expect([zero, one].map((f) => (f === undefined ? 'none' : fieldProblem(f)))).toEqual([
      'zero',
      null,
    ]);
  });

  it('flags a name blank in most of the first records, naming the likely cause', () => {
    const w = feed(NAME, [...Array(9).fill(bytesOf('')), bytesOf('System')]);
    expect(w).toMatchObject({ field: 'ImageFileName', problem: 'blank', bad: 9, of: 10 });
    expect(w?.message).toBe(
      'ImageFileName is blank in 9 of the first 10 records: the action probably reads structure offsets of another Windows build than the target’s (name the fields, e.g. EPROCESS.ImageFileName, so they resolve for the target)',
    );
  });

  it('flags garbage where a name should be', () => {
    const junk = new Uint8Array(0x18);
    junk.set([0x48, 0x8b, 0x05, 0x90, 0x1f, 0x02, 0x11, 0x90, 0x07]);
    expect(feed(NAME, Array(12).fill(junk))).toMatchObject({ problem: 'invalid', bad: 12 });
  });

  it('says nothing about real names, nor before enough records', () => {
    expect(
      feed(
        NAME,
        ['System', 'explorer.exe', 'svchost.exe'].flatMap((n) => Array(5).fill(bytesOf(n))),
      ),
    ).toBeNull();
    expect(feed(NAME, Array(SANITY_MIN_RECORDS - 1).fill(bytesOf('')))).toBeNull();
  });

  it('zeros beside real values are values (counters of idle cores); all-zero records are not', () => {
    const oneCoreBusy = new Uint8Array(16);
    oneCoreBusy[0] = 5;
    expect(feed(COUNTERS, Array(20).fill(oneCoreBusy))).toBeNull();
    expect(feed(COUNTERS, Array(20).fill(new Uint8Array(16)))).toMatchObject({
      field: null,
      problem: 'empty',
    });
  });

  it('judges the first records only', () => {
    const s = new DecodeSanity();
    for (let i = 0; i < 40; i++) s.add(decodeRecord(NAME, bytesOf(i < 32 ? '' : 'System')).fields);
    expect(s.settled).toBe(true);
    expect(s.warning()).toMatchObject({ bad: 32, of: 32 });
  });
});
