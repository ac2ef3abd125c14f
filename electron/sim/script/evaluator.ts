// Runs a compiled script action in an event's context, as the kernel's ScriptEngineExecute:
// GUEST_REGS registers (changes flow back), pseudo-registers (spec §5.1), guest memory, printf/print
// output; a bad memory access aborts with the failing function's name. Simulator side.
import { GUEST_REG_INDEX, GUEST_REG_NAMES } from '../../../shared/model/guestRegs';
import type { GuestMemory } from '../emulator/guestMemory';
import type { CompiledScript, Expr, LValue, Stmt } from './ast';
import { formatInteger } from './printf';

const M64 = (1n << 64n) - 1n;
/** The kernel's packet limit: a message must fit in 4095 bytes with its NUL (spec §5.1). */
export const MAX_MESSAGE_BYTES = 4094;
/** MAX_EXECUTION_COUNT (include/SDK/headers/Constants.h): operations one run may execute. */
export const MAX_EXECUTION_COUNT = 1_000_000;
/** CustomStrlen has no cap in the kernel; the simulator stops a %s string at one packet. */
const MAX_STRING_BYTES = 4096;

/** A runtime failure: `functionName` is the entry of FunctionNames the kernel log names. */
export class ScriptRuntimeError extends Error {
  constructor(readonly functionName: string) {
    super(functionName);
  }
}

export class ScriptExecutionLimit extends Error {}

/** The event context one script run sees. */
export interface ScriptEnvironment {
  readonly memory: GuestMemory;
  /** GUEST_REGS order (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8..r15); written in place. */
  readonly regs: BigUint64Array;
  /** Registers outside GUEST_REGS: rip, rflags, segments, control and debug registers. */
  special(name: string): bigint;
  pseudo(name: string): bigint;
  readonly globals: Map<string, bigint>;
  emit(message: string): void;
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

class Break {}
class Continue {}

export function runScript(script: CompiledScript, env: ScriptEnvironment): void {
  new Run(env).block(script.statements);
}

class Run {
  private readonly locals = new Map<string, bigint>();
  private steps = 0;

  constructor(private readonly env: ScriptEnvironment) {}

  private tick(): void {
    if (++this.steps > MAX_EXECUTION_COUNT) throw new ScriptExecutionLimit();
  }

  block(stmts: readonly Stmt[]): void {
    for (const s of stmts) this.statement(s);
  }

  private statement(s: Stmt): void {
    this.tick();
    switch (s.k) {
      case 'printf':
        this.printf(s.format, s.specs, s.args);
        return;
      case 'expr':
        this.expr(s.e);
        return;
      case 'assign':
        this.assign(s.target, s.op, s.e);
        return;
      case 'if':
        for (const b of s.branches) {
          if (this.expr(b.cond) !== 0n) {
            this.block(b.body);
            return;
          }
        }
        if (s.otherwise !== null) this.block(s.otherwise);
        return;
      case 'while':
        while (this.expr(s.cond) !== 0n) if (!this.loopBody(s.body)) break;
        return;
      case 'do':
        do if (!this.loopBody(s.body)) break;
        while (this.expr(s.cond) !== 0n);
        return;
      case 'for':
        if (s.init !== null) this.statement(s.init);
        while (s.cond === null || this.expr(s.cond) !== 0n) {
          if (!this.loopBody(s.body)) break;
          if (s.step !== null) this.statement(s.step);
        }
        return;
      case 'break':
        throw new Break();
      case 'continue':
        throw new Continue();
    }
  }

  /** Runs one iteration; false when the body executed `break`. */
  private loopBody(body: readonly Stmt[]): boolean {
    this.tick();
    try {
      this.block(body);
    } catch (e) {
      if (e instanceof Break) return false;
      if (!(e instanceof Continue)) throw e;
    }
    return true;
  }

  private assign(target: LValue, op: string, e: Expr | null): void {
    const old = op === '=' ? 0n : this.read(target);
    let v: bigint;
    if (op === '++') v = old + 1n;
    else if (op === '--') v = old - 1n;
    else {
      const rhs = this.expr(e as Expr);
      v = op === '=' ? rhs : this.binary(op.slice(0, -1), old, rhs);
    }
    this.write(target, v & M64);
  }

