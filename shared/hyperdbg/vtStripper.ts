// Removes VT/ANSI escape sequences from pty output (ConPTY emits them, spec §1.7) as a byte-level
// state machine that survives sequences split across chunks. Keeps the text's layout where
// ConPTY encodes it in sequences: cursor-forward becomes spaces, cursor positioning a line break,
// a move to column 1 of the same line a carriage return.
// Pure; the output parser runs it only on chunks that hold an ESC (or while a sequence is open).

/** Output is handed on in blocks of at most this many bytes, so memory stays bounded. */
export const STRIP_BLOCK_BYTES = 64 * 1024;
/**
 * Spaces one cursor-forward (`CSI n C`) may stand for. ConPTY uses it for runs of blanks inside
 * a line, which are never wider than the pty; the cap bounds what a hostile `CSI 99999 C` costs.
 */
export const MAX_CURSOR_FORWARD_SPACES = 4096;
/** A control sequence longer than this is not one ConPTY writes: it is dropped as garbage. */
export const MAX_CSI_BYTES = 64;
/** OSC/DCS strings (window titles) longer than this are abandoned, so text after them is kept. */
export const MAX_STRING_SEQUENCE_BYTES = 4096;

const enum State {
  Ground,
  Escape,
  EscapeIntermediate,
  Csi,
  /** OSC, DCS, SOS, PM, APC: a string ended by BEL (OSC only) or ST (`ESC \`). */
  StringSeq,
  StringSeqEscape,
}

const ESC = 0x1b;
const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;
const LF = 0x0a;
const SPACE = 0x20;
/** Largest CSI parameter kept; bigger values are clamped (ConPTY's are row/column numbers). */
const MAX_PARAM = 99_999;

export class VtStripper {
  private state = State.Ground;
  private param = 0;
  private firstParamDone = false;
  private seqBytes = 0;
  /** The current output line holds something, so cursor positioning must end it. */
  private lineHasContent = false;
  private readonly out = new Uint8Array(STRIP_BLOCK_BYTES);
  private n = 0;

  /** True while a sequence is open, so the next chunk must go through the stripper. */
  get inSequence(): boolean {
    return this.state !== State.Ground;
  }

  /** Strips `input`; `sink` receives the text in blocks (views valid only during the call). */
  strip(input: Uint8Array, sink: (block: Uint8Array) => void): void {
    const out = this.out;
    for (let i = 0; i < input.length; i++) {
      const c = input[i] as number;
      switch (this.state) {
        case State.Ground:
          if (c === ESC) {
            this.state = State.Escape;
            continue;
          }
          if (this.n === out.length) this.flush(sink);
          out[this.n++] = c;
          if (c === LF) this.lineHasContent = false;
          else if (c >= SPACE) this.lineHasContent = true;
          continue;
        case State.Escape:
          this.escape(c, sink);
          continue;
        case State.EscapeIntermediate:
          if (c >= 0x20 && c <= 0x2f) continue;
          this.state = State.Ground;
          if (c < 0x30 || c > 0x7e) i--; // not a final byte: process it as text
          continue;
        case State.Csi:
          if (this.csi(c, sink)) i--; // aborted by non-ASCII: that byte is text
          continue;
        case State.StringSeq:
          if (c === BEL) this.state = State.Ground;
          else if (c === ESC) this.state = State.StringSeqEscape;
          else if (++this.seqBytes > MAX_STRING_SEQUENCE_BYTES) this.state = State.Ground;
          continue;
        case State.StringSeqEscape:
          // ST is `ESC \`; any other ESC starts a new sequence.
          if (c === 0x5c) this.state = State.Ground;
          else {
            this.state = State.Escape;
            i--;
          }
          continue;
      }
    }
    this.flush(sink);
  }

  /**
   * Text that bypassed the stripper (a chunk with no ESC) still moves the cursor: keep track of
   * whether the current line holds something, as `strip` would have.
   */
  noteText(input: Uint8Array): void {
    const lastLf = input.lastIndexOf(LF);
    for (let i = input.length - 1; i > lastLf; i--) {
      if ((input[i] as number) >= SPACE) {
        this.lineHasContent = true;
        return;
      }
    }
    if (lastLf >= 0) this.lineHasContent = false;
  }

