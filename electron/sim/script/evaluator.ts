// Runs a compiled script as the kernel's ScriptEngineExecute loop does: GUEST_REGS registers
// (changes flow back), pseudo-registers, guest memory, the pool buffers (globals shared by every
// event and core, a zeroed stack buffer per core and run), typed integer arithmetic, user-defined
// functions in stack frames, and v0.23's run-time limits. The AST is turned into closures once per
// script so a trigger costs no tree walking. Simulator side.
import { GUEST_REG_INDEX, GUEST_REG_NAMES } from '../../../shared/model/guestRegs';
import type { GuestMemory } from '../emulator/guestMemory';
import type { BinaryOp, CompiledScript, Expr, LValue, Stmt, UserFunction } from './ast';
import { MAX_EXECUTION_COUNT, MAX_STACK_BUFFER_COUNT, SLOT_BYTES } from './limits';
import type { ScriptMemory, ScriptPools } from './pools';
import { buildPrintf } from './printf';
import { asSigned, commonType, type IntType, normalize, type ScriptType } from './types';

export { MAX_EXECUTION_COUNT } from './limits';
export { MAX_MESSAGE_CHARS as MAX_MESSAGE_BYTES } from './limits';

const M64 = (1n << 64n) - 1n;
/** CustomStrlen has no cap in the kernel; the simulator stops a string at one packet. */
const MAX_STRING_BYTES = 4096;

/** A failed operation: `functionName` is the FunctionNames entry the kernel log names. */
export class ScriptRuntimeError extends Error {
  constructor(readonly functionName: string) {
    super(functionName);
  }
}

/** MAX_EXECUTION_COUNT operations ran without the script finishing. */
export class ScriptExecutionLimit extends Error {}

/** The stack index reached MAX_STACK_BUFFER_COUNT (frames, arguments and locals). */
export class ScriptStackOverflow extends Error {}

/** The context one script run sees. */
export interface ScriptEnvironment {
  readonly memory: GuestMemory;
  /** GUEST_REGS order (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8..r15); written in place. */
  readonly regs: BigUint64Array;
  /** Registers outside GUEST_REGS: rip, rflags, segments, control and debug registers. */
  special(name: string): bigint;
  pseudo(name: string): bigint;
  /** The engine's globals and per-core stack buffers (kernel, or the CLI's own for `?`). */
  readonly pools: ScriptPools;
  /** Which core's stack buffer this run uses. */
  readonly core: number;
  emit(message: string): void;
  /** `formats(x)`: the CLI keeps the value (user mode); the kernel prints it when absent. */
  formats?(value: bigint): void;
}

/** Sub-registers: [GUEST_REGS index, bit shift, bit width]. */
const SUB_REGISTERS: Readonly<Record<string, readonly [number, number, number]>> = (() => {
  const map: Record<string, readonly [number, number, number]> = {};
  GUEST_REG_NAMES.forEach((r, i) => (map[r] = [i, 0, 64]));
  for (const [r, e, x, l, h] of [
    ['rax', 'eax', 'ax', 'al', 'ah'],
    ['rcx', 'ecx', 'cx', 'cl', 'ch'],
    ['rdx', 'edx', 'dx', 'dl', 'dh'],
    ['rbx', 'ebx', 'bx', 'bl', 'bh'],
  ] as const) {
    const i = GUEST_REG_INDEX[r];
    map[e] = [i, 0, 32];
    map[x] = [i, 0, 16];
    map[l] = [i, 0, 8];
    map[h] = [i, 8, 8];
  }
  for (const [r, e, x, l] of [
    ['rsp', 'esp', 'sp', 'spl'],
    ['rbp', 'ebp', 'bp', 'bpl'],
    ['rsi', 'esi', 'si', 'sil'],
    ['rdi', 'edi', 'di', 'dil'],
  ] as const) {
    const i = GUEST_REG_INDEX[r];
    map[e] = [i, 0, 32];
    map[x] = [i, 0, 16];
    map[l] = [i, 0, 8];
  }
  for (const r of ['r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'] as const) {
    const i = GUEST_REG_INDEX[r];
    map[`${r}d`] = [i, 0, 32];
    map[`${r}w`] = [i, 0, 16];
    map[`${r}l`] = [i, 0, 8];
    map[`${r}h`] = [i, 8, 8];
  }
  return map;
})();

