// The synthetic Windows x64 guest laid out in an X86Emulator: ntoskrnl, per-core KPCR/KPRCB,
// seeded processes (EPROCESS), threads (ETHREAD), PEB/TEB, ntdll stubs, pools and hypervisor stacks.
// Simulator side; every address the seed document does not fix moves with the seed.
import {
  instructionAt,
  type KernelInstruction,
  ntAddress,
  NT_BASE,
  NT_DATA_SIZE,
  NT_SYMBOLS,
  NT_TEXT_FILL,
  NT_TEXT_SIZE,
} from './kernelImage';
import { Prng } from './prng';
import { layoutForBuild, STABLE_OFFSETS as S, type WindowsLayout } from './windowsLayouts';
import { PAGE_SIZE, X86Emulator } from './x86Emulator';
import type { GuestMemory, Protection } from './guestMemory';

export interface GuestOptions {
  readonly seed: number;
  readonly cores: number;
  readonly osBuild: number;
  /** Use the copying memory fallback (what Electron's main process gets); tests only. */
  readonly copyMemory?: boolean;
}

export interface GuestProcess {
  readonly pid: number;
  readonly parentPid: number;
  /** The full image name, e.g. `MicrosoftEdgeUpdate.exe`. */
  readonly imageName: string;
  /** What EPROCESS.ImageFileName holds: at most 14 characters and a NUL (15 bytes). */
  readonly imageFileName: string;
  readonly eprocess: bigint;
  readonly peb: bigint;
  readonly directoryTableBase: bigint;
  readonly threads: GuestThread[];
  /** True for the Idle and System processes, which never run user code. */
  readonly kernelOnly: boolean;
}

export interface GuestThread {
  readonly tid: number;
  readonly process: GuestProcess;
  readonly ethread: bigint;
  readonly teb: bigint;
  readonly kernelStackTop: bigint;
  readonly userStackTop: bigint;
}

export interface GuestCore {
  readonly index: number;
  readonly kpcr: bigint;
  readonly prcb: bigint;
  readonly idleThread: GuestThread;
  current: GuestThread;
  /** Top of this core's hypervisor (VMX-root) stack, where action frames are built. */
  readonly vmmStackTop: bigint;
  /** Per-core scratch for strings the kernel prepares for scripts ($date, $time). */
  readonly scratch: bigint;
}

/** The process table: image names and thread counts (pids, tids and addresses are seeded). */
const PROCESS_TEMPLATES: readonly { name: string; threads: number; parent?: string }[] = [
  { name: 'Registry', threads: 4, parent: 'System' },
  { name: 'smss.exe', threads: 2, parent: 'System' },
  { name: 'csrss.exe', threads: 10 },
  { name: 'wininit.exe', threads: 3 },
  { name: 'csrss.exe', threads: 12 },
  { name: 'winlogon.exe', threads: 5 },
  { name: 'services.exe', threads: 8, parent: 'wininit.exe' },
  { name: 'lsass.exe', threads: 9, parent: 'wininit.exe' },
  { name: 'svchost.exe', threads: 14, parent: 'services.exe' },
  { name: 'svchost.exe', threads: 9, parent: 'services.exe' },
  { name: 'svchost.exe', threads: 22, parent: 'services.exe' },
  { name: 'svchost.exe', threads: 6, parent: 'services.exe' },
  { name: 'MsMpEng.exe', threads: 18, parent: 'services.exe' },
  { name: 'dwm.exe', threads: 11, parent: 'winlogon.exe' },
  { name: 'explorer.exe', threads: 40 },
  { name: 'SearchIndexer.exe', threads: 13, parent: 'services.exe' },
  { name: 'MicrosoftEdgeUpdate.exe', threads: 4, parent: 'services.exe' },
  { name: 'cmd.exe', threads: 1, parent: 'explorer.exe' },
  { name: 'conhost.exe', threads: 3, parent: 'cmd.exe' },
  { name: 'notepad.exe', threads: 4, parent: 'explorer.exe' },
];

