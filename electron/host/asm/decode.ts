// Decodes bytes with iced-x86 into plain records (operands, memory accesses, registers read and
// written, flow) so everything after it is ordinary data; every iced object is freed here.
// Host side (iced-x86 reads its wasm with fs).
import type { Iced } from './engines';
import { gprFamily, type Gpr64 } from './registers';

export type DecodedOperand =
  | { readonly kind: 'reg'; readonly reg: string }
  | { readonly kind: 'imm'; readonly value: bigint; readonly bits: number }
  | { readonly kind: 'branch'; readonly target: bigint }
  | DecodedMem
  | {
      readonly kind: 'other';
      readonly text: string;
      /** Shown by the formatter but not encoded (`int 3` for int3): never written in a source. */
      readonly implicit: boolean;
    };

export interface DecodedMem {
  readonly kind: 'mem';
  /** Effective segment (ds unless overridden or based on rsp/rbp). */
  readonly segment: string;
  readonly segmentPrefix: string | null;
  readonly base: string | null;
  readonly index: string | null;
  readonly scale: number;
  /** Two's-complement 64-bit displacement; for RIP-relative operands, the absolute target. */
  readonly disp: bigint;
  readonly ripRelative: boolean;
  /** Bytes accessed, 0 when not a plain access (lea, nop). */
  readonly size: number;
  /** The 64-bit `moffs` form (A0..A3): an absolute address without ModRM. */
  readonly moffs: boolean;
}

export interface MemoryAccess {
  readonly segment: string;
  readonly base: string | null;
  readonly index: string | null;
  readonly scale: number;
  readonly disp: bigint;
  readonly ripRelative: boolean;
  readonly size: number;
  readonly read: boolean;
  readonly write: boolean;
}

export type Flow = 'next' | 'jump' | 'branch' | 'indirect' | 'return' | 'call' | 'stop';

export interface DecodedInstruction {
  readonly offset: number;
  readonly length: number;
  readonly bytes: Uint8Array;
  readonly invalid: boolean;
  /** Lower-case iced mnemonic (`je`, `mov`, `int3`). */
  readonly mnemonic: string;
  /** iced's opcode form name (`Mov_r64_rm64`, `Mov_RAX_moffs64`). */
  readonly code: string;
  /** Intel syntax in the seed's style. */
  readonly text: string;
  /** The operands a disassembler shows, in order. */
  readonly operands: readonly DecodedOperand[];
  /** All operands the instruction encodes, implicit ones included. */
  readonly encodedOperands: readonly DecodedOperand[];
  readonly lock: boolean;
  readonly rep: boolean;
  readonly repne: boolean;
  readonly flow: Flow;
  /** Direct branch or call target, as an offset from the start of the code. */
  readonly branchTarget: number | null;
  readonly memory: readonly MemoryAccess[];
  readonly gprRead: readonly Gpr64[];
  readonly gprWritten: readonly Gpr64[];
  /** With `withSource`: the instruction as assembly source (MASM-style operands, 0x numbers). */
  readonly source: { readonly mnemonic: string; readonly operands: readonly string[] } | null;
}

export interface DecodeOptions {
  /** Also format each instruction as source text (disassembly only; costs time). */
  readonly withSource?: boolean;
}

/** Column where operands start, as objdump (and so the seed's listings) pads mnemonics. */
const OPERAND_COLUMN = 7;

/** Decodes all of `bytes` as 64-bit code at address 0. */
export function decodeAll(
  iced: Iced,
  bytes: Uint8Array,
  options: DecodeOptions = {},
): DecodedInstruction[] {
  const decoder = new iced.Decoder(64, bytes, iced.DecoderOptions.None);
  const seedFormatter = new iced.Formatter(iced.FormatterSyntax.Intel);
  const masm = new iced.Formatter(iced.FormatterSyntax.Masm);
  const infoFactory = new iced.InstructionInfoFactory();
  try {
    configureSeedStyle(iced, seedFormatter);
    configureSourceStyle(iced, masm);
    const out: DecodedInstruction[] = [];
    decoder.ip = 0n;
    while (decoder.canDecode) {
      const insn = decoder.decode();
      try {
        out.push(toRecord(iced, insn, bytes, seedFormatter, masm, infoFactory, options));
      } finally {
        insn.free();
      }
    }
    return out;
  } finally {
    infoFactory.free();
    masm.free();
    seedFormatter.free();
    decoder.free();
  }
}

