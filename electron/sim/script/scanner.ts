// The HyperDbg script scanner (scanner.c): numbers are hex by default (`0n` decimal, `0o` octal,
// `0y` binary), all-hex words are numbers unless keywords or registers, `nt!Symbol` becomes its
// address (or an unknown token), `.name` is a global, `.` after a value is member access, and
// anything unknown fails the parse. Simulator side; pure.
import { KEYWORDS, PSEUDO_REGISTERS, REGISTERS, VARIABLE_TYPES } from './names';

export type ScriptTokenType =
  | 'hex'
  | 'decimal'
  | 'octal'
  | 'binary'
  | 'float'
  | 'string'
  | 'wstring'
  | 'register'
  | 'pseudo'
  | 'keyword'
  | 'type'
  | 'id'
  | 'global'
  | 'special'
  | 'unknown'
  | 'end';

export interface ScriptToken {
  readonly type: ScriptTokenType;
  /** For numbers the digits, for strings the unescaped text, else the spelling. */
  readonly value: string;
  /** Index of the first character (the scanner's CurrentTokenIdx). */
  readonly start: number;
  /** Index after the last character. */
  readonly end: number;
}

const isHex = (c: string) => /^[0-9a-fA-F]$/.test(c);
const isLetter = (c: string) => /^[a-zA-Z]$/.test(c);
const isDecimal = (c: string) => /^[0-9]$/.test(c);

/** Resolves `module!name` to an address (the symbol callback); null when unknown. */
export type SymbolResolver = (name: string) => bigint | null;

const SPECIALS = [
  '>>=',
  '<<=',
  '++',
  '--',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '==',
  '!=',
  '>=',
  '<=',
  '>>',
  '<<',
  '&&',
  '||',
  '->',
];

