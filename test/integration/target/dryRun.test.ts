// Dry runs through the real dry-run port (`sim --dry-run-server`, one child reused): each code
// built-in on sample events of a synthetic guest, with its memory accesses labelled, its record
// decoded, its register changes; a wrong offset showing blank names; a stock target's NX warning;
// a crashing or silent child reported instead of hanging; and the CLI's `--dry-run` text.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleAction } from '../../../electron/host/asm/asmService';
import { findBuiltinsDir, loadBuiltins } from '../../../electron/host/library/builtins';
import { loadKnownBuilds } from '../../../electron/host/target/knownBuildsFile';
import { SimulatorDryRun } from '../../../electron/host/target/simulatorDryRun';
import { TargetService } from '../../../electron/host/target/targetService';
import { AppError } from '../../../shared/contract/result';
import { UNKNOWN_WINDOWS_BUILD, type SessionState } from '../../../shared/contract/session';
import type { DryRunReport } from '../../../shared/contract/target';
import type { Action } from '../../../shared/model/action';
import { distDir, repoRoot, tempDir } from '../../helpers/paths';

/** Image names the guest holds (electron/sim/emulator/windowsGuest.ts), 14 characters kept. */
const GUEST_NAMES = [
  'notepad.exe',
  'explorer.exe',
  'svchost.exe',
  'MsMpEng.exe',
  'cmd.exe',
  'Registry',
  'smss.exe',
  'csrss.exe',
  'wininit.exe',
  'winlogon.exe',
  'services.exe',
  'lsass.exe',
  'dwm.exe',
  'SearchIndexer.',
  'MicrosoftEdgeU',
  'conhost.exe',
];

const NO_SESSION = {
  status: 'disconnected',
  windowsBuild: UNKNOWN_WINDOWS_BUILD,
  symbols: 'unknown',
  capability: null,
  generation: 0,
} as unknown as SessionState;

let actions: Action[];
let port: SimulatorDryRun;
let service: TargetService;
const byKey = (key: string): Action => {
  const a = actions.find((x) => x.builtin?.key === key);
  if (a === undefined) throw new Error(`no built-in ${key}`);
  return a;
};

beforeAll(async () => {
  const defs = await loadBuiltins(findBuiltinsDir() as string, (source, role, ctx) =>
    assembleAction(source, {
      role,
      eventKind: ctx.eventKind,
      bufferSize: ctx.bufferSize,
      target: 'auto',
    }),
  );
  actions = defs.map(
    (d) =>
      ({
        ...d.content,
        id: d.id ?? d.key,
        version: 1,
        createdAt: 0,
        updatedAt: 0,
        builtin: { key: d.key, revision: d.revision },
      }) as Action,
  );
  port = new SimulatorDryRun({ simulatorEntry: join(distDir, 'sim/index.mjs') });
  service = new TargetService({
    session: {
      state: () => NO_SESSION,
      command: () => Promise.reject(new Error('no session')),
      detectBuild: () => Promise.resolve(NO_SESSION),
    },
    library: {
      get: async (id) => {
        const a = actions.find((x) => x.id === id);
        if (a === undefined) throw new AppError('not-found', id);
        return a;
      },
    },
    table: loadKnownBuilds(),
    dryRun: port,
  });
});
afterAll(async () => service?.dispose());

const field = (r: DryRunReport, sample: number, name: string) =>
  r.samples[sample]?.record?.fields.find((f) => f.name === name);

