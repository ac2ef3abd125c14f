// Runs an action's condition and custom code on sample events of a synthetic guest of one build,
// with HyperDbg's calling conventions and every instruction and memory access recorded, and says
// what each access touched. The guest is the simulator's own (same layouts, same processes), so
// a dry run sees what the simulator would. Simulator side.
import { GUEST_REG_COUNT, GUEST_REG_INDEX as REG } from '../../../shared/model/guestRegs';
import {
  MAX_REPORTED_ACCESSES,
  type DryRunResult,
  type DryRunRunRequest,
  type WireRun,
  type WireSample,
} from '../../../shared/model/dryRunWire';
import { HyperDbgActionRunner } from '../emulator/hyperdbgActions';
import { ntAddress, resolveNtSymbol } from '../emulator/kernelImage';
import { Prng } from '../emulator/prng';
import type { GuestProcess, GuestThread, WindowsGuest } from '../emulator/windowsGuest';
import { WindowsGuest as Guest } from '../emulator/windowsGuest';
import { layoutForBuild, OFFERED_OS_BUILDS } from '../emulator/windowsLayouts';
import type { CallOutcome, CallTrace } from '../emulator/x86Emulator';
import { GuestLabels, type RunFrame } from './guestLabels';

/** Processors of the dry-run guest: two, so samples show the per-core view changes. */
const DRY_RUN_CORES = 2;
/** Guests kept for reuse (each is ~30 MB of mapped memory); the oldest is closed past this. */
const MAX_CACHED_GUESTS = 3;
/** Stream of the sample events' random choices (apart from the workload's). */
const SAMPLE_STREAM = 0xd7;
const RFLAGS_USER = 0x246n;
/** sizeof(GUEST_REGS): !epthook2's RSP slot holds Regs minus this (EptHook2GeneralDetourEventHandler). */
const GUEST_REGS_BYTES = BigInt(GUEST_REG_COUNT * 8);

/** System calls the samples make: Windows 10/11 x64 numbers and their names. */
const SAMPLE_SYSCALLS: readonly [number, string][] = [
  [0x55, 'NtCreateFile'],
  [0x6, 'NtReadFile'],
  [0xf, 'NtClose'],
  [0x18, 'NtAllocateVirtualMemory'],
  [0x36, 'NtQuerySystemInformation'],
  [0x4, 'NtWaitForSingleObject'],
];
const SAMPLE_TAGS = ['HDBG', 'File', 'Irp ', 'Toke', 'Proc', 'MmSt'];
const SAMPLE_POOL_TYPES = [0x200n, 0x1n, 0x0n];
/** Callers a hooked kernel function is sampled as called from (a call's next instruction). */
const SAMPLE_CALL_SITES: readonly [string, number][] = [
  ['NtCreateFile', 0x4c],
  ['IoCreateFile', 0x8e],
  ['ObReferenceObjectByHandle', 0x3b],
];
/** User processes the samples come from, in this order (then the rest of the guest's). */
const SAMPLE_PROCESSES = ['notepad.exe', 'explorer.exe', 'svchost.exe', 'MsMpEng.exe', 'cmd.exe'];

const h = (v: bigint) => BigInt.asUintN(64, v).toString(16);

interface Cached {
  readonly guest: WindowsGuest;
  readonly labels: GuestLabels;
}

export class DryRunner {
  private readonly guests = new Map<string, Cached>();