/** Control flow out of a statement. */
const NEXT = 0;
const BREAK = 1;
const CONTINUE = 2;
const RETURN = 3;

/** The state of one run. */
class Machine {
  readonly view: DataView;
  readonly stackAddress: bigint;
  readonly mem: ScriptMemory;
  /** Slot index of the current frame's temporaries (StackBaseIndx). */
  base = 0;
  /** Slot index of the current frame's first parameter. */
  paramBase = 0;
  /** StackIndx. */
  sp = 0;
  steps = 0;
  returnValue = 0n;

  constructor(
    readonly env: ScriptEnvironment,
    readonly functions: readonly CompiledFunction[],
  ) {
    const stack = env.pools.stack(env.core);
    stack.fill(0); // RtlZeroMemory(StackBuffer) before every run
    this.view = new DataView(stack.buffer, stack.byteOffset, stack.byteLength);
    this.stackAddress = env.pools.stackAddress(env.core);
    this.mem = env.pools.view(env.memory);
  }

  tick(): void {
    if (++this.steps > MAX_EXECUTION_COUNT) throw new ScriptExecutionLimit();
  }

  /** StackIndx moved: the kernel stops the run once it reaches MAX_STACK_BUFFER_COUNT. */
  grow(slots: number): void {
    this.sp += slots;
    if (this.sp >= MAX_STACK_BUFFER_COUNT) throw new ScriptStackOverflow();
  }

  slot(index: number): bigint {
    return this.view.getBigUint64(index * SLOT_BYTES, true);
  }

  setSlot(index: number, v: bigint): void {
    this.view.setBigUint64(index * SLOT_BYTES, v & M64, true);
  }
}

type Ev = (m: Machine) => bigint;
type Ex = (m: Machine) => number;

interface CompiledFunction {
  readonly def: UserFunction;
  run: Ex;
}

interface CompiledProgram {
  readonly main: Ex;
  readonly frameSlots: number;
  readonly functions: readonly CompiledFunction[];
}

const programs = new WeakMap<CompiledScript, CompiledProgram>();

export function runScript(script: CompiledScript, env: ScriptEnvironment): void {
  let program = programs.get(script);
  if (program === undefined) {
    program = compileProgram(script);
    programs.set(script, program);
  }
  const m = new Machine(env, program.functions);
  m.base = 0;
  m.grow(program.frameSlots);
  program.main(m);
}

function compileProgram(script: CompiledScript): CompiledProgram {
  const functions: CompiledFunction[] = script.functions.map((def) => ({ def, run: () => NEXT }));
  for (const f of functions) f.run = block(f.def.body, f.def.temps, functions);
  return {
    main: block(script.statements, script.temps, functions),
    frameSlots: script.frameSlots,
    functions,
  };
}

function block(stmts: readonly Stmt[], temps: number, fns: readonly CompiledFunction[]): Ex {
  const parts = stmts.map((s) => statement(s, temps, fns));
  return (m) => {
    for (let i = 0; i < parts.length; i++) {
      const r = (parts[i] as Ex)(m);
      if (r !== NEXT) return r;
    }
    return NEXT;
  };
}

