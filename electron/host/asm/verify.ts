// Compares what a source line means with what Keystone encoded for it, decoded by iced-x86:
// mnemonic, prefixes, every operand (registers, immediate values at their encoded width,
// branch targets, and memory operands part by part, RIP-relative and moffs forms included).
// Any difference is a silent rewrite and is reported, never accepted. Host side, pure.
import type { DecodedInstruction, DecodedOperand } from './decode';
import { hexLiteral } from './expression';
import { SIZE_KEYWORDS, type Instruction, type MemOperand, type Operand } from './sourceParser';
import { gprFamily, icedRegisterName } from './registers';

/** Condition-code spellings and the one iced-x86 prints (`jz` is `je`). */
const CC_ALIAS: Readonly<Record<string, string>> = {
  z: 'e',
  nz: 'ne',
  c: 'b',
  nae: 'b',
  nb: 'ae',
  nc: 'ae',
  na: 'be',
  nbe: 'a',
  nge: 'l',
  nl: 'ge',
  ng: 'le',
  nle: 'g',
  pe: 'p',
  po: 'np',
};

/** Other mnemonics with two spellings for one instruction. */
const MNEMONIC_ALIAS: Readonly<Record<string, string>> = {
  sal: 'shl',
  movabs: 'mov',
  retq: 'ret',
  retn: 'ret',
  loopz: 'loope',
  loopnz: 'loopne',
  fwait: 'wait',
  xlat: 'xlatb',
  movsxd: 'movsx',
};

function canonicalMnemonic(m: string): string {
  const alias = MNEMONIC_ALIAS[m];
  if (alias !== undefined) return alias;
  const cc = /^(j|set|cmov)(.+)$/.exec(m);
  if (cc !== null && m !== 'jmp') {
    const suffix = cc[2] as string;
    return `${cc[1]}${CC_ALIAS[suffix] ?? suffix}`;
  }
  return m;
}

export interface VerifyContext {
  /** Offset of a label (by its lower-case name). */
  readonly labelOffset: (name: string) => number | undefined;
}

/** What is wrong with the encoding of one line, or undefined when it says what the line says. */
export function verifyInstruction(
  src: Instruction,
  dec: DecodedInstruction,
  ctx: VerifyContext,
): string | undefined {
  if (dec.invalid) return 'Keystone produced bytes that do not decode as an instruction';
  if (canonicalMnemonic(src.mnemonic) !== canonicalMnemonic(dec.mnemonic))
    return `Keystone encoded '${dec.mnemonic}' for '${src.mnemonic}'`;
  const wantLock = src.prefixes.includes('lock');
  const wantRep = src.prefixes.some((p) => p === 'rep' || p === 'repe' || p === 'repz');
  const wantRepne = src.prefixes.some((p) => p === 'repne' || p === 'repnz');
  if (wantLock !== dec.lock || wantRep !== dec.rep || wantRepne !== dec.repne)
    return 'the encoded prefixes (lock/rep) differ from the source';
  const shown = dec.operands.filter((o) => !(o.kind === 'other' && o.implicit));
  // The disassembler's view first; the encoded operands when the formatter abbreviates
  // (`imul rax, rax, 3` shows as `imul rax,3`).
  const candidates = [shown, dec.encodedOperands].filter(
    (ops) => ops.length === src.operands.length,
  );
  if (candidates.length === 0)
    return `Keystone encoded ${shown.length} operand(s) for ${src.operands.length} ('${dec.text.replace(/\s+/g, ' ')}')`;
  let first: string | undefined;
  for (const decoded of candidates) {
    const problem = compareOperands(src, decoded, dec, ctx);
    if (problem === undefined) return undefined;
    first ??= problem;
  }
  return first;
}

function compareOperands(
  src: Instruction,
  decoded: readonly DecodedOperand[],
  dec: DecodedInstruction,
  ctx: VerifyContext,
): string | undefined {
  const compareAll = (order: readonly number[]) => {
    for (let k = 0; k < src.operands.length; k++) {
      const problem = compareOperand(
        src.operands[k] as Operand,
        decoded[order[k] as number] as DecodedOperand,
        dec,
        ctx,
      );
      if (problem !== undefined) return `operand ${k + 1}: ${problem}`;
    }
    return undefined;
  };
  const problem = compareAll(src.operands.map((_, k) => k));
  // xchg is symmetric: Keystone may encode `xchg rax, rbx` as `xchg rbx, rax` (one byte shorter).
  if (problem !== undefined && canonicalMnemonic(src.mnemonic) === 'xchg' && decoded.length === 2)
    return compareAll([1, 0]) === undefined ? undefined : problem;
  return problem;
}

const U64 = 1n << 64n;
const u64 = (v: bigint) => ((v % U64) + U64) % U64;

