// The catalog of HyperDbg v0.23's event kinds (spec §3.8): each kind's arguments and their
// grammar, its Context meaning, the stages it allows and the checks HyperDbg makes before it
// uses up an event id (§3.1). Pure data; the command builder and the UI both read it.
import { EVENT_KINDS, type EventKind } from './eventKinds';

export { EVENT_KINDS, isEventKind, type EventKind } from './eventKinds';

/** Event calling stages (`stage pre|post|all`, spec §3.4). */
export const EVENT_STAGES = ['pre', 'post', 'all'] as const;
export type EventStage = (typeof EVENT_STAGES)[number];

/**
 * Grammar of one positional argument. Numbers are hex (spec §1.3) and written without spaces;
 * `address` is a number or a `module!symbol[+offset]` expression (spec §3.8).
 */
export type ArgumentGrammar =
  | {
      readonly type: 'number';
      /** Inclusive bounds. */
      readonly min: bigint;
      readonly max: bigint;
    }
  | { readonly type: 'address' }
  | {
      readonly type: 'keyword';
      /** Accepted spellings (lower case; HyperDbg compares case-insensitively, §1.3). */
      readonly values: readonly string[];
    }
  /** `!monitor`'s end of range: either a `to` address or `l <length>` (two tokens). */
  | { readonly type: 'range-end'; readonly maxLength: bigint };

export interface EventArgument {
  readonly name: string;
  readonly description: string;
  readonly grammar: ArgumentGrammar;
  readonly required: boolean;
  /** What HyperDbg does when the argument is left out. */
  readonly whenOmitted?: string;
}

export interface EventKindInfo {
  readonly kind: EventKind;
  /** Other command names HyperDbg accepts for the same event (spec §3.8). */
  readonly aliases: readonly string[];
  readonly summary: string;
  /** Human-readable syntax of the arguments. */
  readonly syntax: string;
  /** Positional arguments, in order. */
  readonly args: readonly EventArgument[];
  /** What Context (`$context`, R8 in custom code, RDX in condition code) holds (§3.8). */
  readonly context: string;
  /** The kernel event type (`Events.h`). */
  readonly eventType: string;
  readonly stages: readonly EventStage[];
  /** `pid` must be given (and cannot be `all`): `!mode` only (§3.8). */
  readonly requiresPid: boolean;
  /**
   * Fewest tokens (command name included) HyperDbg accepts before it parses anything; fewer give
   * the usage error and use up no id (§3.1 step 1). 1 means no such check.
   */
  readonly minTokens: number;
  /** Whether actions run in VMX root (interrupts off) or non-root inside a detour (§8). */
  readonly actionsRunIn: 'vmx-root' | 'vmx-non-root';
  /** `!sysret` silently ignores extra tokens; everything else rejects them (§3.8). */
  readonly extraTokens: 'rejected' | 'ignored';
}

const U32 = 0xffffffffn;
const U64 = (1n << 64n) - 1n;
const ALL_STAGES = EVENT_STAGES;
const PRE_ONLY = ['pre'] as const satisfies readonly EventStage[];

const num = (min: bigint, max: bigint): ArgumentGrammar => ({ type: 'number', min, max });

/** Shared shape of kinds whose only argument is an optional hex filter. */
function optionalFilter(
  kind: EventKind,
  name: string,
  description: string,
  max: bigint,
  rest: Pick<EventKindInfo, 'summary' | 'context' | 'eventType'> & { aliases?: string[] },
): EventKindInfo {
  return {
    kind,
    aliases: rest.aliases ?? [],
    summary: rest.summary,
    syntax: `${kind} [${name}]`,
    args: [
      {
        name,
        description,
        grammar: num(0n, max),
        required: false,
        whenOmitted: 'every value',
      },
    ],
    context: rest.context,
    eventType: rest.eventType,
    stages: ALL_STAGES,
    requiresPid: false,
    minTokens: 1,
    actionsRunIn: 'vmx-root',
    extraTokens: 'rejected',
  };
}

/** Kinds with no arguments: extra tokens give the usage error and use up an id (§3.8). */
function noArguments(
  kind: EventKind,
  rest: Pick<EventKindInfo, 'summary' | 'context' | 'eventType'>,
): EventKindInfo {
  return {
    kind,
    aliases: [],
    summary: rest.summary,
    syntax: kind,
    args: [],
    context: rest.context,
    eventType: rest.eventType,
    stages: ALL_STAGES,
    requiresPid: false,
    minTokens: 1,
    actionsRunIn: 'vmx-root',
    extraTokens: 'rejected',
  };
}

const syscall = (kind: EventKind, how: string): EventKindInfo =>
  optionalFilter(kind, 'syscall-number', 'the system-call number (RAX at SYSCALL), hex', U32, {
    summary: `system calls (${how})`,
    context: 'RAX at the SYSCALL instruction: the system-call number',
    eventType: 'SYSCALL_HOOK_EFER_SYSCALL',
  });

