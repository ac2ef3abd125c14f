// An action's log form derived from its custom code: the verified instructions are executed
// symbolically (registers and the safe buffer hold script expressions, not numbers) and the
// record they return becomes a RecordPayload whose words read the same memory in a HyperDbg
// script: gs:[KPCR.Prcb.CurrentThread] is $thread, [KTHREAD.ApcState.Process] is $proc,
// Regs->r8 is @r8, R8 is $context, a load is dq/dd/dw/db. Code a fixed list of expressions cannot
// express (branches, loops, state kept in the buffer across triggers, writes to the guest) gets
// no payload and the reason why. Host side, pure.
import { GUEST_REG_COUNT, GUEST_REG_NAMES } from '../../../shared/model/guestRegs';
import type { EventKind } from '../../../shared/model/eventKinds';
import {
  fieldTypeSize,
  parseFieldType,
  type BufferSchema,
} from '../../../shared/model/bufferSchema';
import { resolveFieldPath, type FieldEnvironment } from '../../../shared/model/knownBuilds';
import { recordWordCount } from '../../../shared/model/record';
import { checkPayloadExpression, type RecordPayload } from '../../../shared/model/recordPayload';
import type { DecodedInstruction, DecodedMem, DecodedOperand } from './decode';
import { gprFamily, gprSize, type Gpr64 } from './registers';

