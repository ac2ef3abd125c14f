// The schema preview's sample: hex or an HDBG1 line (buffer-records.md §2), and a made-up record
// that decodes to something for every field type.
import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../../../shared/model/bufferSchemaDecode';
import { formatSample, parseSample, sampleFor } from '../../../renderer/src/editor/schemaSample';

describe('parseSample', () => {
  it('reads hex bytes with spaces, commas or 0x', () => {
    const r = parseSample('48 44, 0x42 47');
    expect(r.ok && Array.from(r.value.bytes)).toEqual([0x48, 0x44, 0x42, 0x47]);
    expect(parseSample('484').ok).toBe(false);
    expect(parseSample('zz').ok).toBe(false);
  });

  it("reads an HDBG1 line: little-endian words cut to the length (the spec's own example)", () => {
    // "explorer.exe" as the simulator prints it for ImageFileName: cstr[15].
    const r = parseSample('HDBG1 0 2 55 f 7265726f6c707865 6578652e');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.bytes.length).toBe(15);
    const d = decodeRecord([{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }], r.value.bytes);
    expect(d.fields[0]?.display).toBe('explorer.exe');
  });

  it('refuses a line whose words do not match its length', () => {
    const r = parseSample('HDBG1 0 2 55 18 1 2');
    expect(!r.ok && r.error).toMatch(/needs 3 words/);
  });
});

describe('sampleFor', () => {
  it('makes a record every field decodes from', () => {
    const fields = [
      { name: 'Name', offset: 0, type: 'cstr[15]' },
      { name: 'Pid', offset: 0x10, type: 'u32' },
      { name: 'Where', offset: 0x18, type: 'ptr' },
    ];
    const bytes = sampleFor(fields, 0x18);
    expect(bytes.length).toBe(0x20);
    const d = decodeRecord(fields, bytes);
    expect(d.fields.map((f) => f.display)).toEqual(['explorer.exe', '0x1c5', '0xfffff8004ed6f010']);
    expect(formatSample(new Uint8Array([1, 2, 255]))).toBe('01 02 ff');
  });
});
