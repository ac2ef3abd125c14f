// What lies at a guest address, in the words a kernel researcher reads a dump in: the EPROCESS of
// notepad.exe plus a named field, a core's KPCR, GUEST_REGS, the safe buffer, an nt function.
// Field names come from the simulated PDB's types when it has them, else the guest's layout.
// Simulator side; pure over the guest.
import { GUEST_REG_NAMES, GUEST_REGS_SIZE } from '../../../shared/model/guestRegs';
import { describeAddress as ntName } from '../emulator/kernelImage';
import {
  KUSER_NT_BUILD_NUMBER,
  KUSER_SHARED_KERNEL,
  type WindowsGuest,
} from '../emulator/windowsGuest';
import { STABLE_OFFSETS as S } from '../emulator/windowsLayouts';
import { ntTypesForBuild } from '../symbols/typeTable';

/** The addresses of one dry run's own objects. */
export interface RunFrame {
  readonly codeAddress: bigint | null;
  readonly codeLength: number;
  readonly conditionAddress: bigint | null;
  readonly conditionLength: number;
  readonly bufferAddress: bigint | null;
  readonly bufferSize: number;
  readonly regsAddress: bigint;
  readonly entryRsp: bigint;
}

/** The trampoline's saved registers sit in the 64 bytes above the return address (AsmDebugger.asm). */
const SAVED_AREA = 0x40n;
/** How far below entry RSP the action's own stack is reported as such. */
const LOCAL_STACK = 0x400n;
/** KPCR pages the guest maps per core. */
const KPCR_BYTES = 0x2000n;

const hex = (v: bigint | number) => `0x${BigInt(v).toString(16)}`;

export class GuestLabels {
  private readonly eprocessFields: Map<number, { name: string; size: number }>;
  private readonly kthreadFields = new Map<number, { name: string; size: number }>([
    [S.kthreadInitialStack, { name: 'InitialStack', size: 8 }],
    [S.kthreadStackLimit, { name: 'StackLimit', size: 8 }],
    [S.kthreadKernelStack, { name: 'KernelStack', size: 8 }],
    [S.kthreadApcStateProcess, { name: 'ApcState.Process', size: 8 }],
    [S.kthreadTeb, { name: 'Teb', size: 8 }],
    [S.kthreadProcess, { name: 'Process', size: 8 }],
  ]);

  constructor(private readonly guest: WindowsGuest) {
    const L = guest.layout;
    this.eprocessFields = new Map([
      [S.kprocessDirectoryTableBase, { name: 'Pcb.DirectoryTableBase', size: 8 }],
      [L.uniqueProcessId, { name: 'UniqueProcessId', size: 8 }],
      [L.activeProcessLinks, { name: 'ActiveProcessLinks', size: 16 }],
      [L.token, { name: 'Token', size: 8 }],
      [L.inheritedFromUniqueProcessId, { name: 'InheritedFromUniqueProcessId', size: 8 }],
      [L.peb, { name: 'Peb', size: 8 }],
      [L.imageFileName, { name: 'ImageFileName', size: 15 }],
      [L.threadListHead, { name: 'ThreadListHead', size: 16 }],
      [L.activeThreads, { name: 'ActiveThreads', size: 4 }],
    ]);
    // The simulated PDB, when it has the type, names every member.
    const types = ntTypesForBuild(guest.osBuild);
    for (const [type, map] of [
      ['_EPROCESS', this.eprocessFields],
      ['_KTHREAD', this.kthreadFields],
    ] as const) {
      const t = types.get(type);
      if (t === undefined) continue;
      for (const m of t.members)
        if (m.bits === 0 && !map.has(m.offset)) map.set(m.offset, { name: m.name, size: m.size });
    }
  }

  /** `EPROCESS of notepad.exe (pid 0x1234) + 0x450 (ImageFileName)`, or the region's name. */
  describe(address: bigint, frame: RunFrame): string {
    const inRange = (base: bigint | null, size: number | bigint) =>
      base !== null && address >= base && address < base + BigInt(size);
    if (inRange(frame.bufferAddress, frame.bufferSize))
      return `the safe buffer + ${hex(address - (frame.bufferAddress as bigint))}`;
    if (inRange(frame.regsAddress, GUEST_REGS_SIZE)) {
      const off = Number(address - frame.regsAddress);
      return `GUEST_REGS + ${hex(off)} (Regs->${GUEST_REG_NAMES[Math.floor(off / 8)]})`;
    }
    if (inRange(frame.codeAddress, frame.codeLength))
      return `the action's code + ${hex(address - (frame.codeAddress as bigint))}`;
    if (inRange(frame.conditionAddress, frame.conditionLength))
      return `the condition's code + ${hex(address - (frame.conditionAddress as bigint))}`;
    if (address >= frame.entryRsp && address < frame.entryRsp + 8n)
      return 'the return address into hyperkd (entry RSP)';
    if (address >= frame.entryRsp + 8n && address < frame.entryRsp + 8n + SAVED_AREA)
      return `the trampoline's saved registers (entry RSP + ${hex(address - frame.entryRsp)})`;
    if (address < frame.entryRsp && address >= frame.entryRsp - LOCAL_STACK)
      return `the action's stack (entry RSP - ${hex(frame.entryRsp - address)})`;
    if (address >= KUSER_SHARED_KERNEL && address < KUSER_SHARED_KERNEL + 0x1000n) {
      const off = Number(address - KUSER_SHARED_KERNEL);
      return `KUSER_SHARED_DATA + ${hex(off)}${off === KUSER_NT_BUILD_NUMBER ? ' (NtBuildNumber)' : ''}`;
    }
    for (const c of this.guest.cores)
      if (address >= c.kpcr && address < c.kpcr + KPCR_BYTES) {
        const off = Number(address - c.kpcr);
        const what =
          off === S.kpcrPrcb + S.prcbCurrentThread
            ? ' (Prcb.CurrentThread)'
            : off === S.kpcrPrcb + S.prcbNumber
              ? ' (Prcb.Number)'
              : '';
        return `KPCR of core ${c.index} + ${hex(off)}${what}`;
      }
    const L = this.guest.layout;
    for (const p of this.guest.processes) {
      if (address >= p.eprocess && address < p.eprocess + BigInt(L.eprocessSize)) {
        const off = Number(address - p.eprocess);
        return `EPROCESS of ${p.imageName} (pid ${hex(p.pid)}) + ${hex(off)}${this.field(this.eprocessFields, off)}`;
      }
      for (const t of p.threads)
        if (address >= t.ethread && address < t.ethread + BigInt(L.ethreadSize)) {
          const off = Number(address - t.ethread);
          return `ETHREAD of tid ${hex(t.tid)} (${p.imageName}) + ${hex(off)}${this.field(this.kthreadFields, off)}`;
        }
    }
    const nt = ntName(address);
    if (nt !== null) return nt;
    const r = this.guest.memory.regionOf(address);
    return r === null ? 'unmapped' : `${r.name} + ${hex(address - r.base)}`;
  }

  private field(map: ReadonlyMap<number, { name: string; size: number }>, off: number): string {
    const exact = map.get(off);
    if (exact !== undefined) return ` (${exact.name})`;
    for (const [at, f] of map)
      if (off > at && off < at + f.size) return ` (${f.name} + ${hex(off - at)})`;
    return '';
  }
}
