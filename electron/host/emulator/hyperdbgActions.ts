// HyperDbg's calling conventions for action code (spec §8): custom code gets RCX = safe buffer or
// 0, RDX = GUEST_REGS*, R8 = Context, R9 = its own address; condition code gets RCX = GUEST_REGS*,
// RDX = Context, R8 = its own address. GUEST_REGS changes flow back to the caller. Host side.
import type { GuestCore, WindowsGuest } from './windowsGuest';
import type { CallOutcome, CallRegisters } from './x86Emulator';

/** GUEST_REGS field order; each is 8 bytes, so a name's index times 8 is its offset (spec §8). */
export const GUEST_REG_NAMES = [
  'rax',
  'rcx',
  'rdx',
  'rbx',
  'rsp',
  'rbp',
  'rsi',
  'rdi',
  'r8',
  'r9',
  'r10',
  'r11',
  'r12',
  'r13',
  'r14',
  'r15',
] as const;
export type GuestRegName = (typeof GUEST_REG_NAMES)[number];
export const GUEST_REGS_SIZE = 0x80;
const RSP_INDEX = 4;

/** Offset of the GUEST_REGS block below a core's hypervisor stack top (room for the trampoline). */
const GUEST_REGS_BELOW_TOP = 0x200;
/** Where the action's stack starts below the stack top: 16-byte aligned (spec §8: "at entry"). */
const ACTION_RSP_BELOW_TOP = 0x400;
/** The trampoline saves RBX, RBP, RDI, RSI, R12-R15 above the return address (spec §8). */
const SAVED_REGISTER_BYTES = 0x40;

export interface ActionCall {
  readonly core: GuestCore;
  readonly code: bigint;
  /** The guest's registers in GUEST_REGS order; updated in place with what the code wrote. */
  readonly regs: BigUint64Array;
  readonly context: bigint;
  /** What the RSP slot shows the code (for `!epthook2`, `Regs - sizeof(GUEST_REGS)`); default the guest RSP. */
  readonly rspSlot?: bigint;
}

export class HyperDbgActionRunner {
  private readonly zeroSaved = new Uint8Array(SAVED_REGISTER_BYTES);
  private readonly regBytes = new Uint8Array(GUEST_REGS_SIZE);
  private readonly regWords = new BigUint64Array(this.regBytes.buffer);

  constructor(
    private readonly guest: WindowsGuest,
    /** Instruction budget per run: a runaway loop stops here and is reported, never hangs. */
    readonly maxInstructions: number,
  ) {}

  /** Address of `core`'s GUEST_REGS block (what RDX or RCX points at). */
  guestRegsAddress(core: GuestCore): bigint {
    return core.vmmStackTop - BigInt(GUEST_REGS_BELOW_TOP);
  }

  runCustomCode(call: ActionCall, safeBuffer: bigint): CallOutcome {
    const regsAt = this.prepare(call);
    const rsp = this.pushFrame(call.core, this.guest.customCodeReturn);
    const outcome = this.guest.emulator.call(
      call.code,
      this.guest.customCodeReturn,
      registers(rsp, call.core.kpcr, safeBuffer, regsAt, call.context, call.code),
      this.maxInstructions,
    );
    this.writeBack(call, regsAt);
    return outcome;
  }

  runCondition(call: ActionCall): CallOutcome {
    const regsAt = this.prepare(call);
    const rsp = this.pushFrame(call.core, this.guest.conditionReturn);
    const outcome = this.guest.emulator.call(
      call.code,
      this.guest.conditionReturn,
      registers(rsp, call.core.kpcr, regsAt, call.context, call.code, 0n),
      this.maxInstructions,
    );
    this.writeBack(call, regsAt);
    return outcome;
  }

  private prepare(call: ActionCall): bigint {
    const at = this.guestRegsAddress(call.core);
    this.regWords.set(call.regs);
    if (call.rspSlot !== undefined) this.regWords[RSP_INDEX] = call.rspSlot;
    this.guest.memory.write(at, this.regBytes);
    return at;
  }

  private pushFrame(core: GuestCore, returnAddress: bigint): bigint {
    const rsp = core.vmmStackTop - BigInt(ACTION_RSP_BELOW_TOP);
    this.guest.memory.writeU64(rsp, returnAddress);
    this.guest.memory.write(rsp + 8n, this.zeroSaved);
    return rsp;
  }

  /** Copies GUEST_REGS back, except RSP: nothing writes that slot back to the VMCS (spec §8). */
  private writeBack(call: ActionCall, at: bigint): void {
    const bytes = this.guest.memory.read(at, GUEST_REGS_SIZE);
    if (bytes === null) return;
    const words = new BigUint64Array(bytes.buffer, bytes.byteOffset, 16);
    const rsp = call.regs[RSP_INDEX] as bigint;
    call.regs.set(words);
    call.regs[RSP_INDEX] = rsp;
  }
}

/** Entry registers: the four argument registers set, everything else zero (so runs repeat). */
function registers(
  rsp: bigint,
  gsBase: bigint,
  rcx: bigint,
  rdx: bigint,
  r8: bigint,
  r9: bigint,
): CallRegisters {
  return {
    rax: 0n,
    rbx: 0n,
    rcx,
    rdx,
    rsi: 0n,
    rdi: 0n,
    rbp: 0n,
    rsp,
    r8,
    r9,
    r10: 0n,
    r11: 0n,
    r12: 0n,
    r13: 0n,
    r14: 0n,
    r15: 0n,
    gsBase,
  };
}
