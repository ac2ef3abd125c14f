// Keeps record lines (`HDBG1 ...`, buffer records) out of the console's copy of the CLI output,
// counting them, so a command's answer stays readable during a flood; the live log has every
// record and the transcript every byte. A record line is what the parser takes for one: a valid
// version-1 line at the start of a line or right after a prompt; a malformed one stays visible.
// Works on decoded text chunks split anywhere. Pure.
import { RECORD_MAX_LENGTH, RECORD_PREFIX, RECORD_WORD_MAX_DIGITS } from '../model/record';
import { PROMPT_TAIL } from './lineClassifier';

/** Digits a 32-bit field (event id, core) and the length may have (recordLine.ts agrees). */
const U32_DIGITS = 8;
const U64_DIGITS = 16;
/**
 * Longest record line: the prefix, four fields and 125 words of 16 digits (0x3e7 bytes), with
 * spaces, about 2,170 characters. A held line longer than this is not a record: it is let go.
 */
export const MAX_RECORD_LINE_CHARS =
  RECORD_PREFIX.length +
  2 * (U32_DIGITS + 1) +
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

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * Whether `line` (no line end; `\r`s at its end allowed) is a valid version-1 record line: the
 * prefix, event id, core, context, length (at most 0x3e7), then exactly ceil(length / 8) words,
 * fields separated by single spaces (buffer-records §2, as recordLine.ts decodes it).
 */
export function isRecordLine(line: string): boolean {
  let e = line.length;
  while (e > 0 && line.charCodeAt(e - 1) === 0x0d) e--;
  if (!line.startsWith(RECORD_PREFIX)) return false;
  let p = RECORD_PREFIX.length;
  const field = (maxDigits: number): number => {
    const start = p;
    while (p < e && isHex(line.charCodeAt(p))) p++;
    const digits = p - start;
    return digits === 0 || digits > maxDigits ? -1 : digits;
  };
  const space = () => p < e && line.charCodeAt(p++) === 0x20;
  if (field(U32_DIGITS) < 0 || !space()) return false;
  if (field(U32_DIGITS) < 0 || !space()) return false;
  if (field(U64_DIGITS) < 0 || !space()) return false;
  const lengthStart = p;
  if (field(U32_DIGITS) < 0) return false;
  const length = parseInt(line.slice(lengthStart, p), 16);
  if (length > RECORD_MAX_LENGTH) return false;
  for (let words = Math.ceil(length / 8); words > 0; words--)
    if (!space() || field(RECORD_WORD_MAX_DIGITS) < 0) return false;
  return p === e;
}

/** Whether `text` (a line not finished yet) can still become a record line. */
function couldBeRecord(text: string): boolean {
  if (text.length <= RECORD_PREFIX.length) return RECORD_PREFIX.startsWith(text);
  if (!text.startsWith(RECORD_PREFIX) || text.length > MAX_RECORD_LINE_CHARS) return false;
  for (let i = RECORD_PREFIX.length; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isHex(c) && c !== 0x20 && c !== 0x0d) return false;
  }
  return true;
}

export class RecordLineFilter {
  /** Record lines kept out so far. */
  hidden = 0;
  /** The unfinished line held back because it may be a record. */
  private carry = '';
  /** Whether the next character starts a line or follows a prompt: where a record may start. */
  private atRecordStart = true;
  /** The end of what was let through on the current line, to spot a prompt across chunks. */
  private lineTail = '';

  /** The text to show for this chunk; a line that may still become a record waits. */
  push(text: string): string {
    const s = this.carry + text;
    this.carry = '';
    let out = '';
    let pos = 0;
    while (pos < s.length) {
      const nl = s.indexOf('\n', pos);
      const end = nl < 0 ? s.length : nl;
      if (this.atRecordStart) {
        const visible = s.slice(pos, end).replace(VT_SEQUENCE, '');
        if (nl < 0) {
          if (visible !== '' && couldBeRecord(visible)) {
            this.carry = s.slice(pos);
            break;
          }
        } else if (isRecordLine(visible)) {
          // Gone with its line end; the escape sequences in it still reach the terminal.
          out += (s.slice(pos, end).match(VT_SEQUENCE) ?? []).join('');
          this.hidden++;
          pos = nl + 1;
          continue;
        }
      }
      // Let text through up to the end of the line or of a prompt, whichever comes first.
      const prompt = this.promptEnd(s, pos, end);
      const stop = prompt >= 0 ? prompt : nl < 0 ? s.length : nl + 1;
      const part = s.slice(pos, stop);
      out += part;
      pos = stop;
      if (prompt >= 0 || stop === nl + 1) {
        this.atRecordStart = true;
        this.lineTail = '';
      } else if (part.replace(VT_SEQUENCE, '') !== '') {
        // Escape sequences alone (a ConPTY frame's start) leave a line start a line start.
        this.atRecordStart = false;
        this.lineTail = (this.lineTail + part).slice(-PROMPT_TAIL.length);
      }
    }
    return out;
  }

  /** Gives back what is held (the stream ended or records are shown from now on). */
  flush(): string {
    const c = this.carry;
    this.carry = '';
    // What is let go sits on the current line (a carry never holds a line end).
    if (c.replace(VT_SEQUENCE, '') !== '') {
      this.atRecordStart = false;
      this.lineTail = c.slice(-PROMPT_TAIL.length);
    }
    return c;
  }

  /**
   * Where the first prompt tail in s[pos, end) ends, counting one begun earlier on the line
   * (lineTail never holds a whole one: a whole one made this a record start), or -1.
   */
  private promptEnd(s: string, pos: number, end: number): number {
    const seen = this.atRecordStart ? '' : this.lineTail;
    const i = (seen + s.slice(pos, end)).indexOf(PROMPT_TAIL);
    return i < 0 ? -1 : pos + i + PROMPT_TAIL.length - seen.length;
  }
}
