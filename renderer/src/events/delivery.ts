// The binder's delivery choice for a log form: per event (one record per packet) or batched (K
// records per packet, buffer-records.md §2b), K from the event rate the log observed, and the
// words the binder shows (what it carries, the latency K implies). Pure (unit-tested).
import type { EventInfo } from '../../../shared/contract/session';
import type { LogEventStats } from '../../../shared/contract/log';
import {
  batchLatencyS,
  chooseBatchSize,
  maxBatchSize,
  READER_PACKETS_PER_S,
} from '../../../shared/hyperdbg/recordScript';

export type Delivery = 'per-event' | 'batched';

/**
 * What an event really fires, from what the log saw: its delivered rate scaled up by its share of
 * lost records (a per-event form delivers at most ~33/s however fast the event fires).
 */
export function triggerRate(s: LogEventStats): number {
  if (s.count <= 0 || s.rate <= 0) return 0;
  return s.rate * ((s.count + (s.lost ?? 0)) / s.count);
}

/**
 * The busiest event of `kind` in the current CLI process (`generation`), as the log observes it:
 * its id and estimated trigger rate, or null when none of that kind delivers records now.
 */
export function observedRate(
  kind: string,
  events: readonly EventInfo[],
  stats: readonly LogEventStats[],
  generation: number,
): { readonly eventId: string; readonly rate: number } | null {
  let best: { eventId: string; rate: number } | null = null;
  for (const e of events) {
    if (e.command.split(' ')[0] !== kind) continue;
    const id = Number.parseInt(e.id, 16);
    const s = stats.find((x) => x.generation === generation && x.eventId === id);
    const rate = s === undefined ? 0 : triggerRate(s);
    if (rate > 0 && (best === null || rate > best.rate)) best = { eventId: e.id, rate };
  }
  return best;
}

export interface DeliveryPlan {
  readonly delivery: Delivery;
  /** Records per packet: 1 per event. */
  readonly k: number;
  readonly maxK: number;
  /** Records per second the reader can carry with this K (33 packets/s). */
  readonly carriesPerS: number;
  /** Seconds a record waits for its batch to fill at `rate`, null without a rate. */
  readonly latencyS: number | null;
  /** K came from the rate (not typed). */
  readonly auto: boolean;
}

/**
 * K for the form: the typed one (checked against the payload's maximum), else the one the rate
 * asks for; at least 2 when batched (K = 1 is the per-event form). Throws nothing: a typed K
 * out of range is clamped and `error` says so.
 */
export function deliveryPlan(
  delivery: Delivery,
  typedK: string,
  rate: number,
  payloadLength: number,
): DeliveryPlan & { readonly error: string | null } {
  const maxK = maxBatchSize(payloadLength);
  if (delivery === 'per-event')
    return {
      delivery,
      k: 1,
      maxK,
      carriesPerS: READER_PACKETS_PER_S,
      latencyS: null,
      auto: false,
      error: null,
    };
  const typed = typedK.trim();
  let k: number;
  let error: string | null = null;
  if (typed === '') k = Math.max(2, chooseBatchSize(rate, payloadLength));
  else {
    const n = Number(typed);
    k = Number.isInteger(n) ? Math.min(maxK, Math.max(2, n)) : 2;
    if (!Number.isInteger(n) || n < 2 || n > maxK)
      error = `records per packet: a whole number from 2 to ${maxK} (one packet holds ${maxK} of these records)`;
  }
  k = Math.min(k, maxK);
  return {
    delivery,
    k,
    maxK,
    carriesPerS: k * READER_PACKETS_PER_S,
    latencyS: batchLatencyS(k, rate),
    auto: typed === '',
    error,
  };
}

/** `0.4 s`, `35 ms`: how long a record waits in its batch. */
export function formatLatency(s: number | null): string {
  if (s === null) return 'unknown until the event fires';
  return s >= 1 ? `${s.toFixed(1)} s` : `${Math.max(1, Math.round(s * 1000))} ms`;
}
