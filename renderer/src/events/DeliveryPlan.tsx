// The delivery plan in the binder, before Apply: what the target's path carries (VMI's reader, or
// Debugger Mode's serial baud / named pipe), the event's observed or expected rate, and what each
// strategy delivers and loses at that rate (shared/delivery/deliveryPlan.ts), with a recommendation
// the user can take in one click. Renderer side.
import { useEffect, useMemo, useState } from 'react';
import type { SessionState } from '../../../shared/contract/session';
import { DEFAULT_TABLE_SLOTS } from '../../../shared/delivery/countedTable';
import {
  planDelivery,
  tablePeriodTriggers,
  type DeliveryPath,
  type DeliveryStrategy,
} from '../../../shared/delivery/deliveryPlan';
import type { EventKind } from '../../../shared/model/eventCatalog';
import { useHost } from '../host/hooks';
import { useHostQuery } from '../app/useHostQuery';
import { formatCount, formatRate } from '../log/format';

/** What a busy Windows machine does, as a starting guess the user corrects (events/s). */
const EXPECTED_RATE: Partial<Record<EventKind, number>> = {
  '!syscall': 2000,
  '!sysret': 2000,
  '!epthook': 500,
  '!epthook2': 500,
  '!interrupt': 1000,
  '!exception': 200,
  '!tsc': 1000,
};
const DEFAULT_EXPECTED_RATE = 100;
/** How often the observed rate is read while the binder is open (ms). */
const OBSERVED_POLL_MS = 2000;

/** The rate of this action's events on the target: exact from count tables, else delivered. */
interface Observed {
  readonly rate: number;
  readonly exact: boolean;
}

const LABELS: Readonly<Record<DeliveryStrategy, string>> = {
  'per-event': 'per event',
  batched: 'batched',
  counted: 'counted in the target',
};

