// How hyperdbg-cli v0.23 splits a command into tokens (spec §1.3), as a scanner with four named
// states: plain words, a quoted literal, a `{...}` block, and a quoted string inside a block.
// Simulator side; pure.
import { parseUInt64 } from './numbers';

/** Num, String, StringLiteral (`"..."`) and BracketString (`{...}`) in the spec's words. */
export type TokenType = 'num' | 'string' | 'literal' | 'bracket';

export interface Token {
  readonly type: TokenType;
  /** The text as the CLI keeps it (trimmed for numbers and plain strings). */
  readonly text: string;
  readonly lower: string;
}

/**
 * - plain: between or inside plain words; only a space separates (spec §1.3: TAB does not).
 * - quoted: inside `"..."` outside braces; the quotes are dropped.
 * - braced: inside `{...}`; everything is kept as typed, nested braces counted.
 * - bracedQuoted: inside a quoted string within braces; `}` does not close here.
 */
type ScanState = 'plain' | 'quoted' | 'braced' | 'bracedQuoted';

/** The characters C's `isspace` accepts in the "C" locale: what a word token is trimmed of. */
const trimCSpace = (s: string): string => s.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');

const BACKSLASH = '\\';
/** A backslash followed by `n`, typed as two characters (not a newline). */
const TYPED_NEWLINE = '\\n';

export function tokenize(command: string): Token[] {
  return new CommandScanner(command).scan();
}

class CommandScanner {
  private readonly tokens: Token[] = [];
  /** The command; only a `//` comment inside braces rewrites it (see `commentCloserAt`). */
  private text: string;
  private pos = 0;
  /** The token being collected. */
  private word = '';
  /** How many `{` are open. */
  private depth = 0;
  private inString = false;

  constructor(command: string) {
    this.text = command;
  }

  private get state(): ScanState {
    if (this.depth === 0) return this.inString ? 'quoted' : 'plain';
    return this.inString ? 'bracedQuoted' : 'braced';
  }

