// The reusable emulator (electron/sim/emulator) on the real Unicorn library: running code with
// bounded instructions and reported faults, the synthetic Windows guest's structures as the seed
// document walks them, per-seed addresses, and HyperDbg's calling conventions (spec §8, §11).
import { describe, expect, it } from 'vitest';
import { HyperDbgActionRunner } from '../../../electron/sim/emulator/hyperdbgActions';
import { ntAddress, resolveNtSymbol } from '../../../electron/sim/emulator/kernelImage';
import { WindowsGuest } from '../../../electron/sim/emulator/windowsGuest';
import { STABLE_OFFSETS } from '../../../electron/sim/emulator/windowsLayouts';
import { X86Emulator } from '../../../electron/sim/emulator/x86Emulator';

const zero = {
  rax: 0n,
  rbx: 0n,
  rcx: 0n,
  rdx: 0n,
  rsi: 0n,
  rdi: 0n,
  rbp: 0n,
  rsp: 0n,
  r8: 0n,
  r9: 0n,
  r10: 0n,
  r11: 0n,
  r12: 0n,
  r13: 0n,
  r14: 0n,
  r15: 0n,
  gsBase: 0n,
};

function machine(code: number[]): { em: X86Emulator; entry: bigint; ret: bigint; rsp: bigint } {
  const em = new X86Emulator();
  em.map('code', 0x10000n, 0x1000, 'rx');
  em.map('stack', 0x20000n, 0x1000, 'rw');
  em.memory.write(0x10000n, Uint8Array.from(code));
  const ret = 0x10800n;
  const rsp = 0x20800n;
  em.memory.writeU64(rsp, ret);
  return { em, entry: 0x10000n, ret, rsp };
}

describe('X86Emulator', () => {
  it('runs a function to its return and hands back RAX', () => {
    const { em, entry, ret, rsp } = machine([0x48, 0x8d, 0x04, 0x11, 0xc3]); // lea rax, [rcx+rdx]; ret
    expect(em.call(entry, ret, { ...zero, rsp, rcx: 40n, rdx: 2n }, 100)).toEqual({
      status: 'returned',
      rax: 42n,
    });
    em.close();
  });

  it('reports a read of unmapped memory as a fault', () => {
    const { em, entry, ret, rsp } = machine([0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0, 0xc3]); // mov rax, [0]
    expect(em.call(entry, ret, { ...zero, rsp }, 100)).toMatchObject({
      status: 'fault',
      error: 'UC_ERR_READ_UNMAPPED',
    });
    em.close();
  });

  it('refuses to execute a non-executable region', () => {
    const { em, ret, rsp } = machine([]);
    em.memory.write(0x20000n, Uint8Array.of(0xc3));
    expect(em.call(0x20000n, ret, { ...zero, rsp }, 100)).toMatchObject({
      status: 'fault',
      error: 'UC_ERR_FETCH_PROT',
    });
    em.close();
  });

  it('stops a runaway loop at the instruction budget', () => {
    const { em, entry, ret, rsp } = machine([0xeb, 0xfe]); // jmp $
    expect(em.call(entry, ret, { ...zero, rsp }, 10_000)).toEqual({
      status: 'runaway',
      rip: entry,
    });
    em.close();
  });
});

