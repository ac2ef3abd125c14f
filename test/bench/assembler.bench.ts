// Assemble + verify + annotate + lint a 50-instruction action (what the editor does on every
// keystroke), against Keystone's bare assemble of the same source in the same run. Goal: p95
// under 5 ms, judged on the median of several rounds' p95 (a p95 of milliseconds moves with
// whatever else the machine runs); the p50 row only informs.
import { assembleWith } from '../../electron/host/asm/asmService';
import { loadEngines } from '../../electron/host/asm/engines';
import { medianOfRuns, percentile, sortedCopy, type BenchResult } from './harness';

/** Timed runs of each side per round: 200 samples put the p95 ten samples from the top. */
const RUNS_PER_ROUND = 200;
/** Rounds whose p95 the goal takes the median of: one noisy round cannot pass or fail it. */
const ROUNDS = 5;
/** Untimed runs first, so both sides are measured JIT-warm. */
const WARMUP = 60;
const GOAL_P95_MS = 5;

/** 50 instructions of the kinds actions use: GUEST_REGS, gs:, the buffer, labels, branches. */
const SOURCE = `; Per-core syscall statistics: a realistic, commented 50-instruction action.
    movzx eax, word ptr gs:[0x1a4]      ; KPRCB.Number
    cmp eax, 4
    jae Done
    mov r10, rcx                         ; the safe buffer
    shl eax, 5                           ; 32 bytes per core
    add r10, rax
    inc qword ptr [r10]                  ; calls on this core
    mov r11, qword ptr [rdx+0x40]        ; Regs->r8
    mov qword ptr [r10+8], r11
    mov r11, qword ptr [rdx+0x48]        ; Regs->r9
    mov qword ptr [r10+0x10], r11
    cmp r8, 0x55                         ; the syscall number
    jne NotCreateFile
    mov rax, qword ptr gs:[0x188]        ; current thread
    mov rax, qword ptr [rax+0xb8]        ; current process
    mov r11, qword ptr [rax+0x450]
    mov qword ptr [r10+0x18], r11
NotCreateFile:
    mov rax, qword ptr [rdx]
    test rax, rax
    js Negative
    add qword ptr [r10+0x18], 1
    jmp Join
Negative:
    sub qword ptr [r10+0x18], 1
Join:
    mov rax, qword ptr [rdx+0x10]
    xor rax, qword ptr [rdx+0x18]
    and rax, 0xfff
    or rax, 0x1000
    mov qword ptr [r10+0x18], rax
    lea r11, [rdx+0x78]
    mov rax, qword ptr [r11]
    cmp rax, 0x47424448
    je Tag
    mov rax, qword ptr [rdx+0x30]
    mov r9, qword ptr [rdx+0x38]
    cmp rax, r9
    cmovb rax, r9
    mov qword ptr [r10+0x18], rax
    jmp Done
Tag:
    mov qword ptr [rdx+0x78], 0x32424448
    push rbx
    mov rbx, qword ptr [rdx+0x18]
    imul rbx, rbx, 3
    mov qword ptr [r10+0x18], rbx
    pop rbx
    nop
    nop
    nop
    nop
Done:
    mov rax, rcx                         ; return the buffer
    ret
`;

/** What Keystone could take raw: the same lines without the `;` comments it would misread. */
const RAW = SOURCE.split('\n')
  .map((l) => l.replace(/;.*$/, '').trimEnd())
  .filter((l) => l.trim() !== '')
  .join('\n');

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

export default async function bench(): Promise<BenchResult[]> {
  const engines = await loadEngines();
  const ctx = { role: 'code', eventKind: '!syscall', bufferSize: 0x80, target: 'sim' } as const;
  const first = assembleWith(engines, SOURCE, ctx);
  const instructions = first.listing.filter((l) => !l.appended).length;
  if (!first.ok || instructions !== 50)
    throw new Error(`bench source: ok=${first.ok}, ${instructions} instructions`);

  for (let i = 0; i < WARMUP; i++) {
    assembleWith(engines, SOURCE, ctx);
    engines.keystone.asm(RAW);
  }
  const full: number[][] = [];
  const bare: number[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const f: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < RUNS_PER_ROUND; i++) {
      // Interleaved, so both see the same machine state.
      let t0 = process.hrtime.bigint();
      engines.keystone.asm(RAW);
      b.push(ms(t0));
      t0 = process.hrtime.bigint();
      assembleWith(engines, SOURCE, ctx);
      f.push(ms(t0));
    }
    full.push(sortedCopy(f));
    bare.push(sortedCopy(b));
  }
  const results: BenchResult[] = [];
  for (const p of [50, 95] as const) {
    const measured = medianOfRuns(full.map((f) => percentile(f, p)));
    const baseline = medianOfRuns(bare.map((b) => percentile(b, p)));
    results.push({
      name: `assembler: 50-instruction action, p${p}`,
      baseline: { label: `Keystone bare asm p${p}`, value: baseline.value, unit: 'ms' },
      measured: { label: `assemble+verify+annotate+lint p${p}`, value: measured.value, unit: 'ms' },
      ratio: measured.value / baseline.value,
      ratioMeaning: 'times the bare Keystone call, lower is better',
      goal:
        p === 95
          ? { text: `p95 under ${GOAL_P95_MS} ms`, met: measured.value < GOAL_P95_MS }
          : null,
      spread: measured.spread,
      extra: {
        rounds: ROUNDS,
        'runs per round': RUNS_PER_ROUND,
        bytes: first.length,
        instructions,
        'p99 ms (all runs)': Number(percentile(sortedCopy(full.flat()), 99).toFixed(3)),
      },
    });
  }
  return results;
}
