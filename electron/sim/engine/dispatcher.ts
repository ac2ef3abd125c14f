// Runs the events an occurrence triggers, as hyperkd's DebuggerTriggerEvents: per stage, newest
// event first, condition code first (RAX == 0 skips), then script before custom code (spec §5.3);
// a returned readable buffer becomes one HDBG1 line (buffer-records.md §4); on a stock build the
// first custom or condition code to run bug-checks the machine instead (spec §5.6). Simulator side.
import { GUEST_REGS_SIZE } from '../../../shared/model/guestRegs';
import type { HyperDbgActionRunner } from '../emulator/hyperdbgActions';
import type { CallOutcome } from '../emulator/x86Emulator';
import type { WindowsGuest } from '../emulator/windowsGuest';
import {
  runScript,
  ScriptExecutionLimit,
  ScriptRuntimeError,
  ScriptStackOverflow,
  type ScriptEnvironment,
} from '../script/evaluator';
import { RUN_LIMIT_MESSAGES } from '../script/limits';
import { ScriptPools } from '../script/pools';
import { APPLY_TO_ALL, type EventKernel, type EventType, type KernelEvent } from './kernelEvents';
import {
  CONDITION_SITE,
  CUSTOM_CODE_SITE,
  kernelLogLine,
  SCRIPT_ERROR_SITE,
  SCRIPT_LIMIT_SITE,
  SCRIPT_STACK_SITE,
} from './kernelLog';
import type { MessageTransport } from './messageTransport';
import type { Occurrence } from './occurrence';
import type { SimStats } from './stats';

/** First event tag; the ID `events` shows is tag minus this (spec §3.1). */
export const EVENT_TAG_BASE = 0x1000000;

/** A break action fired (Debugger Mode): the debuggee halts here. */
export interface HaltRequest {
  readonly eventId: number;
  readonly stage: 'pre' | 'post';
  readonly core: number;
  readonly rip: bigint;
}

export interface DispatcherOptions {
  readonly guest: WindowsGuest;
  readonly kernel: EventKernel;
  readonly runner: HyperDbgActionRunner;
  readonly transport: MessageTransport;
  readonly stats: SimStats;
  /** `--stock`: custom code's RAX is ignored (buffer-records.md §1) and its memory is NX (spec §5.6). */
  readonly stock: boolean;
  /** The machine bug-checked; the dispatcher runs nothing after this. */
  readonly onBugCheck: (b: BugCheck) => void;
}

/** ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY: what executing code from NX pool costs (spec §5.6). */
export const BUGCHECK_NX = 0xfc;
export const BUGCHECK_NX_NAME = 'ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY';

/** A bug check: its code, and which event's code tried to run where (Arg1 of 0xFC). */
export interface BugCheck {
  readonly code: number;
  readonly name: string;
  readonly eventId: number;
  readonly action: 'custom code' | 'condition code';
  /** The virtual address whose execution was attempted (the code's copy in NX pool). */
  readonly address: bigint;
  readonly core: number;
}

/** Which event lists an occurrence kind feeds, with the Context each one gets (spec §3.8). */
const TARGETS: Record<Occurrence['kind'], readonly EventType[]> = {
  syscall: ['syscall', 'mode'],
  sysret: ['sysret', 'mode'],
  call: ['epthook', 'epthook2'],
  memory: ['monitor'],
  rdmsr: ['rdmsr'],
  wrmsr: ['wrmsr'],
  cpuid: ['cpuid'],
  exception: ['exception'],
  interrupt: ['interrupt'],
  in: ['in'],
  out: ['out'],
  tsc: ['tsc'],
  pmc: ['pmc'],
  dr: ['dr'],
  vmcall: ['vmcall'],
  crwrite: ['crwrite'],
  xsetbv: ['xsetbv'],
  trace: ['trace'],
};

/** `!mode` option values (DEBUGGER_EVENT_MODE_TYPE): user, kernel, both. */
export const MODE_USER = 1n;
export const MODE_KERNEL = 2n;
export const MODE_BOTH = 3n;

const ALL = BigInt(APPLY_TO_ALL);
const M64 = (1n << 64n) - 1n;

