// Counts kept in the target (the counted delivery strategy, buffer-records.md §7), shown in the
// Counts pane beside the delivered-record counts: exact totals up to the last table the target
// printed, labelled as such, with the delivered records of the same key next to them.
import { useEffect, useState } from 'react';
import type { TargetCountTable } from '../../../shared/contract/log';
import { useHost } from '../host/hooks';
import { RATE_PROBE_LABEL } from '../../../shared/delivery/rateProbe';
import { formatCount } from './format';

/** Same period as the Counts pane: tables arrive once per period at most. */
const TARGET_COUNTS_POLL_MS = 500;
/** A key is the first 8 bytes of the decoded value (buffer-records.md §7). */
const KEY_BYTES = 8;

export function TargetCountsTable({
  active,
  live: liveSession,
  delivered,
  field,
  viewId,
}: {
  active: boolean;
  /** The live session's tables (its events name what each table counts). */
  live: boolean;
  /** The log view whose session's tables to show (a past session has its own). */
  viewId: string | null;
  /** Delivered records by decoded value of `field` (the pane's top list), or null. */
  delivered: readonly { readonly value: string; readonly count: number }[] | null;
  field: string;
}) {
  const host = useHost();
  const [tables, setTables] = useState<readonly TargetCountTable[]>([]);
  /** The live session's events by `generation:id`: what each table's event was bound from. */
  const [sources, setSources] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    if (!active) return;
    let polling = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const [r, events, session] = await Promise.all([
        host.call('log:target-counts', viewId !== null ? { viewId } : {}),
        liveSession ? host.call('events:list', {}) : null,
        liveSession ? host.call('session:get-state', {}) : null,
      ]);
      if (!polling) return;
      if (r.ok) setTables(r.value.tables);
      if (events?.ok === true && session?.ok === true)
        setSources(
          new Map(
            events.value.map((e) => [
              `${session.value.generation}:${parseInt(e.id, 16)}`,
              e.source?.actionNames.join(', ') ?? '',
            ]),
          ),
        );
      timer = setTimeout(() => void poll(), TARGET_COUNTS_POLL_MS);
    };
    void poll();
    return () => {
      polling = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [host, active, viewId, liveSession]);
  if (tables.length === 0) return null;
  const deliveredOf = (key: string): number | null => {
    if (delivered === null) return null;
    let n = 0;
    for (const d of delivered) if (d.value.slice(0, KEY_BYTES) === key) n += d.count;
    return n;
  };
  return (
    <div className="target-counts" data-testid="target-counts">
      {tables.map((t) => {
        const source = liveSession ? (sources.get(`${t.generation}:${t.eventId}`) ?? '') : '';
        // A rate probe (the delivery plan's Measure): its one-slot table is a count, not counts.
        if (source.startsWith(RATE_PROBE_LABEL))
          return (
            <p
              key={`${t.generation}:${t.eventId}`}
              className="muted small"
              data-testid="target-probe"
            >
              {source} · event {t.eventId.toString(16)}: {formatCount(t.total)} triggers counted
              {t.triggersPerSecond !== null &&
                ` (about ${formatCount(Math.round(t.triggersPerSecond))}/s)`}
            </p>
          );
        return (
          <div key={`${t.generation}:${t.eventId}`} data-testid="target-table">
            <p>
              <strong>Counted in the target</strong> · event {t.eventId.toString(16)}
              {source !== '' && ` (${source})`}:{' '}
              <span data-testid="target-total">{formatCount(t.total)}</span> triggers, exact up to
              table {t.seq} (triggers after it are still in the target)
              {t.other > 0 && ` · ${formatCount(t.other)} with keys beyond the table`}
            </p>
            <table className="counts-table">
              <thead>
                <tr>
                  <th>key (first 8 bytes)</th>
                  <th title="Exact: counted by the script in the target">counted in the target</th>
                  <th title={`Records delivered to the app with ${field} starting with the key`}>
                    delivered records
                  </th>
                </tr>
              </thead>
              <tbody>
                {t.entries.map((e) => {
                  const d = deliveredOf(e.key);
                  return (
                    <tr key={e.keyHex} data-testid="target-row" data-key={e.key}>
                      <td className="mono counts-value">{e.key}</td>
                      <td className="mono counts-n" data-testid="target-count">
                        {formatCount(e.count)}
                      </td>
                      <td className="mono muted counts-n">{d === null ? '—' : formatCount(d)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        );
      })}
    </div>
  );
}
