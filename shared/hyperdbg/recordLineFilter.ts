// Keeps record lines (`HDBG1 ...`/`HDBG2 ...`, buffer records) out of the console's copy of the
// CLI output, counting them, so a command's answer stays readable during a flood; the live log has
// every record and the transcript every byte. A record line is what the parser takes for one: a
// valid version-1 or -2 line at the start of a line or right after a prompt; a malformed one
// stays visible.
// Works on the raw bytes, split anywhere, before they are decoded: records and prompts are ASCII,
// and lines are cut only after a line feed or a prompt, never inside a UTF-8 character. Pure.
import {
  RECORD_MAX_LENGTH,
  RECORD_PREFIX,
  RECORD_SEQ_MAX_DIGITS,
  RECORD_WORD_MAX_DIGITS,
} from '../model/record';
import { PROMPT_TAIL } from './lineClassifier';
import { PAIR } from './recordLine';

/** Digits a 32-bit field (event id, core) and the length may have (recordLine.ts agrees). */
const U32_DIGITS = 8;
const U64_DIGITS = 16;
/**
 * Longest record line: the prefix, four fields and 125 words of 16 digits (0x3e7 bytes), with
 * spaces, about 2,170 bytes. A held line longer than this is not a record: it is let go.
 */
export const MAX_RECORD_LINE_BYTES =
  RECORD_PREFIX.length +
  2 * (U32_DIGITS + 1) +
  (RECORD_SEQ_MAX_DIGITS + 1) +
  (U64_DIGITS + 1) +
  U32_DIGITS +
  Math.ceil(RECORD_MAX_LENGTH / 8) * (RECORD_WORD_MAX_DIGITS + 1) +
  16;
/**
 * VT sequences ConPTY puts around its frames (spec §1.7): CSI `ESC [ ... final`, OSC `ESC ] ...
 * BEL|ST`, and two-character escapes. They are kept (the terminal's state depends on them), and
 * looked through when a line is classified.
 */
// eslint-disable-next-line no-control-regex -- escape sequences are what is matched
const VT_SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const ESC = 0x1b;
const PREFIX = Uint8Array.from(RECORD_PREFIX, (c) => c.charCodeAt(0));
const PROMPT = Uint8Array.from(PROMPT_TAIL, (c) => c.charCodeAt(0));
/** The prompt tail's last byte (the space of `HyperDbg> `): where a search for it starts. */
const PROMPT_LAST = PROMPT[PROMPT.length - 1] as number;

/** Hex digit value of each byte, -1 for anything else (a table: this runs per byte). */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[0x41 + i] = 10 + i;
  HEX_VALUE[0x61 + i] = 10 + i;
}
/** Digits each header field may have: event id, core, context, length. */
const HEADER_DIGITS = [U32_DIGITS, U32_DIGITS, U64_DIGITS, U32_DIGITS] as const;
/** Version 2: event id, core, sequence number, context, length. */
const HEADER_DIGITS_V2 = [
  U32_DIGITS,
  U32_DIGITS,
  RECORD_SEQ_MAX_DIGITS,
  U64_DIGITS,
  U32_DIGITS,
] as const;
/** The version digit's offset in the prefix, and the digits that are read. */
const VERSION_AT = 4;
const V1 = 0x31;
const V2 = 0x32;

/** Whether b[s + i] matches the prefix's byte i: `HDBG`, `1` or `2`, a space. */
function prefixByteMatches(b: Uint8Array, s: number, i: number): boolean {
  const c = b[s + i];
  return i === VERSION_AT ? c === V1 || c === V2 : c === PREFIX[i];
}

/** Whether b[p, p + 16) are hex digits: eight pair lookups (recordLine.ts PAIR). */
function sixteenHexDigits(b: Uint8Array, p: number): boolean {
  return (
    ((PAIR[((b[p] as number) << 8) | (b[p + 1] as number)] as number) |
      (PAIR[((b[p + 2] as number) << 8) | (b[p + 3] as number)] as number) |
      (PAIR[((b[p + 4] as number) << 8) | (b[p + 5] as number)] as number) |
      (PAIR[((b[p + 6] as number) << 8) | (b[p + 7] as number)] as number) |
      (PAIR[((b[p + 8] as number) << 8) | (b[p + 9] as number)] as number) |
      (PAIR[((b[p + 10] as number) << 8) | (b[p + 11] as number)] as number) |
      (PAIR[((b[p + 12] as number) << 8) | (b[p + 13] as number)] as number) |
      (PAIR[((b[p + 14] as number) << 8) | (b[p + 15] as number)] as number)) >=
    0
  );
}

/**
 * Reads a version-1 record from b[s] up to at most e: the prefix, event id, core, context,
 * length (at most 0x3e7), then exactly ceil(length / 8) words, fields separated by single spaces
 * (buffer-records §2, as recordLine.ts decodes it). Returns where the last word ends, or -1.
 */
