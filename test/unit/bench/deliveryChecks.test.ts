// The delivery bench's judgements pass on an exact run and fail on each way a run can be off:
// a loss counted short or long, a target not drained, a malformed line; a table off by one for a
// process, an `other` that is not the rest, a table that is not the last message's truth.
import { describe, expect, it } from 'vitest';
import {
  countedCheck,
  lossCheck,
  parseSummary,
  type CaptureSummary,
  type DeliveryRun,
  type TableJson,
} from '../../bench/deliveryChecks';

const SUMMARY: CaptureSummary = {
  records: 1000,
  malformed: 0,
  rate: 33,
  lost: 5300,
  inFlight: 52,
  emitted: 1000,
  dropped: 100,
  pending: 0,
};

function run(summary: Partial<CaptureSummary>, triggers: number): DeliveryRun {
  return {
    summary: { ...SUMMARY, ...summary },
    stats: { events: { '0': { triggers, messages: 1 } } },
    tables: [],
  };
}

/** `System` and `svchost.` as little-endian key words, the way the script prints them. */
const SYSTEM = '6d6574737953';
const SVCHOST = '2e74736f68637673';

function table(entries: [string, number][], other: number): TableJson {
  const total = entries.reduce((n, [, c]) => n + c, other);
  return {
    type: 'count-table',
    eventId: '0',
    seq: '2',
    total: total.toString(16),
    other: other.toString(16),
    entries: entries.map(([key, count]) => ({ key, count: count.toString(16) })),
  };
}

function counted(t: TableJson, truth: Record<string, number>, at: number): DeliveryRun {
  return {
    summary: SUMMARY,
    stats: {
      events: { '0': { triggers: at + 10, messages: 2 } },
      atLastMessage: { '0': { triggers: at, triggersByProcess: truth } },
    },
    tables: [t, t],
  };
}

describe('delivery bench: loss', () => {
  it('reads the summary line', () => {
    expect(
      parseSummary(
        'records=1000 malformed=0 rate=33/s lost=5300 in_flight<=52 sim_emitted=1000 sim_dropped=100 sim_pending=0',
      ),
    ).toEqual(SUMMARY);
    expect(parseSummary('records=1 malformed=0 rate=1/s lost=unknown in_flight<=0')).toBeNull();
  });

  it('is met when lost is the dropped packets x K, or short by at most K per core', () => {
    // 1000 delivered + 100 x 53 overwritten + 20 in the last partial batch.
    const exact = lossCheck(run({}, 6320), 53, 4);
    expect(exact).toEqual({ dropped: 5300, lost: 5300, inTarget: 20, ok: true });
    expect(lossCheck(run({ lost: 5300 - 53 * 4 }, 6320), 53, 4).ok).toBe(true);
  });

  it('fails on a loss counted long, or short by more than K per core', () => {
    expect(lossCheck(run({ lost: 5301 }, 6320), 53, 4).ok).toBe(false);
    expect(lossCheck(run({ lost: 5300 - 53 * 4 - 1 }, 6320), 53, 4).ok).toBe(false);
    expect(lossCheck(run({ lost: 99, dropped: 100 }, 1100), 1, 4).ok).toBe(true);
    expect(lossCheck(run({ lost: 95, dropped: 100 }, 1100), 1, 4).ok).toBe(false);
  });

  it('fails when the target did not drain or a line was malformed', () => {
    expect(lossCheck(run({ pending: 1 }, 6320), 53, 4).ok).toBe(false);
    expect(lossCheck(run({ malformed: 1 }, 6320), 53, 4).ok).toBe(false);
  });
});

describe('delivery bench: counted', () => {
  const truth = { System: 10, 'svchost.exe': 30, 'explorer.exe': 5, 'dwm.exe': 2 };

  it('is met when every key, the other and the total equal the truth up to the last table', () => {
    const c = countedCheck(
      counted(
        table(
          [
            [SYSTEM, 10],
            [SVCHOST, 30],
          ],
          7,
        ),
        truth,
        47,
      ),
    );
    expect(c).toMatchObject({ ok: true, counted: 47, truth: 47, keys: 3, mismatches: [] });
  });

  it('fails on one count off, an other that is not the rest, a total not the truth, one table', () => {
    const off = table(
      [
        [SYSTEM, 11],
        [SVCHOST, 30],
      ],
      6,
    );
    expect(countedCheck(counted(off, truth, 47)).mismatches).toEqual([
      'System: 11 vs 10',
      'other: 6 vs 7',
    ]);
    const good = table(
      [
        [SYSTEM, 10],
        [SVCHOST, 30],
      ],
      7,
    );
    expect(countedCheck(counted(good, truth, 48)).ok).toBe(false);
    expect(countedCheck({ ...counted(good, truth, 47), tables: [good] }).ok).toBe(false);
    expect(countedCheck({ ...counted(good, truth, 47), tables: [] }).ok).toBe(false);
  });
});