  private read(target: LValue): bigint {
    if (target.k === 'deref') return this.memoryRead(this.expr(target.e), 8, 'FUNC_POI');
    return this.expr(target);
  }

  private write(target: LValue, v: bigint): void {
    switch (target.k) {
      case 'local':
        this.locals.set(target.name, v);
        return;
      case 'global':
        this.env.globals.set(target.name, v);
        return;
      case 'deref':
        if (!this.env.memory.writeU64(this.expr(target.e), v))
          throw new ScriptRuntimeError('FUNC_MOV');
        return;
      case 'reg': {
        const sub = SUB_REGISTERS[target.name];
        if (sub === undefined) return; // rip, rflags, segments: not written back by the simulator
        const [i, shift, width] = sub;
        const mask = ((1n << BigInt(width)) - 1n) << BigInt(shift);
        const cur = this.env.regs[i] as bigint;
        this.env.regs[i] = (cur & ~mask & M64) | ((v << BigInt(shift)) & mask);
      }
    }
  }

  expr(e: Expr): bigint {
    switch (e.k) {
      case 'num':
        return e.v;
      case 'str':
        return 0n; // a literal's address in the kernel's symbol buffer; only %s reads it
      case 'reg': {
        const sub = SUB_REGISTERS[e.name];
        if (sub === undefined) return this.env.special(e.name);
        const [i, shift, width] = sub;
        return ((this.env.regs[i] as bigint) >> BigInt(shift)) & ((1n << BigInt(width)) - 1n);
      }
      case 'pseudo':
        return this.env.pseudo(e.name);
      case 'local':
        return this.locals.get(e.name) ?? 0n;
      case 'global':
        return this.env.globals.get(e.name) ?? 0n;
      case 'unary': {
        const v = this.expr(e.e);
        switch (e.op) {
          case '-':
            return -v & M64;
          case '~':
            return ~v & M64;
          case '!':
            return v === 0n ? 1n : 0n;
          case '*':
            return this.memoryRead(v, 8, 'FUNC_POI');
          default:
            return v;
        }
      }
      case 'bin': {
        if (e.op === '&&') return this.expr(e.a) !== 0n && this.expr(e.b) !== 0n ? 1n : 0n;
        if (e.op === '||') return this.expr(e.a) !== 0n || this.expr(e.b) !== 0n ? 1n : 0n;
        return this.binary(e.op, this.expr(e.a), this.expr(e.b));
      }
      case 'call':
        return this.call(e.fn, e.args);
    }
  }

  private binary(op: string, a: bigint, b: bigint): bigint {
    switch (op) {
      case '+':
        return (a + b) & M64;
      case '-':
        return (a - b) & M64;
      case '*':
        return (a * b) & M64;
      case '/':
        if (b === 0n) throw new ScriptRuntimeError('FUNC_DIV');
        return a / b;
      case '%':
        if (b === 0n) throw new ScriptRuntimeError('FUNC_MOD');
        return a % b;
      case '<<':
        return (a << (b & 63n)) & M64;
      case '>>':
        return a >> (b & 63n);
      case '&':
        return a & b;
      case '|':
        return a | b;
      case '^':
        return a ^ b;
      case '==':
        return a === b ? 1n : 0n;
      case '!=':
        return a !== b ? 1n : 0n;
      // Comparisons are signed in HyperDbg's boolean expressions (FUNC_GT etc. compare INT64).
      case '<':
        return BigInt.asIntN(64, a) < BigInt.asIntN(64, b) ? 1n : 0n;
      case '>':
        return BigInt.asIntN(64, a) > BigInt.asIntN(64, b) ? 1n : 0n;
      case '<=':
        return BigInt.asIntN(64, a) <= BigInt.asIntN(64, b) ? 1n : 0n;
      case '>=':
        return BigInt.asIntN(64, a) >= BigInt.asIntN(64, b) ? 1n : 0n;
      default:
        return 0n;
    }
  }

  private memoryRead(address: bigint, size: number, fn: string): bigint {
    const m = this.env.memory;
    const v =
      size === 1
        ? m.readU8(address)
        : size === 2
          ? m.readU16(address)
          : size === 4
            ? m.readU32(address)
            : m.readU64(address);
    if (v === null) throw new ScriptRuntimeError(fn);
    return BigInt(v);
  }

