// The simulated system's activity: seeded occurrences on random cores (syscalls with handlers and
// sysrets, tagged pool allocations, MSR/CPUID/I/O, interrupts, ...) at `--rate` per second. It idles
// while nothing listens, so a seed's stream starts at the same place. Simulator side.
import { GUEST_REG_COUNT, GUEST_REG_INDEX as REG } from '../../../shared/model/guestRegs';
import { ntAddress, ntSite } from '../emulator/kernelImage';
import { Prng } from '../emulator/prng';
import type { GuestCore, GuestThread, WindowsGuest } from '../emulator/windowsGuest';
import type { EventDispatcher, HaltRequest } from './dispatcher';
import type { EventKernel, KernelEvent } from './kernelEvents';
import type { Occurrence, OccurrenceKind } from './occurrence';
import type { SimStats } from './stats';

/** How often the system does each kind of thing (relative weights). */
const KIND_WEIGHTS: readonly [OccurrenceKind, number][] = [
  ['syscall', 40],
  ['call', 14],
  ['interrupt', 8],
  ['exception', 6],
  ['tsc', 6],
  ['memory', 6],
  ['cpuid', 4],
  ['rdmsr', 4],
  ['wrmsr', 3],
  ['in', 2],
  ['out', 2],
  ['crwrite', 1],
  ['trace', 1],
  ['pmc', 0.3],
  ['dr', 0.3],
  ['vmcall', 0.2],
  ['xsetbv', 0.1],
];

/** Windows 10 x64 system call numbers (stable from 1709 to 22H2) and their nt handlers. */
const SYSCALLS: readonly { n: number; w: number; handler?: string }[] = [
  { n: 0x4, w: 8, handler: 'NtWaitForSingleObject' },
  { n: 0x6, w: 8, handler: 'NtReadFile' },
  { n: 0x7, w: 6, handler: 'NtDeviceIoControlFile' },
  { n: 0x8, w: 5, handler: 'NtWriteFile' },
  { n: 0xe, w: 4 },
  { n: 0xf, w: 8, handler: 'NtClose' },
  { n: 0x11, w: 3 },
  { n: 0x12, w: 2 },
  { n: 0x17, w: 3 },
  { n: 0x18, w: 4, handler: 'NtAllocateVirtualMemory' },
  { n: 0x19, w: 3 },
  { n: 0x1e, w: 3 },
  { n: 0x26, w: 1, handler: 'NtOpenProcess' },
  { n: 0x36, w: 3, handler: 'NtQuerySystemInformation' },
  { n: 0x48, w: 1 },
  { n: 0x55, w: 3, handler: 'NtCreateFile' },
];

/**
 * Return addresses of kernel calls: inside the nt functions that make such calls, at offsets
 * within their bodies (a call's next instruction). Which caller is chosen follows the stack
 * slot, not the random streams, so adding it changed no event the workload produces.
 */
const CALL_SITES: readonly [string, number][] = [
  ['NtCreateFile', 0x4c],
  ['IoCreateFile', 0x8e],
  ['NtReadFile', 0x1d3],
  ['NtDeviceIoControlFile', 0x5a],
  ['ObReferenceObjectByHandle', 0x3b],
  ['NtAllocateVirtualMemory', 0x127],
];

function callerReturn(rsp: bigint): bigint {
  const [name, offset] = CALL_SITES[Number((rsp >> 4n) % BigInt(CALL_SITES.length))] as [
    string,
    number,
  ];
  return ntAddress(name) + BigInt(offset);
}

/** Where nt handlers of system calls return to: the dispatcher in KiSystemCall64. */
const SYSCALL_DISPATCH_RETURN = (): bigint => ntAddress('KiSystemCall64') + 0x3e5n;

/** Pool tags as ExAllocatePoolWithTag receives them in r8 (four characters, little-endian). */
const POOL_TAGS: readonly [string, number][] = [
  ['HDBG', 6],
  ['File', 10],
  ['Irp ', 12],
  ['MmSt', 8],
  ['Ntfx', 10],
  ['Toke', 4],
  ['Proc', 2],
  ['Thre', 3],
  ['Even', 8],
  ['ObNm', 5],
  ['CcSc', 4],
  ['Vad ', 6],
  ['NtFs', 8],
  ['Mdl ', 6],
];

