// Annotations for the listing: what memory operands and registers mean in HyperDbg's terms
// (`[rdx+0x40]` is Regs->r8 in custom code, `[rcx+0x40]` in condition code; gs:[0x188] is the
// current thread...), read from the register provenance analysis. Host side, pure.
import type { CodeRole } from '../../../shared/model/actionAssembly';
import type { EventKind } from '../../../shared/model/eventKinds';
import {
  describeEnvironment,
  knownBuild,
  type FieldEnvironment,
} from '../../../shared/model/knownBuilds';
import {
  addressOf,
  GS_CURRENT_THREAD,
  GS_PROCESSOR_NUMBER,
  KTHREAD_PROCESS,
  regIndex,
  type Addr,
  type Analysis,
  type KernelStruct,
  type RegState,
  type Val,
} from './analysis';
import { contextMeaning } from './contextMeaning';
import type { DecodedInstruction, DecodedMem } from './decode';
import { GUEST_REGS_SIZE, guestRegAt } from '../../../shared/model/guestRegs';
import { gprFamily, gprSize } from './registers';

export interface AnnotateContext {
  readonly role: CodeRole;
  readonly bufferSize: number;
  readonly eventKind: EventKind | null;
  /** Names of KTHREAD/EPROCESS offsets on the target and on other known builds. */
  readonly structFields?: StructFieldNames;
}

/** What an offset into KTHREAD or EPROCESS is, on the target's build and on the others. */
export interface StructFieldNames {
  /** The field at `off` on the target's build (symbols or table), if one is known there. */
  onTarget(type: KernelStruct, off: bigint): string | undefined;
  /** A field that sits at `off` on other known builds, and which builds (`17763-18363`). */
  elsewhere(type: KernelStruct, off: bigint): { path: string; builds: string } | undefined;
  /** The target in words (`Windows 10 2004 (build 19041), ...`), or null when none is known. */
  readonly target: string | null;
}

/** Known builds as ranges of consecutive table entries: `17763-18363, 26100`. */
function buildRanges(all: readonly number[], chosen: readonly number[]): string {
  const out: string[] = [];
  let start: number | null = null;
  let prev: number | null = null;
  for (const b of all) {
    if (chosen.includes(b)) {
      start ??= b;
      prev = b;
    } else if (start !== null) {
      out.push(start === prev ? `${start}` : `${start}-${prev}`);
      start = null;
    }
  }
  if (start !== null) out.push(start === prev ? `${start}` : `${start}-${prev}`);
  return out.join(', ');
}

/** The field names an environment gives (no environment: only what every build agrees on). */
export function structFieldNames(env: FieldEnvironment | null): StructFieldNames {
  const typeOf = (path: string): { type: KernelStruct; rest: string } | null => {
    if (path.startsWith('EPROCESS.')) return { type: 'EPROCESS', rest: path };
    if (path.startsWith('KTHREAD.')) return { type: 'KTHREAD', rest: path };
    return null;
  };
  const onTarget = new Map<string, string>();
  const real = env !== null && env.reference !== true;
  if (env !== null && real) {
    const entry = env.build === null ? undefined : knownBuild(env.table, env.build);
    const add = (path: string, value: number) => {
      const t = typeOf(path);
      if (t !== null) onTarget.set(`${t.type}:${value}`, path);
    };
    for (const [path, value] of entry?.offsets ?? []) add(path, value);
    for (const [path, v] of env.symbols) add(path, v.value);
  }
  const table = env?.table;
  return {
    target: env === null || !real ? null : describeEnvironment(env),
    onTarget: (type, off) => onTarget.get(`${type}:${off}`),
    elsewhere: (type, off) => {
      if (table === undefined) return undefined;
      const all = table.builds.map((b) => b.build);
      for (const path of table.fields.keys()) {
        if (typeOf(path)?.type !== type) continue;
        const builds = table.builds
          .filter((b) => b.offsets.get(path) === Number(off) && (!real || b.build !== env?.build))
          .map((b) => b.build);
        if (builds.length > 0) return { path, builds: buildRanges(all, builds) };
      }
      return undefined;
    },
  };
}

/** `EPROCESS + 0x450`, named for the target when it is a field there, else where it is one. */
function structOffsetText(
  type: KernelStruct,
  off: bigint,
  ctx: AnnotateContext | undefined,
): string {
  const here = ctx?.structFields?.onTarget(type, off);
  if (here !== undefined) return here;
  const other = ctx?.structFields?.elsewhere(type, off);
  const base = `${type}${plus(off)}`;
  if (other === undefined) return base;
  return `${base} (${other.path} on builds ${other.builds}${ctx?.structFields?.target != null ? ', not on the target' : ''})`;
}

/** The trampoline's saved registers sit in the 64 bytes above the return address (spec §8). */
export const TRAMPOLINE_SAVE_AREA = 64n;

