// Where each register's value comes from at each instruction: the safe buffer, GUEST_REGS, the
// Context, the stack, a guest register, the current thread or process... tracked through moves,
// lea, add/sub of constants and the stack pointer, over every path (a join keeps only what all
// paths agree on; anything else becomes unknown). Annotations and lints read it. Host side, pure.
import type { CodeRole } from '../../../shared/model/actionAssembly';
import type { DecodedInstruction } from './decode';
import { guestRegAt } from '../../../shared/model/guestRegs';
import { GPR64, gprFamily, gprSize, type Gpr64 } from './registers';

export type KernelStruct = 'KTHREAD' | 'EPROCESS';

export type Val =
  | { readonly k: 'unknown' }
  | { readonly k: 'const'; readonly v: bigint }
  /** Pointer into the safe buffer (NULL when none was requested). */
  | { readonly k: 'buffer'; readonly off: bigint }
  | { readonly k: 'regs'; readonly off: bigint }
  | { readonly k: 'context'; readonly off: bigint }
  /** The code's own address (R9 in custom code, R8 in condition code). */
  | { readonly k: 'self'; readonly off: bigint }
  /** Entry RSP + off: [entry rsp] is the return address (spec §8). */
  | { readonly k: 'stack'; readonly off: bigint }
  /** A guest register's value, read from GUEST_REGS. */
  | { readonly k: 'guest'; readonly reg: Gpr64; readonly off: bigint }
  | { readonly k: 'struct'; readonly type: KernelStruct; readonly off: bigint }
  /** KPRCB.Number: the processor index. */
  | { readonly k: 'cpu' }
  /** RAX as the trampoline left it: not a value the code chose. */
  | { readonly k: 'entryRax' }
  /** Set on some paths here and still the trampoline's on others. */
  | { readonly k: 'partlyEntryRax' };

export type RegState = readonly Val[];

export const UNKNOWN: Val = { k: 'unknown' };
const U64 = 1n << 64n;

/** GS-relative offsets this module knows (Windows 10 x64, spec §11.3). */
export const GS_CURRENT_THREAD = 0x188n;
export const GS_PROCESSOR_NUMBER = 0x1a4n;
/** KTHREAD.ApcState.Process: stable across the builds the seed covers (spec §11.4). */
export const KTHREAD_PROCESS = 0xb8n;

export interface AnalysisContext {
  readonly role: CodeRole;
}

export interface Analysis {
  /** Register state before each instruction; undefined where the instruction is unreachable. */
  readonly before: readonly (RegState | undefined)[];
  readonly after: readonly (RegState | undefined)[];
  /** State on reaching the end of the bytes, where HyperDbg's appended `c3` returns. */
  readonly atEnd: RegState | undefined;
}

export function regIndex(r: Gpr64): number {
  return GPR64.indexOf(r);
}

export function entryState(role: CodeRole): RegState {
  const s: Val[] = GPR64.map(() => UNKNOWN);
  s[regIndex('rax')] = { k: 'entryRax' };
  s[regIndex('rsp')] = { k: 'stack', off: 0n };
  if (role === 'code') {
    s[regIndex('rcx')] = { k: 'buffer', off: 0n };
    s[regIndex('rdx')] = { k: 'regs', off: 0n };
    s[regIndex('r8')] = { k: 'context', off: 0n };
    s[regIndex('r9')] = { k: 'self', off: 0n };
  } else {
    s[regIndex('rcx')] = { k: 'regs', off: 0n };
    s[regIndex('rdx')] = { k: 'context', off: 0n };
    s[regIndex('r8')] = { k: 'self', off: 0n };
  }
  return s;
}

export function analyze(decoded: readonly DecodedInstruction[], ctx: AnalysisContext): Analysis {
  const n = decoded.length;
  const end = n;
  const byOffset = new Map(decoded.map((d, i) => [d.offset, i]));
  const codeLength =
    n === 0
      ? 0
      : (decoded[n - 1] as DecodedInstruction).offset +
        (decoded[n - 1] as DecodedInstruction).length;
  const states: (RegState | undefined)[] = new Array<RegState | undefined>(n + 1).fill(undefined);
  const work: number[] = [];
  const flowInto = (i: number, s: RegState) => {
    const cur = states[i];
    const next = cur === undefined ? s : join(cur, s);
    if (cur !== undefined && sameState(cur, next)) return;
    states[i] = next;
    if (i < end && !work.includes(i)) work.push(i);
  };
  const target = (offset: number | null): number | undefined =>
    offset === null ? undefined : offset === codeLength ? end : byOffset.get(offset);

  flowInto(0, entryState(ctx.role));
  const after: (RegState | undefined)[] = new Array<RegState | undefined>(n).fill(undefined);
  while (work.length > 0) {
    const i = work.shift() as number;
    const d = decoded[i] as DecodedInstruction;
    const out = step(d, states[i] as RegState);
    after[i] = out;
    const next = i + 1;
    switch (d.flow) {
      case 'next':
      case 'call':
        flowInto(next, out);
        break;
      case 'jump': {
        const t = target(d.branchTarget);
        if (t !== undefined) flowInto(t, out);
        break;
      }
      case 'branch': {
        flowInto(next, out);
        const t = target(d.branchTarget);
        if (t !== undefined) flowInto(t, out);
        break;
      }
      default:
        break;
    }
  }
  return { before: states.slice(0, n), after, atEnd: states[end] };
}

