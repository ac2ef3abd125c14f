// One thing that happened in the simulated guest on one core (a syscall, a call to a hooked
// function, an MSR read, ...), with the registers a VM exit would save. Simulator side; pure type.
import type { GuestCore, GuestThread } from '../emulator/windowsGuest';

export type OccurrenceKind =
  | 'syscall'
  | 'sysret'
  | 'call'
  | 'memory'
  | 'rdmsr'
  | 'wrmsr'
  | 'cpuid'
  | 'exception'
  | 'interrupt'
  | 'in'
  | 'out'
  | 'tsc'
  | 'pmc'
  | 'dr'
  | 'vmcall'
  | 'crwrite'
  | 'xsetbv'
  | 'trace';

export interface Occurrence {
  kind: OccurrenceKind;
  core: GuestCore;
  thread: GuestThread;
  /** GUEST_REGS order; actions may change it. */
  regs: BigUint64Array;
  rip: bigint;
  rflags: bigint;
  /** CPL 3 when it happened. */
  user: boolean;
  /** The kind's value: syscall number, MSR, CPUID leaf, port, vector, CR number, XCR, address. */
  value: bigint;
  /** For memory accesses: 1 read, 2 write, 4 execute. */
  access: number;
  /** Page-fault address (#PF) for `@cr2`. */
  cr2: bigint;
}