function configureSeedStyle(iced: Iced, f: InstanceType<Iced['Formatter']>): void {
  f.hexPrefix = '0x';
  f.hexSuffix = '';
  f.uppercaseHex = false;
  f.uppercaseKeywords = true;
  f.firstOperandCharIndex = OPERAND_COLUMN;
  f.memorySizeOptions = iced.MemorySizeOptions.Always;
  f.showBranchSize = false;
  f.branchLeadingZeros = false;
  f.spaceAfterOperandSeparator = false;
}

function configureSourceStyle(iced: Iced, f: InstanceType<Iced['Formatter']>): void {
  f.hexPrefix = '0x';
  f.hexSuffix = '';
  f.uppercaseHex = false;
  f.memorySizeOptions = iced.MemorySizeOptions.Always;
  f.showBranchSize = false;
  f.branchLeadingZeros = false;
}

type IcedInstruction = ReturnType<InstanceType<Iced['Decoder']>['decode']>;

function toRecord(
  iced: Iced,
  insn: IcedInstruction,
  all: Uint8Array,
  seed: InstanceType<Iced['Formatter']>,
  masm: InstanceType<Iced['Formatter']>,
  infoFactory: InstanceType<Iced['InstructionInfoFactory']>,
  options: DecodeOptions,
): DecodedInstruction {
  const offset = Number(insn.ip);
  const length = insn.length;
  const regName = (r: number): string | null =>
    r === iced.Register.None ? null : (iced.Register[r] as string).toLowerCase();
  const code = iced.Code[insn.code] as string;
  const memSize = iced.MemorySizeExt.size(insn.memorySize);

  const operandOf = (op: number): DecodedOperand => {
    switch (insn.opKind(op)) {
      case iced.OpKind.Register:
        return { kind: 'reg', reg: regName(insn.opRegister(op)) ?? '' };
      case iced.OpKind.NearBranch16:
      case iced.OpKind.NearBranch32:
      case iced.OpKind.NearBranch64:
        return { kind: 'branch', target: insn.nearBranchTarget };
      case iced.OpKind.Immediate8:
      case iced.OpKind.Immediate8_2nd:
        return { kind: 'imm', value: insn.immediate(op), bits: 8 };
      case iced.OpKind.Immediate16:
      case iced.OpKind.Immediate8to16:
        return { kind: 'imm', value: insn.immediate(op), bits: 16 };
      case iced.OpKind.Immediate32:
      case iced.OpKind.Immediate8to32:
        return { kind: 'imm', value: insn.immediate(op), bits: 32 };
      case iced.OpKind.Immediate64:
      case iced.OpKind.Immediate8to64:
      case iced.OpKind.Immediate32to64:
        return { kind: 'imm', value: insn.immediate(op), bits: 64 };
      case iced.OpKind.Memory: {
        const ripRelative = insn.isIpRelMemoryOperand;
        return {
          kind: 'mem',
          segment: regName(insn.memorySegment) ?? 'ds',
          segmentPrefix: regName(insn.segmentPrefix),
          base: ripRelative ? 'rip' : regName(insn.memoryBase),
          index: regName(insn.memoryIndex),
          scale: insn.memoryIndexScale,
          disp: ripRelative ? insn.ipRelMemoryAddress : insn.memoryDisplacement,
          ripRelative,
          size: memSize,
          moffs: code.includes('moffs'),
        };
      }
      default:
        return { kind: 'other', text: `(operand ${op})`, implicit: true };
    }
  };

  // The operands as a disassembler shows them (string instructions show none, `fld st(1)` one)
  // and, separately, as the instruction encodes them (`imul rax, rax, 3` has three).
  const operands: DecodedOperand[] = [];
  const count = masm.operandCount(insn);
  for (let k = 0; k < count; k++) {
    const op = masm.getInstructionOperand(insn, k);
    operands.push(
      op === undefined
        ? { kind: 'other', text: masm.formatOperand(insn, k), implicit: true }
        : operandOf(op),
    );
  }
  const encodedOperands: DecodedOperand[] = [];
  for (let op = 0; op < insn.opCount; op++) encodedOperands.push(operandOf(op));

  const memory: MemoryAccess[] = [];
  const read = new Set<Gpr64>();
  const written = new Set<Gpr64>();
  const info = infoFactory.info(insn);
  try {
    for (const used of info.usedMemory() as InstanceType<Iced['UsedMemory']>[]) {
      try {
        const access = used.access;
        const ripRelative =
          insn.isIpRelMemoryOperand &&
          used.base === iced.Register.None &&
          used.index === iced.Register.None;
        memory.push({
          segment: regName(used.segment) ?? 'ds',
          base: ripRelative ? 'rip' : regName(used.base),
          index: regName(used.index),
          scale: used.scale,
          disp: used.displacement,
          ripRelative,
          size: iced.MemorySizeExt.size(used.memorySize),
          read: [
            iced.OpAccess.Read,
            iced.OpAccess.CondRead,
            iced.OpAccess.ReadWrite,
            iced.OpAccess.ReadCondWrite,
          ].includes(access),
          write: [
            iced.OpAccess.Write,
            iced.OpAccess.CondWrite,
            iced.OpAccess.ReadWrite,
            iced.OpAccess.ReadCondWrite,
          ].includes(access),
        });
      } finally {
        used.free();
      }
    }
    for (const used of info.usedRegisters() as InstanceType<Iced['UsedRegister']>[]) {
      try {
        const family = gprFamily(regName(used.register) ?? '');
        if (family === undefined) continue;
        const access = used.access;
        if (
          [
            iced.OpAccess.Read,
            iced.OpAccess.CondRead,
            iced.OpAccess.ReadWrite,
            iced.OpAccess.ReadCondWrite,
          ].includes(access)
        )
          read.add(family);
        if (
          [
            iced.OpAccess.Write,
            iced.OpAccess.CondWrite,
            iced.OpAccess.ReadWrite,
            iced.OpAccess.ReadCondWrite,
          ].includes(access)
        )
          written.add(family);
      } finally {
        used.free();
      }
    }
  } finally {
    info.free();
  }

  const fc = insn.flowControl;
  const flow: Flow =
    fc === iced.FlowControl.Next
      ? 'next'
      : fc === iced.FlowControl.UnconditionalBranch
        ? 'jump'
        : fc === iced.FlowControl.ConditionalBranch
          ? 'branch'
          : fc === iced.FlowControl.Return
            ? 'return'
            : fc === iced.FlowControl.Call || fc === iced.FlowControl.IndirectCall
              ? 'call'
              : fc === iced.FlowControl.IndirectBranch
                ? 'indirect'
                : fc === iced.FlowControl.Interrupt
                  ? 'call'
                  : 'stop';
  const hasNearBranch = operands.some((o) => o.kind === 'branch');
  const branchTarget = hasNearBranch ? Number(BigInt.asIntN(64, insn.nearBranchTarget)) : null;

  let source: DecodedInstruction['source'] = null;
  if (options.withSource === true) {
    const mnemonic = masm.formatMnemonic(insn);
    source = {
      // iced shows int3 as `int 3`, which assembles to the two-byte CD 03.
      mnemonic: code === 'Int3' ? 'int3' : mnemonic,
      operands:
        code === 'Int3' ? [] : Array.from({ length: count }, (_, k) => masm.formatOperand(insn, k)),
    };
  }

  return {
    source,
    offset,
    length,
    bytes: all.slice(offset, offset + length),
    invalid: insn.isInvalid,
    mnemonic: (iced.Mnemonic[insn.mnemonic] as string).toLowerCase(),
    code,
    text: seed.format(insn),
    operands,
    encodedOperands,
    lock: insn.hasLockPrefix,
    rep: insn.hasRepPrefix || insn.hasRepePrefix,
    repne: insn.hasRepnePrefix,
    flow,
    branchTarget,
    memory,
    gprRead: [...read],
    gprWritten: [...written],
  };
}