function statement(s: Stmt, temps: number, fns: readonly CompiledFunction[]): Ex {
  const ev = (e: Expr) => expr(e, temps, fns);
  switch (s.k) {
    case 'printf': {
      const args = s.args.map(ev);
      return (m) => {
        m.tick();
        const values = args.map((a) => a(m));
        const message = buildPrintf(s.format, s.specs, values, m.mem);
        if (message === null) throw new ScriptRuntimeError('FUNC_PRINTF');
        emit(m, message);
        return NEXT;
      };
    }
    case 'expr': {
      const e = ev(s.e);
      return (m) => {
        m.tick();
        e(m);
        return NEXT;
      };
    }
    case 'assign':
      return assignment(s.targets, s.op, s.e === null ? null : ev(s.e), s.e, temps);
    case 'if': {
      const branches = s.branches.map((b) => ({
        cond: ev(b.cond),
        body: block(b.body, temps, fns),
      }));
      const otherwise = s.otherwise === null ? null : block(s.otherwise, temps, fns);
      return (m) => {
        m.tick();
        for (const b of branches) if (b.cond(m) !== 0n) return b.body(m);
        return otherwise === null ? NEXT : otherwise(m);
      };
    }
    case 'while': {
      const cond = ev(s.cond);
      const body = block(s.body, temps, fns);
      return (m) => {
        while ((m.tick(), cond(m) !== 0n)) {
          const r = body(m);
          if (r === BREAK) break;
          if (r === RETURN) return r;
        }
        return NEXT;
      };
    }
    case 'do': {
      const cond = ev(s.cond);
      const body = block(s.body, temps, fns);
      return (m) => {
        do {
          m.tick();
          const r = body(m);
          if (r === BREAK) break;
          if (r === RETURN) return r;
        } while (cond(m) !== 0n);
        return NEXT;
      };
    }
    case 'for': {
      const init = s.init === null ? null : statement(s.init, temps, fns);
      const cond = ev(s.cond);
      const step = s.step === null ? null : statement(s.step, temps, fns);
      const body = block(s.body, temps, fns);
      return (m) => {
        if (init !== null) init(m);
        while ((m.tick(), cond(m) !== 0n)) {
          const r = body(m);
          if (r === BREAK) break;
          if (r === RETURN) return r;
          if (step !== null) step(m);
        }
        return NEXT;
      };
    }
    case 'break':
      return () => BREAK;
    case 'continue':
      return () => CONTINUE;
    case 'return': {
      const e = s.e === null ? null : ev(s.e);
      return (m) => {
        m.tick();
        if (e !== null) m.returnValue = e(m);
        return RETURN;
      };
    }
    case 'arrayInit': {
      const values = s.values.map(ev);
      const size = s.element.size;
      return (m) => {
        const base = m.stackAddress + BigInt((m.base + temps + s.slot) * SLOT_BYTES);
        for (let i = 0; i < s.elements; i++) {
          m.tick();
          const v = i < values.length ? (values[i] as Ev)(m) : 0n;
          store(m, base + BigInt(i * size), size, v, 'FUNC_TYPED_STORE');
        }
        return NEXT;
      };
    }
  }
}

function emit(m: Machine, message: string): void {
  // Logging.c drops a message longer than one packet without a word (MAX_MESSAGE_CHARS).
  if (message.length > 4094) return;
  m.env.emit(message);
}

function store(m: Machine, address: bigint, size: number, v: bigint, fn: string): void {
  if (!m.mem.writeUnsigned(address, size, v)) throw new ScriptRuntimeError(fn);
}

function load(m: Machine, address: bigint, size: number, fn: string): bigint {
  const v = m.mem.readUnsigned(address, size);
  if (v === null) throw new ScriptRuntimeError(fn);
  return v;
}

// ---- lvalues and assignment ----

interface Place {
  read: Ev;
  write: (m: Machine, v: bigint) => void;
  readonly type: ScriptType;
}

function place(lv: LValue, temps: number, fns: readonly CompiledFunction[]): Place {
  switch (lv.k) {
    case 'reg': {
      const sub = SUB_REGISTERS[lv.name];
      if (sub === undefined)
        return { read: (m) => m.env.special(lv.name), write: () => undefined, type: lv.type };
      const [i, shift, width] = sub;
      const mask = ((1n << BigInt(width)) - 1n) << BigInt(shift);
      const sh = BigInt(shift);
      return {
        read: (m) => ((m.env.regs[i] as bigint) & mask) >> sh,
        write: (m, v) => {
          m.env.regs[i] = ((m.env.regs[i] as bigint) & ~mask & M64) | ((v << sh) & mask);
        },
        type: lv.type,
      };
    }
    case 'local':
      return {
        read: (m) => m.slot(m.base + temps + lv.slot),
        write: (m, v) => m.setSlot(m.base + temps + lv.slot, v),
        type: lv.type,
      };
    case 'param':
      return {
        read: (m) => m.slot(m.paramBase + lv.index),
        write: (m, v) => m.setSlot(m.paramBase + lv.index, v),
        type: lv.type,
      };
    case 'global':
      return {
        read: (m) => m.env.pools.getGlobal(lv.index),
        write: (m, v) => m.env.pools.setGlobal(lv.index, v & M64),
        type: lv.type,
      };
    case 'deref': {
      const address = expr(lv.address, temps, fns);
      return {
        read: (m) => load(m, address(m), 8, 'FUNC_POI'),
        write: (m, v) => store(m, address(m), 8, v, 'FUNC_MOV'),
        type: lv.type,
      };
    }
    case 'store': {
      const address = expr(lv.address, temps, fns);
      const t = lv.type;
      return {
        read: (m) => normalize(load(m, address(m), t.size, 'FUNC_TYPED_LOAD'), t),
        write: (m, v) => store(m, address(m), t.size, v, 'FUNC_TYPED_STORE'),
        type: t,
      };
    }
  }
}

