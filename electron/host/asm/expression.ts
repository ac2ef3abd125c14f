// Constant expressions in assembly operands (`0x450`, `188h`, `-8`, `(1+2)*8`): tokens and an
// evaluator with one meaning per spelling, so the text handed to Keystone carries numbers this
// module computed (Keystone reads `010` as octal, for one). Host side, pure.

export type Token =
  | { readonly t: 'num'; readonly value: bigint; readonly text: string }
  | { readonly t: 'id'; readonly text: string }
  | { readonly t: 'op'; readonly text: '+' | '-' | '*' | '(' | ')' | '~' | '[' | ']' | ':' };

/** Every value an operand can hold is 64-bit; anything past it is a typo, not a number. */
const MAX_LITERAL = (1n << 64n) - 1n;

export class ExprError extends Error {}

/** Splits operand text into tokens; throws ExprError naming the first character it cannot read. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if ('+-*()~[]:'.includes(c)) {
      out.push({ t: 'op', text: c as '+' });
      i++;
      continue;
    }
    const word = /^[A-Za-z0-9_.$@?]+/.exec(text.slice(i));
    if (word === null) throw new ExprError(`unexpected '${c}'`);
    const w = word[0];
    i += w.length;
    if (/^[0-9]/.test(w)) out.push({ t: 'num', value: parseNumber(w), text: w });
    else out.push({ t: 'id', text: w });
  }
  return out;
}

/**
 * `0x1f`, `1fh`, `0b101` and decimal. A leading zero is decimal here (Keystone would read `010`
 * as octal; nobody writing HyperDbg actions means octal).
 */
export function parseNumber(w: string): bigint {
  let v: bigint;
  if (/^0x[0-9a-f]+$/i.test(w)) v = BigInt(w);
  else if (/^[0-9][0-9a-f]*h$/i.test(w)) v = BigInt(`0x${w.slice(0, -1)}`);
  else if (/^0b[01]+$/i.test(w)) v = BigInt(w);
  else if (/^[0-9]+$/.test(w)) v = BigInt(w.replace(/^0+(?=\d)/, ''));
  else throw new ExprError(`'${w}' is not a number`);
  if (v > MAX_LITERAL) throw new ExprError(`'${w}' does not fit in 64 bits`);
  return v;
}

/**
 * Evaluates tokens as a constant: `+ - * ~`, unary minus, parentheses. Identifiers are refused
 * (labels have no fixed address: the code runs wherever HyperDbg puts it).
 */
export function evaluate(tokens: readonly Token[]): bigint {
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (s: string) => {
    const t = peek();
    return t !== undefined && t.t === 'op' && t.text === s;
  };
  const expr = (): bigint => {
    let v = term();
    for (;;) {
      if (isOp('+')) {
        pos++;
        v += term();
      } else if (isOp('-')) {
        pos++;
        v -= term();
      } else return v;
    }
  };
  const term = (): bigint => {
    let v = unary();
    while (isOp('*')) {
      pos++;
      v *= unary();
    }
    return v;
  };
  const unary = (): bigint => {
    if (isOp('-')) {
      pos++;
      return -unary();
    }
    if (isOp('+')) {
      pos++;
      return unary();
    }
    if (isOp('~')) {
      pos++;
      return ~unary();
    }
    return primary();
  };
  const primary = (): bigint => {
    const t = peek();
    if (t === undefined) throw new ExprError('the expression ends too early');
    if (t.t === 'num') {
      pos++;
      return t.value;
    }
    if (t.t === 'op' && t.text === '(') {
      pos++;
      const v = expr();
      if (!isOp(')')) throw new ExprError("missing ')'");
      pos++;
      return v;
    }
    if (t.t === 'id')
      throw new ExprError(
        `'${t.text}' is not a constant (a label's address is not fixed; use [rip+${t.text}])`,
      );
    throw new ExprError(`unexpected '${t.text}'`);
  };
  if (tokens.length === 0) throw new ExprError('an operand is empty');
  const v = expr();
  if (pos < tokens.length) {
    const t = tokens[pos] as Token;
    throw new ExprError(`unexpected '${t.text}'`);
  }
  return v;
}

/** `0x1f` or `-0x1f`: how numbers are handed to Keystone. */
export function hexLiteral(v: bigint): string {
  return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}
