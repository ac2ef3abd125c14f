// Decodes one `HDBG1` record line (buffer-records.md §2) straight from bytes, the parser's hot
// path: no regex, no string, one Uint8Array and one object per record. Strict: anything off
// makes the line malformed; `explainMalformedRecord` then says why. Pure.
import { RECORD_MAX_LENGTH, RECORD_WORD_MAX_DIGITS, type HdbgRecord } from '../model/record';
import type { RecordItem } from './items';

/** Hex digit value of each byte, -1 for anything else. */
const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}

const SPACE = 0x20;
/** Digits in a 32-bit field (event id, core). */
const U32_DIGITS = 8;
/** Digits in the 64-bit Context. */
const U64_DIGITS = 16;
/** Digits the length may have: its value is at most 0x3e7, leading zeros tolerated up to 32 bits. */
const LENGTH_DIGITS = 8;

/** `HDBG1 ` */
const PREFIX = [0x48, 0x44, 0x42, 0x47, 0x31, 0x20] as const;

/** Whether bytes [s, e) start with `HDBG1 `. */
export function startsWithRecordPrefix(b: Uint8Array, s: number, e: number): boolean {
  return (
    e - s >= 6 &&
    b[s] === PREFIX[0] &&
    b[s + 1] === PREFIX[1] &&
    b[s + 2] === PREFIX[2] &&
    b[s + 3] === PREFIX[3] &&
    b[s + 4] === PREFIX[4] &&
    b[s + 5] === PREFIX[5]
  );
}

/** Value of hex digits [s, e) (at most 8, so it fits a double exactly). */
function hexValue(b: Uint8Array, s: number, e: number): number {
  let v = 0;
  for (let i = s; i < e; i++) v = v * 16 + (HEX[b[i] as number] as number);
  return v;
}

/** End of the run of hex digits starting at `p` (not past `e`). */
function hexRunEnd(b: Uint8Array, p: number, e: number): number {
  while (p < e && (HEX[b[p] as number] as number) >= 0) p++;
  return p;
}

/**
 * The record in bytes [s, e) (no line terminator), or null when the line is not a valid
 * version-1 record. The caller has checked `startsWithRecordPrefix`.
 */
export function decodeRecordLine(b: Uint8Array, s: number, e: number): RecordItem | null {
  let p = s + 6;
  // event id
  let q = hexRunEnd(b, p, e);
  if (q === p || q - p > U32_DIGITS || q >= e || b[q] !== SPACE) return null;
  const eventId = hexValue(b, p, q);
  p = q + 1;
  // core
  q = hexRunEnd(b, p, e);
  if (q === p || q - p > U32_DIGITS || q >= e || b[q] !== SPACE) return null;
  const core = hexValue(b, p, q);
  p = q + 1;
  // context: up to 16 digits, split in two halves that each fit a double
  q = hexRunEnd(b, p, e);
  if (q === p || q - p > U64_DIGITS || q >= e || b[q] !== SPACE) return null;
  const split = q - p > 8 ? q - 8 : p;
  const hi = hexValue(b, p, split);
  const lo = hexValue(b, split, q);
  const context = hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
  p = q + 1;
  // length
  q = hexRunEnd(b, p, e);
  if (q === p || q - p > LENGTH_DIGITS) return null;
  const length = hexValue(b, p, q);
  if (length > RECORD_MAX_LENGTH) return null;
  p = q;
  // words: ceil(length / 8) of 1..16 digits, little-endian, cut to length
  const bytes = new Uint8Array(length);
  for (let off = 0; off < length; off += 8) {
    if (p >= e || b[p] !== SPACE) return null;
    p++;
    q = hexRunEnd(b, p, e);
    const digits = q - p;
    if (digits === 0 || digits > RECORD_WORD_MAX_DIGITS) return null;
    // Byte j of the word is the digit pair ending 2j digits before the word's end.
    const n = length - off < 8 ? length - off : 8;
    for (let j = 0; j < n; j++) {
      const loIdx = q - 1 - 2 * j;
      if (loIdx < p) break;
      const hiIdx = loIdx - 1;
      const hiNib = hiIdx >= p ? (HEX[b[hiIdx] as number] as number) : 0;
      bytes[off + j] = (hiNib << 4) | (HEX[b[loIdx] as number] as number);
    }
    p = q;
  }
  if (p !== e) return null;
  return { type: 'record', eventId, core, context, length, bytes };
}

const FIELD_NAMES = ['event id', 'core', 'context', 'length'] as const;
const FIELD_DIGITS = [U32_DIGITS, U32_DIGITS, U64_DIGITS, LENGTH_DIGITS] as const;

/**
 * Why `line` (which looks like a record: `HDBG` and a digit) is not a valid one, for the
 * malformed text item. Slow path: written for clarity, not speed.
 */
export function explainMalformedRecord(line: string): string {
  const version = /^HDBG(\d+)/.exec(line);
  if (version !== null && version[1] !== '1')
    return `unsupported record version ${version[1]} (this parser reads version 1)`;
  if (!line.startsWith('HDBG1 ')) return "'HDBG1' must be followed by a single space";
  const fields = line.slice(6).split(' ');
  for (let i = 0; i < 4; i++) {
    const f = fields[i];
    const name = FIELD_NAMES[i] as string;
    if (f === undefined) return `the ${name} is missing`;
    if (f === '')
      return `an empty field where the ${name} should be (fields are separated by single spaces)`;
    if (!/^[0-9a-fA-F]+$/.test(f)) return `the ${name} '${clip(f)}' is not hex`;
    if (f.length > (FIELD_DIGITS[i] as number))
      return `the ${name} has too many digits (${f.length})`;
  }
  const length = parseInt(fields[3] as string, 16);
  if (length > RECORD_MAX_LENGTH)
    return `length 0x${length.toString(16)} is over the limit 0x${RECORD_MAX_LENGTH.toString(16)}`;
  const words = fields.slice(4);
  const expected = Math.ceil(length / 8);
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '') return `an empty field at word ${i} (fields are separated by single spaces)`;
    if (!/^[0-9a-fA-F]+$/.test(w)) return `word ${i} '${clip(w)}' is not hex`;
    if (w.length > RECORD_WORD_MAX_DIGITS) return `word ${i} has ${w.length} digits (at most 16)`;
  }
  if (words.length < expected)
    return `${words.length} payload words for length 0x${length.toString(16)}; expected ${expected}`;
  if (words.length > expected)
    return `${words.length} payload words for length 0x${length.toString(16)}; expected ${expected}`;
  return 'not a valid record';
}

const CLIP_CHARS = 24;
function clip(s: string): string {
  return s.length > CLIP_CHARS ? `${s.slice(0, CLIP_CHARS)}...` : s;
}

/** The record model without the item's `type` tag. */
export function recordOf(item: RecordItem): HdbgRecord {
  const { eventId, core, context, length, bytes } = item;
  return { eventId, core, context, length, bytes };
}