const KERNEL_CALLS: readonly [string, number][] = [
  ['ExAllocatePoolWithTag', 45],
  ['ExFreePoolWithTag', 35],
  ['ExAllocatePool2', 5],
  ['ObReferenceObjectByHandle', 8],
  ['PsLookupProcessByProcessId', 3],
  ['IoCreateFile', 2],
  ['RtlCopyMemory', 2],
];

const CPUID_LEAVES: readonly [number, number][] = [
  [0x1, 30],
  [0x0, 10],
  [0x7, 15],
  [0xb, 10],
  [0xd, 10],
  [0x40000000, 5],
  [0x80000001, 10],
  [0x80000008, 10],
];
const RDMSRS: readonly [number, number][] = [
  [0x1b, 10],
  [0xc0000080, 5],
  [0xc0000082, 5],
  [0x10, 10],
  [0x3a, 5],
  [0x1d9, 5],
  [0x6e0, 10],
  [0xc0000102, 5],
  [0x122, 5],
  [0x48, 5],
];
const WRMSRS: readonly [number, number][] = [
  [0x6e0, 40],
  [0x48, 20],
  [0xc0000102, 10],
  [0x1d9, 5],
  [0x38d, 5],
];
const PORTS: readonly [number, number][] = [
  [0x60, 10],
  [0x64, 10],
  [0x70, 10],
  [0x71, 10],
  [0xcf8, 15],
  [0xcfc, 15],
  [0x3f8, 5],
  [0x3fd, 5],
  [0x80, 5],
  [0x1f7, 5],
  [0x40, 5],
];
const EXCEPTIONS: readonly [number, number][] = [
  [0xe, 70],
  [0x3, 4],
  [0x1, 4],
  [0xd, 6],
  [0x6, 3],
  [0x0, 2],
  [0x11, 1],
  [0x13, 1],
];
const INTERRUPT_CLOCK = 0xd1;

/** Per-occurrence chance that the scheduler switches the core to another thread. */
const CONTEXT_SWITCH_CHANCE = 0.08;
/** Most occurrences of a thread happen in user mode (syscalls excepted). */
const USER_MODE_CHANCE = 0.6;
/** A fast (`--rate max`) slice runs this long before yielding to I/O (ms). */
const SLICE_MS = 12;
/** Paced ticks this often (ms). */
const TICK_MS = 5;
/** Nothing listens: check again this often (ms). */
const IDLE_POLL_MS = 10;
/** After a stall, at most this much time is made up (s), so pacing never bursts unboundedly. */
const MAX_CATCH_UP_S = 0.25;
/** With a monitor registered, this share of memory accesses falls inside a monitored range. */
const MONITORED_ACCESS_SHARE = 0.5;

const RFLAGS_USER = 0x246n;
const RFLAGS_KERNEL = 0x40246n;

export interface WorkloadOptions {
  readonly guest: WindowsGuest;
  readonly kernel: EventKernel;
  readonly dispatcher: EventDispatcher;
  readonly stats: SimStats;
  readonly seed: number;
  /** Occurrences per second, or 'max' for as fast as the CPU allows. */
  readonly rate: number | 'max';
  /** Whether the guest runs and an event listens (VMI: vmm loaded; Debugger Mode: not halted). */
  readonly active: () => boolean;
  readonly congested: () => boolean;
  readonly drained: () => Promise<void>;
  readonly onHalt: (halt: HaltRequest) => void;
}

type Weighted<T> = { items: T[]; weights: number[]; total: number };
function table<T>(rows: readonly (readonly [T, number])[]): Weighted<T> {
  const weights = rows.map((r) => r[1]);
  return { items: rows.map((r) => r[0]), weights, total: weights.reduce((a, b) => a + b, 0) };
}

