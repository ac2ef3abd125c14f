// Counts kept in the target (the counted delivery strategy, buffer-records.md §7), shown in the
// Counts pane beside the delivered-record counts: exact totals up to the last table the target
// printed, labelled as such, with the delivered records of the same key next to them.
import { useEffect, useState } from 'react';
import type { TargetCountTable } from '../../../shared/contract/log';
import { useHost } from '../host/hooks';
import { formatCount } from './format';

/** Same period as the Counts pane: tables arrive once per period at most. */
const TARGET_COUNTS_POLL_MS = 500;
/** A key is the first 8 bytes of the decoded value (buffer-records.md §7). */
const KEY_BYTES = 8;

export function TargetCountsTable({
  active,
  delivered,
  field,
  viewId,
}: {
  active: boolean;
  /** The log view whose session's tables to show (a past session has its own). */
  viewId: string | null;
  /** Delivered records by decoded value of `field` (the pane's top list), or null. */
  delivered: readonly { readonly value: string; readonly count: number }[] | null;
  field: string;
}) {
  const host = useHost();
  const [tables, setTables] = useState<readonly TargetCountTable[]>([]);
  useEffect(() => {
    if (!active) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const r = await host.call('log:target-counts', viewId !== null ? { viewId } : {});
      if (!live) return;
      if (r.ok) setTables(r.value.tables);
      timer = setTimeout(() => void poll(), TARGET_COUNTS_POLL_MS);
    };
    void poll();
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [host, active, viewId]);
  if (tables.length === 0) return null;
  const deliveredOf = (key: string): number | null => {
    if (delivered === null) return null;
    let n = 0;
    for (const d of delivered) if (d.value.slice(0, KEY_BYTES) === key) n += d.count;
    return n;
  };
  return (
    <div className="target-counts" data-testid="target-counts">
      {tables.map((t) => (
        <div key={`${t.generation}:${t.eventId}`} data-testid="target-table">
          <p>
            <strong>Counted in the target</strong> · event {t.eventId.toString(16)}:{' '}
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
      ))}
    </div>
  );
}