describe('WindowsGuest', () => {
  it("walks gs:[0x188] -> KTHREAD+0xb8 -> EPROCESS to the build's ImageFileName and pid (seed; spec §11)", () => {
    for (const osBuild of [18363, 19041]) {
      const g = WindowsGuest.create({ seed: 9, cores: 2, osBuild });
      const core = g.cores[1]!;
      const notepad = g.processes.find((p) => p.imageName === 'notepad.exe')!;
      g.setCurrentThread(core, notepad.threads[0]!);
      const m = g.memory;
      const thread = m.readU64(core.kpcr + 0x188n)!;
      const eprocess = m.readU64(thread + 0xb8n)!;
      expect(eprocess).toBe(notepad.eprocess);
      const nameAt = osBuild >= 19041 ? 0x5a8n : 0x450n;
      expect(m.readCString(eprocess + nameAt, 15)).toBe('notepad.exe');
      const pidAt = osBuild >= 19041 ? 0x440n : 0x2e8n;
      expect(m.readU64(eprocess + pidAt)).toBe(BigInt(notepad.pid));
      expect(m.readU16(core.kpcr + 0x1a4n)).toBe(1);
      expect(m.readU64(core.kpcr + 0x1a4n)).not.toBe(1n);
      g.emulator.close();
    }
  });

  it('keeps ImageFileName to 14 characters and a NUL', () => {
    const g = WindowsGuest.create({ seed: 9, cores: 1, osBuild: 18363 });
    const p = g.processes.find((x) => x.imageName === 'MicrosoftEdgeUpdate.exe')!;
    expect(g.memory.readCString(p.eprocess + 0x450n, 15)).toBe('MicrosoftEdgeU');
    g.emulator.close();
  });

  it('moves threads, processes and pools with the seed, not the kernel', () => {
    const a = WindowsGuest.create({ seed: 1, cores: 2, osBuild: 18363 });
    const b = WindowsGuest.create({ seed: 2, cores: 2, osBuild: 18363 });
    expect(a.processes[5]!.eprocess).not.toBe(b.processes[5]!.eprocess);
    expect(a.cores[0]!.kpcr).not.toBe(b.cores[0]!.kpcr);
    expect(a.processes.map((p) => p.pid)).not.toEqual(b.processes.map((p) => p.pid));
    expect(ntAddress('ExAllocatePoolWithTag')).toBe(0xfffff8004ed6f010n);
    expect(resolveNtSymbol('nt!exallocatepoolwithtag')).toBe(0xfffff8004ed6f010n);
    expect(a.memory.readU64(a.cores[0]!.kpcr + BigInt(STABLE_OFFSETS.kpcrSelf))).toBe(
      a.cores[0]!.kpcr,
    );
    a.emulator.close();
    b.emulator.close();
  });
});

describe('HyperDbg calling conventions (spec §8)', () => {
  it('passes RCX = buffer, RDX = GUEST_REGS, R8 = Context; writes registers back except RSP', () => {
    const g = WindowsGuest.create({ seed: 3, cores: 1, osBuild: 18363 });
    const runner = new HyperDbgActionRunner(g, 1000);
    // mov [rdx+40h], r8 (r8 := Context); mov qword [rdx+20h], 0 (try RSP); mov rax, rcx
    const code = g.allocateCode(
      Uint8Array.from([
        0x4c, 0x89, 0x42, 0x40, 0x48, 0xc7, 0x42, 0x20, 0, 0, 0, 0, 0x48, 0x89, 0xc8, 0xc3,
      ]),
    ) as bigint;
    const regs = new BigUint64Array(16);
    regs[4] = 0x7777n;
    const out = runner.runCustomCode({ core: g.cores[0]!, code, regs, context: 0x55n }, 0x1234n);
    expect(out).toEqual({ status: 'returned', rax: 0x1234n });
    expect(regs[8]).toBe(0x55n);
    expect(regs[4]).toBe(0x7777n);
    g.emulator.close();
  });
});

describe('the copying memory fallback (Electron refuses external buffers)', () => {
  it("runs the seed's ImageFileName action the same way without zero-copy views", () => {
    const g = WindowsGuest.create({ seed: 9, cores: 2, osBuild: 18363, copyMemory: true });
    expect(g.emulator.zeroCopy).toBe(false);
    const notepad = g.processes.find((p) => p.imageName === 'notepad.exe')!;
    const core = g.cores[0]!;
    g.setCurrentThread(core, notepad.threads[0]!);
    const runner = new HyperDbgActionRunner(g, 1000);
    const code = g.allocateCode(
      Uint8Array.from(Buffer.from('65488B042588010000488B80B8000000480550040000C3', 'hex')),
    ) as bigint;
    const out = runner.runCustomCode(
      { core, code, regs: new BigUint64Array(16), context: 0x55n },
      0n,
    );
    expect(out.status).toBe('returned');
    expect(out.status === 'returned' && g.memory.readCString(out.rax, 15)).toBe('notepad.exe');
    g.emulator.close();
  });
});