const sysret = (kind: EventKind, how: string): EventKindInfo => ({
  ...noArguments(kind, {
    summary: `returns from system calls (${how})`,
    context: 'the guest RIP of the SYSRET instruction',
    eventType: 'SYSCALL_HOOK_EFER_SYSRET',
  }),
  extraTokens: 'ignored',
});

const EFER = 'EFER hook';
const UD = '#UD method';

const epthook: EventKindInfo = {
  kind: '!epthook',
  aliases: [],
  summary: 'hidden breakpoint on execution of an address (EPT)',
  syntax: '!epthook <address>',
  args: [
    {
      name: 'address',
      description: 'the virtual address or symbol to hook, e.g. nt!NtCreateFile',
      grammar: { type: 'address' },
      required: true,
    },
  ],
  context: 'the guest RIP: the hooked virtual address',
  eventType: 'HIDDEN_HOOK_EXEC_CC',
  stages: PRE_ONLY,
  requiresPid: false,
  minTokens: 2,
  actionsRunIn: 'vmx-root',
  extraTokens: 'rejected',
};

const epthook2: EventKindInfo = {
  ...epthook,
  kind: '!epthook2',
  summary: 'inline (detour) hook of a function through EPT',
  syntax: '!epthook2 <address>',
  // Spec §11: the seed calls it the physical address; v0.23 passes the virtual one.
  context: 'the virtual address of the hooked function',
  eventType: 'HIDDEN_HOOK_EXEC_DETOURS',
  actionsRunIn: 'vmx-non-root',
};

const monitor: EventKindInfo = {
  kind: '!monitor',
  aliases: [],
  summary: 'reads, writes or executions in a memory range (EPT)',
  syntax: '!monitor [va|pa] <r|w|x|rw|rx|wx|rwx> <from> (<to> | l <length>)',
  args: [
    {
      name: 'address-type',
      description: 'va (virtual, the default) or pa (physical)',
      grammar: { type: 'keyword', values: ['va', 'pa'] },
      required: false,
      whenOmitted: 'virtual addresses',
    },
    {
      name: 'attributes',
      description: 'the accesses to monitor',
      grammar: { type: 'keyword', values: ['r', 'w', 'x', 'rw', 'rx', 'wx', 'rwx'] },
      required: true,
    },
    {
      name: 'from',
      description: 'first address of the range',
      grammar: { type: 'address' },
      required: true,
    },
    {
      name: 'to',
      description: 'last address of the range, or `l` and a hex length',
      grammar: { type: 'range-end', maxLength: U32 },
      required: true,
    },
  ],
  context: 'the exact virtual address accessed',
  eventType: 'HIDDEN_HOOK_READ/WRITE/EXECUTE (by attributes)',
  stages: ALL_STAGES,
  requiresPid: false,
  minTokens: 4,
  actionsRunIn: 'vmx-root',
  extraTokens: 'rejected',
};

const interrupt: EventKindInfo = {
  kind: '!interrupt',
  aliases: [],
  summary: 'external interrupts',
  syntax: '!interrupt <vector>',
  args: [
    {
      name: 'vector',
      description: 'the IDT index, 0x20..0xff',
      grammar: num(0x20n, 0xffn),
      required: true,
    },
  ],
  context: 'the interrupt vector',
  eventType: 'EXTERNAL_INTERRUPT_OCCURRED',
  stages: ALL_STAGES,
  requiresPid: false,
  minTokens: 1,
  actionsRunIn: 'vmx-root',
  extraTokens: 'rejected',
};

const mode: EventKindInfo = {
  kind: '!mode',
  aliases: [],
  summary: 'a process switching between user and kernel mode',
  syntax: '!mode <u|k|ku|uk> pid <pid>',
  args: [
    {
      name: 'mode',
      description: 'u (user), k (kernel) or both',
      grammar: { type: 'keyword', values: ['u', 'k', 'ku', 'uk'] },
      required: true,
    },
  ],
  context: 'the mode being entered: 3 = user, 0 = kernel',
  eventType: 'TRAP_EXECUTION_MODE_CHANGED',
  stages: PRE_ONLY,
  requiresPid: true,
  minTokens: 1,
  actionsRunIn: 'vmx-root',
  extraTokens: 'rejected',
};

const crwrite: EventKindInfo = {
  kind: '!crwrite',
  aliases: [],
  summary: 'writes to CR0 or CR4',
  syntax: '!crwrite <0|4> [mask]',
  args: [
    {
      name: 'register',
      description: '0 for CR0, 4 for CR4',
      grammar: { type: 'keyword', values: ['0', '4'] },
      required: true,
    },
    {
      name: 'mask',
      description: 'the bits to watch, hex',
      grammar: num(0n, U64),
      required: false,
      whenOmitted: 'all bits',
    },
  ],
  context: 'the control register number (0 or 4)',
  eventType: 'CONTROL_REGISTER_MODIFIED',
  stages: ALL_STAGES,
  requiresPid: false,
  minTokens: 2,
  actionsRunIn: 'vmx-root',
  extraTokens: 'rejected',
};

