// Sample bytes for the buffer schema's live preview: what the user pastes (hex bytes, or a whole
// `HDBG1` record line as the log shows it), or a made-up record that fits the schema. Pure.
import {
  fieldTypeSize,
  MAX_RECORD_BYTES,
  parseFieldType,
  type BufferField,
} from '../../../shared/model/bufferSchema';
import { fail, ok, type Result } from '../../../shared/result';

/** Sample bytes and what they were read from. */
export interface Sample {
  readonly bytes: Uint8Array;
  readonly from: 'hex' | 'record' | 'made-up';
}

export type SampleParse = Result<Sample, string>;

/**
 * Hex bytes (`48 44 42 47`, `48444247`, `0x` and commas allowed), or an `HDBG1` line
 * (buffer-records.md §2: 64-bit little-endian words, cut to the length).
 */
export function parseSample(text: string): SampleParse {
  const t = text.trim();
  if (t === '') return ok({ bytes: new Uint8Array(0), from: 'hex' });
  if (/^HDBG1\s/i.test(t)) return parseRecordLine(t);
  const digits = t.replace(/0x/gi, '').replace(/[\s,]/g, '');
  if (!/^[0-9a-f]*$/i.test(digits)) return fail('hex bytes or an HDBG1 record line');
  if (digits.length % 2 !== 0) return fail('an odd number of hex digits');
  if (digits.length / 2 > MAX_RECORD_BYTES) return fail(`at most ${MAX_RECORD_BYTES} bytes`);
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  return ok({ bytes, from: 'hex' });
}

function parseRecordLine(line: string): SampleParse {
  const parts = line.split(/\s+/);
  if (parts.length < 5 || !parts.slice(1).every((p) => /^[0-9a-f]{1,16}$/i.test(p)))
    return fail('HDBG1 <event> <core> <context> <length> <words…>, all hex');
  const length = Number.parseInt(parts[4] as string, 16);
  const words = parts.slice(5);
  if (length > MAX_RECORD_BYTES) return fail(`length ${parts[4]} is over 0x3e7`);
  if (words.length !== Math.ceil(length / 8))
    return fail(
      `length ${parts[4]} needs ${Math.ceil(length / 8)} words, the line has ${words.length}`,
    );
  const bytes = new Uint8Array(words.length * 8);
  const view = new DataView(bytes.buffer);
  words.forEach((w, i) => view.setBigUint64(i * 8, BigInt(`0x${w}`), true));
  return ok({ bytes: bytes.slice(0, length), from: 'record' });
}

/** Example text for string fields: a process name fits `cstr[15]` as ImageFileName does. */
const SAMPLE_TEXT = 'explorer.exe';

/** A record `length` bytes long (at least as long as the schema) with a plausible value per field. */
export function sampleFor(fields: readonly BufferField[], length: number): Uint8Array {
  let end = length;
  for (const f of fields) {
    const t = parseFieldType(f.type);
    if (t !== undefined) end = Math.max(end, f.offset + fieldTypeSize(t));
  }
  const bytes = new Uint8Array(Math.min(end, MAX_RECORD_BYTES));
  const view = new DataView(bytes.buffer);
  for (const [i, f] of fields.entries()) {
    const t = parseFieldType(f.type);
    if (t === undefined || f.offset + fieldTypeSize(t) > bytes.length) continue;
    switch (t.base) {
      case 'cstr':
      case 'bytes':
        for (let j = 0; j < Math.min(t.count, SAMPLE_TEXT.length); j++)
          bytes[f.offset + j] = SAMPLE_TEXT.charCodeAt(j);
        if (t.base === 'cstr' && t.count <= SAMPLE_TEXT.length) bytes[f.offset + t.count - 1] = 0;
        break;
      case 'wstr':
        for (let j = 0; j < Math.min(t.count - 1, SAMPLE_TEXT.length); j++)
          view.setUint16(f.offset + j * 2, SAMPLE_TEXT.charCodeAt(j), true);
        break;
      case 'u8':
      case 'i8':
        view.setUint8(f.offset, 0x10 + i);
        break;
      case 'u16':
      case 'i16':
        view.setUint16(f.offset, 0x1234 + i, true);
        break;
      case 'u32':
      case 'i32':
        view.setUint32(f.offset, 0x1c4 + i, true);
        break;
      case 'u64':
      case 'i64':
        view.setBigUint64(f.offset, BigInt(0x1000 + i), true);
        break;
      case 'ptr':
        view.setBigUint64(f.offset, 0xfffff8004ed6f010n, true);
        break;
    }
  }
  return bytes;
}

/** Bytes as spaced hex, 16 a line, for the sample box. */
export function formatSample(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16)
    lines.push(
      Array.from(bytes.subarray(i, i + 16), (b) => b.toString(16).padStart(2, '0')).join(' '),
    );
  return lines.join('\n');
}