function assignment(
  targets: readonly LValue[],
  op: string,
  value: Ev | null,
  valueExpr: Expr | null,
  temps: number,
): Ex {
  const places = targets.map((t) => place(t, temps, []));
  const first = places[0] as Place;
  if (op === '=') {
    const v = value as Ev;
    return (m) => {
      m.tick();
      const x = v(m);
      for (let i = places.length - 1; i >= 0; i--) {
        const p = places[i] as Place;
        p.write(m, p.type.k === 'int' && i < places.length - 1 ? normalize(x, p.type) : x);
      }
      return NEXT;
    };
  }
  if (op === '++' || op === '--') {
    // FUNC_INC/FUNC_DEC add in 64 bits without narrowing; a pointer moves by its pointee's size.
    const t = first.type;
    const step = BigInt(t.k === 'ptr' ? (t.base?.size ?? 1) : 1);
    const delta = op === '++' ? step : -step;
    return (m) => {
      m.tick();
      first.write(m, (first.read(m) + delta) & M64);
      return NEXT;
    };
  }
  const binOp = op.slice(0, -1) as BinaryOp;
  const rhs = value as Ev;
  const t = first.type;
  if (t.k === 'ptr' && (binOp === '+' || binOp === '-')) {
    const scale = BigInt(t.base?.size ?? 1);
    return (m) => {
      m.tick();
      const r = rhs(m) * scale;
      first.write(m, (binOp === '+' ? first.read(m) + r : first.read(m) - r) & M64);
      return NEXT;
    };
  }
  const rt = (valueExpr as Expr).type;
  const common = t.k === 'int' && rt.k === 'int' ? commonOf(t, rt) : null;
  const compute = binaryFunction(binOp, common, false);
  return (m) => {
    m.tick();
    const r = compute(first.read(m), rhs(m));
    first.write(m, t.k === 'int' && common !== null ? normalize(r, t) : r);
    return NEXT;
  };
}

/** GetCommonVariableType on two integers. */
function commonOf(a: IntType, b: IntType): IntType {
  return commonType(a, b) as IntType;
}

// ---- expressions ----