function compareOperand(
  src: Operand,
  dec: DecodedOperand,
  insn: DecodedInstruction,
  ctx: VerifyContext,
): string | undefined {
  switch (src.kind) {
    case 'reg':
      if (dec.kind !== 'reg') return `expected register ${src.name}, encoded ${describe(dec)}`;
      return icedRegisterName(src.name) === dec.reg
        ? undefined
        : `expected register ${src.name}, encoded ${dec.reg}`;
    case 'imm': {
      if (dec.kind !== 'imm')
        return `expected the constant ${hexLiteral(src.value)}, encoded ${describe(dec)}`;
      const bits = BigInt(dec.bits);
      const min = -(1n << (bits - 1n));
      const max = (1n << bits) - 1n;
      if (src.value < min || src.value > max)
        return `${hexLiteral(src.value)} does not fit in the ${dec.bits}-bit immediate Keystone chose (encoded ${hexLiteral(BigInt.asUintN(dec.bits, dec.value))})`;
      return BigInt.asUintN(dec.bits, src.value) === BigInt.asUintN(dec.bits, dec.value)
        ? undefined
        : `expected ${hexLiteral(src.value)}, encoded ${hexLiteral(BigInt.asUintN(dec.bits, dec.value))}`;
    }
    case 'branch': {
      if (dec.kind !== 'branch') return `expected a branch target, encoded ${describe(dec)}`;
      const want =
        src.label !== null ? ctx.labelOffset(src.label.toLowerCase()) : Number(src.target);
      if (want === undefined) return `label '${src.label}' has no offset`;
      return u64(BigInt(want)) === u64(dec.target)
        ? undefined
        : `expected a branch to ${hexLiteral(BigInt(want))}, encoded ${hexLiteral(u64(dec.target))}`;
    }
    case 'mem':
      return compareMemory(src, dec, insn, ctx);
  }
}

function compareMemory(
  src: MemOperand,
  dec: DecodedOperand,
  insn: DecodedInstruction,
  ctx: VerifyContext,
): string | undefined {
  if (dec.kind !== 'mem') return `expected a memory operand, encoded ${describe(dec)}`;
  const seg = src.segment !== null ? `${src.segment}:` : '';
  if (dec.moffs)
    return `Keystone chose the 64-bit moffs form for ${seg}[${hexLiteral(src.disp)}] instead of the SIB form`;
  if (!src.rip && dec.ripRelative)
    return `Keystone silently made the absolute address ${seg}[${hexLiteral(src.disp)}] RIP-relative (${seg}[rip+${hexLiteral(BigInt.asIntN(64, dec.disp - BigInt(insn.offset + insn.length)))}])`;
  if (src.rip && !dec.ripRelative)
    return 'expected a RIP-relative address, encoded an absolute one';
  if (src.rip) {
    const base =
      src.label !== null ? ctx.labelOffset(src.label.toLowerCase()) : insn.offset + insn.length;
    if (base === undefined) return `label '${src.label}' has no offset`;
    const want = BigInt(base) + src.disp;
    if (u64(want) !== u64(dec.disp))
      return `expected [rip] to reach ${hexLiteral(want)}, encoded ${hexLiteral(u64(dec.disp))}`;
  } else {
    const base = src.base === null ? null : icedRegisterName(src.base);
    const index = src.index === null ? null : icedRegisterName(src.index);
    if (base !== dec.base)
      return `expected base ${base ?? '(none)'}, encoded ${dec.base ?? '(none)'}`;
    if (index !== dec.index)
      return `expected index ${index ?? '(none)'}, encoded ${dec.index ?? '(none)'}`;
    if (index !== null && src.scale !== dec.scale)
      return `expected scale ${src.scale}, encoded ${dec.scale}`;
    if (u64(src.disp) !== u64(dec.disp))
      return `expected displacement ${hexLiteral(src.disp)}, encoded ${hexLiteral(BigInt.asIntN(64, dec.disp))}`;
  }
  const family = src.base === null ? undefined : gprFamily(src.base);
  const defaultSeg = family === 'rsp' || family === 'rbp' ? 'ss' : 'ds';
  const wantSeg = src.segment ?? defaultSeg;
  if (wantSeg !== dec.segment) return `expected segment ${wantSeg}, encoded ${dec.segment}`;
  if (src.size !== null && dec.size !== 0 && SIZE_KEYWORDS[src.size] !== dec.size)
    return `expected a ${src.size} access, encoded ${dec.size} byte(s)`;
  return undefined;
}

function describe(op: DecodedOperand): string {
  switch (op.kind) {
    case 'reg':
      return `register ${op.reg}`;
    case 'imm':
      return `the constant ${hexLiteral(BigInt.asUintN(op.bits, op.value))}`;
    case 'branch':
      return `a branch to ${hexLiteral(op.target)}`;
    case 'mem':
      return 'a memory operand';
    case 'other':
      return `'${op.text}'`;
  }
}