  scan(): Token[] {
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos] as string;
      if (!this.inString && this.outsideStrings(ch)) continue;
      switch (this.state) {
        case 'plain':
          this.plain(ch);
          break;
        case 'quoted':
          this.quoted(ch);
          break;
        case 'braced':
          this.braced(ch);
          break;
        case 'bracedQuoted':
          this.bracedQuoted(ch);
          break;
      }
      this.pos++;
    }
    // Whatever is left, an unclosed quote or block included, becomes an ordinary word.
    this.emitWord();
    return this.tokens;
  }

  // ---- one character in each state ----

  private plain(ch: string): void {
    const before = this.previous();
    switch (ch) {
      case ' ':
        this.emitWord();
        return;
      case '"':
        // A quote glued to a word ends that word, always as a String (never a Num).
        if (before !== ' ' && this.word !== '') this.emitWordAsString();
        if (before === BACKSLASH) this.word += ch;
        else this.inString = true;
        return;
      case '{':
        if (before !== ' ') this.emitWord();
        this.depth = 1;
        return;
      default:
        this.word += ch;
    }
  }

  private quoted(ch: string): void {
    if (ch !== '"') {
      this.word += ch;
      return;
    }
    // Spec §1.3: `\"` inside the literal becomes `"`.
    if (this.previous() === BACKSLASH) return this.replaceEscape(ch);
    this.emitLiteral();
    this.inString = false;
  }

  private braced(ch: string): void {
    const before = this.previous();
    switch (ch) {
      case '"':
        // Quotes stay in the block text (spec §1.3); an escaped one opens no string.
        this.word += ch;
        if (before !== BACKSLASH) this.inString = true;
        return;
      case '{':
        this.depth++;
        this.word += ch;
        return;
      case '}':
        this.depth--;
        if (this.depth === 0) this.emitBlock();
        else this.word += ch;
        return;
      default:
        this.word += ch;
    }
  }

  private bracedQuoted(ch: string): void {
    // Spec §1.3 [verified-harness]: a `}` inside a quoted string does not close the block.
    this.word += ch;
    if (ch === '"' && this.previous() !== BACKSLASH) this.inString = false;
  }

  // ---- rules shared by the plain and braced states ----

  /**
   * What happens to `ch` the same way inside and outside braces, as long as no string is open:
   * comments (spec §1.3), a stray typed `\n`, and `\{` / `\}`. True when `ch` was consumed and
   * the cursor moved past it.
   */
  private outsideStrings(ch: string): boolean {
    if (ch === '/') return this.skipComment();
    if (ch === BACKSLASH) return this.skipStrayTypedNewline();
    if ((ch === '{' || ch === '}') && this.previous() === BACKSLASH) {
      this.replaceEscape(ch);
      this.pos++;
      return true;
    }
    return false;
  }

  // ---- helpers ----

  private previous(): string | undefined {
    return this.text[this.pos - 1];
  }

  /** `\{`, `\}` (outside strings) and `\"` (in a literal): the backslash goes, the character stays. */
  private replaceEscape(ch: string): void {
    this.word = this.word.slice(0, -1) + ch;
  }

  /** A typed `\n` where no token has started is dropped, both characters. */
  private skipStrayTypedNewline(): boolean {
    if (this.word !== '' || this.text[this.pos + 1] !== 'n') return false;
    this.pos += 2;
    return true;
  }

  /**
   * At a `/` outside strings: skips a `//` or `/* *\/` comment, keeping its text inside braces
   * (the script engine sees it there). False when this `/` starts no comment.
   */
  private skipComment(): boolean {
    const next = this.text[this.pos + 1];
    if (next === '/') {
      this.skipLineComment();
      return true;
    }
    if (next === '*') {
      const close = this.text.indexOf('*/', this.pos + 2);
      if (close < 0) return false; // an unclosed `/*` is ordinary text
      this.keepIfBraced(this.text.slice(this.pos, close + 2));
      this.pos = close + 2;
      return true;
    }
    return false;
  }

  /**
   * `//` runs to the first of: a newline, a typed `\n`, or (inside braces) the `}` that closes
   * the block (spec §1.3). The comment's end stays to be scanned. A typed `\n` inside a quoted
   * string after the `//` does not end it; an end that is itself escaped by a backslash makes
   * the comment run to the end of the command.
   */
  private skipLineComment(): void {
    const quote = this.quotedRangeAfterComment();
    // First, as it may rewrite the text the other two are searched in.
    const closer = this.depth > 0 ? this.commentCloserAt(quote === null ? this.pos : quote.to) : -1;
    let typedNewline = this.text.indexOf(TYPED_NEWLINE, this.pos);
    if (quote !== null && quote.from <= typedNewline && typedNewline <= quote.to) typedNewline = -1;
    const newline = this.text.indexOf('\n', this.pos);
    const candidates = [closer, typedNewline, newline].filter((at) => at >= 0);
    const end = candidates.length === 0 ? -1 : Math.min(...candidates);
    if (end >= 0 && this.text[end - 1] !== BACKSLASH) {
      this.keepIfBraced(this.text.slice(this.pos, end));
      this.pos = end;
      return;
    }
    let rest = this.text.slice(this.pos);
    // An escaped typed newline (`\\n`) in a comment that runs to the end is kept as `\n`.
    if (typedNewline >= 0 && this.text[typedNewline - 1] === BACKSLASH)
      rest = rest.replaceAll(BACKSLASH + TYPED_NEWLINE, TYPED_NEWLINE);
    this.keepIfBraced(rest);
    this.pos = this.text.length;
  }

  /**
   * The first `"..."` at or after the comment (`to` is Infinity when it never closes), so that
   * `//"}"` does not end at the quoted brace. None when there is no quote, or when the character
   * before the `//` is a backslash.
   */
  private quotedRangeAfterComment(): { from: number; to: number } | null {
    const from = this.text.indexOf('"', this.pos);
    if (from < 0 || this.previous() === BACKSLASH) return null;
    const to = this.text.indexOf('"', from + 1);
    return { from, to: to < 0 ? Number.POSITIVE_INFINITY : to };
  }

  /**
   * The `}` that ends a `//` comment inside braces, searching from `from`. Escaped `\}` met on
   * the way lose their backslash in the command text itself, so later they close blocks; the
   * search then resumes one character past that brace (v0.23 behaviour, kept as the simulator's
   * reference).
   */
  private commentCloserAt(from: number): number {
    if (!Number.isFinite(from)) return -1;
    let at = this.text.indexOf('}', from);
    while (at > 0 && this.text[at - 1] === BACKSLASH) {
      this.text = this.text.slice(0, at - 1) + this.text.slice(at);
      at = this.text.indexOf('}', at + 1);
    }
    return at;
  }

  private keepIfBraced(text: string): void {
    if (this.depth > 0) this.word += text;
  }

  // ---- tokens ----

  private push(type: TokenType, text: string): void {
    this.tokens.push({ type, text, lower: text.toLowerCase() });
  }

  /** A finished word: a Num when it reads as a number (spec §1.3: hex by default), else a String. */
  private emitWord(): void {
    const text = trimCSpace(this.word);
    this.word = '';
    if (text === '') return;
    this.push(parseUInt64(text) !== null ? 'num' : 'string', text);
  }

  private emitWordAsString(): void {
    const text = trimCSpace(this.word);
    this.word = '';
    if (text !== '') this.push('string', text);
  }

  /** `"..."` outside braces: kept untrimmed, without its quotes; an empty one makes no token. */
  private emitLiteral(): void {
    const text = this.word;
    this.word = '';
    if (text !== '') this.push('literal', text);
  }

  /** `{...}`: exactly as typed between the outer braces (spec §1.3), even when empty. */
  private emitBlock(): void {
    this.push('bracket', this.word);
    this.word = '';
  }
}
