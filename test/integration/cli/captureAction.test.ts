// `hyperdbg-studio capture --action NAME`: a saved action of the library bound the way the binder
// binds it, end to end (the built CLI, the built simulator, a real pty, the data folder's real
// SQLite library). Each strategy is checked against the simulator's own statistics (--sim-stats):
// counted-in-target tables against its triggers by process, batched and per-event loss against
// what its ring overwrote, per event; the seed world binds the action's own code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureSummaryOf, runCli } from '../../helpers/cliRun';
import { tempDir } from '../../helpers/paths';

const IMAGE_FILE_NAME = 'Current process ImageFileName';

interface SimStats {
  readonly events: Record<
    string,
    { triggers: number; records: number; dropped: number; emitted: number; forwarded: number }
  >;
  readonly triggersByProcess: Record<string, Record<string, number>>;
}

/** A stock target at v0.23's pacing, firing `rate` syscalls a second. */
function stockArgs(dir: string, rate: number, seed: number): string[] {
  return [
    '--stock',
    '--pacing',
    'realistic',
    '--rate',
    String(rate),
    '--seed',
    String(seed),
    '--no-transcript',
    '--no-session',
    '--data-dir',
    dir,
    '--sim-stats',
    join(dir, 'sim.json'),
  ];
}

/** The rate probe's line: its event and the rate it measured. */
function probeOf(stderr: string): { id: string; rate: number } {
  const m =
    /^probe: event ([0-9a-f]+) counted \d+ triggers in the target in 3 s \((\d+)\/s\)$/m.exec(
      stderr,
    );
  expect(m, stderr).not.toBeNull();
  return { id: (m as RegExpExecArray)[1] as string, rate: Number((m as RegExpExecArray)[2]) };
}

const readStats = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'sim.json'), 'utf8')) as SimStats;

