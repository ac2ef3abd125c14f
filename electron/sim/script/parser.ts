// Compiles `script { ... }` for the simulator (printf with v0.23's specifier check, print,
// assignments, memory functions, if/while/for) and reports errors in the script engine's format
// (HandleError: "Line %d:", the line, a caret, the cause; spec §3.3). Simulator side; pure.
import type { CompiledScript, Expr, FormatSpec, LValue, Stmt } from './ast';
import { ONE_OP_VALUE_FUNCTIONS, TWO_OP_VALUE_FUNCTIONS } from './names';
import { scan, type ScriptToken, type SymbolResolver } from './scanner';

export class ScriptSyntaxError extends Error {
  constructor(readonly report: string) {
    super(report);
  }
}

type Cause = 'Syntax Error: Invalid Syntax' | 'Syntax Error: Unresolved Variable';

/** Functions a statement may call for their effect (values are discarded). */
const STATEMENT_FUNCTIONS = new Set([
  'print',
  'formats',
  'pause',
  'flush',
  'microsleep',
  'event_enable',
  'event_disable',
  'event_clear',
  'event_sc',
  'memcpy',
  'spinlock_lock',
  'spinlock_unlock',
  'test_statement',
]);
/** Functions that yield a value inside expressions. */
const VALUE_FUNCTIONS = new Set([
  ...ONE_OP_VALUE_FUNCTIONS,
  ...TWO_OP_VALUE_FUNCTIONS,
  'strlen',
  'wcslen',
  'strcmp',
  'wcscmp',
  'memcmp',
  'strncmp',
  'wcsncmp',
  'rdtsc',
  'rdtscp',
  'reference',
  'interlocked_increment',
  'interlocked_decrement',
  'interlocked_exchange',
  'interlocked_exchange_add',
  'interlocked_compare_exchange',
  'physical_to_virtual',
  'virtual_to_physical',
  'disassemble_len',
  'disassemble_len32',
  'disassemble_len64',
]);

/**
 * The printf conversions script-engine.c accepts, checked at the character after each `%`:
 * d i u o x c p s f, and ws ls ld li lu lo lx hd hi hu ho hx lld lli llu llo llx (spec §5.1).
 * Anything else (a width, `%X`, `%%`) is not counted, so the count no longer matches the
 * arguments and the compiler reports a syntax error.
 */
export function formatSpecs(format: string): FormatSpec[] {
  const specs: FormatSpec[] = [];
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') continue;
    const rest = format.slice(i);
    const m = /^%(lld|lli|llu|llo|llx|ws|ls|ld|li|lu|lo|lx|hd|hi|hu|ho|hx|[diuoxcpsf])/.exec(rest);
    if (m !== null) specs.push({ at: i, text: m[0] });
  }
  return specs;
}

export function compileScript(source: string, resolve: SymbolResolver): CompiledScript {
  return new Parser(source, scan(source, resolve)).compile();
}

class Parser {
  private pos = 0;
  private readonly locals = new Set<string>();

  constructor(
    private readonly source: string,
    private readonly tokens: ScriptToken[],
  ) {}

  compile(): CompiledScript {
    const statements: Stmt[] = [];
    while (this.peek().type !== 'end') statements.push(...this.statementOrBlock());
    return { source: this.source, statements };
  }

  // ---- token helpers ----
  private peek(): ScriptToken {
    return this.tokens[this.pos] as ScriptToken;
  }
  private next(): ScriptToken {
    const t = this.peek();
    if (t.type === 'unknown') this.fail();
    if (t.type !== 'end') this.pos++;
    return t;
  }
  private is(value: string): boolean {
    const t = this.peek();
    return (t.type === 'special' || t.type === 'keyword') && t.value === value;
  }
  private expect(value: string): void {
    if (!this.is(value)) this.fail();
    this.pos++;
  }

  /** Reports at the current token, exactly where the LL(1) parser would stop. */
  private fail(cause: Cause = 'Syntax Error: Invalid Syntax'): never {
    const t = this.peek();
    const src = this.source;
    const upTo = src.slice(0, t.start + (src[t.start] === '\n' ? 1 : 0));
    const line = (upTo.match(/\n/g) ?? []).length;
    const lineStart = upTo.lastIndexOf('\n') + 1;
    const inputIdx = Math.min(t.end + 1, src.length);
    let lineEnd = src.indexOf('\n', inputIdx);
    if (lineEnd < 0) lineEnd = src.length;
    const caret = ' '.repeat(Math.max(0, t.start - lineStart));
    throw new ScriptSyntaxError(
      `Line ${line}:\n${src.slice(lineStart, lineEnd)}\n${caret}^\n${cause}`,
    );
  }

