// Custom code, conditions and scripts really executed by the simulator (Unicorn via koffi), driven
// through a real pty: the seed document's two actions, actions that are not in the seed, the
// calling conventions of spec §8, buffer-records.md §4, faults, --stock, pacing and determinism.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WindowsGuest } from '../../../electron/sim/emulator/windowsGuest';
import { tempDir } from '../../helpers/paths';
import { cstr, parseRecords, startSim, type SimPty } from '../../helpers/simPty';

const P = 'HyperDbg> ';
/** The seed's first example: HDBG in r8 becomes HDB2 (the seed, buffer-records.md §6). */
const SEED_TAG_CODE = '488B5A404881FB484442477402EB0848C7424048444232C3';
/** The seed's second example: returns &EPROCESS.ImageFileName (+0x450). */
const SEED_NAME_CODE = '65488B042588010000488B80B8000000480550040000C3';
const HDBG = 0x47424448n;
const HDB2 = 0x32424448n;

async function vmi(args: string[]): Promise<SimPty> {
  const sim = await startSim(['--pacing', 'fast', ...args]);
  await sim.run('.connect local');
  await sim.run('load vmm');
  return sim;
}

/** Waits until at least `n` lines after `from` match `re`; returns their captures. */
async function collect(
  sim: SimPty,
  re: RegExp,
  n: number,
  from: number,
  timeoutMs = 20_000,
): Promise<RegExpMatchArray[]> {
  const g = new RegExp(re.source, 'gm');
  const count = () => [...sim.since(from).matchAll(g)].length;
  await sim.waitFor({ test: () => count() >= n } as unknown as RegExp, from, timeoutMs);
  return [...sim.since(from).matchAll(g)];
}

function guestFor(seed: number, osBuild = 18363): WindowsGuest {
  return WindowsGuest.create({ seed, cores: 4, osBuild });
}

describe("the seed document's actions", () => {
  it('the first example rewrites HDBG to HDB2 in r8, and an older script on the same hook sees HDB2 (seed; spec §5.3, §8)', async () => {
    const sim = await vmi(['--seed', '11', '--rate', '40000']);
    await sim.run('!epthook2 fffff800`4ed6f010 script { printf("TAG %llx\\n", @r8); }');
    let m = sim.mark();
    // Before the code event exists, HDBG allocations are seen as they are.
    await sim.waitFor(`TAG ${HDBG.toString(16)}\n`, m, 30_000);
    // TAG lines keep coming around the prompt; the command itself prints only the blank line.
    expect(
      await sim.runAmid(`!epthook2 fffff800\`4ed6f010 code {${SEED_TAG_CODE}}`, /TAG [0-9a-f]+/),
    ).toBe(`\n${P}`);
    m = sim.mark();
    const tags = await collect(sim, /^TAG ([0-9a-f]+)$/, 2000, m, 30_000);
    const values = tags.map((t) => BigInt(`0x${t[1] as string}`));
    expect(values).toContain(HDB2);
    expect(values).not.toContain(HDBG);
    sim.kill();
  }, 60_000);

  it("the second example returns ImageFileName: HDBG1 records whose bytes are running processes' names (seed; buffer-records §2, §4)", async () => {
    const seed = 12;
    const names = new Set(guestFor(seed).processes.map((p) => p.imageFileName));
    const sim = await vmi(['--seed', String(seed), '--rate', '5000']);
    const m = sim.mark();
    expect(await sim.runAmid(`!syscall code {${SEED_NAME_CODE}} buffer 18`, /HDBG1 .*/)).toBe(
      `\n${P}`,
    );
    await collect(sim, /^HDBG1 /, 200, m);
    const records = parseRecords(sim.since(m));
    expect(records.length).toBeGreaterThanOrEqual(200);
    const seen = new Set<string>();
    for (const r of records) {
      expect(r.eventId).toBe(0);
      expect(r.length).toBe(0x18);
      expect(r.core).toBeLessThan(4);
      const name = cstr(r.bytes, 15);
      expect(names.has(name)).toBe(true);
      seen.add(name);
      // PriorityClass follows the 15-byte name (EPROCESS layout): realistic, non-zero bytes.
      expect(r.bytes[15]).toBe(2);
    }
    expect(seen.size).toBeGreaterThan(3);
    sim.kill();
  }, 60_000);
});

