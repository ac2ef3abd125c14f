// Turns a HyperDbg script (many lines, comments) into the one line a `script { }` block can carry,
// with a tokenizer that respects strings: an unquoted `//` would eat the rest of the block
// (spec §1.3). Then checks every `printf` against spec §5.1. Pure; used by the command builder.
import { fail, ok, type Result } from '../result';
import { describeChar } from './grammar';

export interface ScriptProblem {
  readonly message: string;
  /** 1-based position in the source the user wrote; absent for problems of a whole call. */
  readonly line?: number;
  readonly column?: number;
}

/** The script as one line, and what in it is accepted but risky. */
export interface FlatScript {
  readonly script: string;
  readonly warnings: readonly string[];
}

export type FlattenResult = Result<FlatScript, ScriptProblem>;

/**
 * Conversions `printf` accepts (spec §5.1, the script engine's `@VARGSTART` handling), longest
 * first so `%lld` is not read as `%l` + `ld`.
 */
const PRINTF_CONVERSIONS = [
  'lld',
  'lli',
  'llu',
  'llo',
  'llx',
  'ld',
  'li',
  'lu',
  'lo',
  'lx',
  'ls',
  'hd',
  'hi',
  'hu',
  'ho',
  'hx',
  'ws',
  'd',
  'i',
  'u',
  'o',
  'x',
  'c',
  'p',
  's',
  'f',
] as const;

/**
 * More `printf` arguments than this draw a warning: the script engine's temporaries are limited
 * (128 per function, spec §10.8) and nobody has measured the real ceiling.
 */
export const PRINTF_ARGUMENTS_WARNING = 16;

/** 1-based line and column of index `i` (computed on demand: only errors need it). */
function positionOf(src: string, i: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let k = 0; k < i && k < src.length; k++) {
    if (src[k] === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column };
}

/**
 * Comments removed, whitespace runs (spaces, TABs, newlines outside strings) collapsed to one
 * space, strings kept byte for byte. Refused: anything outside printable ASCII, strings that
 * cross a line or hold TABs, braces, `//` or `/*`, a string ending in a backslash (the CLI's
 * tokenizer would take its closing quote as escaped), a backslash outside strings (an escape to
 * the CLI's tokenizer), unbalanced braces, stray `'`.
 */
export function flattenScript(source: string): FlattenResult {
  const problem = (message: string, index: number): FlattenResult =>
    fail({ message, ...positionOf(source, index) });
  let out = '';
  let space = false;
  let depth = 0;
  const emit = (s: string): void => {
    if (space && out.length > 0) out += ' ';
    space = false;
    out += s;
  };
  const n = source.length;
  let i = 0;
  while (i < n) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      space = true;
      i++;
    } else if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      i = end < 0 ? n : end;
      space = true;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) return problem('a /* comment is never closed', i);
      i = end + 2;
      space = true;
    } else if (c === '"') {
      const start = i;
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const d = source[j] as string;
        if (d === '\\') {
          const e = source[j + 1];
          if (e === undefined || e === '\n' || e === '\r')
            return problem('a string is not closed before the end of its line', start);
          if (e.charCodeAt(0) < 0x20 || e.charCodeAt(0) > 0x7e)
            return problem(`a string contains ${describeChar(e)}`, j + 1);
          j += 2;
          continue;
        }
        if (d === '"') {
          closed = true;
          break;
        }
        if (d === '\n' || d === '\r')
          return problem('a string is not closed before the end of its line', start);
        if (d === '\t') return problem('a string contains a TAB; write \\t instead', j);
        if (d === '{' || d === '}')
          return problem(
            `a string contains '${d}'; braces inside strings are refused so that the CLI's brace counting cannot go wrong (docs/hyperdbg-v0.23.md §1.3)`,
            j,
          );
        const code = d.charCodeAt(0);
        if (code < 0x20 || code > 0x7e)
          return problem(
            `a string contains ${describeChar(String.fromCodePoint(source.codePointAt(j) ?? code))}`,
            j,
          );
        if (d === '/' && (source[j + 1] === '/' || source[j + 1] === '*'))
          return problem(
            `a string contains '/${source[j + 1]}', which the CLI's tokenizer could take for a comment (docs/hyperdbg-v0.23.md §1.3)`,
            j,
          );
        j++;
      }
      if (!closed) return problem('a string is never closed', start);
      if (source[j - 1] === '\\' && j - 1 > start)
        return problem(
          "a string ends in a backslash; the CLI's tokenizer would take its closing quote as escaped (docs/hyperdbg-v0.23.md §1.3)",
          j - 1,
        );
      emit(source.slice(start, j + 1));
      i = j + 1;
    } else {
      const code = c.charCodeAt(0);
      if (code < 0x20 || code > 0x7e)
        return problem(
          `contains ${describeChar(String.fromCodePoint(source.codePointAt(i) ?? code))}`,
          i,
        );
      if (c === "'") return problem("contains ', which is not part of the script grammar", i);
      // hyperdbg-cli's tokenizer reads a backslash outside quotes as an escape (spec §1.3): `\{`
      // and `\}` become braces it does not count, one before the block's closing brace keeps
      // the block open, and a typed `\n` where no token started is dropped. The script language
      // has no backslash outside strings, so none is let through.
      if (c === '\\')
        return problem(
          "contains a backslash outside a string; hyperdbg-cli's tokenizer would read it as an escape (\\{, \\} or before the closing brace) and change the command (docs/hyperdbg-v0.23.md §1.3)",
          i,
        );
      if (c === '{') depth++;
      if (c === '}') {
        if (depth === 0) return problem("a '}' has no matching '{'", i);
        depth--;
      }
      emit(c);
      i++;
    }
  }
  if (depth !== 0) return problem(`${depth} '{' ${depth === 1 ? 'is' : 'are'} never closed`, n);
  if (out.length === 0) return problem('the script is empty (only comments or spaces)', 0);
  const printf = checkPrintfCalls(out);
  if (!printf.ok) return fail({ message: printf.error });
  return ok({ script: out, warnings: printf.value });
}

