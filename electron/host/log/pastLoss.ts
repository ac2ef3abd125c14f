// What a past session's target lost, counted again from its stored records: the same
// SequenceGaps the live log feeds on arrival, fed the stored sequence numbers in arrival (seq)
// order, so a reopened session shows the loss the live log showed, per event and per core, even
// after a crash left its meta stale. Read in steps that yield to the event loop, so a big session
// never holds up a live capture in the same process. A file of layout 1 keeps no sequence
// numbers: its loss is unknown (or what its meta says, when the run that saw them ended). Host side.
import type { CoreLoss } from '../../../shared/log/sequenceGaps';
import { SequenceGaps } from '../../../shared/log/sequenceGaps';
import type { RecordStore } from '../store/records/recordStore';
import { sequenceRows } from '../store/records/recordSequences';
import { META, metaEvents, metaNumber } from '../store/records/sessionMeta';

/** Records read per step: ~20-40 ms of work here (2-2.5M records/s), then the event loop runs. */
export const LOSS_STEP_RECORDS = 50_000;

export interface PastEventLoss {
  readonly generation: number;
  readonly eventId: number;
  /** Lost in the target; null when unknown (no sequence numbers). */
  readonly lost: number | null;
  /** Each core's delivered and lost records, lowest core first; null when unknown. */
  readonly cores: readonly CoreLoss[] | null;
}

export interface PastLoss {
  /** Records lost in the target over every event (0 when unknown: see `unknownBecause`). */
  readonly targetLost: number;
  /** Records without a sequence number (all of them when the file keeps none). */
  readonly unsequenced: number;
  /** Why the session's loss cannot be told at all, or null. */
  readonly unknownBecause: string | null;
  /** Where the figures come from: the stored records, the meta of a run that ended, or nothing. */
  readonly from: 'records' | 'meta' | 'none';
  readonly events: ReadonlyMap<string, PastEventLoss>;
}

const key = (generation: number, eventId: number) => `${generation}:${eventId}`;

/** Counts the loss of `store`'s records again; `step` yields between steps (tests: none). */
export async function countPastLoss(
  store: RecordStore,
  meta: Readonly<Record<string, string>>,
  opts: { readonly stepRecords?: number; readonly isOpen?: () => boolean } = {},
): Promise<PastLoss> {
  if (!store.keepsSequences) return layoutOneLoss(store, meta);
  const gaps = new SequenceGaps();
  const step = opts.stepRecords ?? LOSS_STEP_RECORDS;
  let unsequenced = 0;
  for (let lo = 0; lo < store.total; lo += step) {
    if (lo > 0) await new Promise<void>((r) => setImmediate(r));
    if (opts.isOpen !== undefined && !opts.isOpen()) throw new Error('the session was closed');
    for (const [g, e, c, s] of sequenceRows(store, lo, lo + step)) {
      if (s === null) unsequenced++;
      else gaps.add(g, e, c, s);
    }
  }
  const events = new Map<string, PastEventLoss>();
  for (const e of gaps.events())
    events.set(key(e.generation, e.eventId), {
      generation: e.generation,
      eventId: e.eventId,
      lost: e.lost,
      cores: gaps.cores(e.generation, e.eventId),
    });
  const none = store.total > 0 && unsequenced >= store.total;
  return {
    targetLost: gaps.totalLost,
    unsequenced,
    unknownBecause: none ? 'records without sequence numbers' : null,
    from: 'records',
    events,
  };
}

/**
 * A layout-1 file keeps no sequence numbers. The run that wrote it may have counted its loss
 * live (the accounting build wrote it to meta when the session ended): that is used, per event,
 * without cores. A run that did not end (a crash) left figures from its last CLI start: stale,
 * so unknown; and a file from before loss was counted says nothing: unknown.
 */
function layoutOneLoss(store: RecordStore, meta: Readonly<Record<string, string>>): PastLoss {
  const lost = metaNumber(meta, META.targetLost);
  const unsequenced = metaNumber(meta, META.unsequenced);
  const ended = metaNumber(meta, META.endedAt) !== null;
  const recorded = metaNumber(meta, META.records);
  const metaEventsList = metaEvents(meta);
  if (
    !ended ||
    lost === null ||
    unsequenced === null ||
    recorded !== store.total ||
    (store.total > 0 && unsequenced >= store.total && lost === 0)
  )
    return {
      targetLost: 0,
      unsequenced: store.total,
      unknownBecause: !ended
        ? `the run stopped without closing the file, and its layout (${store.layout}) keeps no sequence numbers`
        : `the file's layout (${store.layout}) keeps no sequence numbers`,
      from: 'none',
      events: new Map(),
    };
  const events = new Map<string, PastEventLoss>();
  for (const e of metaEventsList ?? [])
    events.set(key(e.generation, e.eventId), {
      generation: e.generation,
      eventId: e.eventId,
      lost: e.lost,
      cores: null,
    });
  return { targetLost: lost, unsequenced, unknownBecause: null, from: 'meta', events };
}

/** An event's loss in `loss`, or unknown. */
export function eventLoss(loss: PastLoss, generation: number, eventId: number): PastEventLoss {
  return (
    loss.events.get(key(generation, eventId)) ?? { generation, eventId, lost: null, cores: null }
  );
}