const SYSTEM_THREADS = 24;
/** ImageFileName is UCHAR[15]: longer names keep 14 characters and the NUL (as Task Manager's details show). */
const IMAGE_FILE_NAME_CHARS = 14;
/** PriorityClass follows ImageFileName; 2 is PROCESS_PRIORITY_CLASS_NORMAL. */
const PRIORITY_CLASS_NORMAL = 2;

/** Region sizes (bytes), chosen to hold the process table above with room for actions. */
const POOL_SIZE = 0x800000;
const EXEC_POOL_SIZE = 0x400000;
const KPCR_STRIDE = 0x10000;
const KPCR_MAPPED = 0x2000;
const THREAD_KERNEL_STACK = 0x2000;
const VMM_STACK_PER_CORE = 0x8000;
const NTDLL_SIZE = 0x40000;
const HYPERKD_SIZE = 0x40000;
/** ntdll's syscall stubs are 0x20 bytes each: mov r10,rcx; mov eax,N; test; jne; syscall; ret; int 2e; ret. */
const NTDLL_STUB_AREA = 0x1000;
const NTDLL_STUB_SIZE = 0x20;
const NTDLL_SYSCALL_OFFSET = 0x12;
const SYSCALL_STUB_COUNT = 0x200;
/** KUSER_SHARED_DATA, mapped at the same fixed addresses on every x64 Windows. */
export const KUSER_SHARED_KERNEL = 0xfffff78000000000n;
const KUSER_SHARED_USER = 0x7ffe0000n;
/** KUSER_SHARED_DATA.NtBuildNumber: the build undecorated (no 0xF0000000 flags), a ULONG. */
export const KUSER_NT_BUILD_NUMBER = 0x260;
const KUSER_NT_MAJOR_VERSION = 0x26c;
const KUSER_NT_MINOR_VERSION = 0x270;

/** ntdll code a user-mode thread may be executing when it exits to the hypervisor. */
const NTDLL_USER_SITES: readonly { offset: number; ins: KernelInstruction }[] = [
  { offset: 0x1a000, ins: { bytes: [0x0f, 0x31], text: 'rdtsc' } },
  { offset: 0x1a010, ins: { bytes: [0x0f, 0xa2], text: 'cpuid' } },
  { offset: 0x1a020, ins: { bytes: [0x48, 0x8b, 0x01], text: 'mov rax, qword ptr ds:[rcx]' } },
];

/** Where, inside the synthetic hyperkd.sys, the action trampolines return to (after `call`). */
const HYPERKD_CUSTOM_CODE_RETURN = 0x1a2f;
const HYPERKD_CONDITION_RETURN = 0x1a7b;

export class WindowsGuest {
  readonly emulator: X86Emulator;
  readonly memory: GuestMemory;
  readonly layout: WindowsLayout;
  readonly osBuild: number;
  readonly cores: GuestCore[] = [];
  readonly processes: GuestProcess[] = [];
  /** Every thread that can be scheduled (Idle threads excluded). */
  readonly threads: GuestThread[] = [];
  readonly ntdllBase: bigint;
  readonly hyperkdBase: bigint;
  readonly customCodeReturn: bigint;
  readonly conditionReturn: bigint;
  private poolNext: bigint;
  private readonly poolEnd: bigint;
  private execPoolNext: bigint;
  private readonly execPoolEnd: bigint;

