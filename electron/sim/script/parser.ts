// Compiles a script as v0.23's script engine does (script-engine/python/Grammar.txt for
// statements, Boolean_Expression_Grammar.txt for conditions, CodeGen in script-engine.c for the
// typing rules) and reports errors in HandleError's format: "Line %d:", the line, a caret under
// the token, the cause. What the simulator does not model (floating point, struct, typedef,
// #include, member access) is refused with v0.23's "Invalid Syntax" at that token.
// Simulator side; pure.
import type { BinaryOp, CompiledScript, Expr, FormatSpec, LValue, Stmt, UserFunction } from './ast';
import { MAX_SIZEOF_NESTING, MAX_TEMP_COUNT } from './limits';
import { ONE_OP_VALUE_FUNCTIONS, TWO_OP_VALUE_FUNCTIONS } from './names';
import { GlobalNames } from './pools';
import { scan, type ScriptToken, type SymbolResolver } from './scanner';
import {
  commonType,
  IMPLICIT_TYPE,
  type IntType,
  LITERAL_TYPE,
  pointerTo,
  type PointerType,
  promote,
  type ScriptType,
  T,
  typeFromWords,
} from './types';

export class ScriptSyntaxError extends Error {
  constructor(readonly report: string) {
    super(report);
  }
}

/** HandleError's causes (script-engine.c), exactly as printed after the caret line. */
export const CAUSES = {
  syntax: 'Syntax Error: Invalid Syntax',
  unknownToken: 'Syntax Error: Unknown Token',
  unresolved: 'Syntax Error: Unresolved Variable',
  tempsFull: 'Internal Error: Please split the expression to many smaller expressions.',
  undefinedFunction: 'Undefined Function',
  undefinedType: 'Undefined Variable Type',
  voidReturningValue: 'Returning a value in void function',
  nonVoidWithoutValue: 'Not returning a value in noo-void function',
  incompleteType: 'Incomplete struct type cannot be used by value',
} as const;
type Cause = (typeof CAUSES)[keyof typeof CAUSES];

/** Grammar.txt's function classes. */
const ZERO_OP_STATEMENT = new Set([
  'pause',
  'flush',
  'event_trace_step',
  'event_trace_step_in',
  'event_trace_step_out',
  'event_trace_instrumentation_step',
  'event_trace_instrumentation_step_in',
]);
const ZERO_OP_VALUE = new Set([
  'rdtsc',
  'rdtscp',
  'lbr_save',
  'lbr_dump',
  'lbr_print',
  'lbr_restore',
  'lbr_check',
]);
const ONE_OP_VALUE = new Set([
  ...ONE_OP_VALUE_FUNCTIONS,
  'disassemble_len',
  'disassemble_len32',
  'disassemble_len64',
  'interlocked_increment',
  'interlocked_decrement',
  'reference',
  'physical_to_virtual',
  'virtual_to_physical',
  'poi_pa',
  'hi_pa',
  'low_pa',
  'db_pa',
  'dd_pa',
  'dw_pa',
  'dq_pa',
  'lbr_restore_by_filter',
]);
const ONE_OP_STATEMENT = new Set([
  'print',
  'formats',
  'event_enable',
  'event_disable',
  'event_clear',
  'test_statement',
  'spinlock_lock',
  'spinlock_unlock',
  'event_sc',
  'microsleep',
]);
const TWO_OP_VALUE = new Set([
  ...TWO_OP_VALUE_FUNCTIONS,
  'interlocked_exchange',
  'interlocked_exchange_add',
  'eb_pa',
  'ed_pa',
  'eq_pa',
]);
const TWO_OP_STATEMENT = new Set(['spinlock_lock_custom_wait', 'event_inject']);
const THREE_OP_VALUE = new Set(['interlocked_compare_exchange']);
const THREE_OP_STATEMENT = new Set(['event_inject_error_code', 'memcpy', 'memcpy_pa']);
/** Functions whose arguments may be string literals: [argument count, which take strings, wide]. */
const STRING_FUNCTIONS: Readonly<Record<string, readonly [number, readonly boolean[], boolean]>> = {
  strlen: [1, [true], false],
  strcmp: [2, [true, true], false],
  memcmp: [3, [true, true, false], false],
  strncmp: [3, [true, true, false], false],
  wcslen: [1, [true], true],
  wcscmp: [2, [true, true], true],
  wcsncmp: [3, [true, true, false], true],
};

/** How many arguments each value/statement function takes, and whether it yields a value. */
function builtin(name: string): { args: number; value: boolean } | null {
  if (ZERO_OP_STATEMENT.has(name)) return { args: 0, value: false };
  if (ZERO_OP_VALUE.has(name)) return { args: 0, value: true };
  if (ONE_OP_VALUE.has(name)) return { args: 1, value: true };
  if (ONE_OP_STATEMENT.has(name)) return { args: 1, value: false };
  if (TWO_OP_VALUE.has(name)) return { args: 2, value: true };
  if (TWO_OP_STATEMENT.has(name)) return { args: 2, value: false };
  if (THREE_OP_VALUE.has(name)) return { args: 3, value: true };
  if (THREE_OP_STATEMENT.has(name)) return { args: 3, value: false };
  const s = STRING_FUNCTIONS[name];
  if (s !== undefined) return { args: s[0], value: true };
  return null;
}

/**
 * The printf conversions script-engine.c accepts, checked at the character after each `%`:
 * d i u o x c p s f, and ws ls ld li lu lo lx hd hi hu ho hx lld lli llu llo llx. Anything else
 * (a width, `%X`, `%%`) is not counted, so the count no longer matches the arguments.
 */
export function formatSpecs(format: string): FormatSpec[] {
  const specs: FormatSpec[] = [];
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') continue;
    const m = /^%(lld|lli|llu|llo|llx|ws|ls|ld|li|lu|lo|lx|hd|hi|hu|ho|hx|[diuoxcpsf])/.exec(
      format.slice(i),
    );
    if (m !== null) specs.push({ at: i, text: m[0] });
  }
  return specs;
}