const hex = (v: bigint | number) => {
  const b = BigInt(v);
  return b < 0n ? `-0x${(-b).toString(16)}` : `0x${b.toString(16)}`;
};
const plus = (off: bigint) => (off === 0n ? '' : off < 0n ? ` - ${hex(-off)}` : ` + ${hex(off)}`);

export function describeStruct(type: KernelStruct, off: bigint, ctx?: AnnotateContext): string {
  if (type === 'KTHREAD' && off === 0n) return 'current KTHREAD* (gs:[0x188])';
  if (type === 'EPROCESS' && off === 0n) return 'current EPROCESS* (KTHREAD.ApcState.Process)';
  const text = structOffsetText(type, off, ctx);
  return text.startsWith(type) ? text : `&${text}`;
}

/** What a register value is, or undefined when nothing useful is known. */
export function describeValue(v: Val, ctx: AnnotateContext): string | undefined {
  switch (v.k) {
    case 'unknown':
    case 'const':
      return undefined;
    case 'buffer':
      if (ctx.bufferSize === 0) return 'NULL: no buffer requested (RCX = 0)';
      return v.off === 0n
        ? `safe buffer (${hex(ctx.bufferSize)} bytes)`
        : `safe buffer${plus(v.off)}`;
    case 'regs':
      if (v.off === 0n) return 'GUEST_REGS* (Regs)';
      return guestRegAt(Number(v.off)) !== undefined &&
        v.off > 0n &&
        v.off < BigInt(GUEST_REGS_SIZE)
        ? `&Regs->${guestRegAt(Number(v.off))}`
        : `Regs${plus(v.off)}`;
    case 'context':
      return v.off === 0n ? contextMeaning(ctx.eventKind) : `Context${plus(v.off)}`;
    case 'self':
      return v.off === 0n ? "this code's own address" : `this code${plus(v.off)}`;
    case 'stack':
      return v.off === 0n
        ? 'RSP at entry (points at the return address)'
        : `entry RSP${plus(v.off)}`;
    case 'guest':
      return `guest ${v.reg} (Regs->${v.reg})${plus(v.off)}`;
    case 'struct':
      return describeStruct(v.type, v.off, ctx);
    case 'cpu':
      return 'processor index (KPRCB.Number)';
    case 'entryRax':
      return 'not set by this code (whatever the trampoline left in RAX)';
    case 'partlyEntryRax':
      return 'set on some paths only (elsewhere whatever the trampoline left in RAX)';
  }
}

/** What the memory at an address is. */
export function describeAddress(a: Addr, size: number, ctx: AnnotateContext): string | undefined {
  if (a.k === 'unknown') return undefined;
  if (a.k === 'seg') {
    if (a.seg !== 'gs') return `${a.seg}${plus(a.off)}`;
    if (a.off === GS_CURRENT_THREAD) return 'KPCR.Prcb.CurrentThread (current KTHREAD*)';
    if (a.off === GS_PROCESSOR_NUMBER) return 'KPRCB.Number (processor index, 16-bit)';
    return `KPCR${plus(a.off)}`;
  }
  const off = a.off;
  const base = a.base;
  switch (base.k) {
    case 'regs': {
      if (off === null) return 'GUEST_REGS (index computed at run time)';
      if (off < 0n || off >= BigInt(GUEST_REGS_SIZE))
        return `Regs${plus(off)} (outside GUEST_REGS, ${hex(GUEST_REGS_SIZE)} bytes)`;
      const slot = Number(off) - (Number(off) % 8);
      const reg = guestRegAt(slot) as string;
      const within = Number(off) % 8;
      if (within === 0 && size === 8) return `Regs->${reg}`;
      if (within === 0 && size > 0 && size < 8) return `low ${size * 8} bits of Regs->${reg}`;
      return `Regs->${reg} byte ${within}${size > 0 ? ` (${size} bytes)` : ''}`;
    }
    case 'buffer': {
      if (ctx.bufferSize === 0) return `NULL${off === null ? '' : plus(off)}: no buffer requested`;
      if (off === null) return 'safe buffer (index computed at run time)';
      const last = off + BigInt(Math.max(size, 1)) - 1n;
      const past = off < 0n || last >= BigInt(ctx.bufferSize);
      return `buffer[${hex(off)}${size > 1 ? `..${hex(last)}` : ''}]${past ? ` (outside the ${hex(ctx.bufferSize)}-byte buffer)` : ''}`;
    }
    case 'stack': {
      if (off === null) return 'the stack (offset computed at run time)';
      if (off >= 0n && off < 8n) return 'the return address';
      if (off >= 8n && off < 8n + TRAMPOLINE_SAVE_AREA)
        return `the trampoline's saved registers (entry RSP${plus(off)})`;
      if (off >= 8n + TRAMPOLINE_SAVE_AREA) return `the caller's stack (entry RSP${plus(off)})`;
      return `local stack (entry RSP${plus(off)})`;
    }
    case 'self':
      return off === null ? 'this code' : `this code${plus(off)}`;
    case 'struct': {
      if (off === null) return base.type;
      if (base.type === 'KTHREAD' && off === KTHREAD_PROCESS)
        return 'KTHREAD.ApcState.Process (current EPROCESS*)';
      return structOffsetText(base.type, off, ctx);
    }
    case 'guest':
      return `guest memory at ${base.reg}${off === null ? ' + (run-time offset)' : plus(off)}`;
    case 'context':
      return `memory at Context${off === null ? ' + (run-time offset)' : plus(off)}`;
    default:
      return undefined;
  }
}

