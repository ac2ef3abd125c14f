// The streaming parser of hyperdbg-cli output: chunks of bytes in (split anywhere: inside a UTF-8
// character, an escape sequence or a record), typed items out. Handles VT sequences, echoed
// input, `\r\n` and bare `\r`, ConPTY hard wraps and output glued to a prompt (spec §1.5-1.7,
// buffer-records.md §5). Pure; memory stays bounded on any input. Hot path: `HDBG1` lines are
// decoded from bytes without building a string.
import type { ParserItem, ParserStats, PromptItem } from './items';
import {
  CONTINUATION_PROMPT,
  classifyLine,
  classifyParts,
  PROMPT_TAIL,
  promptAt,
  TRIMMED_PROMPT_TAIL,
} from './lineClassifier';
import {
  decodeRecordAt,
  decodeRecordLine,
  recordContentEnd,
  recordLineFeed,
  releaseRecord,
  startsWithRecordPrefix,
} from './recordLine';
import { VtStripper } from './vtStripper';

/**
 * Longest line kept whole, in bytes. A record line is at most ~2.2 KB and a script `printf`
 * packet 4095 bytes (spec §5.1); the longest line the builder sends (and so its echo) is
 * MAX_COMMAND_LINE_CHARS. Longer lines are emitted in pieces marked truncated/continued.
 */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
/** Smallest cap accepted (tests use small ones); must hold any prompt and a UTF-8 character. */
const MIN_MAX_LINE_BYTES = 64;
/** Expected echoes kept at most; older ones are dropped (and counted) when the CLI never echoes. */
export const MAX_PENDING_ECHOES = 64;
/**
 * Shortest expected echo looked for at the end of a longer line (text a `printf` left open, then
 * conhost's echo): shorter ones (`g`) would match the end of too much ordinary text.
 */
const MIN_GLUED_ECHO_CHARS = 6;
/** First size of the partial-line buffer, in bytes; it grows up to the line cap. */
const INITIAL_PENDING_BYTES = 4096;

const LF = 0x0a;
const CR = 0x0d;
const ESC = 0x1b;
const GT = 0x3e;
const SPACE = 0x20;

export interface OutputParserOptions {
  /**
   * The pty's width in columns. A line exactly this wide is taken as hard-wrapped by ConPTY
   * and joined with the next one (spec §1.7). Leave unset when the stream does not wrap.
   */
  readonly wrapWidth?: number;
  /** Longest line kept whole, in bytes (default DEFAULT_MAX_LINE_BYTES). */
  readonly maxLineBytes?: number;
}

export interface OutputParser {
  /** Parses a chunk; returns the items completed by it (a prompt is complete without `\n`). */
  push(chunk: Uint8Array | string): ParserItem[];
  /** End of stream: the last partial line becomes an item; the parser is then reset. */
  end(): ParserItem[];
  /**
   * The session sent `line`: its echo (conhost echoes input under ConPTY, spec §1.7) becomes an
   * `echo` item instead of being read as output.
   */
  expectEcho(line: string): void;
  /** Counters since creation. */
  readonly stats: Readonly<ParserStats>;
  /** Bytes held for unfinished lines (bounded by the line cap). */
  bufferedBytes(): number;
}

export function createOutputParser(options: OutputParserOptions = {}): OutputParser {
  return new StreamParser(options);
}

/**
 * Whether a line part (which starts a line or follows a prompt) ends in a prompt: a `HyperDbg> `
 * form (or `HyperDbg>`, its space trimmed by conhost), possibly followed by continuation
 * prompts, or only continuation prompts.
 */
function endsInPrompt(part: string): boolean {
  if (part.endsWith(TRIMMED_PROMPT_TAIL)) return true;
  let end = part.length;
  for (;;) {
    if (end === 0 || part.endsWith(PROMPT_TAIL, end)) return true;
    if (!part.endsWith(CONTINUATION_PROMPT, end)) return false;
    end -= CONTINUATION_PROMPT.length;
  }
}

/** Columns a UTF-8 byte range takes: one per character (wide characters are not told apart). */
function columns(b: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) if (((b[i] as number) & 0xc0) !== 0x80) n++;
  return n;
}

/** Largest cut <= `limit` that does not split a UTF-8 character, given the byte at `limit`. */
function utf8Cut(b: Uint8Array, s: number, limit: number, byteAtLimit: number): number {
  for (let k = 0; k < 4; k++) {
    const i = limit - k;
    if (i <= s) break;
    const c = i === limit ? byteAtLimit : (b[i] as number);
    if ((c & 0xc0) !== 0x80) return i - s;
  }
  return limit - s;
}

