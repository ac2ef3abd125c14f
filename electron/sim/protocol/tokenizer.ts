// hyperdbg-cli's tokenizer (spec §1.3; CommandParser::Parse): space-separated tokens (TAB is not a
// separator), `{...}` kept as typed, `"..."` without quotes, `//` and `/* */` comments, and the
// escape quirks of `\"`, `\{` and `\}`. Simulator side; pure.
import { parseUInt64 } from './numbers';

export type TokenType = 'num' | 'string' | 'literal' | 'bracket';

export interface Token {
  readonly type: TokenType;
  /** The text as the CLI keeps it (trimmed for numbers and plain strings). */
  readonly text: string;
  readonly lower: string;
}

const NOT_FOUND = Number.POSITIVE_INFINITY;

/** C++ `isspace` in the "C" locale, which Trim uses. */
const trim = (s: string): string => s.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');

function find(s: string, what: string, from: number): number {
  const i = s.indexOf(what, from);
  return i < 0 ? NOT_FOUND : i;
}

export function tokenize(command: string): Token[] {
  const tokens: Token[] = [];
  const push = (type: TokenType, text: string) =>
    tokens.push({ type, text, lower: text.toLowerCase() });
  const addStringToken = (str: string, literal = false) => {
    const t = literal ? str : trim(str);
    if (t.length === 0) return;
    push(literal ? 'literal' : 'string', t);
  };
  const addToken = (str: string) => {
    const t = trim(str);
    if (parseUInt64(t) !== null) push('num', t);
    else addStringToken(str);
  };

  let input = command;
  let current = '';
  let inQuotes = false;
  let bracket = 0;
  // Characters before index 0 read as NUL in the original (never a backslash or a space).
  const at = (i: number): string => (i >= 0 && i < input.length ? (input[i] as string) : '\0');
  const erase = (i: number) => {
    input = input.slice(0, i) + input.slice(i + 1);
  };

  for (let i = 0; i < input.length; i++) {
    const c = input[i] as string;

    if (c === '/' && !inQuotes) {
      const c2 = at(i + 1);
      if (c2 === '/') {
        let strLitEnd = 0;
        const strLitBeg = find(input, '"', i);
        if (strLitBeg !== NOT_FOUND && (i === 0 || at(i - 1) !== '\\'))
          strLitEnd = find(input, '"', strLitBeg + 1);
        let closeBracket = NOT_FOUND;
        if (bracket) {
          let pos = find(input, '}', strLitEnd > i ? strLitEnd : i);
          while (pos !== NOT_FOUND) {
            if (at(pos - 1) === '\\') {
              erase(pos - 1);
              pos = find(input, '}', pos + 1);
            } else break;
          }
          closeBracket = pos;
        }
        let newLineText = find(input, '\\n', i);
        if (strLitBeg <= newLineText && newLineText <= strLitEnd) newLineText = NOT_FOUND;
        const newLineChar = find(input, '\n', i);
        const min = Math.min(closeBracket, newLineText, newLineChar);
        if (min !== NOT_FOUND && at(min - 1) !== '\\') {
          if (bracket) current += input.slice(i, min);
          i = min - 1;
          continue;
        }
        let comment = input.slice(i);
        if (newLineText !== NOT_FOUND && at(newLineText - 1) === '\\')
          comment = comment.replaceAll('\\\\n', '\\n');
        if (bracket) current += comment;
        i = input.length;
        continue;
      } else if (c2 === '*') {
        const end = find(input, '*/', i + 2);
        if (end !== NOT_FOUND) {
          if (bracket) current += input.slice(i, end + 2);
          i = end + 1;
          continue;
        }
      }
    }

    if (inQuotes && c === '"') {
      if (at(i - 1) !== '\\') {
        inQuotes = false;
        if (!bracket) {
          addStringToken(current, true);
          current = '';
        } else current += c;
        continue;
      }
      erase(i - 1);
      i--;
      if (!bracket) current = current.slice(0, -1);
      current += c;
      continue;
    }

    if (c === '}') {
      if (at(i - 1) !== '\\') {
        if (bracket) {
          if (!inQuotes) bracket--;
          if (!bracket) {
            push('bracket', current);
            current = '';
            continue;
          }
        }
      } else if (!inQuotes) {
        erase(i - 1);
        i--;
        current = current.slice(0, -1);
      }
    }

    if (c === ' ' && !inQuotes && !bracket) {
      if (current.length > 0 && current !== ' ') {
        addToken(current);
        current = '';
      }
      continue;
    } else if (c === '"') {
      if (i > 0) {
        if (at(i - 1) !== ' ' && !bracket && current.length > 0 && !inQuotes) {
          addStringToken(current);
          current = '';
        }
        if (at(i - 1) !== '\\') {
          inQuotes = true;
          if (!bracket) continue;
        }
      } else {
        inQuotes = true;
        if (!bracket) continue;
      }
    } else if (c === '{' && !inQuotes) {
      if (i > 0) {
        if (at(i - 1) !== '\\') {
          if (at(i - 1) !== ' ' && !bracket) {
            addToken(current);
            current = '';
          }
          bracket++;
          if (bracket === 1) continue;
        } else {
          erase(i - 1);
          i--;
          current = current.slice(0, -1);
        }
      } else {
        bracket++;
        if (bracket === 1) continue;
      }
    }

    // A stray "\n" (backslash, n) at the start of a token is dropped.
    if (c === '\\' && !inQuotes && current.length === 0 && at(i + 1) === 'n') {
      i++;
      continue;
    }
    current += c;
  }
  if (current.length > 0 && current !== ' ') addToken(current);
  return tokens;
}