  private constructor(options: GuestOptions) {
    const rng = new Prng(options.seed, 0x61);
    this.osBuild = options.osBuild;
    this.layout = layoutForBuild(options.osBuild);
    this.emulator = new X86Emulator({ copyMemory: options.copyMemory === true });
    this.memory = this.emulator.memory;
    const em = this.emulator;

    // ntoskrnl at the seed document's fixed base; .text is int3-filled, then function bodies.
    const text = em.map('nt .text', NT_BASE, NT_TEXT_SIZE, 'rx');
    if (text.store.bytes !== null) text.store.bytes.fill(NT_TEXT_FILL);
    else text.store.write(0, new Uint8Array(NT_TEXT_SIZE).fill(NT_TEXT_FILL));
    em.map('nt .data', NT_BASE + BigInt(NT_TEXT_SIZE), NT_DATA_SIZE, 'rw');
    for (const s of NT_SYMBOLS) {
      let at = NT_BASE + BigInt(s.offset + s.bodyOffset);
      for (const ins of s.body) {
        this.memory.write(at, Uint8Array.from(ins.bytes));
        at += BigInt(ins.bytes.length);
      }
    }
    this.memory.writeU32(ntAddress('KeNumberProcessors'), options.cores);
    this.memory.writeU32(ntAddress('Kd_DEFAULT_Mask'), 0x8);

    const kuser = em.map('KUSER_SHARED_DATA', KUSER_SHARED_KERNEL, PAGE_SIZE, 'r');
    const userShared = em.map('KUSER_SHARED_DATA (user)', KUSER_SHARED_USER, PAGE_SIZE, 'r');
    for (const r of [kuser, userShared]) {
      const b = new Uint8Array(PAGE_SIZE);
      const v = new DataView(b.buffer);
      v.setUint32(KUSER_NT_BUILD_NUMBER, options.osBuild, true);
      v.setUint32(KUSER_NT_MAJOR_VERSION, 10, true);
      v.setUint32(KUSER_NT_MINOR_VERSION, 0, true);
      r.store.write(0, b);
    }

    // Seeded kernel-space regions: hyperkd.sys, pools, per-core KPCRs, stacks.
    this.hyperkdBase = 0xfffff80050000000n + (BigInt(rng.between(0x10, 0x3ff)) << 16n);
    em.map('hyperkd.sys', this.hyperkdBase, HYPERKD_SIZE, 'rx');
    this.customCodeReturn = this.hyperkdBase + BigInt(HYPERKD_CUSTOM_CODE_RETURN);
    this.conditionReturn = this.hyperkdBase + BigInt(HYPERKD_CONDITION_RETURN);

    /** A seeded base whose [base, base+reserve) overlaps nothing mapped so far. */
    const pickFree = (reserve: number, lo: number, hi: number): bigint => {
      for (;;) {
        const base = kernelSpaceAddress(rng, lo, hi);
        const end = base + BigInt(reserve);
        if (this.memory.list().every((r) => end <= r.base || base >= r.end)) return base;
      }
    };
    const seededMap = (
      name: string,
      size: number,
      prot: Protection,
      lo: number,
      hi: number,
    ): bigint => {
      const base = pickFree(size, lo, hi);
      em.map(name, base, size, prot);
      return base;
    };
    const poolBase = seededMap('NonPagedPool', POOL_SIZE, 'rw', 0x9000, 0xdfff);
    this.poolNext = poolBase + 0x1000n;
    this.poolEnd = poolBase + BigInt(POOL_SIZE);
    // v0.23 allocates action code in NX pool (spec §5.6); the simulator must run it, so it gets
    // an executable pool of its own. Data (safe buffers, objects) stays non-executable.
    const execBase = seededMap('NonPagedPoolExecute', EXEC_POOL_SIZE, 'rwx', 0x9000, 0xdfff);
    this.execPoolNext = execBase + 0x1000n;
    this.execPoolEnd = execBase + BigInt(EXEC_POOL_SIZE);

    const vmmBase = seededMap(
      'VMX-root stacks',
      VMM_STACK_PER_CORE * options.cores,
      'rw',
      0xa000,
      0xdfff,
    );

    // ntdll.dll, shared by every process at one (seeded) base, as Windows maps it.
    this.ntdllBase = 0x00007ff800000000n + (BigInt(rng.between(0x100, 0x7fff)) << 16n);
    const ntdll = em.map('ntdll.dll', this.ntdllBase, NTDLL_SIZE, 'rx');
    const stubs = new Uint8Array(SYSCALL_STUB_COUNT * NTDLL_STUB_SIZE);
    for (let n = 0; n < SYSCALL_STUB_COUNT; n++) {
      stubs.set(
        [
          0x4c,
          0x8b,
          0xd1,
          0xb8,
          n & 0xff,
          (n >> 8) & 0xff,
          0,
          0,
          0xf6,
          0x04,
          0x25,
          0x08,
          0x03,
          0xfe,
          0x7f,
          0x01,
          0x75,
          0x03,
          0x0f,
          0x05,
          0xc3,
          0xcd,
          0x2e,
          0xc3,
        ],
        n * NTDLL_STUB_SIZE,
      );
    }
    ntdll.store.write(NTDLL_STUB_AREA, stubs);
    for (const site of NTDLL_USER_SITES)
      ntdll.store.write(site.offset, Uint8Array.from([...site.ins.bytes, 0xc3]));

    // Processes: Idle (pid 0), System (pid 4), then the table with seeded pids.
    const used = new Set<number>([0, 4]);
    const newId = (lo: number, hi: number): number => {
      for (;;) {
        const id = rng.between(lo / 4, hi / 4) * 4;
        if (!used.has(id)) {
          used.add(id);
          return id;
        }
      }
    };
    const totalThreads =
      options.cores + SYSTEM_THREADS + PROCESS_TEMPLATES.reduce((n, p) => n + p.threads, 0);
    const stackRegionBase = seededMap(
      'kernel stacks',
      totalThreads * THREAD_KERNEL_STACK,
      'rw',
      0x8000,
      0x8fff,
    );
    let stackNext = stackRegionBase;
    const mkThread = (process: GuestProcess, tid: number, teb: bigint): GuestThread => {
      stackNext += BigInt(THREAD_KERNEL_STACK);
      const t: GuestThread = {
        tid,
        process,
        ethread: this.allocatePool(this.layout.ethreadSize + 0x30) + 0x30n, // after the OBJECT_HEADER
        teb,
        kernelStackTop: stackNext - 0x30n,
        userStackTop:
          teb === 0n
            ? 0n
            : 0x000000a000000000n + (BigInt(rng.between(0x100, 0xfff)) << 20n) - 0x100n,
      };
      process.threads.push(t);
      return t;
    };
    const mkProcess = (
      name: string,
      pid: number,
      parentPid: number,
      threads: number,
      kernelOnly: boolean,
    ): GuestProcess => {
      let peb = 0n;
      let userBase = 0n;
      if (!kernelOnly) {
        const size = PAGE_SIZE * (1 + threads);
        do {
          userBase =
            (BigInt(rng.between(0x100, 0xfff)) << 28n) + (BigInt(rng.below(0x1000)) << 12n);
        } while (
          !this.memory.list().every((r) => userBase + BigInt(size) <= r.base || userBase >= r.end)
        );
        em.map(`${name} (${pid}) PEB/TEB`, userBase, size, 'rw');
        peb = userBase;
      }
      const p: GuestProcess = {
        pid,
        parentPid,
        imageName: name,
        imageFileName: name.slice(0, IMAGE_FILE_NAME_CHARS),
        eprocess: this.allocatePool(this.layout.eprocessSize + 0x30) + 0x30n,
        peb,
        directoryTableBase: BigInt(rng.between(0x1000, 0x7ffff)) << 12n,
        threads: [],
        kernelOnly,
      };
      this.processes.push(p);
      for (let i = 0; i < threads; i++) {
        const teb = kernelOnly ? 0n : userBase + BigInt(PAGE_SIZE * (1 + i));
        mkThread(p, kernelOnly && pid === 0 ? 0 : newId(0x40, 0x3ffc), teb);
      }
      return p;
    };
    const idle = mkProcess('Idle', 0, 0, options.cores, true);
    const system = mkProcess('System', 4, 0, SYSTEM_THREADS, true);
    const byName = new Map<string, GuestProcess>([['System', system]]);
    for (const tpl of PROCESS_TEMPLATES) {
      const parent = tpl.parent === undefined ? undefined : byName.get(tpl.parent);
      const parentPid = parent?.pid ?? newId(0x200, 0x2ffc); // an exited parent, as for csrss/wininit
      const pid = tpl.name === 'Registry' ? newId(0x40, 0x90) : newId(0x100, 0x3ffc);
      const p = mkProcess(tpl.name, pid, parentPid, tpl.threads, false);
      if (!byName.has(tpl.name)) byName.set(tpl.name, p);
    }
    for (const p of this.processes) if (p !== idle) this.threads.push(...p.threads);

    this.writeProcessObjects(rng, idle);

    // Cores: KPCR/KPRCB, idle thread, an initial running thread. Each KPCR gets its own page
    // pair inside a seeded window, KPCR_STRIDE apart, as the per-processor blocks are allocated.
    const pcrBase = pickFree(KPCR_STRIDE * options.cores, 0xa000, 0xdfff);
    for (let c = 0; c < options.cores; c++) {
      const kpcr = pcrBase + BigInt(c * KPCR_STRIDE);
      em.map(`KPCR ${c}`, kpcr, KPCR_MAPPED, 'rw');
      const idleThread = idle.threads[c] as GuestThread;
      const core: GuestCore = {
        index: c,
        kpcr,
        prcb: kpcr + BigInt(S.kpcrPrcb),
        idleThread,
        current: idleThread,
        vmmStackTop: vmmBase + BigInt(VMM_STACK_PER_CORE * (c + 1)),
        scratch: vmmBase + BigInt(VMM_STACK_PER_CORE * c),
      };
      const m = this.memory;
      m.writeU64(kpcr + BigInt(S.kpcrSelf), kpcr);
      m.writeU64(kpcr + BigInt(S.kpcrCurrentPrcb), core.prcb);
      m.writeU64(core.prcb + BigInt(S.prcbIdleThread), idleThread.ethread);
      // KPRCB.Number is a ULONG in the symbol files: the low 16 bits are the index (spec §11.3)
      // and RspBase follows at +0x28, so the seed's 8-byte gs:[0x1a4] read yields a wrong index.
      m.writeU32(core.prcb + BigInt(S.prcbNumber), c);
      m.writeU64(core.prcb + BigInt(S.prcbRspBase), idleThread.kernelStackTop + 0x30n);
      this.cores.push(core);
      this.setCurrentThread(core, idleThread);
    }
  }

