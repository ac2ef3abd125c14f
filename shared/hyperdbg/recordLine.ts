// Decodes one `HDBG1` or `HDBG2` record line (buffer-records.md §2, §2a) straight from bytes, the
// parser's hot path: no regex, no string, one Uint8Array and one object per record. Strict:
// anything off makes the line malformed; `explainMalformedRecord` then says why. Pure.
import {
  RECORD_MAX_LENGTH,
  RECORD_SEQ_MAX_DIGITS,
  RECORD_WORD_MAX_DIGITS,
  type HdbgRecord,
} from '../model/record';
import type { RecordItem } from './items';

/** Hex digit value of each byte, -1 for anything else. */
const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}

/** Value of each two-digit hex pair, indexed by (first byte << 8) | second byte; -1 if not hex. */
export const PAIR = new Int16Array(65536).fill(-1);
for (let a = 0; a < 256; a++) {
  const hiNib = HEX[a] as number;
  if (hiNib < 0) continue;
  for (let c = 0; c < 256; c++) {
    const loNib = HEX[c] as number;
    if (loNib >= 0) PAIR[(a << 8) | c] = (hiNib << 4) | loNib;
  }
}

const SPACE = 0x20;
const CR = 0x0d;
const LF = 0x0a;
/** Digits in a 32-bit field (event id, core). */
const U32_DIGITS = 8;
/** Digits in the 64-bit Context. */
const U64_DIGITS = 16;
/** Digits the length may have: its value is at most 0x3e7, leading zeros tolerated up to 32 bits. */
const LENGTH_DIGITS = 8;

/**
 * Payloads up to this many bytes get an array of their own: V8 keeps typed arrays this small on
 * its heap (`typed_array_max_size_in_heap`, 64), where allocating one costs ~50 ns.
 */
const OWN_ARRAY_MAX_BYTES = 64;
/**
 * Larger payloads are views into slabs of this many bytes, as Node's Buffer pool does (8 KiB):
 * an off-heap array costs ~1 us to allocate, a view ~0.1 us; at a flood of register dumps that
 * is the difference between keeping up and not. A view pins at most one slab.
 */
const SLAB_BYTES = 8 * 1024;
let slab = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;