function scanRecord(b: Uint8Array, s: number, e: number): number {
  if (e - s < PREFIX.length) return -1;
  for (let i = 0; i < PREFIX.length; i++) if (!prefixByteMatches(b, s, i)) return -1;
  const header = b[s + VERSION_AT] === V2 ? HEADER_DIGITS_V2 : HEADER_DIGITS;
  let p = s + PREFIX.length;
  let length = 0;
  for (let f = 0; f < header.length; f++) {
    const from = p;
    let v = 0;
    let h: number;
    while (p < e && (h = HEX_VALUE[b[p] as number] as number) >= 0) {
      v = v * 16 + h;
      p++;
    }
    if (p === from || p - from > (header[f] as number)) return -1;
    if (f < header.length - 1) {
      if (p >= e || b[p] !== SPACE) return -1;
      p++;
    } else length = v;
  }
  if (length > RECORD_MAX_LENGTH) return -1;
  for (let words = Math.ceil(length / 8); words > 0; words--) {
    if (p >= e || b[p] !== SPACE) return -1;
    const from = ++p;
    // 16 digits (a full qword, most words): eight pair lookups instead of sixteen digit ones. A
    // 17th digit is refused after: by the next word's SPACE test or by the line end's.
    if (p + 16 <= e && sixteenHexDigits(b, p)) {
      p += 16;
      continue;
    }
    while (p < e && (HEX_VALUE[b[p] as number] as number) >= 0) p++;
    if (p === from || p - from > RECORD_WORD_MAX_DIGITS) return -1;
  }
  return p;
}

/** Whether bytes [s, end) (no line feed; `\r`s at the end allowed) are a valid record line. */
export function isRecordBytes(b: Uint8Array, s: number, end: number): boolean {
  let e = end;
  while (e > s && b[e - 1] === CR) e--;
  return scanRecord(b, s, e) === e;
}

/**
 * Where the line feed ending a valid record line that starts at `s` is (`\r`s before it
 * allowed), or -1: not a record, or its line does not end in `b`. One pass over a record line,
 * for the flood's common case.
 */
function recordLineEnd(b: Uint8Array, s: number): number {
  let p = scanRecord(b, s, b.length);
  if (p < 0) return -1;
  while (p < b.length && b[p] === CR) p++;
  return p < b.length && b[p] === LF ? p : -1;
}

const encoder = new TextEncoder();

/** isRecordBytes for a line given as text (tests; ASCII lines). */
export function isRecordLine(line: string): boolean {
  const b = encoder.encode(line);
  return isRecordBytes(b, 0, b.length);
}

/** Bytes per String.fromCharCode call: well under any engine's argument limit. */
const CHARS_PER_CALL = 8192;

/** Bytes [s, e) as a string of one character per byte (the slow path, for escape sequences). */
function byteString(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i += CHARS_PER_CALL)
    out += String.fromCharCode(...b.subarray(i, Math.min(e, i + CHARS_PER_CALL)));
  return out;
}

/** Bytes [s, e) with escape sequences removed, when there are any (rare: ConPTY frames). */
function withoutEscapes(b: Uint8Array, s: number, e: number): Uint8Array {
  return Uint8Array.from(byteString(b, s, e).replace(VT_SEQUENCE, ''), (c) => c.charCodeAt(0));
}

/** The escape sequences in bytes [s, e), to keep for the terminal when the line goes. */
function escapesIn(b: Uint8Array, s: number, e: number): Uint8Array | null {
  const found = byteString(b, s, e).match(VT_SEQUENCE);
  return found === null ? null : Uint8Array.from(found.join(''), (c) => c.charCodeAt(0));
}

/** Whether the unfinished line b[s, e) can still become a record line. */
function couldBeRecord(b: Uint8Array, s: number, e: number): boolean {
  const n = e - s;
  if (n > MAX_RECORD_LINE_BYTES) return false;
  for (let i = 0; i < Math.min(n, PREFIX.length); i++)
    if (!prefixByteMatches(b, s, i)) return false;
  for (let p = s + PREFIX.length; p < e; p++) {
    const c = b[p] as number;
    if ((HEX_VALUE[c] as number) < 0 && c !== SPACE && c !== CR) return false;
  }
  return true;
}

/** Whether `value` is in b[s, e): a plain loop, for a line's few bytes. */
function hasByte(b: Uint8Array, value: number, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] === value) return true;
  return false;
}

function indexOfByte(b: Uint8Array, value: number, from: number, to: number): number {
  const i = b.indexOf(value, from);
  return i < 0 || i >= to ? -1 : i;
}