/** The warnings of a script whose printf calls are fine, or what is wrong with one. */
type PrintfCheck = Result<string[], string>;

const IDENT_CHAR = /[A-Za-z0-9_$@.]/;

/** A `printf(` whose `)` has not been reached yet. */
interface OpenCall {
  /** 1-based, in the order the calls are written. */
  readonly call: number;
  /** Parenthesis depth inside its own `(`: commas at this depth separate its arguments. */
  readonly depth: number;
  readonly conversions: number;
  args: number;
}

/**
 * Checks each `printf(...)` in a flattened script (spec §5.1): the format is a string literal;
 * every `%` starts a conversion HyperDbg knows, with no width, precision or flags, no `%X`, no
 * `%%`; and the conversions are exactly as many as the arguments after the format. One pass,
 * nested calls included (each call's arguments are counted as its parentheses close); the
 * problem reported is that of the first call written that has one.
 */
export function checkPrintfCalls(script: string): PrintfCheck {
  const warnings: { call: number; text: string }[] = [];
  let firstProblem: { call: number; message: string } | null = null;
  const problem = (call: number, message: string): void => {
    if (firstProblem === null || call < firstProblem.call)
      firstProblem = { call, message: `printf call ${call}: ${message}` };
  };
  const open: OpenCall[] = [];
  let calls = 0;
  let depth = 0;
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === '"') {
      i = skipString(script, i);
      continue;
    }
    if (c === '(') depth++;
    else if (c === ',') {
      const top = open[open.length - 1];
      if (top !== undefined && top.depth === depth) top.args++;
    } else if (c === ')') {
      const top = open[open.length - 1];
      if (top !== undefined && top.depth === depth) {
        open.pop();
        closeCall(top, problem, warnings);
      }
      depth = Math.max(0, depth - 1);
    } else if (c === 'p' && script.startsWith('printf', i)) {
      if (i > 0 && IDENT_CHAR.test(script[i - 1] as string)) continue;
      let j = i + 6;
      if (script[j] === ' ') j++;
      if (script[j] !== '(') continue;
      const call = ++calls;
      depth++;
      j++;
      if (script[j] === ' ') j++;
      i = j - 1;
      if (script[j] !== '"') {
        problem(call, 'the format must be a string literal (docs/hyperdbg-v0.23.md §5.1)');
        continue;
      }
      const fmtEnd = skipString(script, j);
      const conversions = countConversions(script.slice(j + 1, fmtEnd));
      i = fmtEnd;
      if (typeof conversions === 'string') {
        problem(call, conversions);
        continue;
      }
      open.push({ call, depth, conversions, args: 0 });
    }
  }
  for (const unclosed of open) problem(unclosed.call, "its ')' is missing");
  if (firstProblem !== null) return fail((firstProblem as { message: string }).message);
  return ok(warnings.sort((a, b) => a.call - b.call).map((w) => w.text));
}

/** A call's `)` was reached: its arguments against its conversions. */
function closeCall(
  c: OpenCall,
  problem: (call: number, message: string) => void,
  warnings: { call: number; text: string }[],
): void {
  const where = `printf call ${c.call}`;
  if (c.args !== c.conversions) {
    problem(
      c.call,
      `the format has ${c.conversions} conversion${c.conversions === 1 ? '' : 's'} but ${c.args} argument${c.args === 1 ? ' follows' : 's follow'}; HyperDbg rejects a mismatch as a syntax error (docs/hyperdbg-v0.23.md §5.1)`,
    );
    return;
  }
  if (c.args > PRINTF_ARGUMENTS_WARNING)
    warnings.push({
      call: c.call,
      text: `${where} has ${c.args} arguments; more than ${PRINTF_ARGUMENTS_WARNING} has not been tried on a real HyperDbg (docs/hyperdbg-v0.23.md §10.8)`,
    });
}

/** Index of the closing quote of the string starting at `start`. */
function skipString(s: string, start: number): number {
  let j = start + 1;
  while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
  return j;
}

/** Number of conversions in a printf format, or a message saying which `%` is refused. */
function countConversions(format: string): number | string {
  let count = 0;
  for (let i = 0; i < format.length; i++) {
    if (format[i] === '\\') {
      i++;
      continue;
    }
    if (format[i] !== '%') continue;
    const rest = format.slice(i + 1);
    const conv = PRINTF_CONVERSIONS.find((k) => rest.startsWith(k));
    if (conv !== undefined) {
      count++;
      i += conv.length;
      continue;
    }
    const spec = `%${rest.slice(0, /^[-+ #0-9.*]*[A-Za-z]{0,3}/.exec(rest)?.[0].length ?? 1)}`;
    if (rest.startsWith('%'))
      return "'%%' is not an escape in HyperDbg's printf; it prints as %% and upsets the argument count (docs/hyperdbg-v0.23.md §5.1)";
    if (/^[-+ #0-9.*]/.test(rest))
      return `'${spec}' has a width, precision or flag, which HyperDbg's printf does not support (docs/hyperdbg-v0.23.md §5.1); use the bare conversion`;
    if (/^(?:ll|l|h)?X/.test(rest))
      return `'${spec}' is upper-case; HyperDbg's printf has no %X, use %x (docs/hyperdbg-v0.23.md §5.1)`;
    return `'${spec}' is not a conversion HyperDbg's printf knows (docs/hyperdbg-v0.23.md §5.1: %d %i %u %o %x %c %p %s %f, %ls %ws, with l, h or ll)`;
  }
  return count;
}