function binaryFunction(
  op: BinaryOp,
  t: IntType | null,
  pointer: boolean,
): (a: bigint, b: bigint) => bigint {
  if (pointer) {
    switch (op) {
      case '<':
        return (a, b) => (a < b ? 1n : 0n);
      case '>':
        return (a, b) => (a > b ? 1n : 0n);
      case '<=':
        return (a, b) => (a <= b ? 1n : 0n);
      case '>=':
        return (a, b) => (a >= b ? 1n : 0n);
      case '==':
        return (a, b) => (a === b ? 1n : 0n);
      default:
        return (a, b) => (a !== b ? 1n : 0n);
    }
  }
  if (t === null) {
    // The untyped operations (FUNC_ADD, FUNC_GT, ...): 64-bit, comparisons signed.
    switch (op) {
      case '+':
        return (a, b) => (a + b) & M64;
      case '-':
        return (a, b) => (a - b) & M64;
      case '*':
        return (a, b) => (a * b) & M64;
      case '/':
        return (a, b) => {
          if (b === 0n) throw new ScriptRuntimeError('FUNC_DIV');
          return a / b;
        };
      case '%':
        return (a, b) => {
          if (b === 0n) throw new ScriptRuntimeError('FUNC_MOD');
          return a % b;
        };
      case '<<':
        return (a, b) => (a << (b & 63n)) & M64;
      case '>>':
        return (a, b) => a >> (b & 63n);
      case '&':
        return (a, b) => a & b;
      case '|':
        return (a, b) => a | b;
      case '^':
        return (a, b) => a ^ b;
      case '==':
        return (a, b) => (a === b ? 1n : 0n);
      case '!=':
        return (a, b) => (a !== b ? 1n : 0n);
      case '<':
        return (a, b) => (asSigned(a) < asSigned(b) ? 1n : 0n);
      case '>':
        return (a, b) => (asSigned(a) > asSigned(b) ? 1n : 0n);
      case '<=':
        return (a, b) => (asSigned(a) <= asSigned(b) ? 1n : 0n);
      case '>=':
        return (a, b) => (asSigned(a) >= asSigned(b) ? 1n : 0n);
    }
  }
  // The typed operations (ScriptEngineExecuteTypedBinary): operands narrowed to the common type.
  const n = (v: bigint) => normalize(v, t);
  const width = BigInt(t.bits);
  const signedMin = n(1n << (width - 1n));
  const cmp = t.signed ? asSigned : (v: bigint) => v;
  switch (op) {
    case '+':
      return (a, b) => n(n(a) + n(b));
    case '-':
      return (a, b) => n(n(a) - n(b));
    case '*':
      return (a, b) => n(n(a) * n(b));
    case '/':
    case '%':
      return (a, b) => {
        const l = n(a);
        const r = n(b);
        const fn = op === '/' ? 'FUNC_DIV_TYPED' : 'FUNC_MOD_TYPED';
        if (r === 0n) throw new ScriptRuntimeError(fn);
        if (t.signed) {
          if (l === signedMin && r === M64) throw new ScriptRuntimeError(fn);
          return n(op === '/' ? asSigned(l) / asSigned(r) : asSigned(l) % asSigned(r));
        }
        return n(op === '/' ? l / r : l % r);
      };
    case '&':
      return (a, b) => n(a) & n(b);
    case '|':
      return (a, b) => n(n(a) | n(b));
    case '^':
      return (a, b) => n(n(a) ^ n(b));
    case '<<':
      return (a, b) => {
        const r = n(b);
        if (r >= width) throw new ScriptRuntimeError('FUNC_SHIFT_LEFT_TYPED');
        return n(n(a) << r);
      };
    case '>>':
      return (a, b) => {
        const r = n(b);
        if (r >= width) throw new ScriptRuntimeError('FUNC_SHIFT_RIGHT_TYPED');
        return t.signed ? n(asSigned(n(a)) >> r) : n(a) >> r;
      };
    case '==':
      return (a, b) => (n(a) === n(b) ? 1n : 0n);
    case '!=':
      return (a, b) => (n(a) !== n(b) ? 1n : 0n);
    case '<':
      return (a, b) => (cmp(n(a)) < cmp(n(b)) ? 1n : 0n);
    case '>':
      return (a, b) => (cmp(n(a)) > cmp(n(b)) ? 1n : 0n);
    case '<=':
      return (a, b) => (cmp(n(a)) <= cmp(n(b)) ? 1n : 0n);
    case '>=':
      return (a, b) => (cmp(n(a)) >= cmp(n(b)) ? 1n : 0n);
  }
}