/** Room for a payload of `length` bytes (every byte gets written by the caller). */
function allocPayload(length: number): Uint8Array {
  if (length <= OWN_ARRAY_MAX_BYTES) return new Uint8Array(length);
  if (slabUsed + length > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  const view = slab.subarray(slabUsed, slabUsed + length);
  slabUsed += length;
  return view;
}

/** Gives back the last payload allocated (its line turned out malformed). */
function releasePayload(length: number): null {
  if (length > OWN_ARRAY_MAX_BYTES) slabUsed -= length;
  return null;
}

/** Gives back a decoded record's payload room when the caller decides not to use it. */
export function releaseRecord(rec: RecordItem): void {
  releasePayload(rec.length);
}

/** `HDBG` then the version digit (`1` or `2`) and a space. */
const PREFIX = [0x48, 0x44, 0x42, 0x47] as const;
const V1 = 0x31;
const V2 = 0x32;

/** Whether bytes [s, e) start with `HDBG1 ` or `HDBG2 `. */
export function startsWithRecordPrefix(b: Uint8Array, s: number, e: number): boolean {
  return (
    e - s >= 6 &&
    b[s] === PREFIX[0] &&
    b[s + 1] === PREFIX[1] &&
    b[s + 2] === PREFIX[2] &&
    b[s + 3] === PREFIX[3] &&
    (b[s + 4] === V1 || b[s + 4] === V2) &&
    b[s + 5] === SPACE
  );
}

/**
 * The record in bytes [s, e) (no line terminator), or null when the line is not a valid
 * version-1 record. The caller has checked `startsWithRecordPrefix`.
 */
export function decodeRecordLine(b: Uint8Array, s: number, e: number): RecordItem | null {
  return decode(b, s, e, false);
}

/**
 * Where the line of the last `decodeRecordAt` success ends: its `\n`. (A module variable, not
 * a second return value, so the hot path allocates nothing more.)
 */
export let recordLineFeed = 0;
/** Where that line's content ends: before any `\r` ahead of its `\n`. */
export let recordContentEnd = 0;

/**
 * The record whose line starts at `s` and ends at the next `\n` before `limit` (`\r`s before
 * the `\n` allowed), or null: not a valid record, or its line does not end before `limit`.
 * Fuses finding the line end with decoding it, so record floods cost one pass.
 */
export function decodeRecordAt(b: Uint8Array, s: number, limit: number): RecordItem | null {
  return decode(b, s, limit, true);
}

/** High and low 32 bits of the number `readHex64` read last. */
let wordHi = 0;
let wordLo = 0;

/**
 * Reads hex digits at `p` (up to `e`) into wordHi:wordLo, four digits a step through PAIR: the
 * hot loop of a record flood, so it takes as few steps as it can. Returns where the digits end.
 * More than 16 digits overflow silently: callers check the count.
 */
function readHex64(b: Uint8Array, p: number, e: number): number {
  let hi = 0;
  let lo = 0;
  let v: number;
  while (p + 3 < e) {
    const x = PAIR[((b[p] as number) << 8) | (b[p + 1] as number)] as number;
    const y = PAIR[((b[p + 2] as number) << 8) | (b[p + 3] as number)] as number;
    if ((x | y) < 0) break;
    hi = (hi << 16) | (lo >>> 16);
    lo = (lo << 16) | (x << 8) | y;
    p += 4;
  }
  if (p + 1 < e && (v = PAIR[((b[p] as number) << 8) | (b[p + 1] as number)] as number) >= 0) {
    hi = (hi << 8) | (lo >>> 24);
    lo = (lo << 8) | v;
    p += 2;
  }
  if (p < e && (v = HEX[b[p] as number] as number) >= 0) {
    hi = (hi << 4) | (lo >>> 28);
    lo = (lo << 4) | v;
    p++;
  }
  wordHi = hi;
  wordLo = lo;
  return p;
}

/**
 * hi:lo become one unsigned 64-bit bigint through a BigUint64Array over their two 32-bit words:
 * one bigint made (the element read), where shifting and or-ing made two.
 */
const U64 = new BigUint64Array(1);
const U64_HALVES = new Uint32Array(U64.buffer);
/** Which of the halves holds the low word: 0 on a little-endian machine (all the app runs on). */
const LOW_HALF = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/** hi:lo (32-bit halves, signed or not) as an unsigned 64-bit bigint. */
function contextOf(hi: number, lo: number): bigint {
  if (hi === 0) return BigInt(lo >>> 0);
  U64_HALVES[LOW_HALF] = lo;
  U64_HALVES[1 - LOW_HALF] = hi;
  return U64[0] as bigint;
}

/** Both entry points: an exact line [s, e), or (`fused`) a line ending at the next LF before e. */
function decode(b: Uint8Array, s: number, e: number, fused: boolean): RecordItem | null {
  let p = s + 6;
  let v: number;
  let start = p;
  // event id: 1..8 digits, then a space
  let eventId = 0;
  while (p < e && (v = HEX[b[p] as number] as number) >= 0) {
    eventId = eventId * 16 + v;
    p++;
  }
  if (p === start || p - start > U32_DIGITS || p >= e || b[p] !== SPACE) return null;
  // core
  start = ++p;
  let core = 0;
  while (p < e && (v = HEX[b[p] as number] as number) >= 0) {
    core = core * 16 + v;
    p++;
  }
  if (p === start || p - start > U32_DIGITS || p >= e || b[p] !== SPACE) return null;
  // version 2: the sequence number, at most 13 digits so that it stays exact as a number
  let seq = -1;
  if (b[s + 4] === V2) {
    start = ++p;
    seq = 0;
    while (p < e && (v = HEX[b[p] as number] as number) >= 0) {
      seq = seq * 16 + v;
      p++;
    }
    if (p === start || p - start > RECORD_SEQ_MAX_DIGITS || p >= e || b[p] !== SPACE) return null;
  }
  // context: up to 16 digits as two 32-bit halves
  start = ++p;
  p = readHex64(b, p, e);
  if (p === start || p - start > U64_DIGITS || p >= e || b[p] !== SPACE) return null;
  const context = contextOf(wordHi, wordLo);
  // length: at most 0x3e7
  start = ++p;
  let length = 0;
  while (p < e && (v = HEX[b[p] as number] as number) >= 0) {
    length = length * 16 + v;
    p++;
  }
  if (p === start || p - start > LENGTH_DIGITS || length > RECORD_MAX_LENGTH) return null;
  // words: ceil(length / 8) of 1..16 digits, little-endian, cut to length
  const bytes = allocPayload(length);
  for (let off = 0; off < length; off += 8) {
    if (p >= e || b[p] !== SPACE) return releasePayload(length);
    start = ++p;
    // A whole word of 16 digits (a full qword, most words of a record): its bytes straight from
    // the digit pairs, last pair first, with no 64-bit arithmetic. Anything else (fewer digits,
    // a stray character, the payload's last partial word) takes the general path below.
    if (length - off >= 8 && p + 16 <= e && (p + 16 === e || HEX[b[p + 16] as number] === -1)) {
      const x7 = PAIR[((b[p] as number) << 8) | (b[p + 1] as number)] as number;
      const x6 = PAIR[((b[p + 2] as number) << 8) | (b[p + 3] as number)] as number;
      const x5 = PAIR[((b[p + 4] as number) << 8) | (b[p + 5] as number)] as number;
      const x4 = PAIR[((b[p + 6] as number) << 8) | (b[p + 7] as number)] as number;
      const x3 = PAIR[((b[p + 8] as number) << 8) | (b[p + 9] as number)] as number;
      const x2 = PAIR[((b[p + 10] as number) << 8) | (b[p + 11] as number)] as number;
      const x1 = PAIR[((b[p + 12] as number) << 8) | (b[p + 13] as number)] as number;
      const x0 = PAIR[((b[p + 14] as number) << 8) | (b[p + 15] as number)] as number;
      if ((x0 | x1 | x2 | x3 | x4 | x5 | x6 | x7) >= 0) {
        bytes[off] = x0;
        bytes[off + 1] = x1;
        bytes[off + 2] = x2;
        bytes[off + 3] = x3;
        bytes[off + 4] = x4;
        bytes[off + 5] = x5;
        bytes[off + 6] = x6;
        bytes[off + 7] = x7;
        p += 16;
        continue;
      }
    }
    p = readHex64(b, p, e);
    if (p === start || p - start > RECORD_WORD_MAX_DIGITS) return releasePayload(length);
    const hi = wordHi;
    const lo = wordLo;
    // Typed-array stores keep the low 8 bits, so no masking is needed.
    if (length - off >= 8) {
      bytes[off] = lo;
      bytes[off + 1] = lo >>> 8;
      bytes[off + 2] = lo >>> 16;
      bytes[off + 3] = lo >>> 24;
      bytes[off + 4] = hi;
      bytes[off + 5] = hi >>> 8;
      bytes[off + 6] = hi >>> 16;
      bytes[off + 7] = hi >>> 24;
    } else {
      for (let j = off; j < length; j++) {
        const k = j - off;
        bytes[j] = k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4));
      }
    }
  }
  if (fused) {
    let q = p;
    while (q < e && b[q] === CR) q++;
    if (q >= e || b[q] !== LF) return releasePayload(length);
    recordContentEnd = p;
    recordLineFeed = q;
  } else if (p !== e) return releasePayload(length);
  // One object shape for both versions (seq undefined for HDBG1): the parser's consumers stay
  // monomorphic on the hot path.
  return { type: 'record', eventId, core, context, length, bytes, seq: seq < 0 ? undefined : seq };
}