export class EventDispatcher {
  /** g_ScriptGlobalVariables and the per-core stack buffers; allocated when the driver loads. */
  private pools: ScriptPools | null = null;
  private tsc = 0x2b3c4d5e6f70n;

  constructor(private readonly o: DispatcherOptions) {}

  /**
   * DebuggerInitialize at driver load: g_ScriptGlobalVariables (MAX_VAR_COUNT slots, zeroed) and
   * one stack buffer per core, from non-paged pool. Global values do not outlive the driver.
   */
  initializeScriptEngine(): ScriptPools {
    const g = this.o.guest;
    const at = (size: number): bigint => g.tryAllocatePool(size) ?? 0n;
    const globals = at(ScriptPools.GLOBAL_BYTES);
    const stacks = g.cores.map(() => at(ScriptPools.STACK_BYTES));
    this.pools = new ScriptPools(globals, stacks, g.memory);
    this.pools.resetGlobals();
    return this.pools;
  }

  /** The kernel's script engine buffers (allocated on first use when no load has done it). */
  get scriptPools(): ScriptPools {
    return this.pools ?? this.initializeScriptEngine();
  }

  private listening = new Set<Occurrence['kind']>();
  private listeningVersion = -1;
  /** Set by a bug check: the machine is gone and nothing runs any more. */
  private crashed = false;

  /** True when some enabled event listens to this kind (so the workload details it). */
  listens(kind: Occurrence['kind']): boolean {
    if (this.listeningVersion !== this.o.kernel.version) {
      this.listeningVersion = this.o.kernel.version;
      this.listening = new Set(
        (Object.keys(TARGETS) as Occurrence['kind'][]).filter((k) =>
          TARGETS[k].some((t) => this.o.kernel.hasEnabledOfType(t)),
        ),
      );
    }
    return this.listening.has(kind);
  }

  /** Runs every matching event; returns a halt request if a break action fired. */
  trigger(occ: Occurrence): HaltRequest | null {
    if (this.crashed) return null;
    const types = TARGETS[occ.kind];
    for (const stage of ['pre', 'post'] as const) {
      for (const type of types) {
        const list = this.o.kernel.listeners(type);
        for (let i = 0; i < list.length; i++) {
          const ev = list[i] as KernelEvent;
          if (!ev.enabled) continue;
          if (ev.stage !== 'all' && ev.stage !== stage) continue;
          const context = this.match(ev, occ);
          if (context === null) continue;
          const halt = this.run(ev, occ, context, stage);
          if (halt !== null) return halt;
          if (this.crashed) return null;
        }
      }
    }
    return null;
  }

  /** The event's Context for this occurrence, or null when it does not apply (spec §3.8). */
  private match(ev: KernelEvent, occ: Occurrence): bigint | null {
    if (ev.core !== APPLY_TO_ALL && ev.core !== occ.core.index) return null;
    if (ev.pid !== APPLY_TO_ALL && ev.pid !== occ.thread.process.pid) return null;
    switch (ev.type) {
      case 'syscall':
        return ev.p1 === ALL || ev.p1 === occ.value ? occ.value : null;
      case 'sysret':
      case 'epthook':
      case 'epthook2':
        if (ev.type !== 'sysret' && ev.p1 !== occ.rip) return null;
        return occ.rip;
      case 'mode': {
        const entering = occ.kind === 'syscall' ? MODE_KERNEL : MODE_USER;
        if ((ev.p1 & entering) === 0n) return null;
        return occ.kind === 'syscall' ? 0n : 3n; // the mode being entered: 0 kernel, 3 user
      }
      case 'monitor':
        return occ.value >= ev.p1 && occ.value <= ev.p2 && (ev.access & occ.access) !== 0
          ? occ.value
          : null;
      case 'rdmsr':
      case 'wrmsr':
      case 'exception':
      case 'in':
      case 'out':
        return ev.p1 === ALL || ev.p1 === occ.value ? occ.value : null;
      case 'interrupt':
        return ev.p1 === occ.value ? occ.value : null;
      case 'cpuid':
      case 'xsetbv':
        return ev.p1 === 0n || ev.p2 === occ.value ? occ.value : null;
      case 'crwrite':
        return ev.p1 === occ.value ? occ.value : null;
      case 'tsc':
        return occ.value;
      case 'pmc':
      case 'dr':
      case 'vmcall':
        return 0n;
      case 'trace':
        return 1n; // v0.23 stores the boolean SetTraceType, so every trace type reads 1 (spec §3.8)
    }
  }