class StreamParser implements OutputParser {
  readonly stats: ParserStats = {
    bytes: 0,
    lines: 0,
    records: 0,
    malformed: 0,
    truncated: 0,
    prompts: 0,
    repaints: 0,
    echoes: 0,
    echoesDropped: 0,
    errors: 0,
  };
  private readonly wrapWidth: number;
  private readonly maxLine: number;
  private readonly vt = new VtStripper();
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private readonly encoder = new TextEncoder();
  /** Bytes of the unfinished logical line: joined wrap rows, then the current physical row. */
  private pend = new Uint8Array(INITIAL_PENDING_BYTES);
  private pendLen = 0;
  /** Where the current physical row starts in `pend`. */
  private physStart = 0;
  /** Columns of this physical row already emitted (a prompt flushed before its line ended). */
  private flushedColumns = 0;
  /** The logical line already had pieces emitted because it exceeded the cap. */
  private overflow = false;
  /**
   * The logical line continues after a prompt emitted early (at the end of a push): an empty
   * rest of line then yields no blank text item, as it would not had the line come whole.
   */
  private afterPrompt = false;
  /**
   * The prompt emitted early was `HyperDbg>`, its trailing space trimmed by conhost: when the line
   * goes on, its first space is that prompt's.
   */
  private trimmedSpacePending = false;
  /**
   * The text of the last item emitted when it was a (non-continuation) prompt, else null, as of
   * the end of the previous push: a prompt painted again with nothing in between is a repaint.
   */
  private lastPrompt: string | null = null;
  private readonly echoes: string[] = [];
  private items: ParserItem[] = [];

  constructor(options: OutputParserOptions) {
    this.wrapWidth =
      options.wrapWidth !== undefined && options.wrapWidth > 0 ? Math.floor(options.wrapWidth) : 0;
    const cap = options.maxLineBytes;
    this.maxLine =
      cap !== undefined && Number.isFinite(cap)
        ? Math.max(MIN_MAX_LINE_BYTES, Math.floor(cap))
        : DEFAULT_MAX_LINE_BYTES;
  }

  push(chunk: Uint8Array | string): ParserItem[] {
    const bytes = typeof chunk === 'string' ? this.encoder.encode(chunk) : chunk;
    this.stats.bytes += bytes.length;
    this.items = [];
    // Escape handling only when needed: most chunks of a record flood hold no ESC.
    if (this.vt.inSequence || bytes.indexOf(ESC) >= 0)
      this.vt.strip(bytes, (block) => this.consume(block));
    else {
      this.vt.noteText(bytes);
      this.consume(bytes);
    }
    this.flushTrailingPrompt();
    this.lastPrompt = this.previousPrompt();
    return this.items;
  }

  end(): ParserItem[] {
    this.items = [];
    this.vt.reset();
    if (this.pendLen > 0 || this.overflow) this.finishPendingRow(false);
    this.pendLen = 0;
    this.physStart = 0;
    this.flushedColumns = 0;
    this.overflow = false;
    this.afterPrompt = false;
    this.trimmedSpacePending = false;
    this.lastPrompt = null;
    return this.items;
  }

  expectEcho(line: string): void {
    this.echoes.push(line);
    if (this.echoes.length > MAX_PENDING_ECHOES) {
      this.echoes.shift();
      this.stats.echoesDropped++;
    }
  }

  bufferedBytes(): number {
    return this.pendLen;
  }

  /** Splits text bytes into physical rows. */
  private consume(b: Uint8Array): void {
    const len = b.length;
    let pos = 0;
    while (pos < len) {
      // Hot path: a record line whole in this chunk, found and decoded in one pass.
      if (
        this.pendLen === 0 &&
        !this.overflow &&
        startsWithRecordPrefix(b, pos, len) &&
        this.recordFastPathOpen()
      ) {
        const rec = decodeRecordAt(b, pos, len);
        if (rec !== null) {
          if (
            this.wrapWidth === 0 ||
            recordContentEnd - pos + this.flushedColumns !== this.wrapWidth
          ) {
            this.stats.lines++;
            this.stats.records++;
            this.items.push(rec);
            this.flushedColumns = 0;
            this.afterPrompt = false;
            this.trimmedSpacePending = false;
            pos = recordLineFeed + 1;
            continue;
          }
          releaseRecord(rec);
        }
      }
      const nl = b.indexOf(LF, pos);
      if (this.pendLen > 0 || this.overflow) {
        // An unfinished line (from an earlier chunk, or joined wrap rows) takes this row.
        this.appendPending(b, pos, nl < 0 ? len : nl);
        if (nl < 0) return;
        this.finishPendingRow(true);
      } else if (nl < 0) {
        this.appendPending(b, pos, len);
        return;
      } else this.finishRow(b, pos, nl);
      pos = nl + 1;
    }
  }

