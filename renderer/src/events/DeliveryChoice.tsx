// How a log form delivers its records (buffer-records.md §2b): per event (one record per packet,
// about 33 records/s on v0.23's reader) or batched (K per packet), with K chosen from the rate
// the log observes, what that carries, the latency it implies, and what a batch not yet full
// means when the event is disabled. Renderer only; the choice itself is pure (delivery.ts).
import { READER_PACKETS_PER_S } from '../../../shared/hyperdbg/recordScript';
import { useLiveEvents } from './useLiveEvents';
import { formatLatency, observedRate, type Delivery, type DeliveryPlan } from './delivery';

/** The busiest event of `kind` in this CLI process, as the log observes it (null: none yet). */
export function useObservedRate(
  kind: string,
  generation: number,
): { readonly eventId: string; readonly rate: number } | null {
  const { events, stats } = useLiveEvents(generation);
  return observedRate(kind, events, stats?.events ?? [], generation);
}

export function DeliveryChoice(props: {
  readonly plan: DeliveryPlan;
  readonly observed: { readonly eventId: string; readonly rate: number } | null;
  readonly delivery: Delivery;
  readonly batchSize: string;
  readonly error: string | undefined;
  onChange(patch: { delivery?: Delivery; batchSize?: string }): void;
}) {
  const { plan, observed } = props;
  const rate = observed?.rate ?? 0;
  const fits = rate <= READER_PACKETS_PER_S;
  return (
    <fieldset className="delivery-choice small" data-testid="binder-delivery">
      <legend>Delivery</legend>
      <div className="muted" data-testid="binder-observed-rate">
        {observed === null
          ? 'No event of this kind delivers records now: K is chosen for the reader’s budget once one does (or type it).'
          : `Event ${observed.eventId} fires about ${Math.round(rate).toLocaleString('en-US')} times/s (delivered rate plus what it lost). v0.23’s reader takes ${READER_PACKETS_PER_S} packets/s.`}
      </div>
      <label className="check">
        <input
          type="radio"
          name="delivery"
          data-testid="binder-delivery-per-event"
          checked={props.delivery === 'per-event'}
          onChange={() => props.onChange({ delivery: 'per-event' })}
        />
        <span>
          Per event: one record per packet, at most {READER_PACKETS_PER_S} records/s
          {!fits &&
            observed !== null &&
            ' (this event fires faster: the rest is overwritten and counted as lost)'}
        </span>
      </label>
      <label className="check">
        <input
          type="radio"
          name="delivery"
          data-testid="binder-delivery-batched"
          checked={props.delivery === 'batched'}
          onChange={() => props.onChange({ delivery: 'batched' })}
        />
        <span>
          Batched: up to {plan.maxK} records per packet, gathered in script globals
          {!fits && props.delivery === 'per-event' && ' (recommended at this rate)'}
        </span>
      </label>
      {props.delivery === 'batched' && (
        <div className="delivery-batch">
          <label>
            records per packet (K){' '}
            <input
              className="mono"
              size={4}
              data-testid="binder-batch-size"
              placeholder={String(plan.k)}
              value={props.batchSize}
              onChange={(e) => props.onChange({ batchSize: e.target.value })}
            />
          </label>
          {props.error !== undefined && <div className="field-error">{props.error}</div>}
          <div data-testid="binder-batch-plan">
            K = {plan.k}
            {plan.auto ? ' (from the observed rate)' : ''}: carries up to{' '}
            {plan.carriesPerS.toLocaleString('en-US')} records/s; a record waits about{' '}
            {formatLatency(plan.latencyS)} for its batch.
          </div>
          <div className="warn-text" data-testid="binder-batch-partial">
            A batch not yet full stays in the target: when the event is disabled or cleared, up to{' '}
            {plan.k - 1} records sit in its globals and are never printed. They are neither
            delivered nor lost.
          </div>
        </div>
      )}
    </fieldset>
  );
}
