// HyperDbg's calling conventions for action code (spec §8): custom code gets RCX = safe buffer or
// 0, RDX = GUEST_REGS*, R8 = Context, R9 = its own address; condition code gets RCX = GUEST_REGS*,
// RDX = Context, R8 = its own address. GUEST_REGS changes flow back to the caller. Simulator side.
import { GUEST_REG_COUNT, GUEST_REG_INDEX, GUEST_REGS_SIZE } from '../../../shared/model/guestRegs';
import type { GuestCore, WindowsGuest } from './windowsGuest';
import { CALL_REGISTER_INDEX as R, type CallOutcome, type CallTrace } from './x86Emulator';

const RSP_INDEX = GUEST_REG_INDEX.rsp;

/** Offset of the GUEST_REGS block below a core's hypervisor stack top (room for the trampoline). */
const GUEST_REGS_BELOW_TOP = 0x200;
/** Where the action's stack starts below the stack top: 16-byte aligned (spec §8: "at entry"). */
const ACTION_RSP_BELOW_TOP = 0x400;
/** The trampoline saves RBX, RBP, RDI, RSI, R12-R15 above the return address (spec §8). */
const SAVED_REGISTER_WORDS = 8;

export interface ActionCall {
  readonly core: GuestCore;
  readonly code: bigint;
  /** The guest's registers in GUEST_REGS order; updated in place with what the code wrote. */
  readonly regs: BigUint64Array;
  readonly context: bigint;
  /** What the RSP slot shows the code (for `!epthook2`, `Regs - sizeof(GUEST_REGS)`); default the guest RSP. */
  readonly rspSlot?: bigint;
}

/** A core's frame: its GUEST_REGS block and the stack the action starts on. */
interface Frame {
  readonly regsAt: bigint;
  readonly rsp: bigint;
  /** Zero-copy views (Node) or null (copying fallback). */
  readonly regsView: BigUint64Array | null;
  readonly stackView: BigUint64Array | null;
}

export class HyperDbgActionRunner {
  private readonly frames = new Map<GuestCore, Frame>();
  private readonly regWords = new BigUint64Array(GUEST_REG_COUNT);
  private readonly regBytes = new Uint8Array(this.regWords.buffer);

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
    const f = this.prepare(call, this.guest.customCodeReturn);
    const em = this.guest.emulator;
    em.setInput(R.rcx, safeBuffer);
    em.setInput(R.rdx, f.regsAt);
    em.setInput(R.r8, call.context);
    em.setInput(R.r9, call.code);
    const outcome = em.callPrepared(call.code, this.guest.customCodeReturn, this.maxInstructions);
    this.writeBack(call, f);
    return outcome;
  }

  /** As `runCustomCode`, recording every instruction and memory access (a dry run). */
  traceCustomCode(
    call: ActionCall,
    safeBuffer: bigint,
  ): { outcome: CallOutcome; trace: CallTrace } {
    const f = this.prepare(call, this.guest.customCodeReturn);
    const em = this.guest.emulator;
    em.setInput(R.rcx, safeBuffer);
    em.setInput(R.rdx, f.regsAt);
    em.setInput(R.r8, call.context);
    em.setInput(R.r9, call.code);
    const result = em.traced(() =>
      em.callPrepared(call.code, this.guest.customCodeReturn, this.maxInstructions),
    );
    this.writeBack(call, f);
    return result;
  }

  /** As `runCondition`, recording every instruction and memory access (a dry run). */
  traceCondition(call: ActionCall): { outcome: CallOutcome; trace: CallTrace } {
    const f = this.prepare(call, this.guest.conditionReturn);
    const em = this.guest.emulator;
    em.setInput(R.rcx, f.regsAt);
    em.setInput(R.rdx, call.context);
    em.setInput(R.r8, call.code);
    em.setInput(R.r9, 0n);
    const result = em.traced(() =>
      em.callPrepared(call.code, this.guest.conditionReturn, this.maxInstructions),
    );
    this.writeBack(call, f);
    return result;
  }

  /** Where the action's stack starts on `core` (entry RSP, pointing at the return address). */
  entryRsp(core: GuestCore): bigint {
    return core.vmmStackTop - BigInt(ACTION_RSP_BELOW_TOP);
  }

  runCondition(call: ActionCall): CallOutcome {
    const f = this.prepare(call, this.guest.conditionReturn);
    const em = this.guest.emulator;
    em.setInput(R.rcx, f.regsAt);
    em.setInput(R.rdx, call.context);
    em.setInput(R.r8, call.code);
    em.setInput(R.r9, 0n);
    const outcome = em.callPrepared(call.code, this.guest.conditionReturn, this.maxInstructions);
    this.writeBack(call, f);
    return outcome;
  }

  private frame(core: GuestCore): Frame {
    let f = this.frames.get(core);
    if (f === undefined) {
      const regsAt = this.guestRegsAddress(core);
      const rsp = core.vmmStackTop - BigInt(ACTION_RSP_BELOW_TOP);
      const mem = this.guest.memory;
      const rw = mem.window(regsAt, GUEST_REGS_SIZE);
      const sw = mem.window(rsp, 8 * (1 + SAVED_REGISTER_WORDS));
      f = {
        regsAt,
        rsp,
        regsView:
          rw === null
            ? null
            : new BigUint64Array(rw.bytes.buffer, rw.bytes.byteOffset + rw.offset, GUEST_REG_COUNT),
        stackView:
          sw === null
            ? null
            : new BigUint64Array(
                sw.bytes.buffer,
                sw.bytes.byteOffset + sw.offset,
                1 + SAVED_REGISTER_WORDS,
              ),
      };
      this.frames.set(core, f);
    }
    return f;
  }

  /** Writes GUEST_REGS and the return frame, and the registers every run starts from. */
  private prepare(call: ActionCall, returnAddress: bigint): Frame {
    const f = this.frame(call.core);
    const mem = this.guest.memory;
    if (f.regsView !== null && f.stackView !== null) {
      f.regsView.set(call.regs);
      if (call.rspSlot !== undefined) f.regsView[RSP_INDEX] = call.rspSlot;
      f.stackView.fill(0n);
      f.stackView[0] = returnAddress;
    } else {
      this.regWords.set(call.regs);
      if (call.rspSlot !== undefined) this.regWords[RSP_INDEX] = call.rspSlot;
      mem.write(f.regsAt, this.regBytes);
      mem.write(f.rsp, new Uint8Array(8 * (1 + SAVED_REGISTER_WORDS)));
      mem.writeU64(f.rsp, returnAddress);
    }
    // Every other input register stays zero (RAX too: the batch buffer starts zeroed and only the
    // argument registers, RSP and GS change), so runs repeat exactly.
    const em = this.guest.emulator;
    em.setInput(R.rsp, f.rsp);
    em.setInput(R.gsBase, call.core.kpcr);
    return f;
  }

  /** Copies GUEST_REGS back, except RSP: nothing writes that slot back to the VMCS (spec §8). */
  private writeBack(call: ActionCall, f: Frame): void {
    const rsp = call.regs[RSP_INDEX] as bigint;
    if (f.regsView !== null) call.regs.set(f.regsView);
    else {
      const bytes = this.guest.memory.read(f.regsAt, GUEST_REGS_SIZE);
      if (bytes === null) return;
      call.regs.set(new BigUint64Array(bytes.buffer, bytes.byteOffset, GUEST_REG_COUNT));
    }
    call.regs[RSP_INDEX] = rsp;
  }
}