const trace: EventKindInfo = {
  kind: '!trace',
  aliases: [],
  summary: 'instruction tracing (stepping)',
  syntax: '!trace <step-in|step-out|instrument-step>',
  args: [
    {
      name: 'type',
      description: 'the trace type',
      // The spellings trace.cpp accepts; an unknown one double-frees the event (spec §9.15).
      grammar: {
        type: 'keyword',
        values: [
          'step-in',
          'stepin',
          'step',
          'step-out',
          'stepout',
          'step-instrument',
          'instrument-step',
          'instrumentstep',
          'instrument-step-in',
        ],
      },
      required: true,
    },
  ],
  context: 'always 1 (v0.23 stores the wrong field, docs/hyperdbg-v0.23.md §3.8)',
  eventType: 'TRAP_EXECUTION_INSTRUCTION_TRACE',
  stages: ALL_STAGES,
  requiresPid: false,
  minTokens: 1,
  actionsRunIn: 'vmx-root',
  extraTokens: 'rejected',
};

const CATALOG: Readonly<Record<EventKind, EventKindInfo>> = {
  '!syscall': syscall('!syscall', EFER),
  '!syscall2': syscall('!syscall2', UD),
  '!sysret': sysret('!sysret', EFER),
  '!sysret2': sysret('!sysret2', UD),
  '!epthook': epthook,
  '!epthook2': epthook2,
  '!monitor': monitor,
  '!msrread': optionalFilter('!msrread', 'msr', 'the MSR index (ECX), hex', U32, {
    aliases: ['!msread'],
    summary: 'RDMSR executions',
    context: 'ECX: the MSR index',
    eventType: 'RDMSR_INSTRUCTION_EXECUTION',
  }),
  '!msrwrite': optionalFilter('!msrwrite', 'msr', 'the MSR index (ECX), hex', U32, {
    summary: 'WRMSR executions',
    context: 'ECX: the MSR index',
    eventType: 'WRMSR_INSTRUCTION_EXECUTION',
  }),
  '!cpuid': optionalFilter('!cpuid', 'leaf', 'the CPUID leaf (EAX), hex', U32, {
    summary: 'CPUID executions',
    context: 'EAX: the CPUID leaf',
    eventType: 'CPUID_INSTRUCTION_EXECUTION',
  }),
  // v0.23 tests `>= 31`, so 0x1f itself is rejected although its message says 0x0-0x1f (§9.14).
  '!exception': optionalFilter('!exception', 'vector', 'the IDT index, 0x0..0x1e', 0x1en, {
    summary: 'exceptions (IDT entries below 0x1f)',
    context: 'the exception vector',
    eventType: 'EXCEPTION_OCCURRED',
  }),
  '!interrupt': interrupt,
  '!ioin': optionalFilter('!ioin', 'port', 'the I/O port, hex', 0xffffn, {
    summary: 'IN instructions',
    context: 'the I/O port number',
    eventType: 'IN_INSTRUCTION_EXECUTION',
  }),
  '!ioout': optionalFilter('!ioout', 'port', 'the I/O port, hex', 0xffffn, {
    aliases: ['!iout'],
    summary: 'OUT instructions',
    context: 'the I/O port number',
    eventType: 'OUT_INSTRUCTION_EXECUTION',
  }),
  '!tsc': noArguments('!tsc', {
    summary: 'RDTSC and RDTSCP executions',
    context: '0 for RDTSC, 1 for RDTSCP',
    eventType: 'TSC_INSTRUCTION_EXECUTION',
  }),
  '!pmc': noArguments('!pmc', {
    summary: 'RDPMC executions',
    context: '0',
    eventType: 'PMC_INSTRUCTION_EXECUTION',
  }),
  '!dr': noArguments('!dr', {
    summary: 'debug register accesses',
    context: '0',
    eventType: 'DEBUG_REGISTERS_ACCESSED',
  }),
  '!vmcall': noArguments('!vmcall', {
    summary: 'VMCALL executions',
    context: '0',
    eventType: 'VMCALL_INSTRUCTION_EXECUTION',
  }),
  '!crwrite': crwrite,
  '!xsetbv': optionalFilter('!xsetbv', 'xcr', 'the XCR index (ECX), hex', U32, {
    summary: 'XSETBV executions',
    context: 'ECX: the XCR index',
    eventType: 'XSETBV_INSTRUCTION_EXECUTION',
  }),
  '!mode': mode,
  '!trace': trace,
};

/** Everything known about one event kind. */
export function eventKindInfo(kind: EventKind): EventKindInfo {
  return CATALOG[kind];
}

/** The whole catalog, in the order of EVENT_KINDS. */
export const EVENT_CATALOG: readonly EventKindInfo[] = EVENT_KINDS.map((k) => CATALOG[k]);