  /** A physical row [s, e) that arrived whole inside one chunk. */
  private finishRow(b: Uint8Array, s: number, e: number): void {
    let end = e;
    while (end > s && b[end - 1] === CR) end--;
    if (this.isWrapped(b, s, end)) {
      this.appendPending(b, s, end);
      this.physStart = this.pendLen;
      this.flushedColumns = 0;
      return;
    }
    this.flushedColumns = 0;
    if (end - s > this.maxLine) {
      this.emitLong(b, s, end);
      return;
    }
    this.logicalLine(b, s, end);
  }

  /** The row held in `pend` ended (`atNewline`) or the stream did. */
  private finishPendingRow(atNewline: boolean): void {
    const p = this.pend;
    let end = this.pendLen;
    while (end > this.physStart && p[end - 1] === CR) end--;
    if (atNewline && !this.overflow && this.isWrapped(p, this.physStart, end)) {
      this.pendLen = end;
      this.physStart = end;
      this.flushedColumns = 0;
      return;
    }
    this.flushedColumns = 0;
    if (this.overflow) this.emitPiece(p, 0, end, false);
    else this.logicalLine(p, 0, end);
    this.pendLen = 0;
    this.physStart = 0;
    this.overflow = false;
    if (this.pend.length > INITIAL_PENDING_BYTES * 4)
      this.pend = new Uint8Array(INITIAL_PENDING_BYTES);
  }

  /** Whether the physical row [s, e) filled the pty's width exactly, so it continues. */
  private isWrapped(b: Uint8Array, s: number, e: number): boolean {
    const w = this.wrapWidth;
    if (w === 0 || e - s + this.flushedColumns < w) return false;
    return columns(b, s, e) + this.flushedColumns === w;
  }

  /** Adds [s, e) to the unfinished line, emitting cap-sized pieces when it grows too long. */
  private appendPending(b: Uint8Array, s: number, e: number): void {
    while (this.pendLen + (e - s) > this.maxLine) {
      const room = this.maxLine - this.pendLen;
      this.ensurePending(this.maxLine);
      this.pend.set(b.subarray(s, s + room), this.pendLen);
      this.pendLen = this.maxLine;
      s += room;
      const cut = utf8Cut(this.pend, 0, this.maxLine, b[s] as number);
      this.emitPiece(this.pend, 0, cut, true);
      this.pend.copyWithin(0, cut, this.pendLen);
      this.pendLen -= cut;
      this.physStart = 0;
    }
    const n = e - s;
    if (n === 0) return;
    this.ensurePending(this.pendLen + n);
    this.pend.set(b.subarray(s, e), this.pendLen);
    this.pendLen += n;
  }

  private ensurePending(size: number): void {
    if (size <= this.pend.length) return;
    const grown = new Uint8Array(Math.min(this.maxLine, Math.max(size, this.pend.length * 2)));
    grown.set(this.pend.subarray(0, this.pendLen));
    this.pend = grown;
  }

  /** A row longer than the cap that arrived whole: the same pieces `appendPending` makes. */
  private emitLong(b: Uint8Array, s: number, e: number): void {
    while (e - s > this.maxLine) {
      const cut = utf8Cut(b, s, s + this.maxLine, b[s + this.maxLine] as number);
      this.emitPiece(b, s, s + cut, true);
      s += cut;
    }
    this.emitPiece(b, s, e, false);
    this.overflow = false;
  }

  /** One piece of an over-long line, as plain text. */
  private emitPiece(b: Uint8Array, s: number, e: number, truncated: boolean): void {
    const text = this.decoder.decode(b.subarray(s, e));
    this.stats.lines++;
    if (truncated) this.stats.truncated++;
    this.items.push({
      type: 'text',
      text,
      ...(truncated ? { truncated: true as const } : {}),
      ...(this.overflow ? { continued: true as const } : {}),
    });
    this.overflow = truncated;
    this.afterPrompt = false;
    this.trimmedSpacePending = false;
  }