describe('a dry run of each built-in', () => {
  it.each([18363, 19041, 26100])(
    'Current process ImageFileName on build %i: real names, each read labelled',
    async (build) => {
      const r = await service.dryRun({
        actionId: byKey('current-process-image-file-name').id,
        eventKind: '!syscall',
        build,
        samples: 4,
      });
      expect(r.build).toBe(build);
      expect(r.fields.find((f) => f.path === 'EPROCESS.ImageFileName')?.value).toBe(
        build < 19041 ? 0x450 : build < 26100 ? 0x5a8 : 0x338,
      );
      for (const [i, s] of r.samples.entries()) {
        expect(s.code?.outcome).toBe('returned');
        const name = field(r, i, 'ImageFileName');
        expect(GUEST_NAMES).toContain(name?.display);
        expect(name?.problem).toBeNull();
        // The sample says which process it ran in: the name decoded is that process's.
        expect(s.occurrence).toContain(`from ${name?.display}`);
        const regions = s.code?.accesses.map((a) => a.region) ?? [];
        expect(regions[0]).toMatch(/^KPCR of core \d \+ 0x188 \(Prcb\.CurrentThread\)$/);
        expect(regions[1]).toMatch(
          /^ETHREAD of tid 0x[0-9a-f]+ \(.+\) \+ 0xb8 \(ApcState\.Process\)$/,
        );
        expect(s.code?.accesses[1]?.meaning).toMatch(/KTHREAD\.ApcState\.Process/);
      }
      // The build was given: nothing to warn about on a target that runs code.
      expect(r.warnings).toEqual([]);
    },
  );

  it('Current process id and syscall number: the pid of the sampled process, the call number', async () => {
    const r = await service.dryRun({
      actionId: byKey('current-process-id-and-syscall').id,
      eventKind: '!syscall',
      build: 22621,
      samples: 3,
    });
    for (const [i, s] of r.samples.entries()) {
      const pid = /\(pid (0x[0-9a-f]+),/.exec(s.occurrence)?.[1];
      expect(field(r, i, 'ProcessId')?.display).toBe(pid);
      expect(field(r, i, 'Syscall')?.display).toBe(`0x${s.context}`);
      const writes = s.code?.accesses.filter((a) => a.kind === 'write').map((a) => a.region);
      expect(writes).toEqual(['the safe buffer + 0x0', 'the safe buffer + 0x8']);
      expect(
        s.code?.accesses.some((a) => /EPROCESS of .* \+ 0x440 \(UniqueProcessId\)/.test(a.region)),
      ).toBe(true);
    }
  });

  it("Caller's return address: the caller's next instruction in nt, read from the guest's stack", async () => {
    const r = await service.dryRun({
      actionId: byKey('caller-return-address').id,
      eventKind: '!epthook',
      args: ['nt!ExAllocatePoolWithTag'],
      samples: 3,
      build: 19045,
    });
    for (const [i, s] of r.samples.entries()) {
      const caller = /from (nt!\w+\+0x[0-9a-f]+)/.exec(s.occurrence)?.[1];
      expect(caller).toBeDefined();
      const read = s.code?.accesses.find((a) => a.offset === 4);
      expect(read?.region).toMatch(/^kernel stacks \+ 0x/);
      expect(field(r, i, 'ReturnAddress')?.display).toBe(`0x${read?.value?.padStart(16, '0')}`);
      expect(field(r, i, 'Hooked')?.display).toBe('0xfffff8004ed6f010');
    }
  });

  it('Pool tag and size: the tag as characters, the size and type from GUEST_REGS', async () => {
    const r = await service.dryRun({
      actionId: byKey('pool-tag-and-size').id,
      eventKind: '!epthook2',
      args: ['nt!ExAllocatePoolWithTag'],
      samples: 3,
      build: 19041,
    });
    expect(r.samples.map((_, i) => field(r, i, 'Tag')?.display)).toEqual(['HDBG', 'File', 'Irp ']);
    const reads = r.samples[0]?.code?.accesses
      .filter((a) => a.kind === 'read')
      .map((a) => a.region);
    expect(reads?.slice(0, 3)).toEqual([
      'GUEST_REGS + 0x40 (Regs->r8)',
      'GUEST_REGS + 0x8 (Regs->rcx)',
      'GUEST_REGS + 0x10 (Regs->rdx)',
    ]);
  });

  it("Rewrite pool tag HDBG to HDB2: the guest's r8 changes where the tag was HDBG", async () => {
    const r = await service.dryRun({
      actionId: byKey('pool-tag-hdbg-to-hdb2').id,
      eventKind: '!epthook2',
      args: ['nt!ExAllocatePoolWithTag'],
      samples: 2,
      build: 18363,
    });
    expect(r.samples[0]?.regsChanged).toEqual([
      {
        reg: 'r8',
        before: '47424448',
        after: '32424448',
        note: "the guest's r8 becomes 0x32424448 when it resumes",
      },
    ]);
    expect(r.samples[1]?.regsChanged).toEqual([]);
    expect(r.samples[0]?.recordNote).toMatch(/no buffer requested/);
    expect(r.summary).toContainEqual(expect.stringMatching(/changes the guest's r8/));
  });

  it('Per-core event counter: each core counts in its own slot', async () => {
    const r = await service.dryRun({
      actionId: byKey('per-core-event-counter').id,
      eventKind: '!cpuid',
      samples: 4,
      build: 19041,
    });
    // Samples alternate between the guest's two cores; the buffer persists between them.
    expect(r.samples.map((s) => s.code?.accesses.find((a) => a.kind === 'write')?.region)).toEqual([
      'the safe buffer + 0x0',
      'the safe buffer + 0x8',
      'the safe buffer + 0x0',
      'the safe buffer + 0x8',
    ]);
    expect(field(r, 3, 'core0')?.display).toBe('0x2');
    expect(field(r, 3, 'core1')?.display).toBe('0x2');
  });

  it('Break to the debugger has no code to run', async () => {
    await expect(
      service.dryRun({ actionId: byKey('break-to-debugger').id, eventKind: '!syscall' }),
    ).rejects.toThrow(/only custom code runs in a dry run/);
  });
});

describe('what a dry run warns about', () => {
  it("a deliberately wrong offset: the seed's +0x450 on a 2004 guest reads no name, and says why", async () => {
    const r = await service.dryRun({
      draft: {
        name: 'seed, 1909 offsets',
        code: 'mov rax, qword ptr gs:[0x188]\nmov rax, qword ptr [rax+0xb8]\nadd rax, 0x450\nret',
        bufferSize: 0x18,
        bufferSchema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
      },
      eventKind: '!syscall',
      build: 19041,
    });
    // 2004 keeps ActiveProcessLinks' pointer bytes at +0x448..+0x457: garbage, not a name.
    for (const [i] of r.samples.entries())
      expect(['blank', 'invalid']).toContain(field(r, i, 'ImageFileName')?.problem);
    expect(r.summary).toContainEqual(
      expect.stringMatching(
        /ImageFileName: .*4 of 4 blank, zero or invalid: offsets for another Windows build\?/,
      ),
    );
  });

  it('a stock target: the NX warning', async () => {
    const r = await service.dryRun({
      actionId: byKey('current-process-image-file-name').id,
      eventKind: '!syscall',
      build: 18363,
      samples: 1,
      target: 'stock',
    });
    expect(r.warnings.join('\n')).toMatch(
      /allocates custom and condition code in non-executable pool, so on it this code would probably fault/,
    );
  });

  it('a fault: where, and that a real system would bug-check', async () => {
    const r = await service.dryRun({
      draft: { code: 'mov rax, qword ptr [0x10]\nret', bufferSize: 0 },
      eventKind: '!syscall',
      build: 19041,
      samples: 1,
    });
    expect(r.samples[0]?.code).toMatchObject({ outcome: 'fault', error: 'UC_ERR_READ_UNMAPPED' });
    expect(r.samples[0]?.code?.accesses[0]).toMatchObject({
      kind: 'fault',
      address: '10',
      region: 'unmapped',
    });
    expect(r.summary[0]).toMatch(
      /did not return \(UC_ERR_READ_UNMAPPED\): on a real system that is a bug check/,
    );
  });
});

describe('the dry-run port', () => {
  it('reports a child that crashes, and starts a new one for the next job', async () => {
    const dir = tempDir();
    const entry = join(dir, 'crashing.mjs');
    const counter = join(dir, 'starts');
    // First start: ready, then dies on the first request. Later starts: the real server.
    writeFileSync(
      entry,
      `import { appendFileSync, readFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(counter)}, 'x');
if (readFileSync(${JSON.stringify(counter)}, 'utf8').length === 1) {
  process.stdout.write(JSON.stringify({ ready: true, version: 1 }) + '\\n');
  process.stdin.once('data', () => { process.stderr.write('boom: simulated crash\\n'); process.exit(3); });
} else await import(${JSON.stringify(join(distDir, 'sim/index.mjs'))});
`,
    );
    const p = new SimulatorDryRun({ simulatorEntry: entry });
    const job = {
      build: 19041,
      seed: 1,
      eventKind: '!syscall' as const,
      args: [],
      samples: 1,
      code: '90',
      condition: null,
      bufferSize: 0,
      maxInstructions: 1000,
    };
    await expect(p.run(job)).rejects.toThrow(
      /the dry-run simulator ended \(exit code 3\): boom: simulated crash/,
    );
    // The wrapper can only restart the real server by import with the flag: it reads argv.
    const again = await p.run(job);
    expect(again.samples[0]?.code?.outcome).toBe('returned');
    await p.dispose();
  });

  it('gives up on a child that never answers, within the job timeout', async () => {
    const dir = tempDir();
    const entry = join(dir, 'silent.mjs');
    writeFileSync(
      entry,
      `process.stdout.write(JSON.stringify({ ready: true, version: 1 }) + '\\n');\nprocess.stdin.resume();\n`,
    );
    const p = new SimulatorDryRun({ simulatorEntry: entry, jobMs: 400 });
    const started = Date.now();
    await expect(
      p.run({
        build: 19041,
        seed: 1,
        eventKind: '!syscall',
        args: [],
        samples: 1,
        code: '90',
        condition: null,
        bufferSize: 0,
        maxInstructions: 1000,
      }),
    ).rejects.toThrow(/no answer within 400 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await p.dispose();
  });

  it('ignores lines that are not responses instead of trusting them', async () => {
    const dir = tempDir();
    const entry = join(dir, 'noisy.mjs');
    writeFileSync(
      entry,
      `process.stdout.write('not json\\n' + JSON.stringify({ id: 1, ok: true, result: { forged: 1 } }) + '\\n');
await import(${JSON.stringify(join(distDir, 'sim/index.mjs'))});
`,
    );
    const p = new SimulatorDryRun({ simulatorEntry: entry });
    const r = await p.run({
      build: 18363,
      seed: 2,
      eventKind: '!syscall',
      args: [],
      samples: 1,
      code: '4831C0',
      condition: null,
      bufferSize: 0,
      maxInstructions: 1000,
    });
    expect(r.samples[0]?.code?.rax).toBe('0');
    await p.dispose();
  });
});

describe('the CLI', () => {
  it('asm --dry-run prints the report as text', () => {
    const r = spawnSync(
      process.execPath,
      [
        join(distDir, 'cli/index.mjs'),
        'asm',
        '--event',
        'syscall',
        '--buffer',
        '18',
        '--build',
        '26100',
        '--dry-run',
        '--samples',
        '2',
        '--schema',
        'ImageFileName: cstr[15] @ 0',
        'mov rax, qword ptr gs:[KPCR.Prcb.CurrentThread]\nmov rax, qword ptr [rax+KTHREAD.ApcState.Process]\nadd rax, EPROCESS.ImageFileName\nret',
      ],
      { encoding: 'utf8', cwd: repoRoot },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^dry run of 'the source given' on !syscall: Windows build 26100/);
    expect(r.stdout).toContain(
      'line 3: EPROCESS.ImageFileName = 0x338 (table: Windows 11 24H2 (build 26100)',
    );
    expect(r.stdout).toMatch(/sample 1: syscall 0x55 \(NtCreateFile\) from notepad\.exe/);
    expect(r.stdout).toMatch(/\n {4}ImageFileName = notepad\.exe\n/);
    expect(r.stdout).toMatch(/summary:\n {2}2 sample events: every run returned/);
  });

  it('disasm --dry-run runs the bytes it is given', () => {
    const r = spawnSync(
      process.execPath,
      [
        join(distDir, 'cli/index.mjs'),
        'disasm',
        '--event',
        'syscall',
        '--buffer',
        '18',
        '--build',
        '19041',
        '--dry-run',
        '--samples',
        '1',
        '--target',
        'stock',
        '65488B042588010000488B80B8000000480550040000',
      ],
      { encoding: 'utf8', cwd: repoRoot },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/warning: this target is a stock HyperDbg v0\.18-v0\.23/);
    expect(r.stdout).toMatch(
      /ETHREAD of tid 0x[0-9a-f]+ \(notepad\.exe\) \+ 0xb8 \(ApcState\.Process\)/,
    );
    // The bytes are the seed's 1909 ones: on a 2004 guest they read past the name.
    expect(r.stdout).toMatch(
      /EPROCESS \+ 0x450 \(EPROCESS\.ImageFileName on builds 17763-18363, not on the target\)/,
    );
  });
});
