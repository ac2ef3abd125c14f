// The rate probe: an event's triggers counted in the target by a one-slot table printed at
// geometrically growing counts (countedTable.ts `growth`), so a few dozen packets measure any
// rate and never queue behind each other (buffer-records.md §7a). `capture --action` and the
// binder's Measure button both bind it for a few seconds, read the latest table, and clear it.
// Pure.
import type { EventBinding } from '../model/eventBinding';
import type { EventKind } from '../model/eventKinds';
import type { RecordPayload } from '../model/recordPayload';
import { countedTableScript } from './countedTable';

/** How a probe's event names itself (its source's action name starts so). */
export const RATE_PROBE_LABEL = 'rate probe';

/** Seconds a probe runs: long enough for a dozen tables at 10 events/s, short for a user. */
export const RATE_PROBE_S = 3;

/** A fresh tag for the probe's globals (globals outlive events, spec §5.1). */
export function rateProbeTag(): string {
  return `p${Math.floor(Math.random() * 36 ** 3)
    .toString(36)
    .padStart(3, '0')}`;
}

/** The probe's binding for an event of `kind` with `args`, keyed by the payload's first word. */
export function rateProbeBinding(
  kind: EventKind,
  args: readonly string[],
  payload: RecordPayload,
  tag = rateProbeTag(),
): EventBinding {
  return {
    kind,
    ...(args.length > 0 ? { args: [...args] } : {}),
    script: countedTableScript({ payload, tag, slots: 1, growth: 'geometric' }),
  };
}

/**
 * Triggers/s from the probe's latest table: its total over the time from the event's
 * registration to the table's arrival (the table is at most one step, a quarter, behind).
 */
export function probeRate(total: number, registeredAt: number, arrivedAt: number): number {
  const s = (arrivedAt - registeredAt) / 1000;
  return s > 0 ? total / s : 0;
}
