// What the Context value (R8 in custom code, RDX in condition code) means for each event kind,
// from spec §3.8 and §11.2. A small table of this module's own: the full event catalog belongs
// to the session side. Host side, pure.
import type { EventKind } from '../../../shared/model/eventKinds';

const CONTEXT_MEANING: Readonly<Record<EventKind, string>> = {
  '!syscall': 'syscall number (RAX at SYSCALL)',
  '!syscall2': 'syscall number (RAX at SYSCALL)',
  '!sysret': 'guest RIP of the SYSRET instruction',
  '!sysret2': 'guest RIP of the SYSRET instruction',
  '!epthook': 'hooked virtual address (guest RIP)',
  // The seed calls it the physical address; v0.23 passes the virtual one (spec §11.2).
  '!epthook2': 'virtual address of the hooked function',
  '!monitor': 'virtual address accessed',
  '!msrread': 'MSR index (ECX)',
  '!msrwrite': 'MSR index (ECX)',
  '!cpuid': 'CPUID leaf (EAX)',
  '!exception': 'exception vector',
  '!interrupt': 'interrupt vector',
  '!ioin': 'I/O port number',
  '!ioout': 'I/O port number',
  '!tsc': '0 = RDTSC, 1 = RDTSCP',
  '!pmc': 'always 0',
  '!dr': 'always 0',
  '!vmcall': 'always 0',
  '!crwrite': 'control register number (0 or 4)',
  '!xsetbv': 'XCR index (ECX)',
  '!mode': 'mode being entered (3 = user, 0 = kernel)',
  '!trace': 'always 1 (step-in)',
};

/** `Context: syscall number (RAX at SYSCALL)`, or a generic text without an event kind. */
export function contextMeaning(kind: EventKind | null): string {
  return kind === null
    ? 'Context (its meaning depends on the event)'
    : `Context: ${CONTEXT_MEANING[kind]} for ${kind}`;
}
