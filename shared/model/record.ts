// The decoded record model: one returned buffer (an `HDBG1` or `HDBG2` line, buffer-records.md
// §2, §2a) as bytes, with the event, core, Context and (version 2) sequence number it came from.
// Pure; shared by the parser, the store and the UI.
import { z } from 'zod';

/** Record line prefix, version 1 (buffer-records.md §2): no sequence number. */
export const RECORD_PREFIX = 'HDBG1 ';
/** Record line prefix, version 2 (buffer-records.md §2a): a sequence number per event and core. */
export const RECORD_PREFIX_V2 = 'HDBG2 ';
/** Most hex digits of a version-2 sequence number: below 2^52, exact in a JS number. */
export const RECORD_SEQ_MAX_DIGITS = 13;

/** Largest payload a record may carry, in bytes: the biggest `buffer` that works (spec §3.5). */
export const RECORD_MAX_LENGTH = 0x3e7;

/** Most hex digits in one payload word: a 64-bit value printed without padding (§2). */
export const RECORD_WORD_MAX_DIGITS = 16;

export interface HdbgRecord {
  /** The event's id as `events` lists it (tag - 0x1000000, spec §4). */
  readonly eventId: number;
  /** The core that ran the action. */
  readonly core: number;
  /** The event's Context value (spec §3.8): 64 bits, so a bigint. */
  readonly context: bigint;
  /** Payload length in bytes, 0..RECORD_MAX_LENGTH; equals `bytes.length`. */
  readonly length: number;
  /**
   * The payload. Payloads over 64 bytes from the parser are views into a shared 8 KiB slab (as
   * Node's Buffer pool does, for speed): `bytes.slice()` gives an independent copy, which is
   * what to keep on its own or to send across a process boundary (a structured clone copies
   * the whole underlying buffer).
   */
  readonly bytes: Uint8Array;
  /**
   * Version 2 only: the record's number among its event's records on its core, from 1 (the
   * log action counts in the target). Absent on a version-1 line: its loss cannot be counted.
   */
  readonly seq?: number;
}

const U32_MAX = 0xffffffff;
const U64_MAX = (1n << 64n) - 1n;

/** Validates a record built elsewhere (a stored row, a message from another process). */
export const hdbgRecordSchema = z
  .object({
    eventId: z.number().int().min(0).max(U32_MAX),
    core: z.number().int().min(0).max(U32_MAX),
    context: z.bigint().min(0n).max(U64_MAX),
    length: z.number().int().min(0).max(RECORD_MAX_LENGTH),
    bytes: z.instanceof(Uint8Array),
    seq: z
      .number()
      .int()
      .min(0)
      .max(16 ** RECORD_SEQ_MAX_DIGITS - 1)
      .optional(),
  })
  .strict()
  .refine((r) => r.bytes.length === r.length, {
    message: 'bytes.length must equal length',
    path: ['bytes'],
  });

/** Number of 64-bit words a payload of `length` bytes is printed as (buffer-records.md §2). */
export function recordWordCount(length: number): number {
  return Math.ceil(length / 8);
}

const HEX_DIGITS = '0123456789abcdef';

/** Lower-case hex of `bytes`, two digits a byte, no separators. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    out += HEX_DIGITS[b >> 4] + (HEX_DIGITS[b & 15] as string);
  }
  return out;
}

/**
 * The record line a target prints for `record` (buffer-records.md §2): lower-case hex, words
 * little-endian and not zero-padded, no trailing newline. The inverse of the parser's decoding.
 */
export function formatRecordLine(record: HdbgRecord): string {
  const { bytes, length } = record;
  const seq = record.seq === undefined ? '' : `${record.seq.toString(16)} `;
  let line = `${record.seq === undefined ? 'HDBG1' : 'HDBG2'} ${record.eventId.toString(16)} ${record.core.toString(16)} ${seq}${record.context.toString(16)} ${length.toString(16)}`;
  for (let off = 0; off < length; off += 8) {
    let word = 0n;
    for (let j = Math.min(7, length - off - 1); j >= 0; j--)
      word = (word << 8n) | BigInt(bytes[off + j] as number);
    line += ` ${word.toString(16)}`;
  }
  return line;
}