describe('actions beyond the seed', () => {
  it('returns the current process id from its EPROCESS, matching $pid of the same trigger (spec §8, §5.1)', async () => {
    const seed = 13;
    const pids = new Set(guestFor(seed).processes.map((p) => p.pid));
    const sim = await vmi(['--seed', String(seed), '--rate', '5000']);
    // mov rax, gs:[188h]; mov rax, [rax+0B8h]; add rax, 2E8h (UniqueProcessId, 1909); ret
    const code = '65488B042588010000488B80B80000004805E8020000C3';
    expect(
      await sim.run(`!syscall code {${code}} buffer 8 script { printf("PID %x\\n", $pid); }`),
    ).toBe(`\n${P}`);
    const m = sim.mark();
    await collect(sim, /^HDBG1 /, 100, m);
    const lines = sim.since(m).split('\n');
    let checked = 0;
    for (let i = 1; i < lines.length; i++) {
      const rec = parseRecords(`${lines[i] as string}\n`)[0];
      if (rec === undefined) continue;
      const pid = Number(new DataView(rec.bytes.buffer).getBigUint64(0, true));
      // The script runs before the code in the same trigger (spec §5.3), so its line comes first.
      expect(lines[i - 1]).toBe(`PID ${pid.toString(16)}`);
      expect(pids.has(pid)).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(100);
    sim.kill();
  }, 60_000);

  it("uses the build's offsets: with --os-build 19041 ImageFileName is at +0x5a8, not +0x450 (spec §11.4)", async () => {
    const seed = 14;
    const names = new Set(guestFor(seed, 19041).processes.map((p) => p.imageFileName));
    const sim = await vmi(['--seed', String(seed), '--rate', '5000', '--os-build', '19041']);
    await sim.run(`!syscall code {${SEED_NAME_CODE}} buffer 10`);
    await sim.run(
      `!syscall code {${SEED_NAME_CODE.replace('480550040000', '4805A8050000')}} buffer 10`,
    );
    const m = sim.mark();
    await collect(sim, /^HDBG1 /, 200, m);
    const records = parseRecords(sim.since(m));
    const old = records.filter((r) => r.eventId === 0).map((r) => cstr(r.bytes, 15));
    const right = records.filter((r) => r.eventId === 1).map((r) => cstr(r.bytes, 15));
    expect(right.length).toBeGreaterThan(50);
    expect(right.every((n) => names.has(n))).toBe(true);
    expect(old.some((n) => names.has(n))).toBe(false);
    sim.kill();
  }, 60_000);

  it('reads the processor number at gs:[0x1a4]: 16 bits are the core, 8 bytes are not (spec §11.3)', async () => {
    const sim = await vmi(['--seed', '15', '--rate', '5000']);
    // mov rax, gs:[1A4h]; mov [rcx], rax; mov rax, rcx
    await sim.run('!syscall code {65488B0425A4010000488901' + '4889C8} buffer 8');
    const m = sim.mark();
    await collect(sim, /^HDBG1 /, 50, m);
    for (const r of parseRecords(sim.since(m))) {
      const v = new DataView(r.bytes.buffer).getBigUint64(0, true);
      expect(Number(v & 0xffffn)).toBe(r.core);
      expect(v).not.toBe(BigInt(r.core));
    }
    sim.kill();
  }, 60_000);

  it('passes one safe buffer, zeroed once, shared by all cores and never cleared (buffer-records §4; spec §5.2)', async () => {
    const sim = await vmi(['--seed', '16', '--rate', '5000']);
    // inc qword [rcx]; mov rax, rcx. Marked before the command: under load the first records can
    // arrive in the same read as its prompt.
    const m = sim.mark();
    await sim.run('!syscall code {48FF014889C8} buffer 8');
    await collect(sim, /^HDBG1 /, 100, m);
    const values = parseRecords(sim.since(m)).map((r) =>
      new DataView(r.bytes.buffer).getBigUint64(0, true),
    );
    values.forEach((v, i) => expect(v).toBe(BigInt(i + 1)));
    expect(new Set(parseRecords(sim.since(m)).map((r) => r.core)).size).toBeGreaterThan(1);
    sim.kill();
  }, 60_000);

  it("enters custom code with RSP 16-byte aligned and R9 = the code's own address (spec §8)", async () => {
    const sim = await vmi(['--seed', '17', '--rate', '5000']);
    // mov rax, rsp; and rax, 0Fh; mov [rcx], rax; mov [rcx+8], r9; mov rax, rcx
    await sim.run('!syscall code {4889E04883E00F4889014C8949084889C8} buffer 10');
    const m = sim.mark();
    await collect(sim, /^HDBG1 /, 50, m);
    const records = parseRecords(sim.since(m));
    const r9s = new Set<bigint>();
    for (const r of records) {
      const v = new DataView(r.bytes.buffer);
      expect(v.getBigUint64(0, true)).toBe(0n);
      r9s.add(v.getBigUint64(8, true));
    }
    expect(r9s.size).toBe(1);
    expect([...r9s][0] as bigint).toBeGreaterThanOrEqual(0xffff800000000000n);
    sim.kill();
  }, 60_000);

  it("gives !epthook2 the hooked function's virtual address as Context (spec §11.2, §3.8)", async () => {
    const sim = await vmi(['--seed', '18', '--rate', '20000']);
    await sim.run('!epthook2 nt!ExAllocatePoolWithTag script { printf("CTX %llx\\n", $context); }');
    const m = sim.mark();
    const ctx = await collect(sim, /^CTX ([0-9a-f]+)$/, 20, m);
    for (const c of ctx) expect(c[1]).toBe('fffff8004ed6f010');
    sim.kill();
  }, 60_000);

  it('prints no record when RAX points at unmapped memory (seed; buffer-records §4)', async () => {
    const sim = await vmi(['--seed', '19', '--rate', '5000']);
    // mov rax, 0DEAD000000000000h
    await sim.run('!syscall code {48B8000000000000ADDE} buffer 8 script { printf("TRIGGER\\n"); }');
    const m = sim.mark();
    await collect(sim, /^TRIGGER$/, 100, m);
    expect(sim.since(m)).not.toContain('HDBG1');
    sim.kill();
  }, 60_000);
});

describe('condition code (spec §8)', () => {
  it('skips the actions when RAX is 0; RCX is GUEST_REGS and RDX the Context', async () => {
    const sim = await vmi(['--seed', '20', '--rate', '10000']);
    // xor rax, rax
    await sim.run('!syscall condition {4831C0} script { printf("NEVER\\n"); }');
    // mov rax, [rcx] (GUEST_REGS.rax: the syscall number); cmp rax, 55h; sete al; movzx eax, al
    await sim.run(
      '!syscall condition {488B014883F8550F94C00FB6C0} script { printf("RCX %x\\n", $context); }',
    );
    // cmp rdx, 55h; sete al; movzx eax, al
    await sim.run(
      '!syscall condition {4883FA550F94C00FB6C0} script { printf("RDX %x\\n", $context); }',
    );
    await sim.run('!syscall script { printf("ALWAYS\\n"); }');
    const m = sim.mark();
    await collect(sim, /^ALWAYS$/, 1500, m);
    const out = sim.since(m);
    expect(out).not.toContain('NEVER');
    const rcx = [...out.matchAll(/^RCX ([0-9a-f]+)$/gm)].map((x) => x[1]);
    const rdx = [...out.matchAll(/^RDX ([0-9a-f]+)$/gm)].map((x) => x[1]);
    expect(rcx.length).toBeGreaterThan(0);
    expect(rdx.length).toBeGreaterThan(0);
    expect(new Set([...rcx, ...rdx])).toEqual(new Set(['55']));
    sim.kill();
  }, 60_000);
});

const KERNEL_LINE =
  /^\(\d\d:\d\d:\d\d\.\d{3} - core : \d+ - vmx-root\? (yes|no)\)\t \[(?:\+\] Information|-\] Warning|!\] Error) \(([A-Za-z]+):\d+\) \| /m;