function expr(e: Expr, temps: number, fns: readonly CompiledFunction[]): Ev {
  const sub = (x: Expr) => expr(x, temps, fns);
  switch (e.k) {
    case 'num': {
      const v = e.v;
      return () => v;
    }
    case 'str':
      return () => 0n; // a literal's address in the code buffer; string functions read `e.v`
    case 'reg': {
      const r = SUB_REGISTERS[e.name];
      if (r === undefined) {
        const name = e.name;
        return (m) => m.env.special(name);
      }
      const [i, shift, width] = r;
      const sh = BigInt(shift);
      const mask = (1n << BigInt(width)) - 1n;
      return (m) => ((m.env.regs[i] as bigint) >> sh) & mask;
    }
    case 'pseudo': {
      const name = e.name;
      return (m) => m.env.pseudo(name);
    }
    case 'local': {
      const slot = temps + e.slot;
      if (e.type.k === 'array') return (m) => m.stackAddress + BigInt((m.base + slot) * SLOT_BYTES);
      return (m) => m.slot(m.base + slot);
    }
    case 'param': {
      const index = e.index;
      return (m) => m.slot(m.paramBase + index);
    }
    case 'global': {
      const index = e.index;
      return (m) => m.env.pools.getGlobal(index);
    }
    case 'localAddr': {
      const slot = temps + e.slot;
      return (m) => m.stackAddress + BigInt((m.base + slot) * SLOT_BYTES);
    }
    case 'globalAddr': {
      const index = e.index;
      return (m) => m.env.pools.globalAddress(index);
    }
    case 'load': {
      const address = sub(e.address);
      const t = e.type;
      return (m) => normalize(load(m, address(m), t.size, 'FUNC_TYPED_LOAD'), t);
    }
    case 'unary': {
      const v = sub(e.e);
      switch (e.op) {
        case '-': {
          const t = e.computeAs;
          return t === null ? (m) => -v(m) & M64 : (m) => normalize(-normalize(v(m), t), t);
        }
        case '~': {
          const t = e.computeAs;
          return t === null ? (m) => ~v(m) & M64 : (m) => normalize(~normalize(v(m), t), t);
        }
        case '!':
          return (m) => (v(m) === 0n ? 1n : 0n);
        case '*':
          return (m) => {
            m.tick();
            return load(m, v(m), 8, 'FUNC_POI');
          };
      }
      return v;
    }
    case 'bin': {
      const a = sub(e.a);
      const b = sub(e.b);
      const f = binaryFunction(e.op, e.computeAs, e.pointerCompare);
      return (m) => {
        m.tick();
        return f(a(m), b(m));
      };
    }
    case 'logic': {
      const a = sub(e.a);
      const b = sub(e.b);
      if (e.op === '&&') return (m) => (a(m) !== 0n && b(m) !== 0n ? 1n : 0n);
      return (m) => (a(m) !== 0n || b(m) !== 0n ? 1n : 0n);
    }
    case 'ptrAdd': {
      const p = sub(e.pointer);
      const o = sub(e.offset);
      const scale = BigInt(e.scale);
      return e.subtract ? (m) => (p(m) - o(m) * scale) & M64 : (m) => (p(m) + o(m) * scale) & M64;
    }
    case 'ptrDiff': {
      const a = sub(e.a);
      const b = sub(e.b);
      const scale = BigInt(e.scale);
      return (m) => (asSigned((a(m) - b(m)) & M64) / scale) & M64;
    }
    case 'cast': {
      const v = sub(e.e);
      const t = e.type;
      if (t.k !== 'int') return v;
      return (m) => normalize(v(m), t);
    }
    case 'call':
      return builtinCall(e.fn, e.args, sub);
    case 'userCall': {
      const args = e.args.map(sub);
      const fnIndex = e.fn;
      return (m) => {
        m.tick();
        const f = m.functions[fnIndex] as CompiledFunction;
        const values = args.map((a) => a(m));
        // PUSH each argument, CALL (return address), PUSH StackBaseIndx, then the callee's frame.
        const paramBase = m.sp;
        for (const v of values) {
          m.grow(1);
          m.setSlot(m.sp - 1, v);
        }
        m.grow(2);
        const savedBase = m.base;
        const savedParams = m.paramBase;
        m.base = m.sp;
        m.paramBase = paramBase;
        m.grow(f.def.frameSlots);
        f.run(m);
        m.sp = paramBase;
        m.base = savedBase;
        m.paramBase = savedParams;
        return m.returnValue;
      };
    }
  }
}

const HEX_LINE = (v: bigint) => `${v.toString(16)}\n`;