  static create(options: GuestOptions): WindowsGuest {
    if (!Number.isInteger(options.cores) || options.cores < 1 || options.cores > 64)
      throw new Error(`core count must be 1..64, got ${options.cores}`);
    return new WindowsGuest(options);
  }

  /** Makes `thread` the running thread of `core`: KPRCB.CurrentThread (gs:[0x188]) and RspBase. */
  setCurrentThread(core: GuestCore, thread: GuestThread): void {
    core.current = thread;
    this.memory.writeU64(core.prcb + BigInt(S.prcbCurrentThread), thread.ethread);
    this.memory.writeU64(core.prcb + BigInt(S.prcbRspBase), thread.kernelStackTop + 0x30n);
  }

  /** Bump-allocates zeroed, 16-byte aligned non-paged pool (never freed: addresses stay unique). */
  allocatePool(size: number): bigint {
    const at = this.tryAllocatePool(size);
    if (at === null) throw new Error('the simulated non-paged pool is exhausted');
    return at;
  }

  /** As `allocatePool`, but null when the pool is exhausted (the kernel's allocation failure). */
  tryAllocatePool(size: number): bigint | null {
    const at = this.poolNext;
    const next = at + BigInt((size + 0x1f) & ~0xf);
    if (size < 0 || next > this.poolEnd) return null;
    this.poolNext = next;
    return at + 0x10n; // a POOL_HEADER precedes every block
  }

