// The script language through the real simulator on a pty: globals that live in the kernel's
// g_ScriptGlobalVariables (shared by every event and core, kept across triggers, zeroed when the
// driver loads), the per-core stack buffer, and the run limits DebuggerPerformRunScript reports
// (Debugger.c:1758-1769, LogInfo adds "\n" to each message).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type SimPty } from '../../helpers/simPty';

const LIMITS_LINK =
  '(more information: https://docs.hyperdbg.org/tips-and-tricks/misc/customize-build/change-script-engine-limitations)';
const RUN_SCRIPT_LINE = (line: number, message: string) =>
  new RegExp(
    `^\\(\\d\\d:\\d\\d:\\d\\d\\.\\d{3} - core : \\d+ - vmx-root\\? yes\\)\\t \\[\\+\\] Information \\(DebuggerPerformRunScript:${line}\\) \\| ${message.replace(/[.()?/:]/g, '\\$&')}\\n\\n`,
    'm',
  );

async function vmi(args: string[]): Promise<SimPty> {
  const sim = await startSim(['--pacing', 'fast', ...args]);
  await sim.run('.connect local');
  await sim.run('load vmm');
  return sim;
}

/** Waits until at least `n` lines after `from` match `re` (the first may follow a prompt). */
async function collect(
  sim: SimPty,
  re: RegExp,
  n: number,
  from: number,
): Promise<RegExpMatchArray[]> {
  const g = new RegExp(re.source, 'gm');
  const count = () => [...sim.since(from).matchAll(g)].length;
  await sim.waitFor({ test: () => count() >= n } as unknown as RegExp, from, 30_000);
  return [...sim.since(from).matchAll(g)];
}

describe('globals across triggers, events and cores', () => {
  let sim: SimPty;
  beforeAll(async () => {
    sim = await vmi(['--seed', '31', '--cores', '2', '--rate', '400']);
  });
  afterAll(() => sim.kill());

  it('counts per core in consecutive globals and in total, each trigger seeing the last one', async () => {
    const m = sim.mark();
    // send, not run: the event prints right after the prompt, so no prompt ends the output.
    sim.send(
      '!syscall script { if (0) { .c0 = 0; .c1 = 0; .tot = 0; } unsigned long long *.per = &.c0; .per[$core]++; .tot++; if (.tot <= 0n40) { printf("E0 %d %d %d\\n", $core, .per[$core], .tot); } }',
    );
    const lines = await collect(sim, /(?:^|> )E0 (\d+) (\d+) (\d+)$/, 40, m);
    const seen = [0, 0];
    lines.forEach((l, i) => {
      const core = Number(l[1]);
      seen[core] = (seen[core] as number) + 1;
      expect(Number(l[2])).toBe(seen[core]);
      expect(Number(l[3])).toBe(i + 1);
    });
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen[1]).toBeGreaterThan(0);
  }, 60_000);

  it("a second event reads the first one's globals", async () => {
    const m = sim.mark();
    sim.send(
      '!syscall script { if (0) { .shown = 0; } if (.shown < 3) { .shown++; printf("E1 %d %d\\n", .tot, .c0 + .c1); } }',
    );
    const lines = await collect(sim, /(?:^|> )E1 (\d+) (\d+)$/, 3, m);
    for (const l of lines) {
      // Event 0 had printed its 40 lines before this event existed: at least 40 triggers.
      expect(Number(l[1])).toBeGreaterThanOrEqual(40);
      // Newest event first: this script runs before event 0 adds the trigger, so both agree.
      expect(Number(l[2])).toBe(Number(l[1]));
    }
  }, 60_000);
});

describe('run limits in the kernel log (Debugger.c)', () => {
  it('stops unbounded recursion at the stack buffer (DebuggerPerformRunScript:1764)', async () => {
    const sim = await vmi(['--seed', '32', '--rate', '200']);
    const m = sim.mark();
    sim.send('!syscall script { int down(int x) { return down(x + 1); } down(1); }');
    await sim.waitFor(
      RUN_SCRIPT_LINE(1764, `Err, stack buffer overflow ${LIMITS_LINK}`),
      m,
      30_000,
    );
    sim.kill();
  }, 60_000);

  it('stops an endless loop after MAX_EXECUTION_COUNT (DebuggerPerformRunScript:1769)', async () => {
    const sim = await vmi(['--seed', '33', '--rate', '20']);
    const m = sim.mark();
    sim.send('!syscall script { i = 0; while (1) { i++; } }');
    await sim.waitFor(
      RUN_SCRIPT_LINE(1769, `Err, exceeding the max execution count ${LIMITS_LINK}`),
      m,
      30_000,
    );
    sim.kill();
  }, 60_000);
});