export class Workload {
  private readonly main: Prng;
  private readonly detail = new Map<OccurrenceKind, Prng>();
  private readonly kinds = table(KIND_WEIGHTS);
  private readonly syscalls = table(SYSCALLS.map((s) => [s, s.w] as const));
  private readonly tags = table(POOL_TAGS.map(([t, w]) => [tagValue(t), w] as const));
  private readonly calls = table(KERNEL_CALLS.map(([f, w]) => [ntAddress(f), w] as const));
  private readonly leaves = table(CPUID_LEAVES);
  private readonly rdmsrs = table(RDMSRS);
  private readonly wrmsrs = table(WRMSRS);
  private readonly ports = table(PORTS);
  private readonly exceptions = table(EXCEPTIONS);
  private readonly regs = new BigUint64Array(GUEST_REG_COUNT);
  private readonly userThreads: GuestThread[];
  private readonly systemThreads: GuestThread[];
  private stopped = true;
  private reportedFailure = false;
  private credit = 0;
  private lastTick = 0;

  constructor(private readonly o: WorkloadOptions) {
    this.main = new Prng(o.seed, 0x77);
    this.userThreads = o.guest.threads.filter((t) => !t.process.kernelOnly);
    this.systemThreads = o.guest.threads.filter((t) => t.process.kernelOnly);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.lastTick = performance.now();
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
  }

