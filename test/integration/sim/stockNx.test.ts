// `sim --stock` models v0.23's non-executable action memory (docs/hyperdbg-v0.23.md §5.6): the
// first custom or condition code to run bug-checks the simulated machine with 0xFC. Local VMI: the
// CLI's own machine is gone (nothing more printed, exit status 252, the stats file names the
// cause); Debugger Mode: the debuggee goes silent while the debugger stays. Through a real pty.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/paths';
import { startSim, type SimPty } from '../../helpers/simPty';

const P = 'HyperDbg> ';
/** ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY (docs §5.6). */
const BUGCHECK = 0xfc;
const BUGCHECK_NAME = 'ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY';

interface Stats {
  readonly bugcheck?: {
    code: number;
    name: string;
    event: string;
    action: string;
    address: string;
    machine: string;
  };
  readonly events: Record<string, Record<string, number>>;
}

// Runs dist/sim, which vitest's global setup (test/globalSetup.ts) builds once per run.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function vmi(extra: string[], stats: string): Promise<SimPty> {
  const sim = await startSim([
    '--seed',
    '41',
    '--pacing',
    'fast',
    '--rate',
    '5000',
    '--stats-file',
    stats,
    ...extra,
  ]);
  await sim.run('.connect local');
  await sim.run('load vmm');
  return sim;
}

function readStats(path: string): Stats {
  return JSON.parse(readFileSync(path, 'utf8')) as Stats;
}

describe('local VMI on a stock build: the machine running the CLI bug-checks (docs §5.6)', () => {
  it('custom code: after the command nothing more is printed, the CLI ends with status 252 and the stats file names the cause', async () => {
    const stats = join(tempDir('hds-nx-'), 'stats.json');
    const sim = await vmi(['--stock'], stats);
    const m = sim.mark();
    sim.send('!syscall code {90}');
    expect(await sim.exited(20_000)).toBe(BUGCHECK);
    // The event command succeeds (a blank line and the prompt), then the machine is gone.
    expect(sim.since(m)).toBe(`\n${P}`);
    const s = readStats(stats);
    expect(s.bugcheck).toMatchObject({
      code: BUGCHECK,
      name: BUGCHECK_NAME,
      event: '0',
      action: 'custom code',
      machine: 'local',
    });
    expect(s.bugcheck?.address).toMatch(/^ffff[89a-f][0-9a-f]{11}$/);
    expect(s.events['0']?.triggers).toBe(1);
  }, 60_000);

  it('condition code runs before the actions: their script never prints and the cause is the condition', async () => {
    const stats = join(tempDir('hds-nx-'), 'stats.json');
    const sim = await vmi(['--stock'], stats);
    // The script-only event runs as on any build.
    let m = sim.mark();
    sim.send('!cpuid script { printf("BEFORE %x\\n", $context); }');
    await sim.waitFor(/^BEFORE [0-9a-f]+$/m, m);
    m = sim.mark();
    sim.send('!syscall condition {4831c0} script { printf("NEVER\\n"); }');
    expect(await sim.exited(20_000)).toBe(BUGCHECK);
    expect(sim.since(m)).not.toContain('NEVER');
    expect(readStats(stats).bugcheck).toMatchObject({ event: '1', action: 'condition code' });
  }, 60_000);

  it('a realistic reader loses what was still in the kernel ring: it never reaches the console', async () => {
    const stats = join(tempDir('hds-nx-'), 'stats.json');
    const sim = await vmi(['--stock', '--pacing', 'realistic', '--rate', '20000'], stats);
    const m = sim.mark();
    sim.send('!syscall script { printf("Q %x\\n", $context); }');
    await sim.waitFor(/^Q [0-9a-f]+$/m, m);
    sim.send('!cpuid code {90}');
    expect(await sim.exited(20_000)).toBe(BUGCHECK);
    const e = readStats(stats).events['0'] as Record<string, number>;
    // Packets still queued when the machine died are counted as pending, never as emitted.
    expect(e.pending).toBeGreaterThan(0);
    expect((e.emitted as number) + (e.dropped as number) + (e.pending as number)).toBe(e.messages);
  }, 60_000);

  it('the default simulator keeps running custom code (the seed world)', async () => {
    const stats = join(tempDir('hds-nx-'), 'stats.json');
    const sim = await vmi(['--rate', '1000'], stats);
    await sim.run('!syscall code {90}');
    await sleep(500);
    expect(await sim.run('__alive')).toBe(`err, couldn't resolve command at '__alive'\n\n${P}`);
    sim.send('exit');
    expect(await sim.exited(20_000)).toBe(0);
    const s = readStats(stats);
    expect(s.bugcheck).toBeUndefined();
    expect(s.events['0']?.triggers).toBeGreaterThan(10);
  }, 60_000);
});

describe('Debugger Mode on a stock build: the debuggee bug-checks and goes silent (docs §5.6)', () => {
  it('after `g` the debuggee sends nothing more, Ctrl+C gets no answer, the debugger stays alive', async () => {
    const stats = join(tempDir('hds-nx-'), 'stats.json');
    const sim = await startSim([
      '--stock',
      '--seed',
      '42',
      '--pacing',
      'fast',
      '--rate',
      '5000',
      '--stats-file',
      stats,
    ]);
    let m = sim.mark();
    sim.send('.debug remote namedpipe \\\\.\\pipe\\HyperDbgPipe');
    await sim.waitFor('debuggee is running...\n', m);
    m = sim.mark();
    sim.write('\x03');
    await sim.waitFor(/0: kHyperDbg> $/, m);
    // The debuggee is stopped: nothing streams, so the prompt ends the output.
    expect(await sim.run('!syscall code {90} script { printf("S %x\\n", $context); }')).toBe(
      '\n0: kHyperDbg> ',
    );
    m = sim.mark();
    sim.send('g');
    await sim.waitFor('debuggee is running...\n', m);
    // Give the workload time to trigger the event (thousands of syscalls per second).
    await sleep(800);
    m = sim.mark();
    sim.write('\x03');
    sim.send('__still_there');
    await sleep(1500);
    // No pause answer, no disassembly, no prompt, no log packet: the main thread waits forever.
    expect(sim.since(m)).toBe('');
    // The script ran first on the fatal trigger (script before code, docs §5.3): one line only.
    expect([...sim.output.matchAll(/^S [0-9a-f]+$/gm)]).toHaveLength(1);
    sim.kill();
    await sim.exited();
    expect(existsSync(stats)).toBe(true);
    expect(readStats(stats).bugcheck).toMatchObject({
      code: BUGCHECK,
      name: BUGCHECK_NAME,
      event: '0',
      action: 'custom code',
      machine: 'debuggee',
    });
  }, 60_000);
});
