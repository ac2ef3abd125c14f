// What a capture lost, for its summary line: sequence gaps of HDBG2 records (any target, exact
// once the target has nothing left to print), what may still sit in the target when the capture
// stops (an upper bound, never counted as lost or delivered), and the simulator's own ground
// truth from its --stats-file. Host side (CLI).
import { readFileSync } from 'node:fs';
import { SequenceGaps } from '../../../shared/log/sequenceGaps';
import type { IngestedRecord } from '../../host/log/sink';

/**
 * Packets v0.23's kernel keeps unread at most: two rings (VMX root and non-root) of
 * MaximumPacketsCapacity = 1000 slots each (docs/hyperdbg-v0.23.md §6.1). What a capture that
 * stops before the target drained may leave behind.
 */
export const TARGET_RING_PACKETS = 2 * 1000;
/**
 * The capture's stream is taken as drained when no record arrived for this long after its
 * events were disabled: v0.23's reader takes one packet per ~30 ms (spec §6.1), so 20 idle
 * reads in a row mean an empty ring.
 */
export const DRAIN_QUIET_MS = 600;

export class CaptureLoss {
  readonly gaps = new SequenceGaps();
  unsequenced = 0;
  sequenced = 0;
  /** When the last record arrived (ms, Date.now()). */
  lastAt = 0;

  add(batch: readonly IngestedRecord[]): void {
    this.lastAt = Date.now();
    for (const r of batch) {
      const { eventId, core, seq } = r.record;
      if (seq === undefined) this.unsequenced++;
      else {
        this.sequenced++;
        this.gaps.add(r.generation, eventId, core, seq);
      }
    }
  }

  /**
   * `lost=L in_flight<=K`: `lost` counts gaps (or `unknown` when no record carried a sequence
   * number), `in_flight` bounds what the target may still hold: the batches not yet full (K - 1
   * records each) once the capture drained (`drained`), plus the kernel rings' packets of K
   * records each when it did not. `batchSizes`: K of each binding (1 for a per-event action).
   */
  summary(drained: boolean, batchSizes: readonly number[]): string {
    const lost =
      this.sequenced === 0 && this.unsequenced > 0 ? 'unknown' : `${this.gaps.totalLost}`;
    const partial = batchSizes.reduce((n, k) => n + k - 1, 0);
    const widest = Math.max(1, ...batchSizes);
    const inFlight = partial + (drained ? 0 : TARGET_RING_PACKETS * widest);
    const unsequenced =
      this.unsequenced > 0 && this.sequenced > 0 ? ` unsequenced=${this.unsequenced}` : '';
    return `lost=${lost}${unsequenced} in_flight<=${inFlight}`;
  }
}

/**
 * K of a binding's script: the record lines its printf prints at once (payloadToBatchScript
 * repeats the HDBG2 line K times in one format), 1 for anything else.
 */
export function batchSizeOf(binding: unknown): number {
  const script = (binding as { script?: unknown }).script;
  if (typeof script !== 'string') return 1;
  let most = 1;
  for (const m of script.matchAll(/printf\("((?:[^"\\]|\\.)*)"/g))
    most = Math.max(most, (m[1] ?? '').split('HDBG2 ').length - 1);
  return most;
}

/** The simulator's --stats-file totals, the ground truth the gap count is checked against. */
export interface SimTotals {
  /** Packets printed on the console or handed to an output sink. */
  readonly emitted: number;
  /**
   * Packets it will never print: overwritten in the kernel ring (spec §6.1), discarded while
   * paused, or swallowed by a failing sink (spec §6.4).
   */
  readonly dropped: number;
  /** Packets still queued in its ring when it exited: in flight, not lost. */
  readonly pending: number;
}

export function readSimTotals(path: string): SimTotals | string {
  try {
    const json = JSON.parse(readFileSync(path, 'utf8')) as { totals?: Record<string, unknown> };
    const t = json.totals ?? {};
    const num = (k: string) => (typeof t[k] === 'number' ? (t[k] as number) : 0);
    return {
      emitted: num('emitted') + num('forwarded'),
      dropped: num('dropped') + num('discarded') + num('forwardFailed'),
      pending: num('pending'),
    };
  } catch (e) {
    return `the simulator's stats file could not be read (${e instanceof Error ? e.message : String(e)})`;
  }
}