  /** Forgets an unfinished sequence (end of stream). */
  reset(): void {
    this.state = State.Ground;
    this.n = 0;
    this.lineHasContent = false;
  }

  private flush(sink: (block: Uint8Array) => void): void {
    if (this.n > 0) sink(this.out.subarray(0, this.n));
    this.n = 0;
  }

  private put(c: number, sink: (block: Uint8Array) => void): void {
    if (this.n === this.out.length) this.flush(sink);
    this.out[this.n++] = c;
  }

  private escape(c: number, sink: (block: Uint8Array) => void): void {
    this.seqBytes = 0;
    this.param = 0;
    this.firstParamDone = false;
    if (c === 0x5b)
      this.state = State.Csi; // [
    else if (c === 0x5d || c === 0x50 || c === 0x58 || c === 0x5e || c === 0x5f)
      this.state = State.StringSeq; // ] P X ^ _
    else if (c === ESC) this.state = State.Escape;
    else if (c >= 0x20 && c <= 0x2f) this.state = State.EscapeIntermediate;
    else if (c === 0x45) {
      this.state = State.Ground; // NEL: next line
      this.lineBreak(sink);
    } else if (c >= 0x30 && c <= 0x7e) this.state = State.Ground;
    else {
      // A control byte or non-ASCII after ESC: the sequence is void, the byte is text.
      this.state = State.Ground;
      this.put(c, sink);
      if (c === LF) this.lineHasContent = false;
      else if (c >= SPACE) this.lineHasContent = true;
    }
  }

  /** Handles one byte of a control sequence; true when the byte must be read again as text. */
  private csi(c: number, sink: (block: Uint8Array) => void): boolean {
    if (++this.seqBytes > MAX_CSI_BYTES) {
      this.state = State.Ground;
      return false;
    }
    if (c >= 0x30 && c <= 0x39) {
      if (!this.firstParamDone) this.param = Math.min(MAX_PARAM, this.param * 10 + (c - 0x30));
      return false;
    }
    if (c === 0x3b) {
      // Only the first parameter matters (CUF's count); later ones are ignored.
      this.firstParamDone = true;
      return false;
    }
    if (c >= 0x3a && c <= 0x3f) return false; // other parameter bytes (`?`, `<`, ...)
    if (c >= 0x20 && c <= 0x2f) return false; // intermediates
    if (c >= 0x40 && c <= 0x7e) {
      this.state = State.Ground;
      this.final(c, this.param, sink);
      return false;
    }
    if (c === ESC) {
      this.state = State.Escape;
      return false;
    }
    if (c === CAN || c === SUB || c >= 0x80) {
      this.state = State.Ground;
      return c >= 0x80;
    }
    // Other C0 controls inside a sequence are executed (ECMA-48): they stay in the text.
    this.put(c, sink);
    if (c === LF) this.lineHasContent = false;
    return false;
  }

  private final(c: number, param: number, sink: (block: Uint8Array) => void): void {
    switch (c) {
      case 0x43: {
        // CUF: ConPTY's way of writing a run of blanks.
        const count = Math.min(param === 0 ? 1 : param, MAX_CURSOR_FORWARD_SPACES);
        for (let k = 0; k < count; k++) this.put(SPACE, sink);
        this.lineHasContent = true;
        return;
      }
      case 0x47: // CHA
      case 0x60: // HPA
        // To column 1 (conhost's way of starting a repaint of the current line): a carriage
        // return. Other columns carry no text the parser needs.
        if (param <= 1) this.put(0x0d, sink);
        return;
      case 0x48: // CUP
      case 0x66: // HVP
      case 0x45: // CNL
      case 0x46: // CPL
      case 0x64: // VPA
        this.lineBreak(sink);
        return;
      default:
        return; // colours, erasing, modes, ...: no text
    }
  }

  /** Cursor moved to another line: end the current one if it holds anything. */
  private lineBreak(sink: (block: Uint8Array) => void): void {
    if (!this.lineHasContent) return;
    this.put(LF, sink);
    this.lineHasContent = false;
  }
}
