// What the delivery bench measures the simulator with: `--fill-pipe` (the VMI ring kept full of
// ready-made 4094-character packets, so the reader's output is the pipe's capacity), and the
// stats file's triggers by process up to each event's last message (the exact truth a count
// table printed every period must equal).
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
import { MAX_PACKET_CHARS, VMI_PACKETS_PER_S } from '../../../shared/delivery/linkBudget';
import { fillPacket } from '../../../electron/sim/engine/pipeFill';
import { OptionsError, parseOptions } from '../../../electron/sim/options';
import { measurePipeCapacity } from '../../helpers/pipeCapacity';
import { startSim } from '../../helpers/simPty';

interface StatsJson {
  events: Record<string, { triggers: number; messages: number }>;
  triggersByProcess: Record<string, Record<string, number>>;
  atLastMessage: Record<string, { triggers: number; triggersByProcess: Record<string, number> }>;
}

describe('sim --fill-pipe', () => {
  it('packets are exactly 4094 characters of numbered fill lines', () => {
    for (const n of [0, 1, 0xabc]) {
      const p = fillPacket(n);
      expect(p.length).toBe(MAX_PACKET_CHARS);
      expect(p.endsWith('\n')).toBe(true);
      const lines = p.slice(0, -1).split('\n');
      lines.forEach((l, i) =>
        expect(l).toMatch(new RegExp(`^fill ${n.toString(16)} ${i.toString(16)}\\.*$`)),
      );
    }
  });

  it('needs realistic pacing', () => {
    expect(() => parseOptions(['--fill-pipe', '--pacing', 'fast'])).toThrow(OptionsError);
    const o = parseOptions(['--fill-pipe']);
    expect(o !== 'help' && o.fillPipe).toBe(true);
  });

  it('the reader carries about 33 packets/s of 4094 characters, in order, none overwritten', async () => {
    const c = await measurePipeCapacity(3);
    expect(c.packetChars).toBe(MAX_PACKET_CHARS);
    expect(c.outOfOrder).toBe(0);
    // One packet per 30 ms sleep at most; a loaded machine's timers make it a little fewer.
    expect(c.packetsPerSecond).toBeLessThanOrEqual(VMI_PACKETS_PER_S * 1.02);
    expect(c.packetsPerSecond).toBeGreaterThan(20);
    expect(c.charsPerSecond).toBeCloseTo(c.packetsPerSecond * MAX_PACKET_CHARS, 3);
  }, 30_000);
});

describe('stats: triggers by process up to the last message', () => {
  it("equal the last count table's entries exactly, while later triggers go on", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hdbg-truth-'));
    const file = join(dir, 'stats.json');
    const sim = await startSim([
      '--stock',
      '--seed',
      '9',
      '--rate',
      '5000',
      '--pacing',
      'realistic',
      '--stats-file',
      file,
    ]);
    await sim.run('.connect local');
    await sim.run('load vmm');
    const script = countedTableScript({
      payload: { length: 15, words: ['dq($proc+0x450)', 'dq($proc+0x458)'], origin: 'derived' },
      periodTriggers: 0x3e8,
      tag: 'gt',
    });
    const m = sim.mark();
    expect(await sim.run(`!syscall script { ${script} }`)).not.toMatch(/Syntax Error|err,/);
    await sim.waitFor(/HDBGT [0-9a-f]+ 3 /, m, 20_000);
    sim.send('events d all');
    await new Promise((r) => setTimeout(r, 500));
    sim.send('exit');
    await sim.exited();
    const tables: CountTable[] = [];
    for (const [line] of sim.since(m).matchAll(/HDBGT [^\r\n]*/g)) {
      const t = parseCountTableLine(line);
      if (t !== null && typeof t !== 'string') tables.push(t);
    }
    const last = tables[tables.length - 1] as CountTable;
    const s = JSON.parse(readFileSync(file, 'utf8')) as StatsJson;
    const at = s.atLastMessage['0'];
    expect(at).toBeDefined();
    // The table is the event's only message: its count is the triggers up to it, exactly.
    expect(at?.triggers).toBe(Number(last.total));
    expect(s.events['0']?.triggers).toBeGreaterThan(at?.triggers as number);
    const truth = new Map<string, number>();
    for (const [name, n] of Object.entries(at?.triggersByProcess ?? {}))
      truth.set(name.slice(0, 8), (truth.get(name.slice(0, 8)) ?? 0) + n);
    let keyed = 0;
    for (const { key, count } of last.entries) {
      expect(Number(count), keyText(key)).toBe(truth.get(keyText(key)));
      keyed += Number(count);
    }
    expect(Number(last.other)).toBe(Number(last.total) - keyed);
    // In all, more triggered than the table saw: the truth at the table is not the final one.
    const final = Object.values(s.triggersByProcess['0'] ?? {}).reduce((a, b) => a + b, 0);
    expect(final).toBe(s.events['0']?.triggers);
  }, 60_000);
});