/** Nothing held (shared: held bytes are replaced, never written). */
const EMPTY = new Uint8Array(0);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export class RecordLineFilter {
  /** Record lines kept out so far. */
  hidden = 0;
  /** The unfinished line held back because it may be a record. */
  private carry: Uint8Array = EMPTY;
  /** Whether the next byte starts a line or follows a prompt: where a record may start. */
  private atRecordStart = true;
  /** The end of what was let through on the current line, to spot a prompt across chunks. */
  private lineTail: Uint8Array = EMPTY;

  /**
   * The parts of this chunk to show, in order (views into it, or into what was held); a line
   * that may still become a record waits for the next chunk.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    if (this.carry.length === 0) {
      this.scan(chunk, out);
      return out;
    }
    // The held line ends at the chunk's first line feed: it and that line are judged together,
    // and the rest of the chunk in place (copying every chunk behind a held line cost a fifth of
    // a flood's filtering).
    const lf = chunk.indexOf(LF);
    const head = concat(this.carry, lf < 0 ? chunk : chunk.subarray(0, lf + 1));
    this.carry = EMPTY;
    this.scan(head, out);
    if (lf < 0) return out;
    const rest = chunk.subarray(lf + 1);
    if (this.carry.length === 0) this.scan(rest, out);
    else {
      // Not expected (the head ends with its line feed); held bytes go with the rest as before.
      const held = this.carry;
      this.carry = EMPTY;
      this.scan(concat(held, rest), out);
    }
    return out;
  }

  /**
   * Adds to `out` the parts of `b` to show; a line at its end that may still become a record is
   * held in `carry`.
   */
  private scan(b: Uint8Array, out: Uint8Array[]): void {
    /** Start of the run of bytes let through and not yet put in `out`. */
    let keep = 0;
    let pos = 0;
    while (pos < b.length) {
      if (this.atRecordStart) {
        const lineEnd = recordLineEnd(b, pos);
        if (lineEnd >= 0) {
          if (pos > keep) out.push(b.subarray(keep, pos));
          this.hidden++;
          pos = lineEnd + 1;
          keep = pos;
          continue;
        }
      }
      const nl = b.indexOf(LF, pos);
      const end = nl < 0 ? b.length : nl;
      if (this.atRecordStart) {
        // Looked for in this line only: record lines never need it (a flood's chunks are not
        // scanned for escapes at all), and a search to the chunk's end per line would be
        // quadratic.
        const plain = !hasByte(b, ESC, pos, end);
        if (nl < 0) {
          const v = plain ? b : withoutEscapes(b, pos, end);
          const [vs, ve] = plain ? [pos, end] : [0, v.length];
          if (ve > vs && couldBeRecord(v, vs, ve)) {
            if (pos > keep) out.push(b.subarray(keep, pos));
            this.carry = b.slice(pos);
            return;
          }
        } else if (!plain) {
          // A whole plain line was judged above; one with escape sequences is looked through.
          const visible = withoutEscapes(b, pos, end);
          if (isRecordBytes(visible, 0, visible.length)) {
            // Gone with its line end; the escape sequences in it still reach the terminal.
            if (pos > keep) out.push(b.subarray(keep, pos));
            const kept = escapesIn(b, pos, end);
            if (kept !== null) out.push(kept);
            this.hidden++;
            pos = nl + 1;
            keep = pos;
            continue;
          }
        }
      }
      // Let bytes through up to the end of the line or of a prompt, whichever comes first.
      const prompt = this.promptEnd(b, pos, end);
      const stop = prompt >= 0 ? prompt : nl < 0 ? b.length : nl + 1;
      if (prompt >= 0 || stop === nl + 1) {
        this.atRecordStart = true;
        this.lineTail = EMPTY;
      } else if (this.hasVisible(b, pos, stop)) {
        // Escape sequences alone (a ConPTY frame's start) leave a line start a line start.
        this.atRecordStart = false;
        this.lineTail = concat(this.lineTail, b.subarray(pos, stop)).slice(-PROMPT.length);
      }
      pos = stop;
    }
    if (b.length > keep) out.push(b.subarray(keep));
  }

  /** Gives back what is held (the stream ended or records are shown from now on). */
  flush(): Uint8Array {
    const c = this.carry;
    this.carry = EMPTY;
    // What is let go sits on the current line (a carry never holds a line end).
    if (c.length > 0 && this.hasVisible(c, 0, c.length)) {
      this.atRecordStart = false;
      this.lineTail = c.slice(-PROMPT.length);
    }
    return c;
  }

  private hasVisible(b: Uint8Array, s: number, e: number): boolean {
    if (indexOfByte(b, ESC, s, e) < 0) return e > s;
    return withoutEscapes(b, s, e).length > 0;
  }

  /**
   * Where the first prompt tail in b[pos, end) ends, counting one begun earlier on the line
   * (lineTail never holds a whole one: a whole one made this a record start), or -1.
   */
  private promptEnd(b: Uint8Array, pos: number, end: number): number {
    const seen = this.atRecordStart ? 0 : this.lineTail.length;
    // Each candidate is the tail's last byte (a space); compare backwards from it.
    for (let i = indexOfByte(b, PROMPT_LAST, pos, end); i >= 0;) {
      let ok = true;
      for (let k = 1; k < PROMPT.length && ok; k++) {
        const at = i - k;
        const byte =
          at >= pos ? b[at] : seen - (pos - at) >= 0 ? this.lineTail[seen - (pos - at)] : undefined;
        ok = byte === PROMPT[PROMPT.length - 1 - k];
      }
      if (ok) return i + 1;
      i = indexOfByte(b, PROMPT_LAST, i + 1, end);
    }
    return -1;
  }
}