  /**
   * Copies action code into executable pool, or null when it is exhausted. Never reused, so
   * Unicorn never runs a stale translation of an older action.
   */
  allocateCode(bytes: Uint8Array): bigint | null {
    const at = this.execPoolNext + 0x10n;
    const next = at + BigInt((bytes.length + 0x1f) & ~0xf);
    if (next > this.execPoolEnd) return null;
    this.execPoolNext = next;
    this.memory.write(at, bytes);
    this.emulator.invalidateCode(at, bytes.length);
    return at;
  }

  /** A user-mode instruction site in ntdll: 0 rdtsc, 1 cpuid, 2 a memory load. */
  userSite(index: number): bigint {
    const site = NTDLL_USER_SITES[
      index % NTDLL_USER_SITES.length
    ] as (typeof NTDLL_USER_SITES)[number];
    return this.ntdllBase + BigInt(site.offset);
  }

  /** The instruction the simulator placed at `address` (nt bodies, ntdll stubs and sites), if any. */
  knownInstruction(address: bigint): KernelInstruction | null {
    const nt = instructionAt(address);
    if (nt !== null) return nt;
    const off = Number(address - this.ntdllBase);
    if (off < 0 || off >= NTDLL_SIZE) return null;
    for (const site of NTDLL_USER_SITES) if (site.offset === off) return site.ins;
    const inStub = (off - NTDLL_STUB_AREA) % NTDLL_STUB_SIZE;
    if (off >= NTDLL_STUB_AREA && off < NTDLL_STUB_AREA + SYSCALL_STUB_COUNT * NTDLL_STUB_SIZE) {
      if (inStub === NTDLL_SYSCALL_OFFSET) return { bytes: [0x0f, 0x05], text: 'syscall' };
      if (inStub === 0) return { bytes: [0x4c, 0x8b, 0xd1], text: 'mov r10, rcx' };
    }
    return null;
  }