/** A fresh tag for a table's globals, so two counted events never share counts. */
export function newTableTag(): string {
  return Math.floor(Math.random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
}

export function DeliveryPlan(props: {
  readonly session: SessionState | null;
  readonly kind: EventKind;
  /** Payload bytes of one record of the chosen action. */
  readonly recordBytes: number;
  /** Its name, to find the rate its events are observed at. */
  readonly actionName: string | null;
  readonly delivery: DeliveryStrategy;
  /** Why a strategy cannot be used with this action and target (absent = it can). */
  readonly unavailable: Readonly<Partial<Record<DeliveryStrategy, string>>>;
  readonly onChoose: (
    strategy: DeliveryStrategy,
    table: { tag: string; periodTriggers: number } | undefined,
  ) => void;
}) {
  const host = useHost();
  const profiles = useHostQuery('profile:list', props.session?.profileId != null ? {} : null);
  const [expected, setExpected] = useState('');
  const [observedRate, setObserved] = useState<Observed | null>(null);
  const connected = props.session?.status === 'ready';
  const generation = props.session?.generation ?? null;

  useEffect(() => {
    if (!connected || props.actionName === null) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const [events, tables, stats] = await Promise.all([
        host.call('events:list', {}),
        host.call('log:target-counts', {}),
        host.call('log:stats', {}),
      ]);
      if (!live) return;
      // This session's events of this kind bound to this action.
      const ids = new Set(
        (events.ok ? events.value : [])
          .filter(
            (e) =>
              e.kind === props.kind &&
              e.state !== 'cleared' &&
              e.source?.actionNames.includes(props.actionName ?? '') === true,
          )
          .map((e) => parseInt(e.id, 16)),
      );
      const exact = (tables.ok ? tables.value.tables : [])
        .filter((t) => t.generation === generation && ids.has(t.eventId))
        .map((t) => t.triggersPerSecond ?? 0);
      const delivered = (stats.ok ? stats.value.events : [])
        .filter((e) => e.generation === generation && ids.has(e.eventId) && e.rate > 0)
        .map((e) => e.rate);
      setObserved(
        exact.some((r) => r > 0)
          ? { rate: Math.max(...exact), exact: true }
          : delivered.length > 0
            ? { rate: Math.max(...delivered), exact: false }
            : null,
      );
      timer = setTimeout(() => void poll(), OBSERVED_POLL_MS);
    };
    void poll();
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [host, connected, generation, props.actionName, props.kind]);

  const path = useMemo((): DeliveryPath => {
    if (props.session?.mode !== 'debugger') return { kind: 'vmi' };
    const c = profiles.value?.find((p) => p.id === props.session?.profileId)?.connection;
    return c?.kind === 'serial' ? { kind: 'serial', baud: c.baud } : { kind: 'pipe' };
  }, [props.session?.mode, props.session?.profileId, profiles.value]);

  // Only while connected with an action: a rate seen for another action or session means nothing.
  const observed = connected && props.actionName !== null ? observedRate : null;
  const observedExact = observed?.exact === true;
  const typed = Number(expected);
  const expectedRate =
    expected.trim() !== '' && Number.isFinite(typed) && typed >= 0
      ? typed
      : (EXPECTED_RATE[props.kind] ?? DEFAULT_EXPECTED_RATE);
  // A table's rate is exact; a delivered rate is a lower bound (what was lost is not in it), so
  // it replaces the guess only when it is higher.
  const useObserved =
    expected.trim() === '' && observed !== null && (observedExact || observed.rate > expectedRate);
  const rate = useObserved && observed !== null ? observed.rate : expectedRate;
  const plan = planDelivery({
    path,
    eventsPerSecond: rate,
    rateSource: useObserved ? 'observed' : 'expected',
    recordBytes: props.recordBytes,
    unavailable: props.unavailable,
  });
  const choose = (s: DeliveryStrategy) =>
    props.onChoose(
      s,
      s === 'counted'
        ? {
            tag: newTableTag(),
            periodTriggers: tablePeriodTriggers(path, Math.max(rate, 1), DEFAULT_TABLE_SLOTS),
          }
        : undefined,
    );

  return (
    <section className="delivery-plan" aria-label="Delivery plan" data-testid="delivery-plan">
      <div className="preview-head">
        <strong>Delivery plan</strong>
        <span className="muted small" data-testid="plan-capacity">
          {plan.capacity.describe}
        </span>
      </div>
      <div className="field-row">
        <label className="small">
          Event rate{' '}
          <input
            className="mono narrow"
            data-testid="plan-rate"
            value={expected}
            placeholder={String(rate)}
            onChange={(e) => setExpected(e.target.value)}
          />{' '}
          events/s{' '}
          <span className="muted" data-testid="plan-rate-source">
            {useObserved
              ? observedExact
                ? 'observed (exact: counted in the target)'
                : `observed (at least ${formatRate(rate)} delivered)`
              : expected.trim() === ''
                ? 'expected (a guess for this event: type the rate you expect)'
                : 'expected'}
          </span>
        </label>
      </div>
      <table className="plan-table">
        <thead>
          <tr>
            <th>strategy</th>
            <th>delivers</th>
            <th>{path.kind === 'vmi' ? 'lost' : 'held back (target waits)'}</th>
            <th>packets/s</th>
            <th>bytes/s</th>
            <th>gives</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {plan.outcomes.map((o) => (
            <tr
              key={o.strategy}
              data-testid="plan-row"
              data-strategy={o.strategy}
              data-recommended={o.strategy === plan.recommended ? 'true' : undefined}
              className={o.strategy === plan.recommended ? 'recommended' : undefined}
            >
              <td>
                {LABELS[o.strategy]}
                {o.strategy === plan.recommended && (
                  <strong data-testid="plan-recommended"> · recommended</strong>
                )}
              </td>
              <td className="mono" data-testid="plan-delivers">
                {formatRate(o.deliveredPerSecond)}
              </td>
              <td className="mono" data-testid="plan-loses">
                {formatRate(o.lostPerSecond + o.throttledPerSecond)}
                {rate > 0 &&
                  ` (${Math.round(((o.lostPerSecond + o.throttledPerSecond) / rate) * 100)}%)`}
              </td>
              <td className="mono">{formatRate(o.packetsPerSecond)}</td>
              <td className="mono">{formatCount(o.bytesPerSecond)}</td>
              <td className="small">
                {o.available ? o.gives : <span className="muted">{o.why}</span>}
                {o.strategy === 'batched' &&
                  o.available &&
                  ` · waits up to ${(o.latencySeconds * 1000).toFixed(0)} ms`}
              </td>
              <td>
                {o.available &&
                  (props.delivery === o.strategy ? (
                    <span className="muted small" data-testid="plan-chosen">
                      chosen
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="link"
                      data-testid={`plan-use-${o.strategy}`}
                      onClick={() => choose(o.strategy)}
                    >
                      use
                    </button>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small" data-testid="plan-reason">
        Recommended: <strong>{LABELS[plan.recommended]}</strong>. {plan.reason}
      </p>
    </section>
  );
}