  /** One dry run: the code placed in the guest's executable pool, run once per sample. */
  run(req: DryRunRunRequest): DryRunResult {
    const { guest, labels } = this.guestFor(req.build, req.seed);
    const runner = new HyperDbgActionRunner(guest, req.maxInstructions);
    const place = (hex: string | null): { at: bigint | null; length: number } => {
      if (hex === null) return { at: null, length: 0 };
      const bytes = Uint8Array.from([...Buffer.from(hex, 'hex'), 0xc3]); // HyperDbg appends ret
      const at = guest.allocateCode(bytes);
      if (at === null) throw new Error('the dry-run guest ran out of executable pool; run again');
      return { at, length: bytes.length };
    };
    const code = place(req.code);
    const condition = place(req.condition);
    const buffer = req.bufferSize > 0 ? guest.allocatePool(req.bufferSize) : 0n;
    const core0 = guest.cores[0];
    if (core0 === undefined) throw new Error('the guest has no processor');
    const rng = new Prng(req.seed, SAMPLE_STREAM);
    const samples: WireSample[] = [];
    for (let i = 0; i < req.samples; i++) {
      const core = guest.cores[i % guest.cores.length] ?? core0;
      const frame: RunFrame = {
        codeAddress: code.at,
        codeLength: code.length,
        conditionAddress: condition.at,
        conditionLength: condition.length,
        bufferAddress: buffer === 0n ? null : buffer,
        bufferSize: req.bufferSize,
        regsAddress: runner.guestRegsAddress(core),
        entryRsp: runner.entryRsp(core),
      };
      const occ = this.sample(guest, req, i, rng);
      guest.setCurrentThread(core, occ.thread);
      const regs = occ.regs;
      const before = [...regs].map(h);
      const rspSlot =
        req.eventKind === '!epthook2' ? frame.regsAddress - GUEST_REGS_BYTES : undefined;
      const call = { core, regs, context: occ.context, rspSlot };
      let cond: WireRun | null = null;
      let skipped = false;
      if (condition.at !== null) {
        const r = runner.traceCondition({ ...call, code: condition.at });
        cond = this.wire(r, condition.at, condition.length, frame, labels);
        skipped = r.outcome.status === 'returned' && r.outcome.rax === 0n;
      }
      let codeRun: WireRun | null = null;
      let outcome: CallOutcome | null = null;
      if (
        code.at !== null &&
        !skipped &&
        cond?.outcome !== 'fault' &&
        cond?.outcome !== 'runaway'
      ) {
        const r = runner.traceCustomCode({ ...call, code: code.at }, buffer);
        outcome = r.outcome;
        codeRun = this.wire(r, code.at, code.length, frame, labels);
      }
      const { record, note } = this.record(guest, req, outcome, skipped, code.at !== null);
      samples.push({
        core: core.index,
        process: { pid: occ.thread.process.pid, name: occ.thread.process.imageName.slice(0, 40) },
        tid: occ.thread.tid,
        occurrence: occ.text,
        context: h(occ.context),
        regs: before,
        condition: cond,
        code: codeRun,
        regsAfter: [...regs].map(h),
        record,
        recordNote: note,
      });
    }
    return {
      build: req.build,
      layout: this.layoutName(req.build),
      codeAddress: code.at === null ? null : h(code.at),
      conditionAddress: condition.at === null ? null : h(condition.at),
      bufferAddress: buffer === 0n ? null : h(buffer),
      regsAddress: h(runner.guestRegsAddress(core0)),
      entryRsp: h(runner.entryRsp(core0)),
      samples,
    };
  }

  close(): void {
    for (const c of this.guests.values()) c.guest.emulator.close();
    this.guests.clear();
  }

  private layoutName(build: number): string {
    const ref = layoutForBuild(build).referenceBuild;
    const offered = OFFERED_OS_BUILDS.find((o) => o.build === ref);
    return `${offered?.release ?? `build ${ref}`} (build ${ref}) layout`;
  }

  private guestFor(build: number, seed: number): Cached {
    const key = `${build}:${seed}`;
    const hit = this.guests.get(key);
    if (hit !== undefined) {
      this.guests.delete(key);
      this.guests.set(key, hit); // most recently used last
      return hit;
    }
    while (this.guests.size >= MAX_CACHED_GUESTS) {
      const [oldKey, old] = this.guests.entries().next().value as [string, Cached];
      old.guest.emulator.close();
      this.guests.delete(oldKey);
    }
    const guest = Guest.create({ seed, cores: DRY_RUN_CORES, osBuild: build });
    const c = { guest, labels: new GuestLabels(guest) };
    this.guests.set(key, c);
    return c;
  }