  /** A complete logical line [s, e) without its line end. */
  private logicalLine(b: Uint8Array, s: number, e: number): void {
    this.stats.lines++;
    const afterPrompt = this.afterPrompt;
    this.afterPrompt = false;
    // Fast path: a record decoded from bytes. The text path would give the same item (a valid
    // record holds no CR, no prompt and is no echo), so this is only a shortcut.
    if (startsWithRecordPrefix(b, s, e) && this.recordFastPathOpen()) {
      const rec = decodeRecordLine(b, s, e);
      if (rec !== null) {
        this.stats.records++;
        this.trimmedSpacePending = false;
        this.items.push(rec);
        return;
      }
    }
    this.textLine(this.decoder.decode(b.subarray(s, e)), afterPrompt);
  }

  /** The record shortcut gives what the text path would, unless an echo could look like one. */
  private recordFastPathOpen(): boolean {
    return this.echoes.length === 0 || !(this.echoes[0] as string).startsWith('HDBG');
  }

  /** A decoded logical line: bare `\r` ends a line too (nothing it would overwrite is lost). */
  private textLine(text: string, afterPrompt: boolean): void {
    const spaceIsPrompts = afterPrompt && this.trimmedSpacePending;
    this.trimmedSpacePending = false;
    const line = spaceIsPrompts && text.startsWith(' ') ? text.slice(1) : text;
    if (line.indexOf('\r') < 0) {
      this.promptSplit(line, afterPrompt);
      return;
    }
    const parts = line.split('\r');
    let emitted = false;
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k] as string;
      if (part.length === 0) continue;
      this.promptSplit(part, k === 0 && afterPrompt);
      emitted = true;
    }
    if (!emitted && !afterPrompt) this.segment('');
  }

  /**
   * Emits the prompts of a line and classifies the parts between them (spec §1.5-1.6). The
   * continuation prompt `> ` counts at the start of a line and right after another prompt (the
   * CLI does not echo, so in a pipe transcript `HyperDbg> > > ` is three prompts).
   */
  private promptSplit(part: string, afterPrompt: boolean): void {
    let pos = this.continuations(part, 0);
    for (;;) {
      const tail = part.indexOf(PROMPT_TAIL, pos);
      if (tail < 0) break;
      const found = promptAt(part, pos, tail);
      if (found.start > pos) this.segment(part.slice(pos, found.start));
      this.promptOrRepaint(found.item, part.slice(found.end));
      pos = this.continuations(part, found.end);
    }
    // A prompt whose trailing space conhost trimmed ends the line (spec §1.7).
    const trimmedAt = part.length - TRIMMED_PROMPT_TAIL.length;
    if (trimmedAt >= pos && part.endsWith(TRIMMED_PROMPT_TAIL)) {
      const found = promptAt(part, pos, trimmedAt, true);
      if (found.start > pos) this.segment(part.slice(pos, found.start));
      this.promptOrRepaint(found.item, '');
      return;
    }
    if (pos < part.length || (pos === 0 && !afterPrompt))
      this.segment(pos === 0 ? part : part.slice(pos));
  }

  /**
   * A prompt, unless it is conhost repainting the prompt just emitted (spec §1.7): the same
   * prompt again with nothing in between, followed on its line by the echo of the command typed
   * there, or any such repeat once the stream has shown echoes (a ConPTY stream: there every
   * command's echo separates two prompts the CLI printed). Without echoes (a pipe) a command
   * that prints nothing leaves two prompts back to back, and both are real.
   */
  private promptOrRepaint(item: PromptItem, rest: string): void {
    if (item.mode !== 'continuation' && this.previousPrompt() === item.text) {
      const head = this.echoes[0];
      const echoed = head !== undefined && rest.trimEnd() === head.trimEnd() && rest.length > 0;
      if (this.stats.echoes > 0 || echoed) {
        this.stats.repaints++;
        return;
      }
    }
    this.prompt(item);
  }

  /** The text of the last item emitted, when it was a non-continuation prompt. */
  private previousPrompt(): string | null {
    const last = this.items[this.items.length - 1];
    if (last === undefined) return this.lastPrompt;
    return last.type === 'prompt' && last.mode !== 'continuation' ? last.text : null;
  }

  /** Emits the continuation prompts at `pos`; returns the position after them. */
  private continuations(part: string, pos: number): number {
    while (part.startsWith(CONTINUATION_PROMPT, pos)) {
      this.prompt({ type: 'prompt', mode: 'continuation', text: CONTINUATION_PROMPT });
      pos += CONTINUATION_PROMPT.length;
    }
    return pos;
  }

  private prompt(item: PromptItem): void {
    this.stats.prompts++;
    this.items.push(item);
  }

  /** One line part without prompts: an echo, or whatever the classifier says. */
  private segment(text: string): void {
    if (this.echoes.length > 0) {
      if (this.isEcho(text)) {
        this.echo(text);
        return;
      }
      const at = this.gluedEchoAt(text);
      if (at > 0) {
        this.classified(text.slice(0, at));
        this.echo(text.slice(at));
        return;
      }
    }
    this.classified(text);
  }

  private echo(text: string): void {
    this.echoes.shift();
    this.stats.echoes++;
    this.items.push({ type: 'echo', text });
  }

  /**
   * Where the expected echo starts when it ends a longer line: an event's `printf` without `\n`
   * left the line open when conhost echoed the command. -1 when it does not.
   */
  private gluedEchoAt(text: string): number {
    const head = (this.echoes[0] as string).trimEnd();
    if (head.length < MIN_GLUED_ECHO_CHARS) return -1;
    const t = text.trimEnd();
    if (t.length <= head.length || !t.endsWith(head)) return -1;
    // A line the CLI prints whole (`no active/disabled events` while `events` is expected) is
    // that line, not text with an echo after it.
    return classifyLine(text).type === 'text' ? t.length - head.length : -1;
  }

  private classified(text: string): void {
    for (const item of classifyParts(text)) this.count(item);
  }

  private count(item: ParserItem): void {
    switch (item.type) {
      case 'record':
        this.stats.records++;
        break;
      case 'text':
        if (item.malformed === true) this.stats.malformed++;
        break;
      case 'error':
        this.stats.errors++;
        // The sync marker's command is done (spec §1.8): echoes still expected before it never came.
        if (item.code === 'unknown-command' && item.args[0] !== undefined)
          this.settleEchoes(item.args[0]);
        break;
      default:
        break;
    }
    this.items.push(item);
  }

  private isEcho(text: string): boolean {
    const head = this.echoes[0] as string;
    return text === head || (text.length > 0 && text.trimEnd() === head.trimEnd());
  }

  /** Drops expected echoes up to and including `command`, if it is queued. */
  private settleEchoes(command: string): void {
    const i = this.echoes.indexOf(command);
    if (i < 0) return;
    this.stats.echoesDropped += i + 1;
    this.echoes.splice(0, i + 1);
  }

  /**
   * The CLI waits for input after a prompt with no newline: when the unfinished row ends in a
   * prompt, emit it (and what precedes it) now rather than at the next line end.
   */
  /**
   * Whether an unfinished line that is only the prompt just emitted may be conhost repainting it
   * before the echo of the first command (no echo seen yet, one expected): then it waits for
   * the rest of its line, which tells (`promptOrRepaint`). Harmless to a pipe's real prompt after
   * a silent command: the sync marker typed ahead answers on that line at once.
   */
  private mayBeRepaintStart(line: string, lastPart: string): boolean {
    if (this.stats.echoes > 0 || this.echoes.length === 0) return false;
    const previous = this.previousPrompt();
    if (previous === null || previous.trimEnd() !== lastPart.trimEnd()) return false;
    return (
      line.length === lastPart.length || /^\r*$/.test(line.slice(0, line.length - lastPart.length))
    );
  }

  private flushTrailingPrompt(): void {
    const n = this.pendLen;
    if (n < 2 || this.overflow) return;
    const last = this.pend[n - 1];
    const trimmed = last === GT;
    if (!trimmed && (last !== SPACE || this.pend[n - 2] !== GT)) return;
    const line = this.decoder.decode(this.pend.subarray(0, n));
    const lastPart = line.slice(line.lastIndexOf('\r') + 1);
    if (!endsInPrompt(lastPart)) return;
    if (this.mayBeRepaintStart(line, lastPart)) return;
    this.flushedColumns += columns(this.pend, this.physStart, n);
    this.pendLen = 0;
    this.physStart = 0;
    this.textLine(line, this.afterPrompt);
    this.afterPrompt = true;
    this.trimmedSpacePending = trimmed;
  }
}
