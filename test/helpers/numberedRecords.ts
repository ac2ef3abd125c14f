// Records numbered the way an HDBG2 target numbers them (per generation, event and core, from 1),
// with some numbers never delivered (the target's ring overwrote them) and some delivered late
// (after a higher one), plus the truth a test checks a session against: per event and core, the
// numbers missing below the highest delivered. The truth is counted here from the plan, not with
// the app's SequenceGaps.
import type { IngestedRecord } from '../../electron/host/log/sink';
import { makeRecord } from './inProcessHost';

export interface TrackTruth {
  delivered: number;
  lost: number;
  highest: number;
}

/** `generation:eventId:core` -> what the target delivered and lost. */
export type LossTruth = Map<string, TrackTruth>;

/**
 * Records `from`..`from+count-1` of makeRecord's stream (its events 1-3 and cores 0-3), numbered
 * per track; a number `drop` picks is never delivered, and every `lateEvery`-th delivered record
 * swaps places with the next one (arrives after it). The records of event 3 carry no number
 * (HDBG1) when `unnumberedEvent3`.
 */
export function numberedRecords(
  from: number,
  count: number,
  opts: {
    readonly generation?: number;
    readonly drop: (eventId: number, core: number, n: number) => boolean;
    readonly lateEvery?: number;
    readonly unnumberedEvent3?: boolean;
    readonly receivedAt?: number;
  },
  truth: LossTruth = new Map(),
): { records: IngestedRecord[]; truth: LossTruth } {
  const generation = opts.generation ?? 1;
  const next = new Map<string, number>();
  const out: IngestedRecord[] = [];
  for (let i = from; i < from + count; i++) {
    const r = makeRecord(i, generation, opts.receivedAt ?? 1_700_000_000_000 + i);
    const { eventId, core } = r.record;
    if (opts.unnumberedEvent3 === true && eventId === 3) {
      out.push(r);
      continue;
    }
    const key = `${generation}:${eventId}:${core}`;
    const n = (next.get(key) ?? 0) + 1;
    next.set(key, n);
    if (opts.drop(eventId, core, n)) continue;
    out.push({ ...r, record: { ...r.record, seq: n } });
  }
  const late = opts.lateEvery ?? 0;
  if (late > 0)
    for (let k = late; k + 1 < out.length; k += late) {
      const a = out[k] as IngestedRecord;
      out[k] = out[k + 1] as IngestedRecord;
      out[k + 1] = a;
    }
  // The truth: per track, the delivered numbers and the ones missing below the highest.
  const seen = new Map<string, Set<number>>();
  for (const r of out) {
    if (r.record.seq === undefined) continue;
    const key = `${generation}:${r.record.eventId}:${r.record.core}`;
    let s = seen.get(key);
    if (s === undefined) seen.set(key, (s = new Set()));
    s.add(r.record.seq);
  }
  for (const [key, s] of seen) {
    const highest = Math.max(...s);
    truth.set(key, { delivered: s.size, lost: highest - s.size, highest });
  }
  return { records: out, truth };
}

/** Lost records of one event (over its cores) in `truth`. */
export function eventTruth(
  truth: LossTruth,
  generation: number,
  eventId: number,
): {
  delivered: number;
  lost: number;
  cores: { core: number; delivered: number; lost: number; highest: number }[];
} {
  const cores = [...truth.entries()]
    .filter(([k]) => k.startsWith(`${generation}:${eventId}:`))
    .map(([k, t]) => ({ core: Number(k.split(':')[2]), ...t }))
    .sort((a, b) => a.core - b.core);
  return {
    delivered: cores.reduce((n, c) => n + c.delivered, 0),
    lost: cores.reduce((n, c) => n + c.lost, 0),
    cores,
  };
}

/** Lost records over every track of `truth`. */
export function totalLost(truth: LossTruth): number {
  let n = 0;
  for (const t of truth.values()) n += t.lost;
  return n;
}