export type LogFormDerivation =
  | {
      readonly ok: true;
      readonly payload: RecordPayload;
      /** How instructions became expressions, for the listing (`gs:[0x188] -> $thread`). */
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

export interface LogFormContext {
  readonly bufferSize: number;
  readonly bufferSchema: BufferSchema;
  readonly eventKind: EventKind | null;
  /** Gives KPCR.Prcb.CurrentThread and KTHREAD.ApcState.Process on the target; defaults used without it. */
  readonly fields: FieldEnvironment | null;
}

/** Instructions followed before giving up: a derivable action is straight-line and short. */
const MAX_STEPS = 4096;
const U64 = 1n << 64n;
const M64 = U64 - 1n;
/** Stable across every Windows 10/11 x64 build (resources/windows-builds.json). */
const DEFAULT_CURRENT_THREAD = 0x188n;
const DEFAULT_APC_PROCESS = 0xb8n;
const DEFAULT_PROCESSOR_NUMBER = 0x1a4n;

/** A value as the symbolic run knows it. */
type SVal =
  | { readonly k: 'num'; readonly v: bigint }
  /** A script expression plus a constant; `bits`: how many low bits it can have set. */
  | { readonly k: 'expr'; readonly text: string; readonly add: bigint; readonly bits: number }
  | { readonly k: 'buffer'; readonly off: bigint }
  | { readonly k: 'regs'; readonly off: bigint }
  | { readonly k: 'stack'; readonly off: bigint }
  | { readonly k: 'unset' }
  /** A value a script cannot compute, and why. */
  | { readonly k: 'opaque'; readonly why: string };

class NoTranslation extends Error {}

const hex = (v: bigint) => (v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);
const num = (v: bigint): SVal => ({ k: 'num', v: BigInt.asUintN(64, v) });
const atom = (text: string, bits = 64): SVal => ({ k: 'expr', text, add: 0n, bits });

/** The script text of a value (it must be a number or an expression). */
function text(v: SVal, what: string): string {
  if (v.k === 'num') return hex(v.v);
  if (v.k === 'expr') {
    const add = BigInt.asIntN(64, v.add);
    return add === 0n ? v.text : `${v.text}${add < 0n ? '-' : '+'}${hex(add < 0n ? -add : add)}`;
  }
  throw new NoTranslation(`${what} is ${describe(v)}, which a script cannot compute`);
}

function describe(v: SVal): string {
  switch (v.k) {
    case 'buffer':
      return `a pointer into the safe buffer (buffer + ${hex(v.off)})`;
    case 'regs':
      return `a pointer into GUEST_REGS (Regs + ${hex(v.off)})`;
    case 'stack':
      return 'a pointer into the trampoline stack';
    case 'unset':
      return 'RAX as the trampoline left it';
    case 'opaque':
      return v.why;
    default:
      return 'a value';
  }
}

function addConst(v: SVal, c: bigint): SVal {
  switch (v.k) {
    case 'num':
      return num(v.v + c);
    case 'expr':
      return { ...v, add: BigInt.asUintN(64, v.add + c), bits: 64 };
    case 'buffer':
    case 'regs':
    case 'stack':
      return { ...v, off: v.off + c };
    default:
      return v;
  }
}

/** `a op b` for constants folded, else as an expression; pointers cannot take part. */
function binop(op: '&' | '|' | '^' | '<<' | '>>' | '*', a: SVal, b: SVal, what: string): SVal {
  if (a.k === 'num' && b.k === 'num') {
    const x = a.v;
    const y = b.v;
    switch (op) {
      case '&':
        return num(x & y);
      case '|':
        return num(x | y);
      case '^':
        return num(x ^ y);
      case '<<':
        return num(x << (y & 63n));
      case '>>':
        return num(x >> (y & 63n));
      case '*':
        return num(x * y);
    }
  }
  const bits =
    op === '&' && b.k === 'num'
      ? Math.min(a.k === 'expr' ? a.bits : 64, b.v.toString(2).length)
      : op === '>>' && a.k === 'expr' && b.k === 'num'
        ? Math.max(0, a.bits - Number(b.v))
        : 64;
  return atom(`(${text(a, what)} ${op} ${text(b, what)})`, bits);
}

/** The low `bytes` of a value (a 32-bit write zero-extends: `& 0xffffffff` unless it fits). */
function low(v: SVal, bytes: number, what: string): SVal {
  if (bytes >= 8) return v;
  const mask = (1n << BigInt(bytes * 8)) - 1n;
  if (v.k === 'expr' && v.add === 0n && v.bits <= bytes * 8) return v;
  return binop('&', v, num(mask), what);
}

const LOAD_FN: Readonly<Record<number, string>> = { 8: 'dq', 4: 'dd', 2: 'dw', 1: 'db' };

interface Write {
  readonly off: bigint;
  readonly size: number;
  readonly value: SVal;
  readonly where: string;
}

/** Derives the payload a log action must print to carry the same record as this code. */
export function deriveLogForm(
  decoded: readonly DecodedInstruction[],
  ctx: LogFormContext,
): LogFormDerivation {
  if (ctx.bufferSize === 0)
    return {
      ok: false,
      reason: 'the action requests no buffer, so it returns no record: there is nothing to log',
    };
  try {
    return run(decoded, ctx);
  } catch (e) {
    if (e instanceof NoTranslation) return { ok: false, reason: e.message };
    throw e;
  }
}

function fieldOffset(ctx: LogFormContext, path: string, fallback: bigint): bigint {
  if (ctx.fields === null) return fallback;
  const r = resolveFieldPath(ctx.fields, path);
  return r.ok ? BigInt(r.field.value) : fallback;
}

function run(decoded: readonly DecodedInstruction[], ctx: LogFormContext): LogFormDerivation {
  const currentThread = fieldOffset(ctx, 'KPCR.Prcb.CurrentThread', DEFAULT_CURRENT_THREAD);
  const apcProcess = fieldOffset(ctx, 'KTHREAD.ApcState.Process', DEFAULT_APC_PROCESS);
  const processorNumber = fieldOffset(ctx, 'KPCR.Prcb.Number', DEFAULT_PROCESSOR_NUMBER);
  const notes: string[] = [];
  const note = (n: string) => {
    if (!notes.includes(n)) notes.push(n);
  };
  const regs = new Map<Gpr64, SVal>();
  for (const r of GUEST_REG_NAMES)
    regs.set(r, { k: 'opaque', why: `the trampoline's ${r} (not an input of custom code)` });
  regs.set('rax', { k: 'unset' });
  regs.set('rcx', { k: 'buffer', off: 0n });
  regs.set('rdx', { k: 'regs', off: 0n });
  regs.set('r8', atom('$context'));
  regs.set('r9', { k: 'opaque', why: "the code's own address (R9)" });
  regs.set('rsp', { k: 'stack', off: 0n });
  const buffer: Write[] = [];
  const stack = new Map<bigint, SVal>();
  const byOffset = new Map(decoded.map((d, i) => [d.offset, i]));
  const end = decoded.reduce((n, d) => Math.max(n, d.offset + d.length), 0);

  const get = (reg: string, at: string): SVal => {
    const family = gprFamily(reg);
    const size = gprSize(reg);
    if (family === undefined || size === undefined)
      throw new NoTranslation(`${at} uses ${reg}, which has no script equivalent`);
    const v = regs.get(family) as SVal;
    if (size === 8) return v;
    if (v.k !== 'num' && v.k !== 'expr')
      throw new NoTranslation(`${at} reads part of ${family}, which holds ${describe(v)}`);
    return low(v, size, at);
  };
  const set = (reg: string, v: SVal, at: string) => {
    const family = gprFamily(reg);
    const size = gprSize(reg);
    if (family === undefined || size === undefined)
      throw new NoTranslation(`${at} writes ${reg}, which has no script equivalent`);
    if (size === 8) regs.set(family, v);
    else if (size === 4) regs.set(family, v.k === 'num' || v.k === 'expr' ? low(v, 4, at) : v);
    else regs.set(family, { k: 'opaque', why: `${family} after a ${size * 8}-bit partial write` });
  };
  const address = (m: DecodedMem, at: string): SVal => {
    if (m.ripRelative) throw new NoTranslation(`${at} reads the code's own bytes ([rip+...])`);
    let a: SVal = num(m.disp);
    if (m.base !== null) a = addBase(get(m.base, at), m.disp);
    if (m.index !== null) {
      const i = get(m.index, at);
      if (i.k !== 'num') {
        if (a.k !== 'num' && a.k !== 'expr')
          throw new NoTranslation(`${at} indexes ${describe(a)} by a run-time value`);
        return atom(`(${text(a, at)} + ${text(binop('*', i, num(BigInt(m.scale)), at), at)})`);
      }
      a = addConst(a, i.v * BigInt(m.scale));
    }
    return a;
  };
  const addBase = (b: SVal, disp: bigint): SVal => addConst(b, BigInt.asIntN(64, disp));

  const load = (m: DecodedMem, size: number, at: string): SVal => {
    if (m.segment === 'gs' && m.base === null && m.index === null) {
      const off = BigInt.asIntN(64, m.disp);
      if (off === currentThread && size === 8) {
        note(`gs:[${hex(off)}] (KPCR.Prcb.CurrentThread) is $thread`);
        return atom('$thread');
      }
      if (off === processorNumber && (size === 2 || size === 4)) {
        note(`gs:[${hex(off)}] (KPCR.Prcb.Number) is $core`);
        return atom('$core', 32);
      }
      throw new NoTranslation(`${at} reads gs:[${hex(off)}], which a script cannot read`);
    }
    if (m.segment === 'fs' || m.segment === 'gs')
      throw new NoTranslation(
        `${at} reads ${m.segment}-relative memory, which a script cannot read`,
      );
    const a = address(m, at);
    switch (a.k) {
      case 'regs': {
        const off = Number(a.off);
        const slot = Math.floor(off / 8);
        if (off < 0 || slot >= GUEST_REG_COUNT || (off % 8) + size > 8)
          throw new NoTranslation(`${at} reads Regs + ${hex(a.off)}, outside one GUEST_REGS field`);
        const reg = GUEST_REG_NAMES[slot] as Gpr64;
        if (reg === 'rsp' && ctx.eventKind === '!epthook2')
          throw new NoTranslation(
            `${at} reads Regs->rsp, which for !epthook2 holds Regs - sizeof(GUEST_REGS), not the guest RSP a script's @rsp gives: the two forms would differ`,
          );
        note(`Regs->${reg} is @${reg}`);
        const whole = atom(`@${reg}`);
        const shifted = off % 8 === 0 ? whole : binop('>>', whole, num(BigInt((off % 8) * 8)), at);
        return low(shifted, size, at);
      }
      case 'buffer': {
        const w = [...buffer].reverse().find((x) => x.off === a.off && x.size === size);
        if (w !== undefined) return w.value;
        throw new NoTranslation(
          `${at} reads the safe buffer (buffer + ${hex(a.off)}), which keeps what earlier triggers left there: a record payload is computed afresh each time`,
        );
      }
      case 'stack': {
        const v = stack.get(a.off);
        if (v !== undefined && size === 8) return v;
        throw new NoTranslation(`${at} reads the trampoline's stack (entry RSP + ${hex(a.off)})`);
      }
      case 'num':
      case 'expr': {
        if (
          size === 8 &&
          a.k === 'expr' &&
          a.text === '$thread' &&
          BigInt.asIntN(64, a.add) === apcProcess
        ) {
          note(`[$thread + ${hex(apcProcess)}] (KTHREAD.ApcState.Process) is $proc`);
          return atom('$proc');
        }
        const fn = LOAD_FN[size];
        if (fn === undefined) throw new NoTranslation(`${at} reads ${size} bytes at once`);
        return atom(`${fn}(${text(a, at)})`, size * 8);
      }
      default:
        throw new NoTranslation(`${at} reads memory at ${describe(a)}`);
    }
  };
  const store = (m: DecodedMem, size: number, value: SVal, at: string) => {
    if (m.segment === 'gs' || m.segment === 'fs')
      throw new NoTranslation(`${at} writes ${m.segment}-relative memory: a log form only reads`);
    const a = address(m, at);
    if (a.k === 'buffer') {
      if (a.off < 0n || a.off + BigInt(size) > BigInt(ctx.bufferSize))
        throw new NoTranslation(
          `${at} writes outside the ${hex(BigInt(ctx.bufferSize))}-byte buffer`,
        );
      buffer.push({
        off: a.off,
        size,
        value: value.k === 'num' ? num(value.v & mask(size)) : value,
        where: at,
      });
      return;
    }
    if (a.k === 'stack' && a.off < 0n) {
      stack.set(a.off, value);
      return;
    }
    if (a.k === 'regs') {
      const reg = GUEST_REG_NAMES[Math.floor(Number(a.off) / 8)] ?? `+${hex(a.off)}`;
      throw new NoTranslation(
        `${at} changes Regs->${reg} (the guest's register): a log form only reads, so it would drop that effect`,
      );
    }
    throw new NoTranslation(`${at} writes memory (${describe(a)}): a log form only reads`);
  };
  const mask = (size: number) => (size >= 8 ? M64 : (1n << BigInt(size * 8)) - 1n);
  const operand = (op: DecodedOperand | undefined, size: number, at: string): SVal => {
    if (op === undefined) throw new NoTranslation(`${at}: an operand is missing`);
    if (op.kind === 'reg') return get(op.reg, at);
    if (op.kind === 'imm') return num(op.value);
    if (op.kind === 'mem') return load(op, op.size || size, at);
    throw new NoTranslation(`${at}: an operand a script cannot express`);
  };
  const destSize = (op: DecodedOperand | undefined): number =>
    op?.kind === 'reg' ? (gprSize(op.reg) ?? 8) : op?.kind === 'mem' ? op.size : 8;
  const assign = (op: DecodedOperand | undefined, v: SVal, at: string) => {
    if (op?.kind === 'reg') set(op.reg, v, at);
    else if (op?.kind === 'mem') store(op, op.size, v, at);
    else throw new NoTranslation(`${at}: cannot write that operand`);
  };

  let i = 0;
  let steps = 0;
  let rax: SVal | null = null;
  while (rax === null) {
    if (++steps > MAX_STEPS)
      throw new NoTranslation('the code does not reach its end in a fixed number of steps');
    const d = decoded[i];
    if (d === undefined) {
      rax = regs.get('rax') as SVal; // fell off the end: HyperDbg's appended ret
      break;
    }
    const at = `'${d.text.replace(/\s+/g, ' ')}' at ${hex(BigInt(d.offset))}`;
    const [a, b, c] = d.operands;
    const size = destSize(a);
    switch (d.mnemonic) {
      case 'nop':
      case 'cmp':
      case 'test':
        // Flags only: what reads them (a conditional branch) is refused where it comes.
        break;
      case 'mov':
        assign(a, operand(b, size, at), at);
        break;
      case 'movzx':
        assign(a, operand(b, size, at), at);
        break;
      case 'lea': {
        if (b?.kind !== 'mem') throw new NoTranslation(`${at}: lea without an address`);
        assign(a, address(b, at), at);
        break;
      }
      case 'add':
      case 'sub': {
        const x = operand(a, size, at);
        const y = operand(b, size, at);
        if (y.k !== 'num') {
          if (d.mnemonic === 'add' && x.k === 'num') assign(a, addConst(y, x.v), at);
          else if (d.mnemonic === 'add' && (x.k === 'expr' || x.k === 'num') && y.k === 'expr')
            assign(a, atom(`(${text(x, at)} + ${text(y, at)})`), at);
          else
            throw new NoTranslation(`${at} combines two run-time values in a way a payload cannot`);
        } else {
          const delta = d.mnemonic === 'add' ? BigInt.asIntN(64, y.v) : -BigInt.asIntN(64, y.v);
          assign(a, size === 8 ? addConst(x, delta) : low(addConst(x, delta), size, at), at);
        }
        break;
      }
      case 'inc':
      case 'dec':
        assign(a, addConst(operand(a, size, at), d.mnemonic === 'inc' ? 1n : -1n), at);
        break;
      case 'and':
      case 'or':
      case 'xor': {
        if (d.mnemonic === 'xor' && a?.kind === 'reg' && b?.kind === 'reg' && a.reg === b.reg) {
          set(a.reg, num(0n), at);
          break;
        }
        const op = d.mnemonic === 'and' ? '&' : d.mnemonic === 'or' ? '|' : '^';
        assign(a, binop(op, operand(a, size, at), operand(b, size, at), at), at);
        break;
      }
      case 'shl':
      case 'sal':
      case 'shr': {
        const count = operand(b, 1, at);
        if (count.k !== 'num') throw new NoTranslation(`${at} shifts by a run-time count`);
        const v = binop(d.mnemonic === 'shr' ? '>>' : '<<', operand(a, size, at), count, at);
        assign(a, low(v, size, at), at);
        break;
      }
      case 'imul': {
        if (c !== undefined)
          assign(a, binop('*', operand(b, size, at), operand(c, size, at), at), at);
        else assign(a, binop('*', operand(a, size, at), operand(b, size, at), at), at);
        break;
      }
      case 'push': {
        const v = operand(a, 8, at);
        const sp = regs.get('rsp') as SVal;
        if (sp.k !== 'stack') throw new NoTranslation(`${at} pushes with RSP unknown`);
        const top = sp.off - 8n;
        stack.set(top, v);
        regs.set('rsp', { k: 'stack', off: top });
        break;
      }
      case 'pop': {
        const sp = regs.get('rsp') as SVal;
        if (sp.k !== 'stack') throw new NoTranslation(`${at} pops with RSP unknown`);
        const v = stack.get(sp.off);
        if (v === undefined) throw new NoTranslation(`${at} pops what the trampoline left`);
        regs.set('rsp', { k: 'stack', off: sp.off + 8n });
        if (a !== undefined) assign(a, v, at);
        break;
      }
      case 'ret':
        rax = regs.get('rax') as SVal;
        break;
      case 'jmp': {
        const target = d.branchTarget;
        if (target === null || target <= d.offset)
          throw new NoTranslation(
            `${at} jumps backwards or indirectly (a loop): a payload is a fixed list of expressions`,
          );
        if (target >= end) {
          rax = regs.get('rax') as SVal;
          break;
        }
        const next = byOffset.get(target);
        if (next === undefined)
          throw new NoTranslation(`${at} jumps into the middle of an instruction`);
        i = next;
        continue;
      }
      default:
        if (d.flow === 'branch')
          throw new NoTranslation(
            `${at} branches on a condition: a record payload is a fixed list of expressions, so this code has no script form (write the log form by hand, or count in the target)`,
          );
        if (d.flow === 'call')
          throw new NoTranslation(`${at} calls other code, which a script cannot`);
        throw new NoTranslation(`${at}: '${d.mnemonic}' has no translation to a script expression`);
    }
    i++;
  }
  return { ok: true, payload: payloadFrom(rax, buffer, ctx), notes };
}

/** How many bytes a record carries: the whole buffer, or the part the schema decodes. */
export function recordLength(bufferSize: number, schema: BufferSchema): number {
  let extent = 0;
  for (const f of schema) {
    const t = parseFieldType(f.type);
    if (t !== undefined) extent = Math.max(extent, f.offset + fieldTypeSize(t));
  }
  return extent > 0 ? Math.min(bufferSize, extent) : bufferSize;
}

function payloadFrom(rax: SVal, buffer: readonly Write[], ctx: LogFormContext): RecordPayload {
  const length = recordLength(ctx.bufferSize, ctx.bufferSchema);
  const words: string[] = [];
  const count = recordWordCount(length);
  switch (rax.k) {
    case 'num':
      if (rax.v === 0n)
        throw new NoTranslation('the code returns 0: a target sends no record then');
      for (let w = 0; w < count; w++) words.push(`dq(${hex(rax.v + BigInt(w * 8))})`);
      break;
    case 'expr':
      for (let w = 0; w < count; w++)
        words.push(`dq(${text(addConst(rax, BigInt(w * 8)), 'the returned address')})`);
      break;
    case 'buffer':
      for (let w = 0; w < count; w++)
        words.push(bufferWord(buffer, rax.off + BigInt(w * 8), length - w * 8));
      break;
    case 'unset':
      throw new NoTranslation(
        'RAX is not set: a target that returns buffers sends whatever address the trampoline left in it, so there is no defined record to log',
      );
    default:
      throw new NoTranslation(
        `the code returns ${describe(rax)}: no script can read the same bytes`,
      );
  }
  for (const [i, w] of words.entries()) {
    const problem = checkPayloadExpression(w);
    if (problem !== null) throw new NoTranslation(`word ${i} (${w}) cannot be printed: ${problem}`);
  }
  return { length, words, origin: 'derived' };
}

/**
 * One 64-bit word of the buffer as an expression: each byte is the last write that covered it
 * (bytes nothing wrote stay as allocated: zero), runs of one write become shifted, masked pieces.
 */
function bufferWord(writes: readonly Write[], at: bigint, bytesLeft: number): string {
  const pieces: { w: Write; from: number; to: number; dest: number }[] = [];
  for (let j = 0; j < Math.min(8, bytesLeft); j++) {
    const addr = at + BigInt(j);
    let owner: Write | undefined;
    for (const w of writes) if (addr >= w.off && addr < w.off + BigInt(w.size)) owner = w;
    if (owner === undefined) continue;
    const k = Number(addr - owner.off);
    const last = pieces[pieces.length - 1];
    if (
      last !== undefined &&
      last.w === owner &&
      last.to === k &&
      last.dest + (last.to - last.from) === j
    )
      last.to = k + 1;
    else pieces.push({ w: owner, from: k, to: k + 1, dest: j });
  }
  if (pieces.length === 0) return '0x0';
  const parts = pieces.map((p) => {
    let v = p.w.value;
    if (v.k !== 'num' && v.k !== 'expr')
      throw new NoTranslation(
        `${p.w.where} stores ${describe(v)} in the buffer, which a script cannot compute`,
      );
    if (p.from > 0) v = binop('>>', v, num(BigInt(p.from * 8)), p.w.where);
    const n = p.to - p.from;
    if (n < 8 && !(p.from + n === p.w.size && v.k === 'expr' && v.add === 0n && v.bits <= n * 8))
      v = low(v, n, p.w.where);
    if (p.dest > 0) v = binop('<<', v, num(BigInt(p.dest * 8)), p.w.where);
    return text(v, p.w.where);
  });
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' | ')})`;
}