function join(a: RegState, b: RegState): RegState {
  const unset = (v: Val) => v.k === 'entryRax' || v.k === 'partlyEntryRax';
  return a.map((v, i) => {
    const w = b[i] as Val;
    if (sameVal(v, w)) return v;
    // Keep "not set on every path" visible: it is what the rax-unset lint needs.
    return unset(v) || unset(w) ? { k: 'partlyEntryRax' } : UNKNOWN;
  });
}

function sameState(a: RegState, b: RegState): boolean {
  return a.every((v, i) => sameVal(v, b[i] as Val));
}

export function sameVal(a: Val, b: Val): boolean {
  if (a.k !== b.k) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return x.off === y.off && x.v === y.v && x.reg === y.reg && x.type === y.type;
}

/** Adds a constant to a pointer or a constant; anything else stays unknown. */
function adjust(v: Val, delta: bigint): Val {
  switch (v.k) {
    case 'const':
      return { k: 'const', v: BigInt.asUintN(64, v.v + delta) };
    case 'buffer':
    case 'regs':
    case 'context':
    case 'self':
    case 'stack':
    case 'guest':
    case 'struct':
      return { ...v, off: v.off + delta };
    default:
      return UNKNOWN;
  }
}

/** An address as the analysis sees it. */
export type Addr =
  | { readonly k: 'seg'; readonly seg: string; readonly off: bigint }
  | { readonly k: 'ptr'; readonly base: Val; readonly off: bigint | null }
  | { readonly k: 'unknown' };

export interface AddressParts {
  readonly segment: string;
  readonly base: string | null;
  readonly index: string | null;
  readonly scale: number;
  readonly disp: bigint;
  readonly ripRelative: boolean;
}

const POINTER_KINDS = new Set(['buffer', 'regs', 'context', 'self', 'stack', 'guest', 'struct']);

/** What memory an operand or access points at, in state `s`. */
export function addressOf(m: AddressParts, s: RegState): Addr {
  if (m.ripRelative)
    return { k: 'ptr', base: { k: 'self', off: 0n }, off: BigInt.asIntN(64, m.disp) };
  const disp = BigInt.asIntN(64, m.disp);
  if (m.base === null && m.index === null)
    return m.segment === 'gs' || m.segment === 'fs'
      ? { k: 'seg', seg: m.segment, off: disp }
      : { k: 'unknown' };
  const valOf = (r: string | null): Val | null => {
    if (r === null) return null;
    const f = gprFamily(r);
    if (f === undefined || gprSize(r) !== 8) return UNKNOWN;
    return s[regIndex(f)] as Val;
  };
  const base = valOf(m.base);
  const index = valOf(m.index);
  const isPtr = (v: Val | null) => v !== null && POINTER_KINDS.has(v.k);
  let ptr: Val;
  let other: Val | null;
  let otherScale: bigint;
  if (isPtr(base)) {
    ptr = base as Val;
    other = index;
    otherScale = BigInt(m.scale);
  } else if (isPtr(index) && m.scale === 1) {
    ptr = index as Val;
    other = base;
    otherScale = 1n;
  } else return { k: 'unknown' };
  const ptrOff = (ptr as { off: bigint }).off;
  if (other === null) return { k: 'ptr', base: ptr, off: ptrOff + disp };
  if (other.k === 'const')
    return { k: 'ptr', base: ptr, off: ptrOff + BigInt.asIntN(64, other.v) * otherScale + disp };
  return { k: 'ptr', base: ptr, off: null };
}

/** The value a load of `size` bytes from `a` gives. */
function load(a: Addr, size: number): Val {
  if (a.k === 'seg' && a.seg === 'gs') {
    if (a.off === GS_CURRENT_THREAD && size === 8) return { k: 'struct', type: 'KTHREAD', off: 0n };
    if (a.off === GS_PROCESSOR_NUMBER) return { k: 'cpu' };
    return UNKNOWN;
  }
  if (a.k !== 'ptr' || a.off === null || size !== 8) return UNKNOWN;
  if (a.base.k === 'regs' && a.off >= 0n) {
    const reg = guestRegAt(Number(a.off));
    if (reg !== undefined) return { k: 'guest', reg, off: 0n };
  }
  if (a.base.k === 'struct' && a.base.type === 'KTHREAD' && a.off === KTHREAD_PROCESS)
    return { k: 'struct', type: 'EPROCESS', off: 0n };
  return UNKNOWN;
}

