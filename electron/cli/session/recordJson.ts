// One record as the JSON line `parse` writes for it (itemJson.ts: type, eventId, core, context,
// length and, for HDBG2 lines, seq as hex strings, bytes as one hex string), built directly: every value is a hex string,
// so there is nothing to escape. `RecordJsonWriter` writes the same bytes straight into large
// buffers, because `capture` stores 100,000+ records a second and strings cost more than the
// parsing (capture.bench.ts). Pure.
import { bytesToHex, type HdbgRecord } from '../../../shared/model/record';

export function recordJsonLine(r: HdbgRecord): string {
  const seq = r.seq === undefined ? '' : `","seq":"${r.seq.toString(16)}`;
  return `{"type":"record","eventId":"${r.eventId.toString(16)}","core":"${r.core.toString(16)}${seq}","context":"${r.context.toString(16)}","length":"${r.length.toString(16)}","bytes":"${bytesToHex(r.bytes)}"}\n`;
}

const enc = new TextEncoder();
const HEAD = enc.encode('{"type":"record","eventId":"');
const CORE = enc.encode('","core":"');
const SEQ = enc.encode('","seq":"');
const CONTEXT = enc.encode('","context":"');
const LENGTH = enc.encode('","length":"');
const BYTES = enc.encode('","bytes":"');
const TAIL = enc.encode('"}\n');
/** ASCII of the 16 hex digits. */
const DIGITS = enc.encode('0123456789abcdef');
/** The longest line: fixed text, 8+8+13+16+3 digits and two per payload byte (at most 0x3e7). */
const FIXED_BYTES =
  HEAD.length +
  CORE.length +
  SEQ.length +
  CONTEXT.length +
  LENGTH.length +
  BYTES.length +
  TAIL.length;
const MAX_LINE_BYTES = FIXED_BYTES + 8 + 8 + 13 + 16 + 3 + 2 * 0x3e7;

/** Fills buffers of `size` bytes with record lines; `emit` gets each full one (then owns it). */
export class RecordJsonWriter {
  private buf: Uint8Array;
  private n = 0;

  constructor(
    private readonly size: number,
    private readonly emit: (chunk: Uint8Array) => void,
  ) {
    this.buf = new Uint8Array(Math.max(size, MAX_LINE_BYTES));
  }

  write(r: HdbgRecord): void {
    const need = FIXED_BYTES + 48 + 2 * r.bytes.length;
    if (this.n + need > this.buf.length) this.flush();
    const b = this.buf;
    let n = this.n;
    b.set(HEAD, n);
    n = this.hex32(r.eventId, n + HEAD.length);
    b.set(CORE, n);
    n = this.hex32(r.core, n + CORE.length);
    if (r.seq !== undefined) {
      b.set(SEQ, n);
      n += SEQ.length;
      // Below 2^52 (record.ts): exact as a number, more digits than hex32 takes.
      const s = r.seq.toString(16);
      for (let i = 0; i < s.length; i++) b[n++] = s.charCodeAt(i);
    }
    b.set(CONTEXT, n);
    n += CONTEXT.length;
    const ctx = r.context;
    if (ctx <= 0xffffffffn) n = this.hex32(Number(ctx), n);
    else {
      const s = ctx.toString(16);
      for (let i = 0; i < s.length; i++) b[n++] = s.charCodeAt(i);
    }
    b.set(LENGTH, n);
    n = this.hex32(r.length, n + LENGTH.length);
    b.set(BYTES, n);
    n += BYTES.length;
    const p = r.bytes;
    for (let i = 0; i < p.length; i++) {
      const v = p[i] as number;
      b[n++] = DIGITS[v >> 4] as number;
      b[n++] = DIGITS[v & 15] as number;
    }
    b.set(TAIL, n);
    this.n = n + TAIL.length;
  }

  /** Hands on what is written so far. */
  flush(): void {
    if (this.n === 0) return;
    const full = this.buf.subarray(0, this.n);
    this.buf = new Uint8Array(this.buf.length);
    this.n = 0;
    this.emit(full);
  }

  /** `v` (0..2^32-1) as lower-case hex without leading zeros at `n`; returns the end. */
  private hex32(v: number, n: number): number {
    const b = this.buf;
    let shift = 28;
    while (shift > 0 && ((v >>> shift) & 15) === 0) shift -= 4;
    for (; shift >= 0; shift -= 4) b[n++] = DIGITS[(v >>> shift) & 15] as number;
    return n;
  }
}