  private run(
    ev: KernelEvent,
    occ: Occurrence,
    context: bigint,
    stage: 'pre' | 'post',
  ): HaltRequest | null {
    const stats = this.o.stats.counters(ev.id);
    stats.triggers++;
    // Ground truth for counts kept in the target: which process's thread the trigger ran on.
    this.o.stats.countProcess(ev.id, occ.core.current.process.imageFileName);
    // !epthook2's actions run in VMX non-root, inside the detour (spec §8); the rest in root.
    const root = ev.type !== 'epthook2';
    const rspSlot =
      ev.type === 'epthook2'
        ? this.o.runner.guestRegsAddress(occ.core) - BigInt(GUEST_REGS_SIZE)
        : undefined;
    if (ev.condition !== null) {
      // DebuggerCheckForCondition calls into the NX copy of the condition (spec §5.6).
      if (this.o.stock) return this.bugCheck(ev, occ, 'condition code', ev.condition);
      const outcome = this.o.runner.runCondition({
        core: occ.core,
        code: ev.condition,
        regs: occ.regs,
        context,
        rspSlot,
      });
      if (outcome.status !== 'returned') {
        this.reportFault(ev, occ, outcome, 'condition code', CONDITION_SITE, root);
        return null;
      }
      if (outcome.rax === 0n) return null;
    }
    for (const action of ev.actions) {
      switch (action.kind) {
        case 'script':
          this.runScriptAction(ev, occ, context, stage, action.script, action.buffer, root);
          break;
        case 'code': {
          // AsmDebuggerCustomCodeHandler's `call r9` lands in NX pool (spec §5.6).
          if (this.o.stock) return this.bugCheck(ev, occ, 'custom code', action.address);
          const outcome = this.o.runner.runCustomCode(
            { core: occ.core, code: action.address, regs: occ.regs, context, rspSlot },
            action.buffer,
          );
          if (outcome.status !== 'returned')
            this.reportFault(ev, occ, outcome, 'custom code', CUSTOM_CODE_SITE, root);
          else if (!this.o.stock && action.bufferSize > 0 && outcome.rax !== 0n) {
            const line = this.record(
              ev.id,
              occ.core.index,
              context,
              outcome.rax,
              action.bufferSize,
            );
            // Unmapped RAX: "HyperDbg simply ignores it" (the seed; buffer-records.md §4).
            if (line !== null) {
              stats.records++;
              this.send(ev, line, root, false, true, true);
            }
          }
          break;
        }
        case 'break':
          return { eventId: ev.id, stage, core: occ.core.index, rip: occ.rip };
      }
    }
    return null;
  }

  /**
   * Executing from NX pool in VMX root reaches Windows' own page-fault handler (the host IDT is a
   * copy of the guest's), which bug-checks with 0xFC; `!epthook2` faults the same way in non-root
   * (spec §5.6, [inferred]: a hang is the other possible outcome). Nothing runs after it.
   */
  private bugCheck(
    ev: KernelEvent,
    occ: Occurrence,
    action: BugCheck['action'],
    address: bigint,
  ): null {
    this.crashed = true;
    this.o.onBugCheck({
      code: BUGCHECK_NX,
      name: BUGCHECK_NX_NAME,
      eventId: ev.id,
      action,
      address,
      core: occ.core.index,
    });
    return null;
  }

  /** The HDBG1 line for `length` bytes at `address`, or null when any of them is unmapped. */
  private record(
    eventId: number,
    core: number,
    context: bigint,
    address: bigint,
    length: number,
  ): string | null {
    const mem = this.o.guest.memory;
    const w = mem.window(address, length);
    if (w !== null) return recordLine(eventId, core, context, w.bytes, w.offset, length);
    const bytes = mem.read(address, length);
    return bytes === null ? null : recordLine(eventId, core, context, bytes, 0, length);
  }