describe('faults never end the simulator (spec §2.10 line format)', () => {
  it('reports a faulting action with a kernel-style error line and keeps running', async () => {
    const sim = await vmi(['--seed', '21', '--rate', '2000']);
    // mov rax, [0]
    await sim.run('!syscall code {488B042500000000}');
    const m = sim.mark();
    await sim.waitFor(KERNEL_LINE, m);
    const line = sim
      .since(m)
      .split('\n')
      .find((l) => KERNEL_LINE.test(l)) as string;
    expect(line).toMatch(
      /\[!\] Error \(DebuggerPerformRunTheCustomCode:\d+\) \| .*UC_ERR_READ_UNMAPPED/,
    );
    expect(await sim.run('__alive')).toMatch(
      /err, couldn't resolve command at '__alive'\n\nHyperDbg> $/,
    );
    sim.kill();
  }, 60_000);

  it('stops a runaway loop at the instruction budget and keeps running', async () => {
    const sim = await vmi(['--seed', '22', '--rate', '500', '--max-instructions', '50000']);
    // jmp $
    await sim.run('!cpuid code {EBFE}');
    const m = sim.mark();
    const out = await sim.waitFor(/did not return within 50000 instructions/, m);
    expect(out).toMatch(KERNEL_LINE);
    expect(await sim.run('__alive')).toMatch(
      /err, couldn't resolve command at '__alive'\n\nHyperDbg> $/,
    );
    sim.kill();
  }, 60_000);

  it('aborts a script reading unmapped memory with the kernel\'s "Err, ScriptEngineExecute" line (spec §2.10, §5.1)', async () => {
    const sim = await vmi(['--seed', '23', '--rate', '2000']);
    await sim.run('!syscall script { printf("%llx\\n", dq(0)); }');
    const m = sim.mark();
    const out = await sim.waitFor(/Err, ScriptEngineExecute, function = \S+\n \n/, m);
    expect(out).toMatch(
      /^\(\d\d:\d\d:\d\d\.\d{3} - core : \d+ - vmx-root\? yes\)\t \[\+\] Information \(DebuggerPerformRunScript:\d+\) \| Err, ScriptEngineExecute, function = \S+\n \n/m,
    );
    sim.kill();
  }, 60_000);
});