const FIELD_NAMES = ['event id', 'core', 'context', 'length'] as const;
const FIELD_DIGITS = [U32_DIGITS, U32_DIGITS, U64_DIGITS, LENGTH_DIGITS] as const;
const FIELD_NAMES_V2 = ['event id', 'core', 'sequence number', 'context', 'length'] as const;
const FIELD_DIGITS_V2 = [
  U32_DIGITS,
  U32_DIGITS,
  RECORD_SEQ_MAX_DIGITS,
  U64_DIGITS,
  LENGTH_DIGITS,
] as const;

/**
 * Why `line` (which looks like a record: `HDBG` and a digit) is not a valid one, for the
 * malformed text item. Slow path: written for clarity, not speed.
 */
export function explainMalformedRecord(line: string): string {
  const version = /^HDBG(\d+)/.exec(line);
  if (version !== null && version[1] !== '1' && version[1] !== '2')
    return `unsupported record version ${version[1]} (this parser reads versions 1 and 2)`;
  const v = version?.[1] === '2' ? '2' : '1';
  if (!line.startsWith(`HDBG${v} `)) return `'HDBG${v}' must be followed by a single space`;
  const names = v === '2' ? FIELD_NAMES_V2 : FIELD_NAMES;
  const digits = v === '2' ? FIELD_DIGITS_V2 : FIELD_DIGITS;
  const fields = line.slice(6).split(' ');
  for (let i = 0; i < names.length; i++) {
    const f = fields[i];
    const name = names[i] as string;
    if (f === undefined) return `the ${name} is missing`;
    if (f === '')
      return `an empty field where the ${name} should be (fields are separated by single spaces)`;
    if (!/^[0-9a-fA-F]+$/.test(f)) return `the ${name} '${clip(f)}' is not hex`;
    if (f.length > (digits[i] as number)) return `the ${name} has too many digits (${f.length})`;
  }
  const lengthAt = names.length - 1;
  const length = parseInt(fields[lengthAt] as string, 16);
  if (length > RECORD_MAX_LENGTH)
    return `length 0x${length.toString(16)} is over the limit 0x${RECORD_MAX_LENGTH.toString(16)}`;
  const words = fields.slice(names.length);
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
  const { eventId, core, context, length, bytes, seq } = item;
  return seq === undefined
    ? { eventId, core, context, length, bytes }
    : { eventId, core, context, length, bytes, seq };
}
