// The delivery bench's judgements, apart from its runs so each can be shown to fail: the loss
// counted from sequence gaps against what the simulator overwrote, and a count table against the
// simulator's triggers by process up to it. Pure.
import { keyText } from '../../shared/delivery/countedTable';

/** `capture`'s summary line with the simulator's totals. */
export interface CaptureSummary {
  readonly records: number;
  readonly malformed: number;
  readonly rate: number;
  readonly lost: number;
  readonly inFlight: number;
  readonly emitted: number;
  readonly dropped: number;
  readonly pending: number;
}

/** The parts of the simulator's --stats-file JSON the bench reads. */
export interface SimStatsJson {
  readonly events: Record<string, { triggers: number; messages: number }>;
  readonly atLastMessage?: Record<
    string,
    { triggers: number; triggersByProcess: Record<string, number> }
  >;
}

/** A count table as `capture --out` writes it (hex strings). */
export interface TableJson {
  readonly type: 'count-table';
  readonly eventId: string;
  readonly seq: string;
  readonly total: string;
  readonly other: string;
  readonly entries: readonly { key: string; count: string }[];
}

export interface DeliveryRun {
  readonly summary: CaptureSummary;
  readonly stats: SimStatsJson;
  /** Count tables the capture wrote, in arrival order. */
  readonly tables: readonly TableJson[];
}

export const SUMMARY_RE =
  /records=(\d+) malformed=(\d+) rate=(\d+)\/s lost=(\d+) in_flight<=(\d+) sim_emitted=(\d+) sim_dropped=(\d+) sim_pending=(\d+)/;

export function parseSummary(stdout: string): CaptureSummary | null {
  const m = SUMMARY_RE.exec(stdout);
  if (m === null) return null;
  const [records, malformed, rate, lost, inFlight, emitted, dropped, pending] = m
    .slice(1)
    .map(Number) as [number, number, number, number, number, number, number, number];
  return { records, malformed, rate, lost, inFlight, emitted, dropped, pending };
}

/** Triggers of the run's events, from the simulator's stats. */
export function triggersOf(run: DeliveryRun): number {
  return Object.values(run.stats.events).reduce((n, e) => n + e.triggers, 0);
}

export interface LossCheck {
  /** Records the simulator overwrote: its dropped packets times K. */
  readonly dropped: number;
  readonly lost: number;
  /** Records that never left the target, by the simulator: triggers - delivered - overwritten. */
  readonly inTarget: number;
  readonly ok: boolean;
}

/**
 * lost == dropped packets x K, apart from records that may still sit in the target (at most K
 * per core: a dropped record's gap is only seen once a later record of its core arrives), with
 * the target drained (nothing pending in the simulator's ring) and nothing malformed.
 */
export function lossCheck(run: DeliveryRun, k: number, cores: number): LossCheck {
  const s = run.summary;
  const dropped = s.dropped * k;
  const short = dropped - s.lost;
  return {
    dropped,
    lost: s.lost,
    inTarget: triggersOf(run) - s.records - dropped,
    ok: s.malformed === 0 && s.pending === 0 && short >= 0 && short <= k * cores,
  };
}

export interface CountedCheck {
  readonly tables: number;
  /** Triggers the last table counted, and the simulator's triggers up to it. */
  readonly counted: number;
  readonly truth: number;
  /** Keys compared (the first 8 bytes of ImageFileName, and `other` when used). */
  readonly keys: number;
  readonly mismatches: readonly string[];
  readonly ok: boolean;
}

/**
 * The last table against the simulator's triggers by process up to the event's last message
 * (the table itself: the script prints nothing else). A key is a name's first 8 bytes, so
 * processes sharing them add up; processes beyond the table's slots are its `other`. At least
 * two tables must have arrived.
 */
export function countedCheck(run: DeliveryRun): CountedCheck {
  const last = run.tables[run.tables.length - 1];
  if (last === undefined)
    return { tables: 0, counted: 0, truth: 0, keys: 0, mismatches: ['no table'], ok: false };
  const at = run.stats.atLastMessage?.[last.eventId];
  const truth = new Map<string, number>();
  for (const [name, n] of Object.entries(at?.triggersByProcess ?? {}))
    truth.set(name.slice(0, 8), (truth.get(name.slice(0, 8)) ?? 0) + n);
  const mismatches: string[] = [];
  const counted = Number.parseInt(last.total, 16);
  let keyed = 0;
  for (const e of last.entries) {
    const name = keyText(BigInt(`0x${e.key}`));
    const count = Number.parseInt(e.count, 16);
    keyed += count;
    if (truth.get(name) !== count) mismatches.push(`${name}: ${count} vs ${truth.get(name) ?? 0}`);
    truth.delete(name);
  }
  const rest = [...truth.values()].reduce((a, b) => a + b, 0);
  const other = Number.parseInt(last.other, 16);
  if (other !== rest) mismatches.push(`other: ${other} vs ${rest}`);
  if (counted !== keyed + other) mismatches.push(`total ${counted} is not its entries' sum`);
  const truthTotal = at?.triggers ?? 0;
  if (counted !== truthTotal) mismatches.push(`total: ${counted} vs ${truthTotal}`);
  return {
    tables: run.tables.length,
    counted,
    truth: truthTotal,
    keys: last.entries.length + (other > 0 ? 1 : 0),
    mismatches,
    ok: mismatches.length === 0 && run.tables.length >= 2,
  };
}