  private runScriptAction(
    ev: KernelEvent,
    occ: Occurrence,
    context: bigint,
    stage: 'pre' | 'post',
    script: Parameters<typeof runScript>[0],
    buffer: bigint,
    root: boolean,
  ): void {
    const env = this.environment(ev, occ, context, stage, buffer, root);
    try {
      runScript(script, env);
    } catch (e) {
      const core = occ.core.index;
      if (e instanceof ScriptRuntimeError) {
        // LogInfo("Err, ScriptEngineExecute, function = % s\n ", ...): the message's own "\n "
        // plus the macro's "\n" give the trailing "\n \n" (spec §2.10).
        this.send(
          ev,
          kernelLogLine(
            'info',
            SCRIPT_ERROR_SITE.fn,
            SCRIPT_ERROR_SITE.line,
            `Err, ScriptEngineExecute, function = ${e.functionName}\n `,
            core,
            root,
          ),
          root,
          false,
        );
      } else if (e instanceof ScriptExecutionLimit || e instanceof ScriptStackOverflow) {
        // Both messages end in their own "\n", then the macro's (Debugger.c:1764, :1769).
        const stack = e instanceof ScriptStackOverflow;
        const site = stack ? SCRIPT_STACK_SITE : SCRIPT_LIMIT_SITE;
        this.send(
          ev,
          kernelLogLine(
            'info',
            site.fn,
            site.line,
            stack ? RUN_LIMIT_MESSAGES.stack : RUN_LIMIT_MESSAGES.count,
            core,
            root,
          ),
          root,
          false,
        );
      } else throw e;
    }
  }

  private environment(
    ev: KernelEvent,
    occ: Occurrence,
    context: bigint,
    stage: 'pre' | 'post',
    buffer: bigint,
    root: boolean,
  ): ScriptEnvironment {
    const guest = this.o.guest;
    const thread = occ.thread;
    return {
      memory: guest.memory,
      regs: occ.regs,
      pools: this.scriptPools,
      core: occ.core.index,
      emit: (text) => this.send(ev, text, root, false, ev.immediate, true),
      special: (name) => this.special(name, occ),
      pseudo: (name) => {
        switch (name) {
          case 'pid':
            return BigInt(thread.process.pid);
          case 'tid':
            return BigInt(thread.tid);
          case 'pname':
            return thread.process.eprocess + BigInt(guest.layout.imageFileName);
          case 'core':
            return BigInt(occ.core.index);
          case 'proc':
            return thread.process.eprocess;
          case 'thread':
            return thread.ethread;
          case 'peb':
            return thread.process.peb;
          case 'teb':
            return thread.teb;
          case 'ip':
            return occ.rip;
          case 'buffer':
            return buffer;
          case 'context':
            return context;
          case 'event_tag':
            return BigInt(EVENT_TAG_BASE + ev.id);
          case 'event_id':
            return BigInt(ev.id);
          case 'event_stage':
            return stage === 'pre' ? 0n : 1n;
          case 'date':
          case 'time':
            return this.writeDateTime(occ, name);
          default:
            return 0n;
        }
      },
    };
  }

  /** ScriptEngineUpdateTargetCoreDateTime: "%04hd-%02hd-%02hd" / "%02hd:%02hd:%02hd.%03hd" in core memory. */
  private writeDateTime(occ: Occurrence, which: 'date' | 'time'): bigint {
    const d = new Date();
    const p = (n: number, w: number) => n.toString().padStart(w, '0');
    const text =
      which === 'date'
        ? `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1, 2)}-${p(d.getDate(), 2)}`
        : `${p(d.getHours(), 2)}:${p(d.getMinutes(), 2)}:${p(d.getSeconds(), 2)}.${p(d.getMilliseconds(), 3)}`;
    const at = occ.core.scratch + (which === 'date' ? 0x40n : 0x80n);
    const bytes = new Uint8Array(text.length + 1);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    this.o.guest.memory.write(at, bytes);
    return at;
  }

