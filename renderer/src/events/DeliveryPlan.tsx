// The delivery plan in the binder, before Apply: what the target's path carries (VMI's reader, or
// Debugger Mode's serial baud / named pipe), the event's observed or expected rate, and what each
// strategy delivers and loses at that rate (shared/delivery/deliveryPlan.ts), with a recommendation
// the user can take in one click. Measure (VMI mode) counts the event's triggers in the target for
// a few seconds (shared/delivery/rateProbe.ts): exact where delivered rates lag the ring's backlog.
// Renderer side.
import { useEffect, useMemo, useState } from 'react';
import type { SessionState } from '../../../shared/contract/session';
import { DEFAULT_TABLE_SLOTS } from '../../../shared/delivery/countedTable';
import {
  planDelivery,
  tablePeriodTriggers,
  type DeliveryPath,
  type DeliveryStrategy,
} from '../../../shared/delivery/deliveryPlan';
import {
  probeRate,
  RATE_PROBE_LABEL,
  rateProbeBinding,
  RATE_PROBE_S,
} from '../../../shared/delivery/rateProbe';
import type { EventKind } from '../../../shared/model/eventCatalog';
import type { RecordPayload } from '../../../shared/model/recordPayload';
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

/** The Measure button's run: a rate counted in the target, for one kind, arguments and process. */
type Measure =
  | { readonly state: 'idle' | 'running' }
  | { readonly state: 'failed'; readonly error: string }
  | {
      readonly state: 'done';
      readonly key: string;
      readonly rate: number;
      readonly eventId: string;
    };

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
  /** The log form's payload (the probe's key), null when the action has none. */
  readonly payload: RecordPayload | null;
  /** The event's arguments, as the binder has them (the probe fires where the event would). */
  readonly args: readonly string[];
  readonly delivery: DeliveryStrategy;
  /** Why a strategy cannot be used with this action and target (absent = it can). */
  readonly unavailable: Readonly<Partial<Record<DeliveryStrategy, string>>>;
  /** `k`: the plan's records per packet, for batched (the K its row names). */
  readonly onChoose: (
    strategy: DeliveryStrategy,
    table: { tag: string; periodTriggers: number } | undefined,
    k: number | undefined,
  ) => void;
}) {
  const host = useHost();
  const profiles = useHostQuery('profile:list', props.session?.profileId != null ? {} : null);
  const [expected, setExpected] = useState('');
  const [observedRate, setObserved] = useState<Observed | null>(null);
  const [measure, setMeasure] = useState<Measure>({ state: 'idle' });
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

  // A measurement holds for the event kind, arguments and CLI process it was made on.
  const measureKey = `${generation ?? ''}|${props.kind}|${props.args.join(' ')}`;
  const measured =
    measure.state === 'done' && measure.key === measureKey && connected ? measure : null;
  const canMeasure = connected && path.kind === 'vmi' && props.payload !== null;

  const runMeasure = async () => {
    if (props.payload === null) return;
    setMeasure({ state: 'running' });
    const binding = rateProbeBinding(props.kind, props.args, props.payload);
    const applied = await host.call('events:apply', {
      binding,
      source: {
        actionIds: [],
        actionNames: [
          `${RATE_PROBE_LABEL}${props.actionName !== null ? ` (${props.actionName})` : ''}`,
        ],
        versionHashes: [],
      },
    });
    if (!applied.ok) {
      setMeasure({ state: 'failed', error: applied.error.message });
      return;
    }
    const registeredAt = Date.now();
    const id = parseInt(applied.value.id, 16);
    await new Promise((r) => setTimeout(r, RATE_PROBE_S * 1000));
    await host.call('events:set-state', { id: applied.value.id, op: 'clear' });
    const tables = await host.call('log:target-counts', {});
    const t = (tables.ok ? tables.value.tables : []).find(
      (x) => x.generation === generation && x.eventId === id,
    );
    if (t === undefined) {
      setMeasure({
        state: 'failed',
        error: `event ${applied.value.id} counted nothing in ${RATE_PROBE_S} s: does the event fire (its arguments, the target running)?`,
      });
      return;
    }
    setMeasure({
      state: 'done',
      key: measureKey,
      rate: probeRate(t.total, registeredAt, t.receivedAt),
      eventId: applied.value.id,
    });
  };

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
  const useMeasured = expected.trim() === '' && measured !== null;
  const useObserved =
    !useMeasured &&
    expected.trim() === '' &&
    observed !== null &&
    (observedExact || observed.rate > expectedRate);
  const rate =
    measured !== null && useMeasured
      ? measured.rate
      : useObserved && observed !== null
        ? observed.rate
        : expectedRate;
  const plan = planDelivery({
    path,
    eventsPerSecond: rate,
    rateSource: useObserved || useMeasured ? 'observed' : 'expected',
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
      s === 'batched' ? plan.outcomes.find((o) => o.strategy === 'batched')?.perPacket : undefined,
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
            placeholder={String(Math.round(rate))}
            onChange={(e) => setExpected(e.target.value)}
          />{' '}
          events/s{' '}
          <span className="muted" data-testid="plan-rate-source">
            {useMeasured
              ? `measured (counted in the target for ${RATE_PROBE_S} s by event ${measured?.eventId ?? ''}, cleared)`
              : useObserved
                ? observedExact
                  ? 'observed (exact: counted in the target)'
                  : `observed (at least ${formatRate(rate)} delivered)`
                : expected.trim() === ''
                  ? 'expected (a guess for this event: type the rate you expect)'
                  : 'expected'}
          </span>
        </label>
        {canMeasure && (
          <button
            type="button"
            data-testid="plan-measure"
            disabled={measure.state === 'running'}
            title={`Binds a probe that counts this event's triggers in the target for ${RATE_PROBE_S} s (a few dozen packets at any rate), then clears it`}
            onClick={() => void runMeasure()}
          >
            {measure.state === 'running' ? `Measuring (${RATE_PROBE_S} s)…` : 'Measure'}
          </button>
        )}
        {measure.state === 'failed' && (
          <span className="small error" data-testid="plan-measure-error">
            {measure.error}
          </span>
        )}
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
