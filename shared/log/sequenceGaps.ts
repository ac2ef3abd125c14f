// Loss accounting from HDBG2 sequence numbers (buffer-records.md §2a): each event's log action
// numbers its records per core from 1, so a number never seen below the highest one seen is a
// record the target lost (v0.23 overwrites its 1000-slot ring without a word, spec §6.1). Records
// arrive out of order after an overwrite, so a late one fills its gap instead of counting twice.
// Memory is bounded: past a cap, the oldest gaps are settled as lost. Pure; host and CLI use it.

/** Open gaps kept per (event, core): a late record can still fill one of these. */
export const MAX_OPEN_GAPS = 4096;
/** Tracks (event, core pairs) kept one by one; a flood of bogus ids must not grow memory. */
export const MAX_SEQUENCE_TRACKS = 8192;

/** One (generation, event, core)'s numbers: the highest seen and the holes below it. */
interface Track {
  readonly generation: number;
  readonly eventId: number;
  readonly core: number;
  /** Highest number seen; 0 before any (numbers start at 1). */
  high: number;
  /** Missing numbers as sorted, disjoint, inclusive [lo, hi] pairs, flat: lo0, hi0, lo1, ... */
  gaps: number[];
  /** Numbers below `high` never seen: still open in `gaps` or settled. */
  lost: number;
  /** Records whose number was seen before (or 0): delivered, but no gap to fill. */
  repeated: number;
  delivered: number;
}

/** What one event lost, over its cores. */
export interface EventLoss {
  readonly generation: number;
  readonly eventId: number;
  /** Records received with a sequence number. */
  readonly delivered: number;
  /** Numbers missing below each core's highest. */
  readonly lost: number;
  /** Records that carried a number already seen (a core slot shared, or a target resent). */
  readonly repeated: number;
  /** Cores seen. */
  readonly cores: number;
}

export interface CoreLoss {
  readonly core: number;
  readonly delivered: number;
  readonly lost: number;
  readonly highest: number;
}

export class SequenceGaps {
  private readonly tracks = new Map<string, Track>();
  private readonly byEvent = new Map<string, Track[]>();
  private untracked = 0;

  /** Counts one delivered record numbered `seq` of `eventId` on `core`. */
  add(generation: number, eventId: number, core: number, seq: number): void {
    const t = this.track(generation, eventId, core);
    if (t === undefined) {
      this.untracked++;
      return;
    }
    t.delivered++;
    if (seq > t.high) {
      if (seq > t.high + 1) {
        t.gaps.push(t.high + 1, seq - 1);
        t.lost += seq - t.high - 1;
        if (t.gaps.length > 2 * MAX_OPEN_GAPS) t.gaps.splice(0, 2); // settled: stays lost
      }
      t.high = seq;
      return;
    }
    if (!fillGap(t.gaps, seq)) t.repeated++;
    else t.lost--;
  }

  /** Records counted with no track of their own (beyond MAX_SEQUENCE_TRACKS). */
  get untrackedRecords(): number {
    return this.untracked;
  }

  /** What `eventId` of `generation` lost, or null when none of its records carried a number. */
  event(generation: number, eventId: number): EventLoss | null {
    const ts = this.byEvent.get(`${generation}:${eventId}`);
    if (ts === undefined) return null;
    let delivered = 0;
    let lost = 0;
    let repeated = 0;
    for (const t of ts) {
      delivered += t.delivered;
      lost += t.lost;
      repeated += t.repeated;
    }
    return { generation, eventId, delivered, lost, repeated, cores: ts.length };
  }

  /** Each core of one event, lowest core first. */
  cores(generation: number, eventId: number): CoreLoss[] {
    const ts = this.byEvent.get(`${generation}:${eventId}`) ?? [];
    return ts
      .map((t) => ({ core: t.core, delivered: t.delivered, lost: t.lost, highest: t.high }))
      .sort((a, b) => a.core - b.core);
  }

  /** Every event with numbered records. */
  events(): EventLoss[] {
    const out: EventLoss[] = [];
    for (const ts of this.byEvent.values()) {
      const first = ts[0] as Track;
      const e = this.event(first.generation, first.eventId);
      if (e !== null) out.push(e);
    }
    return out;
  }

  /** Lost records over every event. */
  get totalLost(): number {
    let n = 0;
    for (const t of this.tracks.values()) n += t.lost;
    return n;
  }

  private track(generation: number, eventId: number, core: number): Track | undefined {
    const key = `${generation}:${eventId}:${core}`;
    let t = this.tracks.get(key);
    if (t !== undefined) return t;
    if (this.tracks.size >= MAX_SEQUENCE_TRACKS) return undefined;
    t = { generation, eventId, core, high: 0, gaps: [], lost: 0, repeated: 0, delivered: 0 };
    this.tracks.set(key, t);
    const ek = `${generation}:${eventId}`;
    const list = this.byEvent.get(ek);
    if (list === undefined) this.byEvent.set(ek, [t]);
    else list.push(t);
    return t;
  }
}

/**
 * Removes `seq` from the gap holding it (flat sorted [lo, hi] pairs), splitting the gap when
 * `seq` is inside it. False when no gap holds it (already seen, or settled long ago). Binary
 * search: after an overwrite, late records land in the newest gaps, but not only there.
 */
function fillGap(gaps: number[], seq: number): boolean {
  let lo = 0;
  let hi = gaps.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const a = gaps[2 * mid] as number;
    const b = gaps[2 * mid + 1] as number;
    if (seq < a) hi = mid - 1;
    else if (seq > b) lo = mid + 1;
    else {
      if (a === b) gaps.splice(2 * mid, 2);
      else if (seq === a) gaps[2 * mid] = a + 1;
      else if (seq === b) gaps[2 * mid + 1] = b - 1;
      else gaps.splice(2 * mid, 2, a, seq - 1, seq + 1, b);
      return true;
    }
  }
  return false;
}