describe('--stock plays a stock v0.23 build (buffer-records §1)', () => {
  // Custom code on a stock build bug-checks the machine (docs/hyperdbg-v0.23.md §5.6; see
  // stockNx.test.ts), so records there come only from script log actions.
  it('a script log action prints HDBG1 lines with the names of running processes', async () => {
    const seed = 24;
    const names = new Set(guestFor(seed).processes.map((p) => p.imageFileName));
    const sim = await vmi(['--seed', String(seed), '--rate', '5000', '--stock']);
    await sim.run(
      '!syscall script { printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $core, $context, f, dq($pname), dq($pname+8)); }',
    );
    const m = sim.mark();
    await collect(sim, /^HDBG1 /, 100, m);
    const records = parseRecords(sim.since(m));
    expect(records.every((r) => r.eventId === 0)).toBe(true);
    for (const r of records) expect(names.has(cstr(r.bytes, 15))).toBe(true);
    sim.kill();
  }, 60_000);
});

describe('determinism (--seed)', () => {
  async function firstRecords(seed: number): Promise<string[]> {
    const sim = await vmi(['--seed', String(seed), '--rate', '3000']);
    await sim.run(
      `!syscall code {${SEED_NAME_CODE}} buffer 18 script { printf("PID %x TID %x\\n", $pid, $tid); }`,
    );
    const m = sim.mark();
    await collect(sim, /^HDBG1 /, 60, m);
    sim.kill();
    return sim
      .since(m)
      .split('\n')
      .filter((l) => l.startsWith('HDBG1') || l.startsWith('PID'))
      .slice(0, 120);
  }

  it('gives the same event stream for the same seed, and another for another seed', async () => {
    const a = await firstRecords(42);
    const b = await firstRecords(42);
    const c = await firstRecords(43);
    expect(a.length).toBe(120);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  }, 90_000);
});

