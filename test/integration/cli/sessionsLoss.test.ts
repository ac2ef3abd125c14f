// `hyperdbg-studio sessions show` on captures of the real simulator (the built CLI, a stock target
// at realistic pacing, v0.23's ~33 packets/s reader): a per-event capture whose ring overwrote
// records prints, per event and per core, what was delivered and what the target lost; a counted
// capture prints the count tables it kept. The expected numbers come from the capture's own
// output (--out: each record with its sequence number, each count table), not from the database.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cliRun';
import { keyText } from '../../../shared/delivery/countedTable';
import { tempDir } from '../../helpers/paths';

const ACTION = 'Current process ImageFileName';

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const n = (x: number) => x.toLocaleString('en-US');
const lostWords = (lost: number, delivered: number) => {
  if (lost === 0) return '0';
  const share = (100 * lost) / (lost + delivered);
  return `${n(lost)} (${share < 0.1 ? share.toFixed(2) : share.toFixed(1)}%)`;
};

describe('sessions show: what a capture delivered and lost', () => {
  it('per event and core, from the records’ sequence numbers', async () => {
    const dir = tempDir('hds-sessions-loss-');
    const out = join(dir, 'records.jsonl');
    const cap = await runCli([
      'capture',
      '--action',
      ACTION,
      '--delivery',
      'per-event',
      '--duration',
      '3',
      '--drain',
      '0',
      '--pacing',
      'realistic',
      '--rate',
      '1500',
      '--seed',
      '5',
      '--stock',
      '--sim-arg=--cores=3',
      '--out',
      out,
      '--data-dir',
      dir,
    ]);
    expect(cap.code, cap.stderr).toBe(0);
    // The truth from the records the capture wrote: per core, numbers missing below the highest.
    const byCore = new Map<number, Set<number>>();
    for (const r of lines(out)) {
      if (r.type !== 'record') continue;
      const core = parseInt(r.core as string, 16);
      let s = byCore.get(core);
      if (s === undefined) byCore.set(core, (s = new Set()));
      s.add(parseInt(r.seq as string, 16));
    }
    const cores = [...byCore.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([core, s]) => {
        const highest = Math.max(...s);
        return { core, delivered: s.size, lost: highest - s.size, highest };
      });
    expect(cores.length).toBe(3);
    const delivered = cores.reduce((a, c) => a + c.delivered, 0);
    const lost = cores.reduce((a, c) => a + c.lost, 0);
    expect(lost).toBeGreaterThan(100);
    // The capture's own summary counted the same.
    expect(cap.stdout).toMatch(new RegExp(`records=${delivered} .* lost=${lost} `));

    const json = await runCli(['sessions', 'show', 'latest', '--data-dir', dir, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const d = JSON.parse(json.stdout) as {
      targetLost: number | null;
      lossUnknown: string | null;
      layout: number;
      events: { eventId: number; records: number; lost: number | null; cores: unknown }[];
    };
    expect(d).toMatchObject({ targetLost: lost, lossUnknown: null, layout: 2 });
    expect(d.events).toMatchObject([{ eventId: 1, records: delivered, lost, cores }]);

    const text = await runCli(['sessions', 'show', 'latest', '--data-dir', dir]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^records +${n(delivered)} delivered$`, 'm'));
    expect(text.stdout).toContain(`lost in target  ${lostWords(lost, delivered)}\n`);
    expect(text.stdout).toMatch(/^ +EVENT +RUN +DELIVERED +LOST +ACTION +COMMAND$/m);
    expect(text.stdout).toMatch(
      new RegExp(
        `^ +1 +1 +${n(delivered)} +${lostWords(lost, delivered).replace(/[()]/g, '\\$&')} `,
        'm',
      ),
    );
    for (const c of cores)
      expect(text.stdout).toMatch(
        new RegExp(
          `^ +core ${c.core} +${n(c.delivered)} +${lostWords(c.lost, c.delivered).replace(/[()]/g, '\\$&')} +highest number ${n(c.highest)}$`,
          'm',
        ),
      );
    const list = await runCli(['sessions', 'list', '--data-dir', dir]);
    expect(list.stdout).toMatch(/LOST IN TARGET/);
    expect(list.stdout).toMatch(new RegExp(` ${delivered} +${lost} +0 +0 `));
  }, 120_000);

  it('the count tables a counted capture kept', async () => {
    const dir = tempDir('hds-sessions-loss-');
    const out = join(dir, 'records.jsonl');
    const cap = await runCli([
      'capture',
      '--action',
      ACTION,
      '--delivery',
      'counted',
      '--duration',
      '3',
      '--drain',
      '0',
      '--pacing',
      'realistic',
      '--rate',
      '3000',
      '--seed',
      '7',
      '--stock',
      '--out',
      out,
      '--data-dir',
      dir,
    ]);
    expect(cap.code, cap.stderr).toBe(0);
    const tables = lines(out).filter((r) => r.type === 'count-table');
    expect(tables.length).toBeGreaterThan(1);
    const last = tables.at(-1) as {
      eventId: string;
      seq: string;
      total: string;
      entries: { key: string; count: string }[];
    };
    const total = parseInt(last.total, 16);

    const json = await runCli(['sessions', 'show', 'latest', '--data-dir', dir, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const d = JSON.parse(json.stdout) as {
      countTables: {
        eventId: number;
        seq: number;
        total: number;
        entries: { key: string; count: number }[];
      }[];
    };
    // The capture's rate probe (its event 1, cleared) printed tables too: the session keeps both.
    const id = parseInt(last.eventId, 16);
    expect(id).toBe(2);
    expect(d.countTables.map((x) => x.eventId).sort()).toEqual([1, 2]);
    const t = d.countTables.find((x) => x.eventId === id);
    expect(t).toMatchObject({ eventId: id, seq: parseInt(last.seq, 16), total });
    const want = last.entries
      .map((e) => ({ key: keyText(BigInt(`0x${e.key}`)), count: parseInt(e.count, 16) }))
      .sort((a, b) => b.count - a.count);
    expect(t?.entries.map((e) => ({ key: e.key, count: e.count }))).toEqual(want);

    const text = await runCli(['sessions', 'show', 'latest', '--data-dir', dir]);
    expect(text.stdout).toMatch(
      new RegExp(`^  event 2: ${n(total)} triggers up to table ${parseInt(last.seq, 16)}`, 'm'),
    );
    const top = want[0] as { key: string; count: number };
    expect(text.stdout).toMatch(
      new RegExp(`^    ${top.key.replace(/[.]/g, '\\.')} +${n(top.count)}$`, 'm'),
    );
  }, 120_000);
});