  // ---- statements ----
  private statementOrBlock(): Stmt[] {
    return this.is('{') ? this.block() : [this.statement()];
  }

  private block(): Stmt[] {
    this.expect('{');
    const body: Stmt[] = [];
    while (!this.is('}')) {
      if (this.peek().type === 'end') this.fail();
      body.push(...this.statementOrBlock());
    }
    this.pos++;
    return body;
  }

  private statement(): Stmt {
    const t = this.peek();
    if (t.type === 'unknown') this.fail();
    if (t.type === 'keyword') {
      switch (t.value) {
        case 'if':
          return this.ifStatement();
        case 'while': {
          this.pos++;
          const cond = this.parenthesized();
          return { k: 'while', cond, body: this.block() };
        }
        case 'do': {
          this.pos++;
          const body = this.block();
          this.expect('while');
          const cond = this.parenthesized();
          this.expect(';');
          return { k: 'do', body, cond };
        }
        case 'for':
          return this.forStatement();
        case 'break':
        case 'continue':
          this.pos++;
          this.expect(';');
          return { k: t.value };
        case 'printf':
          return this.printf();
        default: {
          if (STATEMENT_FUNCTIONS.has(t.value) || VALUE_FUNCTIONS.has(t.value)) {
            const e = this.call();
            this.expect(';');
            return { k: 'expr', e };
          }
          this.fail();
        }
      }
    }
    if (t.type === 'type') {
      // `int x = ...;`: the simulator keeps every variable as a 64-bit value.
      while (this.peek().type === 'type' || this.is('*')) this.pos++;
    }
    const s = this.assignment();
    this.expect(';');
    return s;
  }

  private ifStatement(): Stmt {
    this.pos++;
    const branches: { cond: Expr; body: Stmt[] }[] = [];
    const cond = this.parenthesized();
    branches.push({ cond, body: this.block() });
    while (this.is('elsif')) {
      this.pos++;
      const c = this.parenthesized();
      branches.push({ cond: c, body: this.block() });
    }
    let otherwise: Stmt[] | null = null;
    if (this.is('else')) {
      this.pos++;
      otherwise = this.block();
    }
    return { k: 'if', branches, otherwise };
  }

  private forStatement(): Stmt {
    this.pos++;
    this.expect('(');
    const init = this.is(';') ? null : this.assignment();
    this.expect(';');
    const cond = this.is(';') ? null : this.expression();
    this.expect(';');
    const step = this.is(')') ? null : this.assignment();
    this.expect(')');
    return { k: 'for', init, cond, step, body: this.block() };
  }

  private parenthesized(): Expr {
    this.expect('(');
    const e = this.expression();
    this.expect(')');
    return e;
  }

  private printf(): Stmt {
    this.pos++;
    this.expect('(');
    const fmt = this.peek();
    if (fmt.type !== 'string') this.fail();
    this.pos++;
    const args: Expr[] = [];
    while (this.is(',')) {
      this.pos++;
      args.push(this.expression());
    }
    const specs = formatSpecs(fmt.value);
    // The count check runs when the parser reduces the call, with ')' as the current token.
    if (specs.length !== args.length) this.fail();
    for (const a of args) this.checkResolved(a);
    this.expect(')');
    this.expect(';');
    return { k: 'printf', format: fmt.value, specs, args };
  }