  /** One sample event: the thread it happens on, GUEST_REGS and the Context. */
  private sample(
    guest: WindowsGuest,
    req: DryRunRunRequest,
    i: number,
    rng: Prng,
  ): { thread: GuestThread; regs: BigUint64Array; context: bigint; text: string } {
    const users = guest.processes.filter((p) => !p.kernelOnly);
    const ordered: GuestProcess[] = [
      ...SAMPLE_PROCESSES.flatMap((n) => users.filter((p) => p.imageName === n).slice(0, 1)),
      ...users.filter((p) => !SAMPLE_PROCESSES.includes(p.imageName)),
    ];
    const process = ordered[i % ordered.length] as GuestProcess;
    const thread = process.threads[rng.below(process.threads.length)] as GuestThread;
    const regs = new BigUint64Array(GUEST_REG_COUNT);
    const userPtr = () => thread.teb + BigInt(rng.below(0x80) * 8);
    const who = `${process.imageName} (pid 0x${process.pid.toString(16)}, tid 0x${thread.tid.toString(16)})`;
    const argNumber = (k: number): bigint | null => {
      const a = req.args[k]?.trim().replace(/^0x/i, '');
      return a !== undefined && /^[0-9a-f]{1,16}$/i.test(a) ? BigInt(`0x${a}`) : null;
    };
    switch (req.eventKind) {
      case '!syscall':
      case '!syscall2': {
        const wanted = argNumber(0);
        const pick = SAMPLE_SYSCALLS[i % SAMPLE_SYSCALLS.length] as [number, string];
        const n = wanted ?? BigInt(pick[0]);
        const name = SAMPLE_SYSCALLS.find(([x]) => BigInt(x) === n)?.[1];
        const site = guest.syscallSite(Number(n & 0xffffn));
        regs[REG.rax] = n;
        regs[REG.rcx] = site.returnRip;
        regs[REG.rdx] = userPtr();
        regs[REG.r8] = BigInt(rng.below(0x100));
        regs[REG.r9] = userPtr();
        regs[REG.r10] = userPtr();
        regs[REG.r11] = RFLAGS_USER;
        regs[REG.rsp] = thread.userStackTop - BigInt(rng.below(0x40) * 8);
        return {
          thread,
          regs,
          context: n,
          text: `syscall 0x${n.toString(16)}${name !== undefined ? ` (${name})` : ''} from ${who}`,
        };
      }
      case '!sysret':
      case '!sysret2': {
        const site = guest.syscallSite(0x55);
        regs[REG.rcx] = site.returnRip;
        regs[REG.r11] = RFLAGS_USER;
        regs[REG.rsp] = thread.userStackTop - BigInt(rng.below(0x40) * 8);
        return { thread, regs, context: site.returnRip, text: `sysret to ${who}` };
      }
      case '!epthook':
      case '!epthook2': {
        const arg = req.args[0]?.trim() ?? '';
        const target =
          (arg === '' ? null : resolveNtSymbol(arg.replace(/`/g, ''))) ??
          argNumber(0) ??
          ntAddress('ExAllocatePoolWithTag');
        const pool =
          target === ntAddress('ExAllocatePoolWithTag') || target === ntAddress('ExAllocatePool2');
        if (pool) {
          const tag = SAMPLE_TAGS[i % SAMPLE_TAGS.length] as string;
          regs[REG.rcx] = SAMPLE_POOL_TYPES[i % SAMPLE_POOL_TYPES.length] as bigint;
          regs[REG.rdx] = BigInt(0x10 * (1 + rng.below(0x40)));
          regs[REG.r8] = BigInt(
            tag.charCodeAt(0) |
              (tag.charCodeAt(1) << 8) |
              (tag.charCodeAt(2) << 16) |
              (tag.charCodeAt(3) * 0x1000000),
          );
        } else {
          regs[REG.rcx] = guest.processes[1]?.eprocess ?? 0n;
          regs[REG.rdx] = BigInt(rng.below(0x1000));
          regs[REG.r8] = thread.ethread;
        }
        const rsp = thread.kernelStackTop - 0x100n - BigInt(rng.below(0x10) * 16) - 8n;
        const [caller, offset] = SAMPLE_CALL_SITES[i % SAMPLE_CALL_SITES.length] as [
          string,
          number,
        ];
        guest.memory.writeU64(rsp, ntAddress(caller) + BigInt(offset));
        regs[REG.rsp] = rsp;
        return {
          thread,
          regs,
          context: target,
          text: `call to 0x${target.toString(16)} from nt!${caller}+0x${offset.toString(16)} on ${who}`,
        };
      }
      default: {
        regs[REG.rsp] = thread.kernelStackTop - 0x200n;
        const context = argNumber(0) ?? 0n;
        return { thread, regs, context, text: `${req.eventKind} on ${who}` };
      }
    }
  }

  private wire(
    r: { outcome: CallOutcome; trace: CallTrace },
    base: bigint,
    length: number,
    frame: RunFrame,
    labels: GuestLabels,
  ): WireRun {
    const offsetOf = (rip: bigint): number | null =>
      rip >= base && rip < base + BigInt(length) ? Number(rip - base) : null;
    const o = r.outcome;
    return {
      outcome: o.status,
      rax: o.status === 'returned' ? h(o.rax) : null,
      error: o.status === 'fault' ? o.error : null,
      rip: o.status === 'returned' ? null : h(o.rip),
      executed: r.trace.instructions
        .slice(0, MAX_REPORTED_ACCESSES)
        .map((rip) => offsetOf(rip) ?? -1),
      accesses: r.trace.accesses.slice(0, MAX_REPORTED_ACCESSES).map((a) => ({
        offset: offsetOf(a.rip),
        kind: a.kind,
        faultType: a.faultType,
        address: h(a.address),
        size: a.size,
        value: a.value === null ? null : h(a.value),
        region: labels.describe(a.address, frame),
      })),
      truncated:
        r.trace.accesses.length > MAX_REPORTED_ACCESSES ||
        r.trace.instructions.length > MAX_REPORTED_ACCESSES,
    };
  }

  /** The record a target that returns buffers would send, or why there is none. */
  private record(
    guest: WindowsGuest,
    req: DryRunRunRequest,
    outcome: CallOutcome | null,
    skipped: boolean,
    hasCode: boolean,
  ): { record: WireSample['record']; note: string | null } {
    if (!hasCode) return { record: null, note: 'no custom code' };
    if (skipped)
      return { record: null, note: 'the condition returned 0: the actions were skipped' };
    if (outcome === null) return { record: null, note: 'the condition did not return' };
    if (outcome.status !== 'returned')
      return { record: null, note: 'the code did not return: a real system would bug-check' };
    if (req.bufferSize === 0) return { record: null, note: 'no buffer requested: RAX is not used' };
    if (outcome.rax === 0n) return { record: null, note: 'RAX = 0: nothing is sent' };
    const bytes = guest.memory.read(outcome.rax, req.bufferSize);
    if (bytes === null)
      return {
        record: null,
        note: `RAX = 0x${outcome.rax.toString(16)} is not readable for ${req.bufferSize} bytes: a target ignores it`,
      };
    return {
      record: { address: h(outcome.rax), bytes: Buffer.from(bytes).toString('hex') },
      note: null,
    };
  }
}