describe('pacing and --stats-file (spec §6.1)', () => {
  it('realistic pacing delivers about one packet per 30 ms and counts ring overwrites', async () => {
    const stats = join(tempDir('hds-sim-'), 'stats.json');
    const sim = await startSim([
      '--seed',
      '30',
      '--pacing',
      'realistic',
      '--rate',
      '50000',
      '--stats-file',
      stats,
    ]);
    await sim.run('.connect local');
    await sim.run('load vmm');
    await sim.run('!syscall script { printf("R %x\\n", $context); }');
    const m = sim.mark();
    await new Promise((r) => setTimeout(r, 1500));
    const lines = [...sim.since(m).matchAll(/^R [0-9a-f]+$/gm)].length;
    // 1.5 s at one packet per 30 ms: about 50; timer slack allowed, a flood (thousands) is not.
    expect(lines).toBeGreaterThan(25);
    expect(lines).toBeLessThan(60);
    sim.send('exit');
    expect(await sim.exited(20_000)).toBe(0);
    const s = JSON.parse(readFileSync(stats, 'utf8')) as {
      events: Record<string, Record<string, number>>;
    };
    const e = s.events['0'] as Record<string, number>;
    expect(e.dropped).toBeGreaterThan(0);
    expect(
      (e.emitted as number) +
        (e.dropped as number) +
        (e.discarded as number) +
        (e.pending as number),
    ).toBe(e.messages);
  }, 60_000);

  it('fast pacing loses nothing: every record is emitted and the stats file says so', async () => {
    const stats = join(tempDir('hds-sim-'), 'stats.json');
    const sim = await vmi(['--seed', '31', '--rate', '20000', '--stats-file', stats]);
    await sim.run(`!syscall code {${SEED_NAME_CODE}} buffer 18`);
    const m = sim.mark();
    await collect(sim, /^HDBG1 /, 500, m);
    sim.send('pause');
    await sim.waitFor('pausing...\n', m);
    sim.send('exit');
    expect(await sim.exited(20_000)).toBe(0);
    const received = parseRecords(sim.since(m)).length;
    const s = JSON.parse(readFileSync(stats, 'utf8')) as {
      events: Record<string, Record<string, number>>;
    };
    const e = s.events['0'] as Record<string, number>;
    expect(e.records).toBe(e.triggers);
    expect(e.dropped).toBe(0);
    expect(e.emitted).toBe(received);
    expect((e.emitted as number) + (e.discarded as number)).toBe(e.records);
  }, 60_000);
});

describe('Debugger Mode actions (spec §3.5, §6.2, §11.1)', () => {
  it('drops a requested buffer silently until prealloc reserves safe buffers; records then arrive over the link', async () => {
    const seed = 32;
    const names = new Set(guestFor(seed).processes.map((p) => p.imageFileName));
    const sim = await startSim(['--seed', String(seed), '--pacing', 'fast', '--rate', '5000']);
    let m = sim.mark();
    sim.send('.debug remote namedpipe \\\\.\\pipe\\HyperDbgPipe');
    await sim.waitFor('debuggee is running...\n', m);
    m = sim.mark();
    sim.write('\x03');
    await sim.waitFor(/0: kHyperDbg> $/, m);
    // Without a reserved safe buffer the kernel refuses the action, and the CLI says nothing.
    expect(await sim.run(`!syscall code {${SEED_NAME_CODE}} buffer 18`)).toBe('\n0: kHyperDbg> ');
    expect(await sim.run('prealloc regular-safe-buffer 2')).toBe(
      'the requested pools are allocated and reserved\n\n0: kHyperDbg> ',
    );
    expect(await sim.run(`!syscall code {${SEED_NAME_CODE}} buffer 18`)).toBe('\n0: kHyperDbg> ');
    m = sim.mark();
    sim.send('g');
    await collect(sim, /^HDBG1 /, 100, m);
    const records = parseRecords(sim.since(m));
    expect(records.every((r) => r.eventId === 1)).toBe(true);
    for (const r of records) expect(names.has(cstr(r.bytes, 15))).toBe(true);
    m = sim.mark();
    sim.write('\x03');
    await sim.waitFor(/kHyperDbg> $/, m);
    sim.kill();
  }, 60_000);
});