describe('hyperdbg-studio capture --action', () => {
  it('counted in the target: each table is written to --out, keys read as process names, and the last one is what the simulator counted up to its period', async () => {
    const dir = tempDir('hds-capture-action-');
    const out = join(dir, 'out.jsonl');
    const r = await runCli([
      'capture',
      '--action',
      IMAGE_FILE_NAME,
      '--event',
      '!syscall',
      '--delivery',
      'counted',
      '--duration',
      '5',
      '--out',
      out,
      ...stockArgs(dir, 5000, 11),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^action: 'Current process ImageFileName' v1, resolved for .*18363/m);
    const period = Number(/a table every (\d+) triggers/.exec(r.stderr)?.[1]);
    expect(period).toBeGreaterThan(0);
    const s = captureSummaryOf(r.stdout);
    // Tables only: no record lines, so nothing to lose from sequence gaps.
    expect(s.records).toBe(0);
    expect(s.lost).toBe(0);
    expect(s.tables).toBeGreaterThanOrEqual(3);

    const tables = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            type: string;
            eventId: string;
            seq: string;
            total: string;
            other: string;
            entries: { key: string; name: string; count: string }[];
          },
      );
    expect(tables.length).toBe(s.tables);
    expect(tables.every((t) => t.type === 'count-table')).toBe(true);
    // One table per period, numbered 1, 2, 3...: the pipe carried every one at this rate.
    expect(tables.map((t) => parseInt(t.seq, 16))).toEqual(tables.map((_, i) => i + 1));
    const last = tables[tables.length - 1] as (typeof tables)[number];
    const total = parseInt(last.total, 16);
    expect(total).toBe(s.counted);
    expect(total).toBe(s.tables * period);

    const stats = readStats(dir);
    // The rate probe's tables (its own event, cleared) are not the capture's.
    expect(r.stderr).toMatch(/^probe: event [0-9a-f]+ counted \d+ triggers in the target in 3 s/m);
    expect(Object.keys(stats.events).length).toBe(3);
    // Event 0 is the session's build probe: it printed once, though it fired many times.
    expect(stats.events['0']?.triggers).toBeGreaterThan(5);
    expect(stats.events['0']?.emitted).toBeLessThanOrEqual(1);
    const truth = stats.triggersByProcess[last.eventId] ?? {};
    const names = Object.keys(truth);
    expect(names.length).toBeGreaterThan(3);
    let counted = parseInt(last.other, 16);
    for (const e of last.entries) {
      // The key is ImageFileName's first 8 bytes: the process's name, cut at 8.
      const owner = names.filter((n) => n.slice(0, 8) === e.name);
      expect(owner.length, `${e.name} among ${names.join(', ')}`).toBe(1);
      const count = parseInt(e.count, 16);
      // Counted up to the last table; the simulator went on until the event was disabled.
      expect(count).toBeLessThanOrEqual(truth[owner[0] as string] as number);
      counted += count;
    }
    expect(counted).toBe(total);
    const triggers = Object.values(truth).reduce((a, b) => a + b, 0);
    expect(triggers - total).toBeGreaterThanOrEqual(0);
    expect(triggers - total).toBeLessThan(period);
  }, 120_000);

  it('auto: a probe counts the rate in the target, the plan picks counted at 5000/s and batched at 1500/s; loss is the overwritten packets times their records', async () => {
    const fast = tempDir('hds-capture-action-');
    const high = await runCli([
      'capture',
      '--action',
      IMAGE_FILE_NAME,
      '--duration',
      '2',
      ...stockArgs(fast, 5000, 12),
    ]);
    expect(high.code, high.stderr).toBe(0);
    const { id: highId, rate: highRate } = probeOf(high.stderr);
    // The probe's rate is the simulator's, within a few percent (its table lags by one step).
    const highStats = readStats(fast);
    const probeTriggers = highStats.events[highId]?.triggers as number;
    expect(Number(highRate)).toBeGreaterThan((probeTriggers / 3) * 0.8);
    expect(Number(highRate)).toBeLessThan((probeTriggers / 3) * 1.1);
    expect(high.stderr).toMatch(
      /^delivery: counted in the target by its first payload word, a table every \d+ triggers \(plan for \d+ events\/s observed: /m,
    );

    const dir = tempDir('hds-capture-action-');
    const r = await runCli([
      'capture',
      '--action',
      IMAGE_FILE_NAME,
      '--duration',
      '4',
      ...stockArgs(dir, 1500, 12),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const probeId = probeOf(r.stderr).id;
    const chosen =
      /^delivery: batched, (\d+) records per packet, the action's log form \(plan for \d+ events\/s observed: .* (\d+) per packet carries all\.\)$/m.exec(
        r.stderr,
      );
    expect(chosen, r.stderr).not.toBeNull();
    const k = Number((chosen as RegExpExecArray)[1]);
    // The K bound is the K the plan's words name.
    expect(k).toBe(Number((chosen as RegExpExecArray)[2]));
    expect(k).toBeGreaterThan(5);

    const s = captureSummaryOf(r.stdout);
    expect(s.malformed).toBe(0);
    expect(s.pending).toBe(0);
    // K records per packet: far above one record per packet's ~33/s.
    expect(s.rate).toBeGreaterThan(5 * 33);
    const stats = readStats(dir);
    let expectedLost = 0;
    let packets = 0;
    for (const [id, e] of Object.entries(stats.events)) {
      if (id === '0' || id === probeId) continue;
      expectedLost += e.dropped * k;
      packets += e.emitted + e.forwarded;
    }
    expect(s.lost).toBe(expectedLost);
    expect(s.records).toBe(packets * k);
    // What a batch not yet full holds when the event is disabled: never counted as lost.
    expect(s.inFlight).toBeLessThan(k);
  }, 120_000);

  it('auto at a low rate binds per event: one record per packet, numbered, nothing lost', async () => {
    const dir = tempDir('hds-capture-action-');
    const out = join(dir, 'out.jsonl');
    const r = await runCli([
      'capture',
      '--action',
      IMAGE_FILE_NAME,
      '--duration',
      '2',
      '--out',
      out,
      ...stockArgs(dir, 10, 13).filter((a) => a !== '--no-session'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^delivery: per event, the action's log form \(plan for \d+ events\/s observed: /m,
    );
    const s = captureSummaryOf(r.stdout);
    expect(s.records).toBeGreaterThan(5);
    expect(s.lost).toBe(0);
    expect(s.dropped).toBe(0);
    // Packets: the build probe's one line, the rate probe's tables, then one per record.
    const stats = readStats(dir);
    const mine = Object.entries(stats.events).at(-1)?.[1] as SimStats['events'][string];
    // Packets reach the console or, here, the capture's output sink.
    expect(mine.emitted + mine.forwarded).toBe(s.records);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.length).toBe(s.records);
    for (const l of lines)
      expect(JSON.parse(l)).toMatchObject({
        type: 'record',
        seq: expect.stringMatching(/^[0-9a-f]+$/),
      });
    // The session database decodes them with the action's schema: the guest's process names.
    const exported = join(dir, 'export.jsonl');
    const e = await runCli([
      'sessions',
      'export',
      'latest',
      '--format',
      'jsonl',
      '--out',
      exported,
      '--data-dir',
      dir,
    ]);
    expect(e.code, e.stderr).toBe(0);
    const rows = readFileSync(exported, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            action: { name: string } | null;
            fields: { ImageFileName?: string } | null;
          },
      );
    expect(rows.length).toBe(s.records);
    const processes = Object.keys(
      stats.triggersByProcess[Object.keys(stats.events).at(-1) as string] ?? {},
    );
    for (const row of rows) {
      expect(row.action?.name).toBe(IMAGE_FILE_NAME);
      expect(processes).toContain(row.fields?.ImageFileName);
    }
  }, 120_000);

  it("in the seed world binds the action's own code: its buffers come back as records", async () => {
    const dir = tempDir('hds-capture-action-');
    const out = join(dir, 'out.jsonl');
    const r = await runCli([
      'capture',
      '--action',
      IMAGE_FILE_NAME,
      '--delivery',
      'per-event',
      '--duration',
      '2',
      '--pacing',
      'fast',
      '--rate',
      '200',
      '--seed',
      '14',
      '--no-transcript',
      '--no-session',
      '--data-dir',
      dir,
      '--out',
      out,
      '--sim-stats',
      join(dir, 'sim.json'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^delivery: per event, the action's code \(resolved for /m);
    expect(r.stderr).toMatch(
      /event [0-9a-f]+: !syscall buffer [0-9a-f]+ (output \{hds_[0-9a-f]+\} )?code \{/,
    );
    const s = captureSummaryOf(r.stdout);
    expect(s.records).toBeGreaterThan(50);
    // Every buffer the simulator returned arrived.
    const mine = Object.entries(readStats(dir).events).at(-1)?.[1] as SimStats['events'][string];
    expect(mine.records).toBe(s.records);
    expect(mine.dropped).toBe(0);
    // Returned buffers carry no sequence number (HDBG1).
    expect(r.stdout).toMatch(/ lost=unknown /);
    const first = JSON.parse(readFileSync(out, 'utf8').split('\n')[0] as string) as {
      type: string;
      seq?: string;
    };
    expect(first.type).toBe('record');
    expect(first.seq).toBeUndefined();
  }, 120_000);

  it('refuses what cannot be bound with exit status 2, saying why', async () => {
    const dir = tempDir('hds-capture-action-');
    const common = ['--duration', '1', ...stockArgs(dir, 100, 1)];
    const unknown = await runCli(['capture', '--action', 'No such action', ...common]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /no action named 'No such action' in the library of .*\(7 actions: Break to the debugger, /,
    );

    const noLogForm = await runCli([
      'capture',
      '--action',
      'Break to the debugger',
      '--delivery',
      'batched',
      ...common,
    ]);
    expect(noLogForm.code).toBe(2);
    expect(noLogForm.stderr).toMatch(/--action: 'Break to the debugger' /);

    // An argument that would be two commands never reaches the target, probe included.
    const twoCommands = await runCli([
      'capture',
      '--action',
      IMAGE_FILE_NAME,
      '--args',
      '55\nevents c all',
      ...common,
    ]);
    expect(twoCommands.code).toBe(2);
    expect(twoCommands.stderr).toMatch(
      /--args\[0\]: syscall-number contains a newline at position 3/,
    );
    expect(twoCommands.stderr).not.toMatch(/^probe:/m);

    const orphan = await runCli([
      'capture',
      '--binding',
      '{"kind":"!syscall","script":"printf(\\"x\\\\n\\");"}',
      '--event',
      '!syscall',
    ]);
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toMatch(/--event, --args and --delivery go with --action NAME/);

    const badDelivery = await runCli([
      'capture',
      '--action',
      IMAGE_FILE_NAME,
      '--delivery',
      'fast',
    ]);
    expect(badDelivery.code).toBe(2);
    expect(badDelivery.stderr).toMatch(
      /--delivery: one of auto, per-event, batched, counted, not 'fast'/,
    );

    const stats = await runCli([
      'capture',
      '--action',
      IMAGE_FILE_NAME,
      '--sim-arg=--stats-file=/tmp/x.json',
    ]);
    expect(stats.code).toBe(2);
    expect(stats.stderr).toMatch(/use --sim-stats FILE/);
  }, 120_000);
});