  private assignment(): Stmt {
    let target: LValue;
    if (this.is('*')) {
      this.pos++;
      target = { k: 'deref', e: this.unary() };
      this.expect('=');
      const e = this.expression();
      this.checkResolved(e);
      return { k: 'assign', target, op: '=', e };
    }
    const t = this.peek();
    if (t.type === 'register') target = { k: 'reg', name: t.value };
    else if (t.type === 'global') target = { k: 'global', name: t.value };
    else if (t.type === 'id') target = { k: 'local', name: t.value };
    else this.fail();
    this.next();
    const op = this.peek();
    if (op.type === 'special' && (op.value === '++' || op.value === '--')) {
      this.pos++;
      this.checkResolved(target as Expr);
      return { k: 'assign', target, op: op.value, e: null };
    }
    if (
      op.type === 'special' &&
      ['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '^=', '|='].includes(op.value)
    ) {
      this.pos++;
      const e = this.expression();
      this.checkResolved(e);
      if (op.value !== '=') this.checkResolved(target as Expr);
      if (target.k === 'local') this.locals.add(target.name);
      return { k: 'assign', target, op: op.value, e };
    }
    return this.fail();
  }

  /** An unassigned local is an error when its value is used (ToSymbol in script-engine.c). */
  private checkResolved(e: Expr): void {
    switch (e.k) {
      case 'local':
        if (!this.locals.has(e.name)) this.fail('Syntax Error: Unresolved Variable');
        return;
      case 'unary':
        this.checkResolved(e.e);
        return;
      case 'bin':
        this.checkResolved(e.a);
        this.checkResolved(e.b);
        return;
      case 'call':
        e.args.forEach((a) => this.checkResolved(a));
        return;
      default:
    }
  }

  // ---- expressions (C precedence; relational/logical operators as in BOOLEAN_EXPRESSION) ----
  private expression(): Expr {
    return this.binary(0);
  }

  private static readonly LEVELS: readonly (readonly string[])[] = [
    ['||'],
    ['&&'],
    ['|'],
    ['^'],
    ['&'],
    ['==', '!='],
    ['<', '>', '<=', '>='],
    ['<<', '>>'],
    ['+', '-'],
    ['*', '/', '%'],
  ];

  private binary(level: number): Expr {
    if (level >= Parser.LEVELS.length) return this.unary();
    let a = this.binary(level + 1);
    const ops = Parser.LEVELS[level] as readonly string[];
    for (;;) {
      const t = this.peek();
      if (t.type !== 'special' || !ops.includes(t.value)) return a;
      this.pos++;
      const b = this.binary(level + 1);
      this.checkResolved(a);
      this.checkResolved(b);
      a = { k: 'bin', op: t.value, a, b };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.type === 'special' && ['-', '+', '~', '!', '*', '&'].includes(t.value)) {
      this.pos++;
      const e = this.unary();
      this.checkResolved(e);
      return { k: 'unary', op: t.value, e };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    switch (t.type) {
      case 'hex':
      case 'decimal':
      case 'octal':
      case 'binary': {
        this.pos++;
        const radix =
          t.type === 'hex' ? 16 : t.type === 'decimal' ? 10 : t.type === 'octal' ? 8 : 2;
        return { k: 'num', v: parseBig(t.value, radix) };
      }
      case 'string':
      case 'wstring':
        this.pos++;
        return { k: 'str', v: t.value, wide: t.type === 'wstring' };
      case 'register':
        this.pos++;
        return { k: 'reg', name: t.value };
      case 'pseudo':
        this.pos++;
        return { k: 'pseudo', name: t.value };
      case 'global':
        this.pos++;
        return { k: 'global', name: t.value };
      case 'id':
        this.pos++;
        return { k: 'local', name: t.value };
      case 'keyword':
        if (VALUE_FUNCTIONS.has(t.value)) return this.call();
        return this.fail();
      case 'special':
        if (t.value === '(') {
          this.pos++;
          const e = this.expression();
          this.expect(')');
          return e;
        }
        return this.fail();
      default:
        return this.fail();
    }
  }

  private call(): Expr {
    const name = this.next().value;
    this.expect('(');
    const args: Expr[] = [];
    if (!this.is(')')) {
      args.push(this.expression());
      while (this.is(',')) {
        this.pos++;
        args.push(this.expression());
      }
    }
    for (const a of args) this.checkResolved(a);
    this.expect(')');
    return { k: 'call', fn: name, args };
  }
}

/** Digits to a 64-bit value (wider values wrap, as the engine's 64-bit arithmetic does). */
function parseBig(digits: string, radix: number): bigint {
  let v = 0n;
  const r = BigInt(radix);
  for (const d of digits) v = (v * r + BigInt(parseInt(d, radix))) & 0xffffffffffffffffn;
  return v;
}