function regOperand(d: DecodedInstruction, k: number): { family: Gpr64; size: number } | undefined {
  const op = d.operands[k];
  if (op?.kind !== 'reg') return undefined;
  const family = gprFamily(op.reg);
  const size = gprSize(op.reg);
  return family === undefined || size === undefined ? undefined : { family, size };
}

const VOLATILE: readonly Gpr64[] = ['rax', 'rcx', 'rdx', 'r8', 'r9', 'r10', 'r11'];

/** The register state after `d`. */
export function step(d: DecodedInstruction, s: RegState): RegState {
  const out = s.slice();
  for (const r of d.gprWritten) out[regIndex(r)] = UNKNOWN;
  const set = (r: Gpr64, v: Val) => {
    out[regIndex(r)] = v;
  };
  const get = (r: Gpr64) => s[regIndex(r)] as Val;
  const dst = regOperand(d, 0);
  const src = regOperand(d, 1);
  const op1 = d.operands[1];
  const rsp = get('rsp');
  switch (d.mnemonic) {
    case 'mov':
      if (dst === undefined) break;
      if (dst.size === 8) {
        if (src?.size === 8) set(dst.family, get(src.family));
        else if (op1?.kind === 'imm')
          set(dst.family, { k: 'const', v: BigInt.asUintN(64, op1.value) });
        else if (op1?.kind === 'mem') set(dst.family, load(addressOf(op1, s), op1.size));
      } else if (dst.size === 4) {
        // A 32-bit write zero-extends into the whole register.
        if (op1?.kind === 'imm') set(dst.family, { k: 'const', v: BigInt.asUintN(32, op1.value) });
        else if (src?.size === 4) {
          const v = get(src.family);
          if (v.k === 'const') set(dst.family, { k: 'const', v: BigInt.asUintN(32, v.v) });
        }
      }
      break;
    case 'movzx':
      if (dst !== undefined && op1?.kind === 'mem' && dst.size >= 4) {
        const v = load(addressOf(op1, s), op1.size);
        if (v.k === 'cpu') set(dst.family, v);
      }
      break;
    case 'lea':
      if (dst?.size === 8 && op1?.kind === 'mem') {
        const a = addressOf(op1, s);
        if (a.k === 'ptr' && a.off !== null) set(dst.family, { ...a.base, off: a.off } as Val);
      }
      break;
    case 'add':
    case 'sub': {
      if (dst?.size !== 8) {
        if (dst !== undefined && src?.family === dst.family && d.mnemonic === 'sub')
          set(dst.family, { k: 'const', v: 0n });
        break;
      }
      const sign = d.mnemonic === 'add' ? 1n : -1n;
      if (op1?.kind === 'imm')
        set(dst.family, adjust(get(dst.family), sign * BigInt.asIntN(64, op1.value)));
      else if (src?.size === 8) {
        const a = get(dst.family);
        const b = get(src.family);
        if (src.family === dst.family && sign < 0n) set(dst.family, { k: 'const', v: 0n });
        else if (b.k === 'const') set(dst.family, adjust(a, sign * BigInt.asIntN(64, b.v)));
        else if (a.k === 'const' && sign > 0n) set(dst.family, adjust(b, BigInt.asIntN(64, a.v)));
      }
      break;
    }
    case 'inc':
    case 'dec':
      if (dst?.size === 8)
        set(dst.family, adjust(get(dst.family), d.mnemonic === 'inc' ? 1n : -1n));
      break;
    case 'xor':
      if (dst !== undefined && src?.family === dst.family && src.size === dst.size && dst.size >= 4)
        set(dst.family, { k: 'const', v: 0n });
      break;
    case 'push':
    case 'pushfq':
      set('rsp', adjust(rsp, -8n));
      break;
    case 'pop':
    case 'popfq':
      set('rsp', adjust(rsp, 8n));
      if (dst !== undefined && dst.family !== 'rsp') set(dst.family, UNKNOWN);
      break;
    case 'call':
      // Whatever is called follows the ABI: volatile registers are gone, RSP is balanced.
      for (const r of VOLATILE) set(r, UNKNOWN);
      set('rsp', rsp);
      break;
    default:
      break;
  }
  return out;
}

/** Two's-complement 64-bit view of an unsigned constant. */
export function signed(v: bigint): bigint {
  return v >= U64 / 2n ? v - U64 : v;
}