  /** Runs `count` occurrences at once (benchmarks); stops early at a halt. */
  runOccurrences(count: number): HaltRequest | null {
    for (let i = 0; i < count; i++) {
      const halt = this.step();
      if (halt !== null) return halt;
    }
    return null;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      if (!this.o.active()) {
        this.credit = 0;
        await sleep(IDLE_POLL_MS);
        this.lastTick = performance.now();
        continue;
      }
      if (this.o.congested()) {
        await this.o.drained();
        this.lastTick = performance.now();
        continue;
      }
      const started = performance.now();
      let budget: number;
      if (this.o.rate === 'max') budget = Number.POSITIVE_INFINITY;
      else {
        this.credit = Math.min(
          this.credit + ((started - this.lastTick) / 1000) * this.o.rate,
          this.o.rate * MAX_CATCH_UP_S + 1,
        );
        budget = Math.floor(this.credit);
        this.credit -= budget;
      }
      this.lastTick = started;
      let done = 0;
      while (done < budget && !this.stopped && this.o.active()) {
        const halt = this.safeStep();
        done++;
        if (halt !== null) {
          this.o.onHalt(halt);
          break;
        }
        if ((done & 0x3f) === 0 && (performance.now() - started > SLICE_MS || this.o.congested()))
          break;
      }
      if (budget !== Number.POSITIVE_INFINITY) this.credit += budget - done;
      if (this.o.rate === 'max') await new Promise((r) => setImmediate(r));
      else await sleep(TICK_MS);
    }
  }

  /** One occurrence; a simulator bug is reported on stderr once and the occurrence skipped. */
  private safeStep(): HaltRequest | null {
    try {
      return this.step();
    } catch (e) {
      if (!this.reportedFailure) {
        this.reportedFailure = true;
        process.stderr.write(
          `simulator: an occurrence failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
        );
      }
      return null;
    }
  }

  private rng(kind: OccurrenceKind): Prng {
    let r = this.detail.get(kind);
    if (r === undefined) {
      r = new Prng(this.o.seed, 0x100 + this.kinds.items.indexOf(kind));
      this.detail.set(kind, r);
    }
    return r;
  }

  /** One occurrence: scheduling decisions always draw from the main stream, details only if someone listens. */
  private step(): HaltRequest | null {
    const m = this.main;
    this.o.stats.occurrences++;
    const kind = this.kinds.items[
      m.weighted(this.kinds.weights, this.kinds.total)
    ] as OccurrenceKind;
    const core = this.o.guest.cores[m.below(this.o.guest.cores.length)] as GuestCore;
    if (m.chance(CONTEXT_SWITCH_CHANCE) || core.current === core.idleThread) this.schedule(core, m);
    if (kind === 'syscall' && core.current.process.kernelOnly) this.schedule(core, m, true);
    const user =
      kind === 'syscall' || (!core.current.process.kernelOnly && m.chance(USER_MODE_CHANCE));
    if (!this.o.dispatcher.listens(kind) && !(kind === 'syscall' && this.followUpsListened()))
      return null;
    const occ = this.base(kind, core, user);
    switch (kind) {
      case 'syscall':
        return this.syscall(occ);
      case 'call':
        return this.kernelCall(
          occ,
          this.calls.items[this.rng(kind).weighted(this.calls.weights, this.calls.total)] as bigint,
        );
      default:
        this.fill(occ);
        return this.o.dispatcher.trigger(occ);
    }
  }

  private followUpsListened(): boolean {
    return this.o.dispatcher.listens('call') || this.o.dispatcher.listens('sysret');
  }

  private schedule(core: GuestCore, m: Prng, userOnly = false): void {
    const busy = new Set(this.o.guest.cores.filter((c) => c !== core).map((c) => c.current));
    const pool = userOnly || m.chance(0.85) ? this.userThreads : this.systemThreads;
    for (let tries = 0; tries < 8; tries++) {
      const t = m.pick(pool);
      if (!busy.has(t)) {
        this.o.guest.setCurrentThread(core, t);
        return;
      }
    }
  }

  private base(kind: OccurrenceKind, core: GuestCore, user: boolean): Occurrence {
    this.regs.fill(0n);
    return {
      kind,
      core,
      thread: core.current,
      regs: this.regs,
      rip: 0n,
      rflags: user ? RFLAGS_USER : RFLAGS_KERNEL,
      user,
      value: 0n,
      access: 0,
      cr2: 0n,
    };
  }

  /** A syscall from the current user thread, then its nt handler's call and the sysret. */
  private syscall(occ: Occurrence): HaltRequest | null {
    const r = this.rng('syscall');
    const d = this.o.dispatcher;
    const sc = this.syscalls.items[
      r.weighted(this.syscalls.weights, this.syscalls.total)
    ] as (typeof SYSCALLS)[number];
    const site = this.o.guest.syscallSite(sc.n);
    const t = occ.thread;
    const regs = occ.regs;
    regs[REG.rax] = BigInt(sc.n);
    regs[REG.rcx] = site.returnRip;
    regs[REG.rdx] = this.userPointer(t, r);
    regs[REG.r8] = BigInt(r.below(0x100));
    regs[REG.r9] = this.userPointer(t, r);
    regs[REG.r10] = this.userPointer(t, r);
    regs[REG.r11] = RFLAGS_USER;
    regs[REG.rsp] = t.userStackTop - BigInt(r.below(0x400) * 8);
    regs[REG.rbx] = BigInt(r.below(0x10000));
    regs[REG.rsi] = this.userPointer(t, r);
    regs[REG.rdi] = this.userPointer(t, r);
    occ.rip = site.syscallRip;
    occ.value = BigInt(sc.n);
    if (d.listens('syscall')) {
      const halt = d.trigger(occ);
      if (halt !== null) return halt;
    }
    const args = [
      regs[REG.r10] as bigint,
      regs[REG.rdx] as bigint,
      regs[REG.r8] as bigint,
      regs[REG.r9] as bigint,
    ];
    if (sc.handler !== undefined && d.listens('call')) {
      const call = this.base('call', occ.core, false);
      call.regs[REG.rcx] = args[0] as bigint;
      call.regs[REG.rdx] = args[1] as bigint;
      call.regs[REG.r8] = args[2] as bigint;
      call.regs[REG.r9] = args[3] as bigint;
      call.regs[REG.rsp] = t.kernelStackTop - 0x188n; // KiSystemServiceCopyEnd's frame: entry RSP is 8 mod 16
      // The handler was called from the system-call dispatcher: its return address is at [RSP].
      this.o.guest.memory.writeU64(call.regs[REG.rsp] as bigint, SYSCALL_DISPATCH_RETURN());
      call.regs[REG.r10] = ntAddress(sc.handler);
      call.rip = ntAddress(sc.handler);
      call.value = call.rip;
      const halt = d.trigger(call);
      if (halt !== null) return halt;
    }
    if (d.listens('sysret')) {
      const ret = this.base('sysret', occ.core, false);
      ret.regs[REG.rax] = r.chance(0.9) ? 0n : 0xc0000034n; // STATUS_SUCCESS or OBJECT_NAME_NOT_FOUND
      ret.regs[REG.rcx] = site.returnRip;
      ret.regs[REG.r11] = RFLAGS_USER;
      ret.regs[REG.rsp] = t.userStackTop - BigInt(r.below(0x400) * 8);
      ret.rip = ntAddress('KiSystemServiceExit') + 3n; // the sysret instruction
      ret.value = ret.rip;
      return d.trigger(ret);
    }
    return null;
  }

  /** A call to an nt function: arguments in rcx, rdx, r8, r9 as the x64 ABI passes them. */
  private kernelCall(occ: Occurrence, target: bigint): HaltRequest | null {
    const r = this.rng('call');
    const regs = occ.regs;
    occ.user = false;
    occ.rflags = RFLAGS_KERNEL;
    const t = occ.thread;
    regs[REG.rsp] = t.kernelStackTop - 0x100n - BigInt(r.below(0x40) * 16) - 8n;
    if (target === ntAddress('ExAllocatePoolWithTag') || target === ntAddress('ExAllocatePool2')) {
      const types = [0x200n, 0x200n, 0x1n, 0x1n, 0x0n];
      regs[REG.rcx] = r.pick(types);
      regs[REG.rdx] = BigInt(
        r.chance(0.8) ? 0x10 * r.between(1, 0x40) : 0x100 * r.between(1, 0x40),
      );
      regs[REG.r8] = this.tags.items[r.weighted(this.tags.weights, this.tags.total)] as bigint;
      regs[REG.r9] = r.chance(0.5) ? 0n : this.kernelPointer(r);
    } else if (target === ntAddress('ExFreePoolWithTag')) {
      regs[REG.rcx] = this.kernelPointer(r);
      regs[REG.rdx] = this.tags.items[r.weighted(this.tags.weights, this.tags.total)] as bigint;
    } else {
      regs[REG.rcx] = r.chance(0.5) ? BigInt(r.below(0x400) * 4) : this.kernelPointer(r);
      regs[REG.rdx] = BigInt(r.below(0x1f0fff));
      regs[REG.r8] = this.kernelPointer(r);
      regs[REG.r9] = BigInt(r.below(2));
    }
    regs[REG.rbx] = this.kernelPointer(r);
    regs[REG.rdi] = this.kernelPointer(r);
    regs[REG.rsi] = BigInt(r.below(0x100));
    // A call pushed its return address: [RSP] at the function's first instruction.
    this.o.guest.memory.writeU64(regs[REG.rsp] as bigint, callerReturn(regs[REG.rsp] as bigint));
    occ.rip = target;
    occ.value = target;
    return this.o.dispatcher.trigger(occ);
  }

  /** Registers and values of the remaining kinds. */
  private fill(occ: Occurrence): void {
    const r = this.rng(occ.kind);
    const regs = occ.regs;
    const t = occ.thread;
    regs[REG.rsp] = occ.user
      ? t.userStackTop - BigInt(r.below(0x400) * 8)
      : t.kernelStackTop - BigInt(0x100 + r.below(0x80) * 8);
    regs[REG.rbx] = BigInt(r.below(0x10000));
    regs[REG.rsi] = occ.user ? this.userPointer(t, r) : this.kernelPointer(r);
    regs[REG.rdi] = occ.user ? this.userPointer(t, r) : this.kernelPointer(r);
    const pick = (w: Weighted<number>) => BigInt(w.items[r.weighted(w.weights, w.total)] as number);
    switch (occ.kind) {
      case 'cpuid':
        occ.value = pick(this.leaves);
        regs[REG.rax] = occ.value;
        regs[REG.rcx] = 0n;
        break;
      case 'rdmsr':
        occ.user = false;
        occ.value = pick(this.rdmsrs);
        regs[REG.rcx] = occ.value;
        break;
      case 'wrmsr':
        occ.user = false;
        occ.value = pick(this.wrmsrs);
        regs[REG.rcx] = occ.value;
        regs[REG.rax] = BigInt(r.nextU32());
        regs[REG.rdx] = BigInt(r.below(0x10000));
        break;
      case 'in':
      case 'out':
        occ.user = false;
        occ.value = pick(this.ports);
        regs[REG.rdx] = occ.value;
        regs[REG.rax] = BigInt(r.below(0x100));
        break;
      case 'exception':
        occ.value = pick(this.exceptions);
        if (occ.value === 0xen) occ.cr2 = occ.user ? this.userPointer(t, r) : this.kernelPointer(r);
        break;
      case 'interrupt':
        occ.value = r.chance(0.4)
          ? BigInt(INTERRUPT_CLOCK)
          : r.chance(0.3)
            ? 0x2fn
            : BigInt(r.between(0x30, 0xef));
        break;
      case 'tsc':
        occ.value = r.chance(0.85) ? 0n : 1n;
        break;
      case 'crwrite':
        occ.user = false;
        occ.value = r.chance(0.8) ? 4n : 0n;
        regs[REG.rcx] = occ.value === 4n ? 0x370678n ^ BigInt(1 << r.below(8)) : 0x80050033n;
        break;
      case 'xsetbv':
        occ.user = false;
        occ.value = 0n;
        regs[REG.rcx] = 0n;
        regs[REG.rax] = 0x1fn;
        break;
      case 'memory':
        this.memoryAccess(occ, r);
        break;
      default:
        break;
    }
    if (!occ.user) occ.rflags = RFLAGS_KERNEL;
    occ.rip = this.site(occ);
  }

  /** The instruction that caused the exit: kernel sites in nt, user ones in ntdll. */
  private site(occ: Occurrence): bigint {
    const g = this.o.guest;
    switch (occ.kind) {
      case 'cpuid':
        return occ.user ? g.userSite(1) : ntSite('KiCpuId');
      case 'tsc':
        return occ.user ? g.userSite(0) : ntSite('KeQueryPerformanceCounter');
      case 'rdmsr':
        return ntSite('KiReadMsr');
      case 'wrmsr':
        return ntSite('KiWriteMsr');
      case 'in':
        return ntSite('KiReadPortUchar');
      case 'out':
        return ntSite('KiWritePortUchar');
      case 'crwrite':
        return ntSite('KiSetCr4');
      case 'xsetbv':
        return ntSite('KiSaveXState');
      case 'pmc':
        return ntSite('KiReadPmc');
      case 'dr':
        return ntSite('KiSetDebugRegister');
      case 'vmcall':
        return ntSite('HvlInvokeHypercall');
      case 'interrupt':
        return occ.thread === occ.core.idleThread || !occ.user
          ? ntSite('KiIdleLoop') + 3n
          : g.userSite(0);
      default:
        return occ.user ? g.userSite(2) : ntSite('RtlCopyMemory');
    }
  }

  private memoryAccess(occ: Occurrence, r: Prng): void {
    const monitors = this.o.kernel.listeners('monitor').filter((e) => e.enabled);
    occ.user = false;
    if (monitors.length > 0 && r.chance(MONITORED_ACCESS_SHARE)) {
      const ev = r.pick(monitors) as KernelEvent;
      const span = ev.p2 - ev.p1;
      occ.value = ev.p1 + (span > 0n ? BigInt(r.nextU32()) % (span + 1n) : 0n);
      const kinds = [1, 2, 4].filter((a) => (ev.access & a) !== 0);
      occ.access = kinds.length > 0 ? r.pick(kinds) : 1;
      return;
    }
    const p = r.pick(this.o.guest.processes);
    const L = this.o.guest.layout;
    const fields = [L.imageFileName, L.uniqueProcessId, L.token, L.peb, L.activeProcessLinks];
    occ.value = p.eprocess + BigInt(r.pick(fields));
    occ.access = r.chance(0.8) ? 1 : 2;
  }

  /** An address inside the thread's process user region (its PEB/TEB pages or beyond). */
  private userPointer(t: GuestThread, r: Prng): bigint {
    const base = t.process.peb !== 0n ? t.process.peb : 0x000000a000000000n;
    return base + BigInt(r.below(0x100000) * 8);
  }

  private kernelPointer(r: Prng): bigint {
    const p = this.o.guest.processes[r.below(this.o.guest.processes.length)];
    return (p?.eprocess ?? 0n) + BigInt(r.below(0x100) * 8);
  }
}

function tagValue(tag: string): bigint {
  let v = 0;
  for (let i = 3; i >= 0; i--) v = v * 256 + tag.charCodeAt(i);
  return BigInt(v);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