  /** Registers outside GUEST_REGS, with values a Windows x64 guest would have. */
  private special(name: string, occ: Occurrence): bigint {
    const flagBit: Record<string, number> = {
      cf: 0,
      pf: 2,
      af: 4,
      zf: 6,
      sf: 7,
      tf: 8,
      if: 9,
      df: 10,
      of: 11,
      nt: 14,
      rf: 16,
      vm: 17,
      ac: 18,
      vif: 19,
      vip: 20,
      id: 21,
    };
    const bit = flagBit[name];
    if (bit !== undefined) return (occ.rflags >> BigInt(bit)) & 1n;
    switch (name) {
      case 'rip':
      case 'ip':
        return occ.rip;
      case 'eip':
        return occ.rip & 0xffffffffn;
      case 'rflags':
      case 'eflags':
      case 'flags':
        return occ.rflags;
      case 'iopl':
        return (occ.rflags >> 12n) & 3n;
      case 'cs':
        return occ.user ? 0x33n : 0x10n;
      case 'ss':
        return occ.user ? 0x2bn : 0x18n;
      case 'ds':
      case 'es':
      case 'gs':
        return 0x2bn;
      case 'fs':
        return 0x53n;
      case 'cr0':
        return 0x80050033n;
      case 'cr2':
        return occ.cr2;
      case 'cr3':
        return occ.thread.process.directoryTableBase;
      case 'cr4':
        return 0x370678n;
      case 'dr6':
        return 0xffff0ff0n;
      case 'dr7':
        return 0x400n;
      case 'tsc':
        this.tsc = (this.tsc + 0x3e8n) & M64;
        return this.tsc;
      default:
        return 0n;
    }
  }

  private reportFault(
    ev: KernelEvent,
    occ: Occurrence,
    outcome: CallOutcome,
    what: string,
    site: { fn: string; line: number },
    root: boolean,
  ): void {
    const rip = outcome.status === 'returned' ? 0n : outcome.rip;
    const cause =
      outcome.status === 'fault'
        ? `faulted (${outcome.error})`
        : `did not return within ${this.o.runner.maxInstructions} instructions`;
    const text = kernelLogLine(
      'error',
      site.fn,
      site.line,
      `err, the ${what} of event 0x${ev.id.toString(16)} ${cause} at ${rip.toString(16)}; the simulator stopped it where a real system would bug-check`,
      occ.core.index,
      root,
    );
    this.send(ev, text, root, true);
  }

  /**
   * One packet of this event. `tagged`: its operation code is the event's tag (script output and
   * records, which output sources may take); kernel log lines are INFO/ERROR packets (spec §6.4).
   */
  private send(
    ev: KernelEvent,
    text: string,
    root: boolean,
    priority: boolean,
    immediate = true,
    tagged = false,
  ): void {
    this.o.stats.counters(ev.id).messages++;
    this.o.stats.messageProduced(ev.id);
    this.o.transport.send({ text, eventId: ev.id, tagged }, root, priority, immediate);
  }
}

/** `HDBG1 <id> <core> <context> <length> <w0> ...`: lowercase hex, words not padded (buffer-records.md §2). */
export function recordLine(
  eventId: number,
  core: number,
  context: bigint,
  bytes: Uint8Array,
  offset = 0,
  length = bytes.length - offset,
): string {
  let line = `HDBG1 ${eventId.toString(16)} ${core.toString(16)} ${context.toString(16)} ${length.toString(16)}`;
  // Each word is two 32-bit halves formatted with Number arithmetic: no BigInt on the hot path.
  for (let i = 0; i < length; i += 8) {
    let lo = 0;
    let hi = 0;
    for (let k = Math.min(7, length - 1 - i); k >= 0; k--) {
      const b = bytes[offset + i + k] as number;
      if (k >= 4) hi = hi * 256 + b;
      else lo = lo * 256 + b;
    }
    line +=
      hi === 0 ? ` ${lo.toString(16)}` : ` ${hi.toString(16)}${lo.toString(16).padStart(8, '0')}`;
  }
  return `${line}\n`;
}