function memText(m: DecodedMem): string {
  if (m.ripRelative) return `[rip -> ${hex(m.disp)}]`;
  const parts: string[] = [];
  if (m.base !== null) parts.push(m.base);
  if (m.index !== null) parts.push(m.scale === 1 ? m.index : `${m.index}*${m.scale}`);
  const disp = BigInt.asIntN(64, m.disp);
  let inner = parts.join('+');
  if (parts.length === 0) inner = hex(disp);
  else if (disp !== 0n) inner += disp < 0n ? hex(disp) : `+${hex(disp)}`;
  const seg = m.segment === 'gs' || m.segment === 'fs' ? `${m.segment}:` : '';
  return `${seg}[${inner}]`;
}

/** A 4- or 8-byte constant that spells printable ASCII in memory order (`0x47424448` = 'HDBG'). */
function asciiOf(value: bigint, bits: number): string | undefined {
  if (bits < 32) return undefined;
  let v = BigInt.asUintN(64, value);
  let s = '';
  for (let i = 0; i < 8 && v !== 0n; i++) {
    const c = Number(v & 0xffn);
    if (c < 0x20 || c > 0x7e) return undefined;
    s += String.fromCharCode(c);
    v >>= 8n;
  }
  return s.length >= 2 ? s : undefined;
}

/** Annotations for each instruction. */
export function annotateInstructions(
  decoded: readonly DecodedInstruction[],
  analysis: Analysis,
  ctx: AnnotateContext,
): string[][] {
  return decoded.map((d, i) => {
    const before = analysis.before[i];
    const after = analysis.after[i];
    if (before === undefined || after === undefined) return ['unreachable'];
    const notes: string[] = [];
    const written = new Set(d.gprWritten);
    for (const op of d.operands) {
      if (op.kind === 'mem') {
        const meaning = describeAddress(addressOf(op, before), op.size, ctx);
        if (meaning !== undefined) notes.push(`${memText(op)} = ${meaning}`);
      } else if (op.kind === 'imm') {
        const text = asciiOf(op.value, op.bits);
        if (text !== undefined) notes.push(`${hex(BigInt.asUintN(op.bits, op.value))} = '${text}'`);
      }
    }
    for (const op of d.operands) {
      if (op.kind !== 'reg') continue;
      const family = gprFamily(op.reg);
      if (family === undefined) continue;
      const size = gprSize(op.reg) ?? 0;
      if (written.has(family)) {
        // A 32-bit write zero-extends, so the whole register's value is known there too.
        const v = after[regIndex(family)] as Val;
        const text = size >= 4 ? describeValue(v, ctx) : undefined;
        if (text !== undefined) notes.push(`${op.reg} = ${text}`);
      } else if (d.gprRead.includes(family)) {
        const v = before[regIndex(family)] as Val;
        const text = describeValue(v, ctx);
        if (text !== undefined)
          notes.push(
            size === 8 || v.k === 'cpu'
              ? `${op.reg} is ${text}`
              : `${op.reg} is the low ${size * 8} bits of ${text}`,
          );
      }
    }
    if (d.flow === 'return') notes.push(returnNote(before, ctx));
    return dedupe(notes);
  });
}

/** What returning here means: the custom code's RAX, or the condition's verdict. */
export function returnNote(state: RegState, ctx: AnnotateContext): string {
  const rax = state[regIndex('rax')] as Val;
  if (ctx.role === 'condition') {
    if (rax.k === 'const')
      return rax.v === 0n
        ? "returns 0: the event's actions are skipped"
        : "returns non-zero: the event's actions run";
    return `returns rax = ${describeValue(rax, ctx) ?? 'a computed value'} (0 skips the event's actions)`;
  }
  if (ctx.bufferSize === 0) return 'returns (RAX is not used without a buffer)';
  if (rax.k === 'const' && rax.v === 0n) return 'returns rax = 0: nothing is sent';
  return `returns rax = ${describeValue(rax, ctx) ?? 'a computed address'}: targets that return buffers send ${hex(ctx.bufferSize)} bytes from it`;
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}