  /** ntdll's stub for a syscall number: the `syscall` instruction and the address after it. */
  syscallSite(number: number): { syscallRip: bigint; returnRip: bigint } {
    const stub =
      this.ntdllBase + BigInt(NTDLL_STUB_AREA + (number % SYSCALL_STUB_COUNT) * NTDLL_STUB_SIZE);
    return {
      syscallRip: stub + BigInt(NTDLL_SYSCALL_OFFSET),
      returnRip: stub + BigInt(NTDLL_SYSCALL_OFFSET + 2),
    };
  }

  private writeProcessObjects(rng: Prng, idle: GuestProcess): void {
    const m = this.memory;
    const L = this.layout;
    const head = ntAddress('PsActiveProcessHead');
    const listed = this.processes.filter((p) => p !== idle);
    const links = listed.map((p) => p.eprocess + BigInt(L.activeProcessLinks));
    listed.forEach((p, i) => {
      const e = p.eprocess;
      m.writeU8(e, S.processObjectType);
      m.writeU64(e + BigInt(S.kprocessDirectoryTableBase), p.directoryTableBase);
      m.writeU64(e + BigInt(L.uniqueProcessId), BigInt(p.pid));
      m.writeU64(links[i] as bigint, links[i + 1] ?? head);
      m.writeU64((links[i] as bigint) + 8n, i === 0 ? head : (links[i - 1] as bigint));
      const token = this.allocatePool(0x4a0);
      m.writeU64(e + BigInt(L.token), token | BigInt(rng.between(1, 15))); // EX_FAST_REF
      m.writeU64(e + BigInt(L.inheritedFromUniqueProcessId), BigInt(p.parentPid));
      m.writeU64(e + BigInt(L.peb), p.peb);
      const name = new Uint8Array(15);
      for (let k = 0; k < p.imageFileName.length; k++)
        name[k] = p.imageFileName.charCodeAt(k) & 0xff;
      m.write(e + BigInt(L.imageFileName), name);
      m.writeU8(e + BigInt(L.imageFileName + 15), PRIORITY_CLASS_NORMAL);
      m.writeU32(e + BigInt(L.activeThreads), p.threads.length);
      if (p.peb !== 0n) {
        m.writeU8(p.peb + 0x2n, 0); // BeingDebugged
        m.writeU64(
          p.peb + 0x10n,
          0x00007ff700000000n + (BigInt(rng.between(0x100, 0xffff)) << 16n),
        ); // ImageBaseAddress
      }
      this.writeThreadObjects(p);
    });
    m.writeU64(head, links[0] ?? head);
    m.writeU64(head + 8n, links[links.length - 1] ?? head);
    m.writeU64(ntAddress('PsInitialSystemProcess'), (listed[0] as GuestProcess).eprocess);
    // The Idle process is not on PsActiveProcessHead, but its threads still point at it.
    m.writeU8(idle.eprocess, S.processObjectType);
    const idleName = new Uint8Array(15);
    idleName.set([0x49, 0x64, 0x6c, 0x65]);
    m.write(idle.eprocess + BigInt(L.imageFileName), idleName);
    this.writeThreadObjects(idle);
  }