  private call(fn: string, args: readonly Expr[]): bigint {
    const arg = (i: number): bigint => (args[i] === undefined ? 0n : this.expr(args[i] as Expr));
    const m = this.env.memory;
    switch (fn) {
      case 'poi':
      case 'dq':
        return this.memoryRead(arg(0), 8, `FUNC_${fn.toUpperCase()}`);
      case 'dd':
        return this.memoryRead(arg(0), 4, 'FUNC_DD');
      case 'dw':
        return this.memoryRead(arg(0), 2, 'FUNC_DW');
      case 'db':
        return this.memoryRead(arg(0), 1, 'FUNC_DB');
      case 'hi':
        return this.memoryRead(arg(0) + 2n, 2, 'FUNC_HI');
      case 'low':
        return this.memoryRead(arg(0), 2, 'FUNC_LOW');
      case 'neg':
        return -arg(0) & M64;
      case 'not':
        return ~arg(0) & M64;
      case 'check_address':
        return m.isReadable(arg(0), 1) ? 1n : 0n;
      case 'eb':
      case 'ed':
      case 'eq': {
        const at = arg(0);
        const v = arg(1);
        const ok =
          fn === 'eb'
            ? m.writeU8(at, Number(v & 0xffn))
            : fn === 'ed'
              ? m.writeU32(at, Number(v & 0xffffffffn))
              : m.writeU64(at, v);
        return ok ? 1n : 0n;
      }
      case 'memcpy': {
        const dst = arg(0);
        const src = arg(1);
        const n = Number(arg(2) & 0xffffffn);
        const bytes = m.read(src, n);
        if (bytes === null || !m.write(dst, bytes)) throw new ScriptRuntimeError('FUNC_MEMCPY');
        return 0n;
      }
      case 'strlen':
      case 'wcslen': {
        const a = args[0];
        if (a !== undefined && a.k === 'str') return BigInt(a.v.length);
        const s =
          fn === 'strlen'
            ? m.readCString(arg(0), MAX_STRING_BYTES)
            : m.readWString(arg(0), MAX_STRING_BYTES);
        if (s === null) throw new ScriptRuntimeError(`FUNC_${fn.toUpperCase()}`);
        return BigInt(s.length);
      }
      case 'print':
        this.emit(`${arg(0).toString(16)}\n`);
        return 0n;
      case 'rdtsc':
      case 'rdtscp':
        return this.env.special('tsc');
      case 'interlocked_increment':
      case 'interlocked_decrement': {
        const at = arg(0);
        const v =
          (this.memoryRead(at, 8, `FUNC_${fn.toUpperCase()}`) +
            (fn.endsWith('increment') ? 1n : M64)) &
          M64;
        m.writeU64(at, v);
        return v;
      }
      default:
        // Other functions of the grammar (event_*, pause, flush, ...) have no effect here.
        return 0n;
    }
  }

  private printf(
    format: string,
    specs: readonly { at: number; text: string }[],
    args: readonly Expr[],
  ): void {
    let out = '';
    let from = 0;
    specs.forEach((spec, i) => {
      out += format.slice(from, spec.at);
      from = spec.at + spec.text.length;
      const a = args[i] as Expr;
      if (spec.text === '%s' || spec.text === '%ws' || spec.text === '%ls') {
        if (a.k === 'str') out += a.v;
        else {
          const at = this.expr(a);
          const s =
            spec.text === '%s'
              ? this.env.memory.readCString(at, MAX_STRING_BYTES)
              : this.env.memory.readWString(at, MAX_STRING_BYTES);
          if (s === null) throw new ScriptRuntimeError('FUNC_PRINTF');
          out += s;
        }
      } else if (spec.text === '%f') {
        // Only floating-point values may use %f; the simulator's values are all integers.
        throw new ScriptRuntimeError('FUNC_PRINTF');
      } else out += formatInteger(spec.text, this.expr(a));
    });
    out += format.slice(from);
    this.emit(out);
  }

  private emit(message: string): void {
    // A message that does not fit one packet is dropped by the kernel without a word (spec §5.1).
    if (message.length > MAX_MESSAGE_BYTES) return;
    this.env.emit(message);
  }
}
