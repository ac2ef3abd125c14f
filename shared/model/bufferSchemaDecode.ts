// Decoding one record's bytes with a buffer schema (buffer-records.md §3): typed values for the
// live log, filters, counts and export, or a hex dump when there is no schema. Never reads
// outside the bytes it is given. Pure.
import { escapeControls } from '../text/controlChars';
import { fieldTypeSize, parseFieldType, type BufferSchema, type FieldType } from './bufferSchema';

/**
 * A decoded value: `string` for cstr/wstr, `number` for 8..32-bit integers, `bigint` for 64-bit
 * integers and ptr, lower-case hex without spaces for bytes; null when the field is missing.
 */
export type FieldValue = string | number | bigint | null;

export interface DecodedField {
  readonly name: string;
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  /** The record ended before this field did (or the type is unknown): no value was read. */
  readonly missing: boolean;
  readonly value: FieldValue;
  /** Text for people: control characters escaped, numbers in the base a debugger shows them. */
  readonly display: string;
}

export interface DecodedRecord {
  readonly length: number;
  /** One entry per schema field, in schema order; empty without a schema. */
  readonly fields: readonly DecodedField[];
  /** The whole record, lower-case hex without spaces. */
  readonly hex: string;
  /** Without a schema: a 16-bytes-per-line hex dump (`0000  48 44 ...  HD..`); else null. */
  readonly hexDump: readonly string[] | null;
}

/** Decodes `bytes` with `schema`; a missing or empty schema gives a hex dump instead of fields. */
export function decodeRecord(
  schema: BufferSchema | null | undefined,
  bytes: Uint8Array,
): DecodedRecord {
  const hex = toHex(bytes);
  if (schema === null || schema === undefined || schema.length === 0)
    return { length: bytes.length, fields: [], hex, hexDump: hexDump(bytes) };
  const fields = schema.map((f): DecodedField => {
    const type = parseFieldType(f.type);
    if (type === undefined)
      return { ...f, size: 0, missing: true, value: null, display: '(unknown type)' };
    const size = fieldTypeSize(type);
    if (!Number.isSafeInteger(f.offset) || f.offset < 0 || f.offset + size > bytes.length)
      return { ...f, size, missing: true, value: null, display: '(missing)' };
    const value = readValue(type, bytes.subarray(f.offset, f.offset + size));
    return { ...f, size, missing: false, value, display: displayValue(type, value) };
  });
  return { length: bytes.length, fields, hex, hexDump: null };
}

function readValue(type: FieldType, b: Uint8Array): FieldValue {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (type.base) {
    case 'u8':
      return view.getUint8(0);
    case 'u16':
      return view.getUint16(0, true);
    case 'u32':
      return view.getUint32(0, true);
    case 'u64':
    case 'ptr':
      return view.getBigUint64(0, true);
    case 'i8':
      return view.getInt8(0);
    case 'i16':
      return view.getInt16(0, true);
    case 'i32':
      return view.getInt32(0, true);
    case 'i64':
      return view.getBigInt64(0, true);
    case 'cstr':
      return decodeWindows1252(b.subarray(0, nulIndex(b)));
    case 'wstr':
      return decodeUtf16le(b);
    case 'bytes':
      return toHex(b);
  }
}

function displayValue(type: FieldType, value: FieldValue): string {
  if (value === null) return '(missing)';
  switch (type.base) {
    case 'cstr':
    case 'wstr':
      return escapeControls(String(value));
    case 'bytes':
      return (String(value).match(/../g) ?? []).join(' ');
    case 'ptr':
      return `0x${(value as bigint).toString(16).padStart(16, '0')}`;
    case 'i8':
    case 'i16':
    case 'i32':
    case 'i64':
      return String(value);
    default:
      return `0x${value.toString(16)}`;
  }
}

function nulIndex(b: Uint8Array): number {
  const i = b.indexOf(0);
  return i < 0 ? b.length : i;
}

/**
 * Windows-1252, as ImageFileName and other kernel ANSI strings are: Latin-1 except 0x80..0x9f.
 * Done by table so the result does not depend on the runtime's ICU data.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039,
  0x0152, 0x8d, 0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc,
  0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

export function decodeWindows1252(b: Uint8Array): string {
  let s = '';
  for (const byte of b)
    s += String.fromCharCode(
      byte >= 0x80 && byte < 0xa0 ? (CP1252_HIGH[byte - 0x80] as number) : byte,
    );
  return s;
}

/** UTF-16LE up to the first NUL unit; unpaired surrogates become U+FFFD. */
function decodeUtf16le(b: Uint8Array): string {
  const units: number[] = [];
  for (let i = 0; i + 1 < b.length; i += 2) {
    const u = (b[i] as number) | ((b[i + 1] as number) << 8);
    if (u === 0) break;
    units.push(u);
  }
  let s = '';
  for (let i = 0; i < units.length; i++) {
    const u = units[i] as number;
    const next = units[i + 1];
    if (u >= 0xd800 && u < 0xdc00 && next !== undefined && next >= 0xdc00 && next < 0xe000) {
      s += String.fromCharCode(u, next);
      i++;
    } else if (u >= 0xd800 && u < 0xe000) s += '\ufffd';
    else s += String.fromCharCode(u);
  }
  return s;
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const byte of b) s += byte.toString(16).padStart(2, '0');
  return s;
}

/** Bytes per hex-dump line, the width every debugger's `db` uses. */
const DUMP_BYTES_PER_LINE = 16;

export function hexDump(b: Uint8Array): string[] {
  const lines: string[] = [];
  for (let off = 0; off < b.length; off += DUMP_BYTES_PER_LINE) {
    const row = b.subarray(off, off + DUMP_BYTES_PER_LINE);
    const hexPart = Array.from(row, (x) => x.toString(16).padStart(2, '0')).join(' ');
    const text = Array.from(row, (x) =>
      x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.',
    ).join('');
    lines.push(
      `${off.toString(16).padStart(4, '0')}  ${hexPart.padEnd(DUMP_BYTES_PER_LINE * 3 - 1)}  ${text}`,
    );
  }
  return lines;
}