function builtinCall(fn: string, argExprs: readonly Expr[], sub: (x: Expr) => Ev): Ev {
  const args = argExprs.map(sub);
  const arg = (m: Machine, i: number) => (args[i] as Ev)(m);
  const name = `FUNC_${fn.toUpperCase()}`;
  const read =
    (size: number, offset = 0n) =>
    (m: Machine) => {
      m.tick();
      return load(m, arg(m, 0) + offset, size, name);
    };
  /** The text a string function's argument names: a literal, or the bytes at an address. */
  const text = (m: Machine, i: number, wide: boolean): string => {
    const a = argExprs[i] as Expr;
    if (a.k === 'str') return a.v;
    const s = wide
      ? m.mem.readWString(arg(m, i), MAX_STRING_BYTES)
      : m.mem.readCString(arg(m, i), MAX_STRING_BYTES);
    if (s === null) throw new ScriptRuntimeError(name);
    return s;
  };
  const compare = (x: string, y: string) => (x === y ? 0n : x < y ? M64 : 1n);
  switch (fn) {
    case 'poi':
    case 'dq':
      return read(8);
    case 'dd':
      return read(4);
    case 'dw':
    case 'low':
      return read(2);
    case 'db':
      return read(1);
    case 'hi':
      return read(2, 2n);
    case 'neg':
      return (m) => -arg(m, 0) & M64;
    case 'not':
      return (m) => ~arg(m, 0) & M64;
    case 'check_address':
      return (m) => (m.mem.isReadable(arg(m, 0), 1) ? 1n : 0n);
    case 'eb':
    case 'ed':
    case 'eq': {
      const size = fn === 'eb' ? 1 : fn === 'ed' ? 4 : 8;
      return (m) => {
        m.tick();
        const at = arg(m, 0);
        return m.mem.writeUnsigned(at, size, arg(m, 1)) ? 1n : 0n;
      };
    }
    case 'memcpy':
      return (m) => {
        m.tick();
        const dst = arg(m, 0);
        const src = arg(m, 1);
        const n = Number(arg(m, 2) & 0xffffffn);
        const bytes = m.mem.read(src, n);
        if (bytes === null || !m.mem.write(dst, bytes)) throw new ScriptRuntimeError(name);
        return 0n;
      };
    case 'strlen':
    case 'wcslen':
      return (m) => BigInt(text(m, 0, fn === 'wcslen').length);
    case 'strcmp':
    case 'wcscmp':
      return (m) => compare(text(m, 0, fn === 'wcscmp'), text(m, 1, fn === 'wcscmp'));
    case 'strncmp':
    case 'wcsncmp':
    case 'memcmp':
      return (m) => {
        const n = Number(arg(m, 2) & 0xffffffn);
        const wide = fn === 'wcsncmp';
        return compare(text(m, 0, wide).slice(0, n), text(m, 1, wide).slice(0, n));
      };
    case 'print':
      return (m) => {
        emit(m, HEX_LINE(arg(m, 0)));
        return 0n;
      };
    case 'formats':
      return (m) => {
        const v = arg(m, 0);
        if (m.env.formats !== undefined) m.env.formats(v);
        else emit(m, HEX_LINE(v));
        return 0n;
      };
    case 'rdtsc':
    case 'rdtscp':
      return (m) => m.env.special('tsc');
    case 'interlocked_increment':
    case 'interlocked_decrement':
      return (m) => {
        m.tick();
        const at = arg(m, 0);
        const v = (load(m, at, 8, name) + (fn.endsWith('increment') ? 1n : M64)) & M64;
        store(m, at, 8, v, name);
        return v;
      };
    case 'interlocked_exchange':
    case 'interlocked_exchange_add':
      return (m) => {
        m.tick();
        const at = arg(m, 0);
        const old = load(m, at, 8, name);
        const v = arg(m, 1);
        store(m, at, 8, fn === 'interlocked_exchange' ? v : (old + v) & M64, name);
        return old;
      };
    case 'interlocked_compare_exchange':
      return (m) => {
        m.tick();
        const at = arg(m, 0);
        const old = load(m, at, 8, name);
        if (old === arg(m, 2)) store(m, at, 8, arg(m, 1), name);
        return old;
      };
    case 'poi_pa':
    case 'hi_pa':
    case 'low_pa':
    case 'db_pa':
    case 'dd_pa':
    case 'dw_pa':
    case 'dq_pa':
    case 'eb_pa':
    case 'ed_pa':
    case 'eq_pa':
    case 'memcpy_pa':
      // The synthetic guest has no physical address space to read.
      return () => {
        throw new ScriptRuntimeError(name);
      };
    default:
      // pause, flush, event_*, spinlock_*, microsleep, lbr_*, disassemble_len*, and the
      // address translations have no effect on the simulated machine (value 0).
      return (m) => {
        for (const a of args) a(m);
        return 0n;
      };
  }
}