export function compileScript(
  source: string,
  resolve: SymbolResolver,
  globals: GlobalNames = new GlobalNames(),
): CompiledScript {
  return new Parser(source, scan(source, resolve), globals).compile();
}

interface Local {
  readonly slot: number;
  type: ScriptType;
}

interface Scope {
  readonly name: string;
  readonly returnType: ScriptType;
  readonly locals: Map<string, Local>;
  readonly params: string[];
  slots: number;
  maxTemps: number;
  readonly isMain: boolean;
}

interface FunctionInfo {
  readonly index: number;
  readonly params: number;
  readonly returnType: ScriptType;
}

/** An expression and how many temporaries its evaluation needs at peak (for MAX_TEMP_COUNT). */
interface Typed {
  readonly e: Expr;
  readonly need: number;
  /** Whether the value sits in a temporary while the enclosing operation runs. */
  readonly live: boolean;
}

type Mode = 'plain' | 'bool';

const ASSIGN_OPS = ['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '^=', '|='];
const COMPARISONS = ['==', '!=', '<', '>', '<=', '>='];

class Parser {
  private pos = 0;
  private readonly functions = new Map<string, FunctionInfo>();
  private readonly functionDefs: UserFunction[] = [];
  private scope: Scope;
  private readonly main: Scope;
  private loops = 0;
  private sizeofDepth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: ScriptToken[],
    private readonly globals: GlobalNames,
  ) {
    this.main = this.newScope('main', T.void, true);
    this.scope = this.main;
    // UserDefinedFunctionHead is named "main": the word is a function name in every script.
    this.functions.set('main', { index: -1, params: 0, returnType: T.void });
  }

  private newScope(name: string, returnType: ScriptType, isMain: boolean): Scope {
    return { name, returnType, locals: new Map(), params: [], slots: 0, maxTemps: 0, isMain };
  }

  compile(): CompiledScript {
    const statements: Stmt[] = [];
    while (this.peek().type !== 'end') statements.push(...this.topLevel());
    return {
      source: this.source,
      statements,
      functions: this.functionDefs,
      frameSlots: this.main.maxTemps + this.main.slots,
      temps: this.main.maxTemps,
    };
  }

  // ---- tokens ----
  private peek(offset = 0): ScriptToken {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as ScriptToken;
  }
  private is(value: string): boolean {
    const t = this.peek();
    return (t.type === 'special' || t.type === 'keyword') && t.value === value;
  }
  private advance(): ScriptToken {
    const t = this.peek();
    if (t.type !== 'end') this.pos++;
    // The scanner reports an unknown token as soon as it reads it (one token ahead).
    if (this.peek().type === 'unknown') this.fail();
    return t;
  }
  private expect(value: string): ScriptToken {
    if (!this.is(value)) this.fail();
    return this.advance();
  }

  /** HandleError: the line of the current token, a caret under it, the cause. */
  private fail(cause: Cause = CAUSES.syntax): never {
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

  /** S at the top level: a statement, or `{ STATEMENT S }` (at least one statement inside). */
  private topLevel(): Stmt[] {
    if (!this.is('{')) return this.statement(true);
    this.advance();
    const body = this.statement(true);
    while (!this.is('}')) {
      if (this.peek().type === 'end') this.fail();
      body.push(...this.topLevel());
    }
    this.advance();
    return body;
  }

  /** `{ S2 }`: the body of if/while/for/do and of functions. */
  private block(): Stmt[] {
    this.expect('{');
    const body: Stmt[] = [];
    while (!this.is('}')) {
      if (this.peek().type === 'end') this.fail();
      if (this.is('{')) {
        this.advance();
        body.push(...this.statement(false));
        while (!this.is('}')) {
          if (this.peek().type === 'end') this.fail();
          body.push(...this.statement(false));
        }
        this.advance();
      } else body.push(...this.statement(false));
    }
    this.advance();
    return body;
  }

  /** STATEMENT (top level) or STATEMENT2 (inside braces); returns zero or more statements. */
  private statement(top: boolean): Stmt[] {
    const t = this.peek();
    if (t.type === 'keyword') {
      switch (t.value) {
        case 'if':
          return [this.ifStatement()];
        case 'while':
          return [this.whileStatement()];
        case 'do':
          return [this.doStatement()];
        case 'for':
          return [this.forStatement()];
        case 'break':
        case 'continue':
          // @BREAK/@CONTINUE search the matched stack for the enclosing loop's start.
          if (this.loops === 0) this.fail();
          this.advance();
          this.expect(';');
          return [{ k: t.value }];
        case 'return':
          if (top) this.fail();
          return [this.returnStatement()];
        case 'printf':
          return [this.printf()];
        default: {
          const b = builtin(t.value);
          if (b === null) this.fail(); // struct, typedef, #include, sizeof: not a statement here
          const call = this.builtinCall(t.value, 'plain');
          this.expect(';');
          this.noteTemps(call.need);
          return [{ k: 'expr', e: call.e }];
        }
      }
    }
    if (t.type === 'type') return this.declaration(top);
    if (t.type === 'float') this.fail();
    if (t.type === 'special' && t.value === '*') {
      // ASSIGNMENT_STATEMENT->* L_VALUE = EXPRESSION @DEREFERENCE
      this.advance();
      const target = this.lvalueToken(false);
      if (target.k === 'unresolved') this.fail(CAUSES.unresolved);
      this.expect('=');
      const value = this.expression('plain');
      this.checkResolvedNow(value);
      this.expect(';');
      this.noteTemps(value.need + 1);
      const address = this.readLValue(target.lv);
      return [
        {
          k: 'assign',
          targets: [{ k: 'deref', address, type: IMPLICIT_TYPE }],
          op: '=',
          e: value.e,
        },
      ];
    }
    if (t.type === 'id' && this.functions.has(t.value)) {
      const call = this.userCall(false);
      this.expect(';');
      this.noteTemps(call.need);
      return [{ k: 'expr', e: call.e }];
    }
    const s = this.assignment(true);
    this.expect(';');
    return [s];
  }

  private ifStatement(): Stmt {
    this.advance();
    const branches: { cond: Expr; body: Stmt[] }[] = [];
    branches.push({ cond: this.condition(), body: this.block() });
    while (this.is('elsif')) {
      this.advance();
      branches.push({ cond: this.condition(), body: this.block() });
    }
    let otherwise: Stmt[] | null = null;
    if (this.is('else')) {
      this.advance();
      otherwise = this.block();
    }
    return { k: 'if', branches, otherwise };
  }

  private whileStatement(): Stmt {
    this.advance();
    const cond = this.condition();
    this.loops++;
    const body = this.block();
    this.loops--;
    return { k: 'while', cond, body };
  }

  private doStatement(): Stmt {
    this.advance();
    this.loops++;
    const body = this.block();
    this.loops--;
    if (!this.is('while')) this.fail();
    this.advance();
    const cond = this.condition();
    this.expect(';');
    return { k: 'do', body, cond };
  }

  /** `( BOOLEAN_EXPRESSION )`: an unknown token right after it is "Unknown Token". */
  private condition(): Expr {
    this.expect('(');
    const c = this.expression('bool');
    this.checkResolvedNow(c);
    this.noteTemps(c.need);
    if (!this.is(')')) this.fail();
    this.pos++;
    if (this.peek().type === 'unknown') this.fail(CAUSES.unknownToken);
    return c.e;
  }

  /** `for ( SIMPLE_ASSIGNMENT ; BOOLEAN_EXPRESSION ; INC_DEC ) { S2 }`. */
  private forStatement(): Stmt {
    this.advance();
    this.expect('(');
    let init: Stmt | null = null;
    if (this.peek().type === 'type') init = this.typedAssignment();
    else if (!this.is(';')) init = this.assignment(false, ['=']);
    this.expect(';');
    const c = this.expression('bool');
    this.checkResolvedNow(c);
    this.noteTemps(c.need);
    if (!this.is(';')) this.fail();
    this.pos++;
    if (this.peek().type === 'unknown') this.fail(CAUSES.unknownToken);
    // INC_DEC: an lvalue, optionally with ++, --, = or op=.
    const step = this.assignment(false, ASSIGN_OPS, true);
    this.expect(')');
    this.loops++;
    const body = this.block();
    this.loops--;
    return { k: 'for', init, cond: c.e, step, body };
  }

  private returnStatement(): Stmt {
    this.advance();
    if (this.is(';')) {
      if (this.scope.returnType.k !== 'void') this.fail(CAUSES.nonVoidWithoutValue);
      this.advance();
      return { k: 'return', e: null };
    }
    const v = this.expression('plain');
    this.checkResolvedNow(v);
    if (this.scope.returnType.k === 'void') this.fail(CAUSES.voidReturningValue);
    this.expect(';');
    this.noteTemps(v.need);
    return { k: 'return', e: v.e };
  }

  /** VARIABLE_TYPE1 VARIABLE_TYPE2: type words, then `*`s. */
  private typeName(): { type: ScriptType | null; words: string[] } {
    const words: string[] = [];
    while (this.peek().type === 'type') words.push(this.advance().value);
    let type: ScriptType | null = typeFromWords(words);
    let stars = 0;
    while (this.is('*')) {
      this.advance();
      stars++;
    }
    for (let i = 0; i < stars && type !== null; i++)
      type = pointerTo(type.k === 'void' ? null : type);
    return { type, words };
  }

  /** A declaration: `T x = e;`, and at the top level also `T a[N] = {...};` and functions. */
  private declaration(top: boolean): Stmt[] {
    if (!top) {
      const s = this.typedAssignment();
      this.expect(';');
      return [s];
    }
    const start = this.pos;
    const { type, words } = this.typeName();
    if (words.includes('float') || words.includes('double')) {
      this.pos = start;
      this.fail(); // floating point is not modelled by the simulator
    }
    const nameTok = this.peek();
    if (nameTok.type !== 'id' && nameTok.type !== 'global') this.fail();
    if (this.peek(1).type === 'special' && this.peek(1).value === '(') {
      if (type === null) this.fail(CAUSES.undefinedType);
      this.advance();
      return [this.functionDefinition(nameTok.value, type)];
    }
    if (this.peek(1).type === 'special' && this.peek(1).value === '[') {
      this.advance();
      return [this.arrayDeclaration(nameTok, type)];
    }
    this.pos = start;
    const s = this.typedAssignment();
    this.expect(';');
    return [s];
  }

  /** `T x = e (= e)*` (SIMPLE_ASSIGNMENT / STATEMENT2's declaration): x is (re)typed. */
  private typedAssignment(): Stmt {
    const start = this.pos;
    const { type, words } = this.typeName();
    if (words.includes('float') || words.includes('double')) {
      this.pos = start;
      this.fail();
    }
    const t = this.peek();
    if (t.type !== 'id' && t.type !== 'global' && t.type !== 'register') this.fail();
    this.advance();
    this.expect('=');
    const chain = [this.expression('plain')];
    while (this.is('=')) {
      this.advance();
      chain.push(this.expression('plain'));
    }
    for (const c of chain) this.checkResolvedNow(c);
    if (type === null) this.fail(CAUSES.undefinedType);
    this.noteTemps(Math.max(...chain.map((c) => c.need)) + 1);
    const lv = this.declare(t, type);
    // @MOV checks the conversion; @MULTIPLE_ASSIGNMENT (a chain) does not.
    if (chain.length === 1) this.checkPointerStore(lv, chain[0] as Typed);
    const value = this.convertForStore(chain[chain.length - 1] as Typed, type, false);
    const targets: LValue[] = [lv];
    // MULTIPLE_ASSIGNMENT: `T a = b = e` assigns to b too (b must be an lvalue expression).
    for (const c of chain.slice(0, -1).reverse()) targets.push(this.exprAsLValue(c.e));
    return { k: 'assign', targets: targets.reverse(), op: '=', e: value };
  }

  /** Registers (or retypes) a declared variable and returns where it lives. */
  private declare(t: ScriptToken, type: ScriptType): LValue {
    if (t.type === 'register') return { k: 'reg', name: t.value, type: LITERAL_TYPE };
    if (t.type === 'global') {
      let index = this.globals.indexOf(t.value);
      if (index < 0) index = this.globals.register(t.value, type);
      else this.globals.setType(index, type);
      return { k: 'global', index, type };
    }
    const param = this.scope.params.indexOf(t.value);
    if (param >= 0) return { k: 'param', index: param, type: LITERAL_TYPE };
    let local = this.scope.locals.get(t.value);
    if (local === undefined) {
      local = { slot: this.scope.slots++, type };
      this.scope.locals.set(t.value, local);
    } else local.type = type;
    return { k: 'local', slot: local.slot, type };
  }

  /** `T name ( params ) { S2 }` at the top level (@START_OF_USER_DEFINED_FUNCTION). */
  private functionDefinition(name: string, returnType: ScriptType): Stmt {
    if (!this.scope.isMain) this.fail();
    const index = this.functionDefs.length;
    const scope = this.newScope(name, returnType, false);
    const outer = this.scope;
    this.scope = scope;
    // Registered before its body, so the function may call itself.
    const info = { index, params: 0, returnType };
    this.functions.set(name, info);
    this.expect('(');
    if (!this.is(')')) {
      for (;;) {
        const { type } = this.typeName();
        const p = this.peek();
        if (p.type !== 'id') this.fail();
        if (type === null) this.fail(CAUSES.undefinedType);
        this.advance();
        scope.params.push(p.value);
        if (!this.is(',')) break;
        this.advance();
      }
    }
    this.functions.set(name, { ...info, params: scope.params.length });
    this.expect(')');
    const loops = this.loops;
    this.loops = 0;
    const body = this.block();
    this.loops = loops;
    this.scope = outer;
    this.functionDefs[index] = {
      name,
      params: scope.params.length,
      returnType,
      body,
      frameSlots: scope.maxTemps + scope.slots,
      temps: scope.maxTemps,
    };
    return { k: 'expr', e: { k: 'num', v: 0n, type: LITERAL_TYPE } };
  }

  /** `T a[N]...[M] = { ... };` (@ARRAY_DECLARITION): locals only; one initializer too many is accepted. */
  private arrayDeclaration(nameTok: ScriptToken, type: ScriptType | null): Stmt {
    const dims: number[] = [];
    while (this.is('[')) {
      this.advance();
      const d = this.peek();
      if (!['hex', 'decimal', 'octal', 'binary', 'float'].includes(d.type)) this.fail();
      this.advance();
      // atoi of the token's digits: the size is read as decimal whatever the radix (script-engine.c).
      dims.push(Number.parseInt(/^\d*/.exec(d.value)?.[0] || '0', 10));
      this.expect(']');
    }
    this.expect('=');
    if (type === null) this.fail(CAUSES.undefinedType);
    const values: Typed[] = [];
    const initList = (): void => {
      this.expect('{');
      for (;;) {
        if (this.is('{')) initList();
        else values.push(this.expression('plain'));
        if (!this.is(',')) break;
        this.advance();
        if (this.is('}')) break;
      }
      this.expect('}');
    };
    initList();
    for (const v of values) this.checkResolvedNow(v);
    this.expect(';');
    if (type.k !== 'int') this.fail();
    const elements = dims.reduce((n, d) => n * d, 1);
    const total = elements * type.size;
    // An element may be written while (count * size) <= total: one past the end still passes.
    if ((values.length - 1) * type.size > total) this.fail();
    let arrayType: ScriptType = type;
    for (const d of [...dims].reverse())
      arrayType = { k: 'array', element: arrayType, length: d, size: arrayType.size * d };
    if (nameTok.type !== 'id' || this.scope.locals.has(nameTok.value)) {
      // A global (or an existing name) gets no storage: its elements cannot be addressed.
      this.fail();
    }
    const slot = this.scope.slots;
    this.scope.slots += Math.ceil(total / 8);
    this.scope.locals.set(nameTok.value, { slot, type: arrayType });
    this.noteTemps(Math.max(0, ...values.map((v) => v.need)) + 1);
    return {
      k: 'arrayInit',
      slot,
      element: type,
      values: values.map((v) => this.convertForStore(v, type, false)),
      elements: Math.max(elements, values.length),
    };
  }

  /** An assignment statement or a `for` step; `allowBare` accepts a lone lvalue (INC_DEC'). */
  private assignment(
    statement: boolean,
    ops: readonly string[] = ASSIGN_OPS,
    allowBare = false,
  ): Stmt {
    const head = this.lvalueToken(true);
    const op = this.peek();
    const isOp = op.type === 'special';
    if (isOp && (op.value === '++' || op.value === '--') && (statement || allowBare)) {
      this.advance();
      if (head.k === 'unresolved') this.fail(CAUSES.unresolved);
      return { k: 'assign', targets: [head.lv], op: op.value, e: null };
    }
    if (!isOp || !ops.includes(op.value)) {
      if (allowBare && head.k !== 'unresolved') return { k: 'expr', e: this.readLValue(head.lv) };
      this.fail();
    }
    this.advance();
    if (op.value === '=') {
      const chain = [this.expression('plain')];
      while (this.is('=')) {
        this.advance();
        chain.push(this.expression('plain'));
      }
      for (const c of chain) this.checkResolvedNow(c);
      this.noteTemps(Math.max(...chain.map((c) => c.need)) + 1);
      const last = chain[chain.length - 1] as Typed;
      const targets: LValue[] = [];
      for (const c of chain.slice(0, -1)) targets.push(this.exprAsLValue(c.e));
      const lv = head.k === 'unresolved' ? this.declareImplicit(head.tok) : head.lv;
      if (head.k !== 'unresolved' && chain.length === 1) this.checkPointerStore(lv, last);
      targets.unshift(lv);
      return {
        k: 'assign',
        targets,
        op: '=',
        e: this.convertForStore(last, this.lvalueType(lv), head.k === 'unresolved'),
      };
    }
    const rhs = this.expression('plain');
    this.checkResolvedNow(rhs);
    if (head.k === 'unresolved') this.fail(CAUSES.unresolved);
    this.noteTemps(rhs.need + 2);
    return { k: 'assign', targets: [head.lv], op: op.value, e: rhs.e };
  }

  /** `x = e` on a new name: an untyped (unsigned long long) local or global (@MOV). */
  private declareImplicit(t: ScriptToken): LValue {
    if (t.type === 'global') {
      const index = this.globals.register(t.value, IMPLICIT_TYPE);
      return { k: 'global', index, type: IMPLICIT_TYPE };
    }
    const slot = this.scope.slots++;
    this.scope.locals.set(t.value, { slot, type: IMPLICIT_TYPE });
    return { k: 'local', slot, type: IMPLICIT_TYPE };
  }

  /** An lvalue at the current token: a variable, register, parameter or array element. */
  private lvalueToken(
    allowIndex: boolean,
  ): { k: 'ok'; lv: LValue } | { k: 'unresolved'; tok: ScriptToken } {
    const t = this.peek();
    if (t.type === 'register') {
      this.advance();
      // A register's type (long) has no Base to index by.
      if (this.is('[')) this.failIndexing(CAUSES.syntax);
      return { k: 'ok', lv: { k: 'reg', name: t.value, type: LITERAL_TYPE } };
    }
    if (t.type === 'global') {
      this.advance();
      if (this.is('.') || this.is('->')) this.fail(); // struct members are not modelled
      const index = this.globals.indexOf(t.value);
      if (index < 0) {
        if (this.is('[')) this.failIndexing(CAUSES.unresolved);
        return { k: 'unresolved', tok: t };
      }
      const type = this.globals.typeOf(index);
      if (this.is('[')) {
        if (!allowIndex) this.fail();
        const el = this.indexInto({ k: 'global', index, type }, type);
        return { k: 'ok', lv: { k: 'store', address: el.address, type: el.type } };
      }
      return { k: 'ok', lv: { k: 'global', index, type } };
    }
    if (t.type === 'id') {
      if (this.functions.has(t.value)) this.fail();
      this.advance();
      if (this.is('.') || this.is('->')) this.fail();
      const param = this.scope.params.indexOf(t.value);
      if (param >= 0) {
        if (this.is('[')) this.failIndexing(CAUSES.syntax);
        return { k: 'ok', lv: { k: 'param', index: param, type: LITERAL_TYPE } };
      }
      const local = this.scope.locals.get(t.value);
      if (local === undefined) {
        if (this.is('[')) this.failIndexing(CAUSES.syntax);
        return { k: 'unresolved', tok: t };
      }
      if (this.is('[')) {
        if (!allowIndex) this.fail();
        const v: Expr = { k: 'local', slot: local.slot, type: local.type };
        const el = this.indexInto(this.indexStart(v), local.type);
        return { k: 'ok', lv: { k: 'store', address: el.address, type: el.type } };
      }
      return { k: 'ok', lv: { k: 'local', slot: local.slot, type: local.type } };
    }
    return this.fail();
  }

  /**
   * `[i][j]...` (@ARRAY_INDEX_READ/WRITE). The indexes are parsed first; CodeGen then steps each
   * by the size of the type's Base (an array's element, a pointer's target), from a local array's
   * address or a pointer variable's value, and refuses a type without a Base (plain integers)
   * with the token after the last `]` current.
   */
  private indexInto(
    start: Expr,
    startType: ScriptType,
  ): { address: Expr; type: IntType; need: number } {
    const indexes = this.indexList();
    let type: ScriptType = startType;
    let address: Expr = start;
    let need = 1;
    for (const index of indexes) {
      const base = type.k === 'array' ? type.element : type.k === 'ptr' ? type.base : null;
      if (base === null || base.k === 'void') this.fail();
      need = Math.max(need, index.need + 2);
      address = {
        k: 'ptrAdd',
        pointer: address,
        offset: index.e,
        scale: base.size,
        subtract: false,
        type: pointerTo(base),
      };
      type = base;
    }
    // EmitTypedScalarLoad: a pointer element is read as its 8 bytes; a partly indexed array is
    // not a scalar.
    if (type.k === 'ptr') return { address, type: T.ullong, need };
    if (type.k !== 'int') this.fail();
    return { address, type, need };
  }

  /** The `[ EXPRESSION ]` list after a name. */
  private indexList(): Typed[] {
    const indexes: Typed[] = [];
    while (this.is('[')) {
      this.advance();
      const index = this.expression('plain');
      this.checkResolvedNow(index);
      this.expect(']');
      indexes.push(index);
    }
    return indexes;
  }

  /** Indexing a name that is not a variable: CodeGen refuses it once the indexes are parsed. */
  private failIndexing(cause: Cause): never {
    this.indexList();
    return this.fail(cause);
  }

  /** Where indexing a variable starts: a local array's address, else the variable's value. */
  private indexStart(v: Expr): Expr {
    return v.k === 'local' && v.type.k === 'array'
      ? { k: 'localAddr', slot: v.slot, type: pointerTo(v.type) }
      : v;
  }

  private lvalueType(lv: LValue): ScriptType {
    return lv.type;
  }

  private readLValue(lv: LValue): Expr {
    switch (lv.k) {
      case 'reg':
        return { k: 'reg', name: lv.name, type: LITERAL_TYPE };
      case 'local':
        return { k: 'local', slot: lv.slot, type: lv.type };
      case 'param':
        return { k: 'param', index: lv.index, type: LITERAL_TYPE };
      case 'global':
        return { k: 'global', index: lv.index, type: lv.type };
      case 'store':
        return { k: 'load', address: lv.address, type: lv.type };
      case 'deref':
        return { k: 'unary', op: '*', e: lv.address, type: IMPLICIT_TYPE, computeAs: null };
    }
  }

  /** MULTIPLE_ASSIGNMENT's middle terms are stored to, so they must name storage. */
  private exprAsLValue(e: Expr): LValue {
    switch (e.k) {
      case 'reg':
        return { k: 'reg', name: e.name, type: e.type };
      case 'local':
        return { k: 'local', slot: e.slot, type: e.type };
      case 'param':
        return { k: 'param', index: e.index, type: e.type };
      case 'global':
        return { k: 'global', index: e.index, type: e.type };
      case 'load':
        return { k: 'store', address: e.address, type: e.type };
      default:
        return this.fail();
    }
  }

  /** @MOV's pointer rules: an integer into a pointer (other than 0), or a pointer into a typed integer, is refused. */
  private checkPointerStore(lv: LValue, value: Typed): void {
    const dest = lv.type;
    const src = value.e.type;
    const implicitDest = (lv.k === 'local' || lv.k === 'global') && dest === IMPLICIT_TYPE;
    if (src.k === 'ptr' && dest.k !== 'ptr' && !implicitDest) this.fail(CAUSES.undefinedType);
    if (dest.k === 'ptr' && src.k !== 'ptr' && !(value.e.k === 'num' && value.e.v === 0n))
      this.fail(CAUSES.undefinedType);
  }

  /** The value as the destination keeps it: cast to its integer type (CAST_SCALAR). */
  private convertForStore(value: Typed, dest: ScriptType, implicit: boolean): Expr {
    if (implicit || dest.k !== 'int') return value.e;
    if (value.e.type === dest) return value.e;
    return { k: 'cast', e: value.e, type: dest };
  }

  // ---- printf and calls ----

  private printf(): Stmt {
    this.advance();
    this.expect('(');
    const fmt = this.peek();
    if (fmt.type !== 'string') this.fail();
    this.advance();
    const args: Typed[] = [];
    while (this.is(',')) {
      this.advance();
      args.push(this.expression('plain'));
    }
    for (const a of args) this.checkResolvedNow(a);
    const specs = formatSpecs(fmt.value);
    // The count is checked when the call is reduced, with ')' as the current token.
    if (specs.length !== args.length) this.fail();
    this.expect(')');
    this.expect(';');
    this.noteTemps(this.sequenceNeed(args));
    return { k: 'printf', format: fmt.value, specs, args: args.map((a) => a.e) };
  }

  /** Temporaries while arguments are evaluated one after the other and held. */
  private sequenceNeed(args: readonly Typed[]): number {
    let held = 0;
    let peak = 0;
    for (const a of args) {
      peak = Math.max(peak, held + a.need);
      if (a.live) held++;
    }
    return Math.max(peak, held);
  }

  private builtinCall(name: string, mode: Mode): Typed {
    const b = builtin(name) as { args: number; value: boolean };
    this.advance();
    this.expect('(');
    const strings = STRING_FUNCTIONS[name];
    const args: Typed[] = [];
    for (let i = 0; i < b.args; i++) {
      if (i > 0) this.expect(',');
      const t = this.peek();
      const wantsString = strings?.[1][i] === true;
      if (wantsString && (t.type === 'string' || t.type === 'wstring')) {
        if ((t.type === 'wstring') !== strings?.[2]) this.fail();
        this.advance();
        args.push({
          e: { k: 'str', v: t.value, wide: t.type === 'wstring', type: pointerTo(T.char) },
          need: 0,
          live: false,
        });
      } else args.push(this.expression(mode === 'bool' ? 'arg' : 'plain'));
    }
    for (const a of args) this.checkResolvedNow(a);
    this.expect(')');
    return {
      e: { k: 'call', fn: name, args: args.map((a) => a.e), type: IMPLICIT_TYPE },
      need: this.sequenceNeed(args) + 1,
      live: true,
    };
  }

  /** `f(args)`: a user-defined function; `asValue` requires it to return one. */
  private userCall(asValue: boolean): Typed {
    const name = this.advance().value;
    const info = this.functions.get(name) as FunctionInfo;
    this.expect('(');
    const args: Typed[] = [];
    if (!this.is(')')) {
      args.push(this.expression('plain'));
      while (this.is(',')) {
        this.advance();
        args.push(this.expression('plain'));
      }
    }
    for (const a of args) this.checkResolvedNow(a);
    this.expect(')');
    if (info.index < 0) this.fail(CAUSES.undefinedFunction);
    // @END_OF_CALLING_USER_DEFINED_FUNCTION: the argument count must match the definition.
    if (args.length !== info.params) this.fail();
    if (asValue && info.returnType.k === 'void') this.fail(CAUSES.voidReturningValue);
    return {
      e: {
        k: 'userCall',
        fn: info.index,
        args: args.map((a) => a.e),
        type: info.returnType.k === 'void' ? IMPLICIT_TYPE : info.returnType,
      },
      need: this.sequenceNeed(args) + 1,
      live: true,
    };
  }

  // ---- expressions ----

  private noteTemps(need: number): void {
    if (need > MAX_TEMP_COUNT) this.fail(CAUSES.tempsFull);
    this.scope.maxTemps = Math.max(this.scope.maxTemps, need);
  }

  /** An operand that names no variable yet: ToSymbol's "Unresolved Variable". */
  private checkResolvedNow(t: Typed): void {
    if (t.e.k === 'num' && t.e.type === UNRESOLVED) this.fail(CAUSES.unresolved);
  }

  /**
   * EXPRESSION (plain), BOOLEAN_EXPRESSION (bool), or a function argument inside a condition
   * (arg: the boolean grammar's EXP, shifts and below).
   */
  private expression(mode: Mode | 'arg'): Typed {
    const levels: readonly (readonly string[])[] =
      mode === 'bool'
        ? [
            ['||'],
            ['&&'],
            ['|'],
            ['^'],
            ['&'],
            COMPARISONS,
            ['<<', '>>'],
            ['+', '-'],
            ['*', '/', '%'],
          ]
        : mode === 'arg'
          ? [
              ['<<', '>>'],
              ['+', '-'],
              ['*', '/', '%'],
            ]
          : [['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
    return this.level(levels, 0, mode === 'bool' ? 'bool' : 'plain');
  }

  private level(levels: readonly (readonly string[])[], i: number, mode: Mode): Typed {
    if (i >= levels.length) return this.unary(mode);
    let a = this.level(levels, i + 1, mode);
    const ops = levels[i] as readonly string[];
    for (;;) {
      const t = this.peek();
      if (t.type !== 'special' || !ops.includes(t.value)) return a;
      this.advance();
      const b = this.level(levels, i + 1, mode);
      this.checkResolvedNow(a);
      this.checkResolvedNow(b);
      a = this.binary(t.value, a, b);
    }
  }

  private binary(op: string, a: Typed, b: Typed): Typed {
    const need = Math.max(
      a.need,
      (a.live ? 1 : 0) + b.need,
      (a.live ? 1 : 0) + (b.live ? 1 : 0) + 1,
    );
    const at = a.e.type;
    const bt = b.e.type;
    const make = (e: Expr): Typed => ({ e, need, live: true });
    if (op === '&&' || op === '||') return make({ k: 'logic', op, a: a.e, b: b.e, type: T.int });
    const scaleOf = (p: PointerType) => (p.base === null ? 1 : p.base.size);
    if (op === '+' || op === '-') {
      if (at.k === 'array' && bt.k === 'array') this.fail();
      if (at.k === 'array') {
        if (op === '-') this.fail();
        return make(this.arrayPlus(a.e, b.e));
      }
      if (bt.k === 'array') return make(this.arrayPlus(b.e, a.e));
      if (at.k === 'ptr' && bt.k === 'ptr') {
        if (op === '-' && at.base === bt.base && at.base !== null && at.base.size > 0)
          return make({ k: 'ptrDiff', a: a.e, b: b.e, scale: at.base.size, type: T.long });
      } else if (at.k === 'ptr') {
        return make({
          k: 'ptrAdd',
          pointer: a.e,
          offset: b.e,
          scale: scaleOf(at),
          subtract: op === '-',
          type: at,
        });
      } else if (bt.k === 'ptr' && op === '+') {
        return make({
          k: 'ptrAdd',
          pointer: b.e,
          offset: a.e,
          scale: scaleOf(bt),
          subtract: false,
          type: bt,
        });
      }
    }
    const comparison = COMPARISONS.includes(op);
    if (comparison && at.k === 'ptr' && bt.k === 'ptr') {
      if (at.base !== bt.base && at.base !== null && bt.base !== null) this.fail();
      return make({
        k: 'bin',
        op: op as BinaryOp,
        a: a.e,
        b: b.e,
        type: T.int,
        computeAs: null,
        pointerCompare: true,
      });
    }
    const common = commonType(at, bt);
    return make({
      k: 'bin',
      op: op as BinaryOp,
      a: a.e,
      b: b.e,
      type: comparison ? T.int : (common ?? IMPLICIT_TYPE),
      computeAs: common,
      pointerCompare: false,
    });
  }

  /** An array used as a value decays to a pointer to its innermost element (script-engine.c). */
  private arrayPlus(array: Expr, offset: Expr): Expr {
    let inner: ScriptType = array.type;
    while (inner.k === 'array') inner = inner.element;
    const base =
      array.k === 'local'
        ? ({ k: 'localAddr', slot: array.slot, type: pointerTo(array.type) } as Expr)
        : array;
    const element = (array.type as { element: ScriptType }).element;
    return {
      k: 'ptrAdd',
      pointer: base,
      offset,
      scale: inner.size,
      subtract: false,
      type: pointerTo(element),
    };
  }

  /**
   * E12 (plain: unary operators nest) or E10 (bool: one unary operator before a primary).
   */
  private unary(mode: Mode): Typed {
    const t = this.peek();
    if (t.type === 'keyword' && t.value === 'sizeof') return this.sizeofExpression(mode);
    if (t.type === 'special' && ['-', '+', '~', '!', '*', '&'].includes(t.value)) {
      this.advance();
      const operand = mode === 'bool' ? this.primary(mode) : this.unary(mode);
      return this.applyUnary(t.value, operand);
    }
    return this.primary(mode);
  }

  private applyUnary(op: string, operand: Typed): Typed {
    const need = Math.max(operand.need, (operand.live ? 1 : 0) + 1);
    if (op === '+') return operand;
    if (op === '&') return { e: this.addressOf(operand.e), need, live: true };
    this.checkResolvedNow(operand);
    const type = operand.e.type;
    if (op === '-' || op === '~') {
      const computeAs = type.k === 'int' ? promote(type) : null;
      return {
        e: { k: 'unary', op, e: operand.e, type: computeAs ?? IMPLICIT_TYPE, computeAs },
        need,
        live: true,
      };
    }
    if (op === '!')
      return {
        e: { k: 'unary', op, e: operand.e, type: T.int, computeAs: null },
        need,
        live: true,
      };
    // '*': FUNC_POI, an 8-byte read whatever the pointer's type (structures aside).
    return {
      e: { k: 'unary', op: '*', e: operand.e, type: IMPLICIT_TYPE, computeAs: null },
      need,
      live: true,
    };
  }

  /** @REFERENCE: locals and globals have addresses in the pool buffers; other operands are refused. */
  private addressOf(e: Expr): Expr {
    switch (e.k) {
      case 'local':
        return { k: 'localAddr', slot: e.slot, type: pointerTo(e.type) };
      case 'global':
        return { k: 'globalAddr', index: e.index, type: pointerTo(e.type) };
      case 'load':
        return e.address;
      case 'num':
        if (e.type === UNRESOLVED) return this.fail(CAUSES.undefinedType);
        return this.fail();
      default:
        return this.fail();
    }
  }

  private sizeofExpression(mode: Mode): Typed {
    this.advance();
    if (this.sizeofDepth >= MAX_SIZEOF_NESTING) this.fail();
    this.sizeofDepth++;
    let size: number;
    const saved = this.scope.maxTemps;
    if (this.is('(') && this.peek(1).type === 'type') {
      this.advance();
      const { type } = this.typeName();
      if (type === null) this.fail(CAUSES.undefinedType);
      this.expect(')');
      if (type.k === 'void') this.fail(CAUSES.incompleteType);
      size = type.size;
    } else {
      const operand = this.is('(')
        ? (() => {
            this.advance();
            const inner = this.expression(mode);
            this.expect(')');
            return inner;
          })()
        : this.unary(mode);
      this.checkResolvedNow(operand);
      if (operand.e.type.k === 'void') this.fail(CAUSES.incompleteType);
      // An expression's code is discarded: only its type counts (@SIZEOF_EXPRESSION).
      size = operand.e.type.size;
    }
    this.scope.maxTemps = saved;
    this.sizeofDepth--;
    return { e: { k: 'num', v: BigInt(size), type: T.ullong }, need: 0, live: false };
  }

  private primary(mode: Mode): Typed {
    const t = this.peek();
    const leaf = (e: Expr): Typed => ({ e, need: 0, live: false });
    switch (t.type) {
      case 'hex':
      case 'decimal':
      case 'octal':
      case 'binary': {
        this.advance();
        const radix =
          t.type === 'hex' ? 16 : t.type === 'decimal' ? 10 : t.type === 'octal' ? 8 : 2;
        return leaf({ k: 'num', v: parseBig(t.value, radix), type: LITERAL_TYPE });
      }
      case 'register':
        this.advance();
        if (this.is('[')) this.failIndexing(CAUSES.syntax);
        return leaf({ k: 'reg', name: t.value, type: LITERAL_TYPE });
      case 'pseudo':
        this.advance();
        return leaf({ k: 'pseudo', name: t.value, type: LITERAL_TYPE });
      case 'global': {
        this.advance();
        if (this.is('.') || this.is('->')) this.fail();
        const index = this.globals.indexOf(t.value);
        if (index < 0) {
          if (this.is('[')) this.failIndexing(CAUSES.unresolved);
          return leaf({ k: 'num', v: 0n, type: UNRESOLVED });
        }
        const type = this.globals.typeOf(index);
        if (this.is('[')) {
          const el = this.indexInto({ k: 'global', index, type }, type);
          return {
            e: { k: 'load', address: el.address, type: el.type },
            need: el.need,
            live: true,
          };
        }
        return leaf({ k: 'global', index, type });
      }
      case 'id': {
        if (this.functions.has(t.value)) return this.userCall(true);
        this.advance();
        if (this.is('.') || this.is('->')) this.fail();
        const param = this.scope.params.indexOf(t.value);
        if (param >= 0) {
          if (this.is('[')) this.failIndexing(CAUSES.syntax);
          return leaf({ k: 'param', index: param, type: LITERAL_TYPE });
        }
        const local = this.scope.locals.get(t.value);
        if (local === undefined) {
          if (this.is('[')) this.failIndexing(CAUSES.syntax);
          return leaf({ k: 'num', v: 0n, type: UNRESOLVED });
        }
        if (this.is('[')) {
          const v: Expr = { k: 'local', slot: local.slot, type: local.type };
          const el = this.indexInto(this.indexStart(v), local.type);
          return {
            e: { k: 'load', address: el.address, type: el.type },
            need: el.need,
            live: true,
          };
        }
        return leaf({ k: 'local', slot: local.slot, type: local.type });
      }
      case 'keyword': {
        const b = builtin(t.value);
        if (b === null || !b.value) this.fail();
        return this.builtinCall(t.value, mode);
      }
      case 'special':
        if (t.value === '(') {
          this.advance();
          if (this.peek().type === 'type') return this.cast(mode);
          if (this.is('struct')) this.fail();
          const inner = this.expression(mode);
          this.expect(')');
          return inner;
        }
        return this.fail();
      default:
        // strings outside string functions, floats, `struct`, unknown tokens
        return this.fail();
    }
  }

  /** `(T) e` (@CAST_SCALAR): an integer conversion, or a pointer type for pointer arithmetic. */
  private cast(mode: Mode): Typed {
    const start = this.pos;
    const { type, words } = this.typeName();
    if (words.includes('float') || words.includes('double')) {
      this.pos = start;
      this.fail();
    }
    this.expect(')');
    const operand = mode === 'bool' ? this.unary(mode) : this.unary(mode);
    this.checkResolvedNow(operand);
    if (type === null) this.fail(CAUSES.undefinedType);
    if (type.k === 'void') this.fail(CAUSES.undefinedType);
    return {
      e: { k: 'cast', e: operand.e, type },
      need: Math.max(operand.need, (operand.live ? 1 : 0) + 1),
      live: true,
    };
  }
}

/** The type of a name that is not (yet) a variable: using its value is "Unresolved Variable". */
const UNRESOLVED: IntType = { ...T.ullong, name: '<unresolved>' };

/** Digits to a 64-bit value (wider values wrap, as the engine's 64-bit arithmetic does). */
function parseBig(digits: string, radix: number): bigint {
  let v = 0n;
  const r = BigInt(radix);
  for (const d of digits) {
    const n = parseInt(d, radix);
    if (Number.isNaN(n)) continue;
    v = (v * r + BigInt(n)) & 0xffffffffffffffffn;
  }
  return v;
}
