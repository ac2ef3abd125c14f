// `hyperdbg-studio sim` runs the simulator program on this terminal (the CLI spawns it rather than
// loading its code): the same prompt and protocol through a real pty, its exit status passed on,
// Ctrl+C left to the simulator, SIGTERM to the CLI forwarded to it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distDir, repoRoot } from '../../helpers/paths';
import { bannerPattern, startSim } from '../../helpers/simPty';

const bin = join(repoRoot, 'bin/hyperdbg-studio.mjs');
const viaCli = { program: [bin, 'sim'] };
const P = 'HyperDbg> ';

describe('hyperdbg-studio sim', () => {
  it("prints the simulator's usage and passes its exit status on", () => {
    const help = spawnSync(process.execPath, [bin, 'sim', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: hyperdbg-studio sim \[options\]/);
    const bad = spawnSync(process.execPath, [bin, 'sim', '--no-such-option'], {
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^hyperdbg-studio sim: /);
  });

  it('plays hyperdbg-cli on the terminal: banner, prompt, a command, Ctrl+C, exit (spec §1)', async () => {
    const sim = await startSim(['--seed', '1'], viaCli);
    await sim.waitFor(new RegExp(`${P}$`));
    expect(sim.output).toMatch(bannerPattern('v0.23.0-sim'));
    expect(await sim.run('__first')).toBe(`err, couldn't resolve command at '__first'\n\n${P}`);
    // Ctrl+C at the prompt is the simulator's to handle (spec §1.7): the CLI must not end.
    const m = sim.mark();
    sim.write('abandoned\x03');
    await sim.waitFor(new RegExp(`${P}$`), m);
    expect(await sim.run('__after')).toBe(`err, couldn't resolve command at '__after'\n\n${P}`);
    sim.send('exit');
    expect(await sim.exited()).toBe(0);
  });

  it('forwards SIGTERM to the simulator and ends with its status', async () => {
    const sim = await startSim(['--seed', '1'], viaCli);
    await sim.waitFor(new RegExp(`${P}$`));
    sim.kill('SIGTERM');
    // The simulator ends on SIGTERM with 128 + 15, as a shell reports it.
    expect(await sim.exited()).toBe(143);
  });

  it('keeps the simulator out of the CLI bundle (its source map lists no electron/sim file)', () => {
    const map = JSON.parse(readFileSync(join(distDir, 'cli/run.mjs.map'), 'utf8')) as {
      sources: string[];
    };
    expect(map.sources.some((s) => s.includes('electron/cli/'))).toBe(true);
    expect(map.sources.filter((s) => s.includes('electron/sim/'))).toEqual([]);
  });
});