  private writeThreadObjects(p: GuestProcess): void {
    const m = this.memory;
    const L = this.layout;
    const head = p.eprocess + BigInt(L.threadListHead);
    const entries = p.threads.map((t) => t.ethread + BigInt(L.ethreadThreadListEntry));
    p.threads.forEach((t, i) => {
      const k = t.ethread;
      m.writeU8(k, S.threadObjectType);
      m.writeU64(k + BigInt(S.kthreadInitialStack), t.kernelStackTop + 0x30n);
      m.writeU64(
        k + BigInt(S.kthreadStackLimit),
        t.kernelStackTop + 0x30n - BigInt(THREAD_KERNEL_STACK),
      );
      m.writeU64(k + BigInt(S.kthreadKernelStack), t.kernelStackTop - 0x200n);
      m.writeU64(k + BigInt(S.kthreadApcStateProcess), p.eprocess);
      m.writeU64(k + BigInt(S.kthreadTeb), t.teb);
      m.writeU64(k + BigInt(S.kthreadProcess), p.eprocess);
      m.writeU64(k + BigInt(L.ethreadCid), BigInt(p.pid));
      m.writeU64(k + BigInt(L.ethreadCid + 8), BigInt(t.tid));
      m.writeU64(entries[i] as bigint, entries[i + 1] ?? head);
      m.writeU64((entries[i] as bigint) + 8n, i === 0 ? head : (entries[i - 1] as bigint));
      if (t.teb !== 0n) {
        m.writeU64(t.teb + 0x30n, t.teb); // NT_TIB.Self
        m.writeU64(t.teb + 0x40n, BigInt(p.pid)); // ClientId.UniqueProcess
        m.writeU64(t.teb + 0x48n, BigInt(t.tid)); // ClientId.UniqueThread
        m.writeU64(t.teb + 0x60n, p.peb); // ProcessEnvironmentBlock
      }
    });
    if (p.threads.length > 0) {
      m.writeU64(head, entries[0] as bigint);
      m.writeU64(head + 8n, entries[entries.length - 1] as bigint);
    }
  }
}

/** A seeded kernel address ffffXXXX`XXX00000 in [hi16Min, hi16Max] for bits 47..32. */
function kernelSpaceAddress(rng: Prng, hi16Min: number, hi16Max: number): bigint {
  return (
    0xffff000000000000n |
    (BigInt(rng.between(hi16Min, hi16Max)) << 32n) |
    (BigInt(rng.below(0x1000)) << 20n)
  );
}
