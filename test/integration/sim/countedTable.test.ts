// The counted-in-target script (shared/delivery/countedTable.ts) in the stock simulator's v0.23
// script engine: it compiles, prints HDBGT tables one packet per period at realistic pacing, and
// the last table's counts equal the simulator's own triggers by process (--stats-file) up to the
// last period, while per-trigger lines of the same event would lose most records.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  countedTableScript,
  keyText,
  parseCountTableLine,
  type CountTable,
} from '../../../shared/delivery/countedTable';
import { startSim } from '../../helpers/simPty';

/** EPROCESS.ImageFileName on the default guest (1909, resources/windows-builds.json). */
const IMAGE_FILE_NAME = 0x450;
const PERIOD = 0x200;

/** The stock simulator at v0.23's pacing, 5000 events/s, its statistics going to `stats`. */
async function stockSim(seed: number) {
  const stats = join(mkdtempSync(join(tmpdir(), 'hdbg-counted-')), 'stats.json');
  const sim = await startSim([
    '--stock',
    '--seed',
    String(seed),
    '--rate',
    '5000',
    '--pacing',
    'realistic',
    '--stats-file',
    stats,
  ]);
  await sim.run('.connect local');
  await sim.run('load vmm');
  return { sim, stats };
}

describe('counted in the target (buffer-records.md §7)', () => {
  it('prints tables whose counts match the simulator ground truth by process', async () => {
    const { sim, stats } = await stockSim(5);
    const script = countedTableScript({
      payload: {
        length: 15,
        words: [`dq($proc+0x${IMAGE_FILE_NAME.toString(16)})`, `dq($proc+0x458)`],
        origin: 'derived',
      },
      periodTriggers: PERIOD,
      tag: 't1',
    });
    const m = sim.mark();
    const answer = await sim.run(`!syscall script { ${script} }`);
    expect(answer).not.toMatch(/Syntax Error|Undefined|err,/);
    await sim.waitFor(/HDBGT [0-9a-f]+ 3 /, m, 20_000);
    sim.send('events d all');
    await new Promise((r) => setTimeout(r, 500));
    sim.send('exit');
    await sim.exited();
    const tables: CountTable[] = [];
    // A table may follow a prompt on the same line (asynchronous output, spec §1.6).
    for (const [line] of sim.since(m).matchAll(/HDBGT [^\r\n]*/g)) {
      const t = parseCountTableLine(line);
      expect(typeof t, line).not.toBe('string');
      if (t !== null && typeof t !== 'string') tables.push(t);
    }
    expect(tables.length).toBeGreaterThanOrEqual(3);
    tables.forEach((t, i) => {
      expect(t.seq).toBe(i + 1);
      expect(t.total).toBe(BigInt(PERIOD * (i + 1)));
    });
    const last = tables[tables.length - 1] as CountTable;
    const s = JSON.parse(readFileSync(stats, 'utf8')) as {
      events: Record<string, Record<string, number>>;
      triggersByProcess: Record<string, Record<string, number>>;
    };
    const e = s.events['0'] as Record<string, number>;
    const truth = new Map<string, number>();
    for (const [name, n] of Object.entries(s.triggersByProcess['0'] ?? {}))
      truth.set(name.slice(0, 8), (truth.get(name.slice(0, 8)) ?? 0) + n);
    // Every key is a process the guest has; none counted more than really triggered.
    let behind = 0;
    for (const { key, count } of last.entries) {
      const t = truth.get(keyText(key));
      expect(t, keyText(key)).toBeDefined();
      expect(Number(count)).toBeLessThanOrEqual(t as number);
      behind += (t as number) - Number(count);
    }
    expect(last.other).toBe(0n);
    // What the last table lacks is exactly the triggers after it: less than one period.
    expect(behind).toBe((e.triggers as number) - Number(last.total));
    expect(behind).toBeLessThan(PERIOD);
    expect(e.dropped).toBe(0);
  }, 60_000);

  it('geometric growth: a table at 1, 2, 4, 7, 11, 17... triggers, a few dozen for thousands, none overwritten', async () => {
    const { sim, stats } = await stockSim(6);
    const script = countedTableScript({
      payload: { length: 8, words: ['dq($proc+0x450)'], origin: 'derived' },
      slots: 1,
      growth: 'geometric',
      tag: 'p1',
    });
    const m = sim.mark();
    const answer = await sim.run(`!syscall script { ${script} }`);
    expect(answer).not.toMatch(/Syntax Error|Undefined|err,/);
    await new Promise((r) => setTimeout(r, 3000));
    sim.send('events d all');
    await new Promise((r) => setTimeout(r, 1500));
    sim.send('exit');
    await sim.exited();
    const tables: CountTable[] = [];
    for (const [line] of sim.since(m).matchAll(/HDBGT [^\r\n]*/g)) {
      const t = parseCountTableLine(line);
      expect(typeof t, line).not.toBe('string');
      if (t !== null && typeof t !== 'string') tables.push(t);
    }
    // The step grows by a quarter and one each time: 0, 1, 2, 3, 4, 6, 8, 11, ...
    const expected: number[] = [];
    for (let n = 0, d = 0; expected.length < tables.length;) {
      n += Math.max(1, d);
      expected.push(n);
      d = d + (d >> 2) + 1;
    }
    expect(tables.map((t) => Number(t.total))).toEqual(expected);
    expect(tables.map((t) => t.seq)).toEqual(tables.map((_, i) => i + 1));
    const e = (
      JSON.parse(readFileSync(stats, 'utf8')) as { events: Record<string, Record<string, number>> }
    ).events['0'] as Record<string, number>;
    // Thousands of triggers, a few dozen packets: the pipe never overflowed.
    expect(e.triggers).toBeGreaterThan(1000);
    expect(tables.length).toBeLessThan(60);
    expect(e.dropped).toBe(0);
    const last = tables[tables.length - 1] as CountTable;
    // The last table is behind the truth by less than its next step.
    expect(Number(last.total)).toBeLessThanOrEqual(e.triggers as number);
    expect(Number(last.total) * 1.25 + 2).toBeGreaterThan(e.triggers as number);
  }, 60_000);
});