export function scan(source: string, resolve: SymbolResolver): ScriptToken[] {
  const tokens: ScriptToken[] = [];
  let i = 0;
  const n = source.length;
  const ch = (k: number): string => (k < n ? (source[k] as string) : '');
  const push = (type: ScriptTokenType, value: string, start: number, end: number) =>
    tokens.push({ type, value, start, end });

  /** PreviousTokenCanEndExpression: a `.` after a value is an operator, not a global's name. */
  const endsValue = (): boolean => {
    const t = tokens[tokens.length - 1];
    if (t === undefined) return false;
    if (t.type === 'special') return t.value === ')' || t.value === ']';
    return (
      t.type !== 'keyword' &&
      t.type !== 'type' &&
      t.type !== 'string' &&
      t.type !== 'wstring' &&
      t.type !== 'unknown'
    );
  };

  while (i < n) {
    const c = ch(i);
    const start = i;
    if (c === ' ' || c === '\t' || c === '\n') {
      i++;
      continue;
    }
    if (c === '/' && ch(i + 1) === '/') {
      while (i < n && ch(i) !== '\n') i++;
      i++; // the newline after a line comment belongs to the comment
      continue;
    }
    if (c === '/' && ch(i + 1) === '*') {
      const close = source.indexOf('*/', i + 2);
      if (close < 0) {
        push('unknown', source.slice(i), start, n);
        break;
      }
      i = close + 2;
      continue;
    }
    if (c === '"' || (c === 'L' && ch(i + 1) === '"')) {
      const wide = c === 'L';
      let k = wide ? i + 2 : i + 1;
      let text = '';
      let bad = false;
      for (;;) {
        if (k >= n) {
          bad = true;
          break;
        }
        const d = ch(k);
        if (d === '"') {
          k++;
          break;
        }
        if (d === '\\') {
          const e = ch(k + 1);
          if (e === 'n') text += '\n';
          else if (e === '\\') text += '\\';
          else if (e === 't') text += '\t';
          else if (e === '"') text += '"';
          else if (e === 'x' && !wide) {
            let digits = '';
            let m = k + 2;
            while (digits.length < 3 && isHex(ch(m))) digits += ch(m++);
            if (digits.length === 0 || digits.length === 3) {
              bad = true;
              k = m;
              break;
            }
            text += String.fromCharCode(parseInt(digits, 16));
            k = m;
            continue;
          } else {
            bad = true;
            k += 2;
            break;
          }
          k += 2;
          continue;
        }
        text += d;
        k++;
      }
      push(bad ? 'unknown' : wide ? 'wstring' : 'string', text, start, k);
      i = k;
      continue;
    }
    if (c === '@' || c === '$') {
      let k = i + 1;
      let name = '';
      if (!isLetter(ch(k))) {
        push('unknown', c, start, k);
        i = k;
        continue;
      }
      while (isLetter(ch(k)) || isDecimal(ch(k)) || ch(k) === '_') name += ch(k++);
      const known = c === '@' ? REGISTERS.has(name) : PSEUDO_REGISTERS.has(name);
      push(known ? (c === '@' ? 'register' : 'pseudo') : 'unknown', name, start, k);
      i = k;
      continue;
    }
    if (c === '.' && endsValue()) {
      push('special', '.', start, i + 1);
      i++;
      continue;
    }
    if (c === '.' && isDecimal(ch(i + 1))) {
      let k = i + 1;
      while (isDecimal(ch(k))) k++;
      push('float', source.slice(i, k), start, k);
      i = k;
      continue;
    }
    if (c === '#') {
      let k = i + 1;
      while (isLetter(ch(k)) || isHex(ch(k)) || ch(k) === '_' || ch(k) === '!') k++;
      const word = source.slice(i, k);
      push(word === '#include' ? 'keyword' : 'unknown', word, start, k);
      i = k;
      continue;
    }
    if (
      c === '.' &&
      (isLetter(ch(i + 1)) || isHex(ch(i + 1)) || ch(i + 1) === '_' || ch(i + 1) === '!')
    ) {
      let k = i + 1;
      while (isLetter(ch(k)) || isHex(ch(k)) || ch(k) === '_' || ch(k) === '!') k++;
      const word = source.slice(i, k);
      if (word.includes('!')) {
        const at = resolve(word.slice(1));
        push(at === null ? 'unknown' : 'hex', at === null ? word : at.toString(16), start, k);
      } else push('global', word, start, k);
      i = k;
      continue;
    }
    if (isDecimal(c)) {
      let k = i;
      if (c === '0' && 'xony'.includes(ch(i + 1)) && ch(i + 1) !== '') {
        const kind = ch(i + 1);
        const ok =
          kind === 'x'
            ? isHex
            : kind === 'o'
              ? (x: string) => /^[0-7]$/.test(x)
              : kind === 'n'
                ? isDecimal
                : (x: string) => x === '0' || x === '1';
        k = i + 2;
        let digits = '';
        while (ok(ch(k)) || ch(k) === '`') {
          if (ch(k) !== '`') digits += ch(k);
          k++;
        }
        push(
          kind === 'x' ? 'hex' : kind === 'o' ? 'octal' : kind === 'n' ? 'decimal' : 'binary',
          digits,
          start,
          k,
        );
        i = k;
        continue;
      }
      let digits = '';
      let onlyDecimal = true;
      while (isHex(ch(k)) || ch(k) === '`') {
        if (ch(k) !== '`') {
          digits += ch(k);
          if (!isDecimal(ch(k))) onlyDecimal = false;
        }
        k++;
      }
      if (ch(k) === '.' && onlyDecimal) {
        k++;
        while (isDecimal(ch(k))) k++;
        push('float', source.slice(i, k), start, k);
      } else push('hex', digits, start, k);
      i = k;
      continue;
    }
    if (isLetter(c) || c === '_' || c === '!') {
      let k = i;
      let word = '';
      while (
        isLetter(ch(k)) ||
        isDecimal(ch(k)) ||
        ch(k) === '_' ||
        ch(k) === '!' ||
        ch(k) === '`'
      ) {
        if (ch(k) !== '`') word += ch(k);
        k++;
      }
      i = k;
      if (KEYWORDS.has(word)) push('keyword', word, start, k);
      else if (REGISTERS.has(word)) push('register', word, start, k);
      else if (VARIABLE_TYPES.has(word)) push('type', word, start, k);
      else if (word.includes('!')) {
        const at = resolve(word);
        push(at === null ? 'unknown' : 'hex', at === null ? word : at.toString(16), start, k);
      } else if (/^[0-9a-fA-F]+$/.test(word)) push('hex', word, start, k);
      else push('id', word, start, k);
      continue;
    }
    const three = source.slice(i, i + 3);
    const two = source.slice(i, i + 2);
    const special = SPECIALS.find((s) => s === three || s === two);
    if (special !== undefined) {
      push('special', special, start, i + special.length);
      i += special.length;
      continue;
    }
    if ('~+-*/%=!<>,;:(){}[]|&^.'.includes(c)) {
      push('special', c, start, i + 1);
      i++;
      continue;
    }
    push('unknown', c, start, i + 1);
    i++;
  }
  // The end marker sits where the scanner last looked: the final whitespace if the text ends in
  // some, else the last token (CurrentTokenIdx is not moved when the end is reported).
  const last = tokens[tokens.length - 1];
  const endAt = n > 0 && /[ \t\n]/.test(source[n - 1] as string) ? n - 1 : (last?.start ?? 0);
  tokens.push({ type: 'end', value: '$', start: endAt, end: n });
  return tokens;
}
