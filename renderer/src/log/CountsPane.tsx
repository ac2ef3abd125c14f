// The Counts pane: for a decoded field, counts by value (top N with bars), the way a user asks
// "which processes make the most syscalls", and the record rate over time, over the records the
// log's current filter shows (its header says which). A value click filters the log to it.
// Polls while visible only.
import { useEffect, useState } from 'react';
import type { LogCounts } from '../../../shared/contract/log';
import { describeFilter } from '../../../shared/log/logFilter';
import { updateUi } from '../app/appStore';
import { useHost } from '../host/hooks';
import { describeTargetLoss, formatCount, formatRate, TARGET_LOSS_TITLE } from './format';
import { useLogStore } from './useLogStore';
import { RateChart } from './RateChart';
import { TargetCountsTable } from './TargetCountsTable';
import './log.css';

/** Refresh period while the pane is visible: live without making the host count 60 times/s. */
const COUNTS_POLL_MS = 500;
const TOP_CHOICES = [10, 20, 50] as const;
const WINDOW_CHOICES = [
  { seconds: 60, label: '1 min' },
  { seconds: 300, label: '5 min' },
  { seconds: 3600, label: '1 h' },
] as const;

/** Where a value click shows the filtered log: the Live log tab unless the pane says otherwise. */
const showLiveLog = () => updateUi({ bottomTab: 'log' });

export function CountsPane({
  active,
  onShowLog = showLiveLog,
  pastSession = false,
}: {
  active: boolean;
  /** A past session's counts: its events are not the live session's. */
  pastSession?: boolean;
  /** Shows the log these counts belong to (a past session's own Log tab). */
  onShowLog?: () => void;
}) {
  const host = useHost();
  const { store } = useLogStore(active);
  const fields = store.stats?.fields ?? [];
  // The counts follow the log view's filter: a new filter (revision) counts again at once.
  const viewKey = `${store.viewId ?? ''}:${store.revision}`;
  const [picked, setPicked] = useState('');
  const field = picked !== '' && fields.includes(picked) ? picked : (fields[0] ?? '');
  const [top, setTop] = useState<number>(20);
  const [seconds, setSeconds] = useState<number>(60);
  const [exactTick, setExactTick] = useState(0);
  const [counts, setCounts] = useState<LogCounts | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!active) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let exact = exactTick > 0;
    const poll = async () => {
      // With no decoded field yet, still show the rate: ask for a field nobody has.
      const viewId = store.viewId;
      const r = await host.call('log:counts', {
        field: field === '' ? '_' : field,
        top,
        seconds,
        exact,
        ...(viewId !== null ? { viewId } : {}),
      });
      exact = false;
      if (!live) return;
      if (r.ok) {
        setCounts(r.value);
        setError(null);
      } else if (r.error.code !== 'conflict' && r.error.code !== 'not-found')
        setError(r.error.message);
      if (live) timer = setTimeout(() => void poll(), COUNTS_POLL_MS);
    };
    void poll();
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [host, store, active, field, top, seconds, exactTick, viewKey]);

  const max = Math.max(1, ...(counts?.top ?? []).map((t) => t.count));
  const shownField = counts?.field === field ? counts : null;
  const actionName = (id: string) =>
    store.stats?.sources.find((s) => s.actionId === id)?.actionName ?? id;
  return (
    <div className="counts-pane" data-testid="counts-pane">
      <div className="log-toolbar">
        <label>
          Field{' '}
          <select
            data-testid="counts-field"
            value={field}
            disabled={fields.length === 0}
            onChange={(e) => setPicked(e.target.value)}
          >
            {fields.length === 0 && <option value="">(no decoded fields yet)</option>}
            {fields.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Top{' '}
          <select value={top} onChange={(e) => setTop(Number(e.target.value))}>
            {TOP_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Rate over{' '}
          <select value={seconds} onChange={(e) => setSeconds(Number(e.target.value))}>
            {WINDOW_CHOICES.map((w) => (
              <option key={w.seconds} value={w.seconds}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
        {shownField !== null && !shownField.exact && (
          <button
            type="button"
            title="Count every stored record in the database (slower; no cap on distinct values)"
            onClick={() => setExactTick((t) => t + 1)}
          >
            Count exactly
          </button>
        )}
        {error !== null && <span className="error">{error}</span>}
      </div>
      <div className="counts-body">
        <div className="counts-top">
          {counts !== null && (
            <p data-testid="counts-scope" title="Counts follow the log's filter">
              counts of <strong>{formatCount(counts.matched)}</strong> delivered records matching{' '}
              <span data-testid="counts-filter">{describeFilter(counts.filter, actionName)}</span>
              {store.stats !== null && (
                <>
                  ;{' '}
                  <span
                    data-testid="counts-lost"
                    className={store.stats.targetLost > 0 ? 'warn-text' : undefined}
                    title={TARGET_LOSS_TITLE}
                  >
                    {describeTargetLoss(store.stats)}
                  </span>
                </>
              )}
              {counts.counting !== null &&
                ` · counting… ${Math.floor((counts.counting.counted / Math.max(1, counts.counting.of)) * 100)}%`}
            </p>
          )}
          <TargetCountsTable
            active={active}
            live={!pastSession}
            viewId={store.viewId}
            field={field}
            delivered={shownField !== null ? shownField.top : null}
          />
          {field === '' && (
            <p className="muted">
              Counts appear once records decoded by an action’s buffer schema arrive.
            </p>
          )}
          {shownField !== null && (
            <>
              <p className="muted" data-testid="counts-summary">
                {formatCount(shownField.total)} records with {field} ·{' '}
                {formatCount(shownField.distinct)} distinct values
                {shownField.untracked > 0 &&
                  ` · ${formatCount(shownField.untracked)} with values beyond the ${formatCount(shownField.distinct)} counted live (Count exactly)`}
              </p>
              <table className="counts-table">
                <tbody>
                  {shownField.top.map((t) => (
                    <tr
                      key={t.value}
                      data-testid="counts-row"
                      title={`Show the records where ${field} == ${t.value}`}
                      onClick={() => {
                        void store.setFilter({
                          ...store.filter,
                          fields: [{ field, op: 'equals', value: t.value }],
                        });
                        onShowLog();
                      }}
                    >
                      <td className="mono counts-value">{t.value}</td>
                      <td className="counts-bar-cell">
                        <span
                          className="counts-bar"
                          style={{ width: `${(t.count / max) * 100}%` }}
                        />
                      </td>
                      <td className="mono counts-n">{formatCount(t.count)}</td>
                      <td className="mono muted counts-pct">
                        {((t.count / Math.max(1, shownField.total)) * 100).toFixed(1)}%
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
        <div className="counts-rate">
          <div className="muted">
            Records per second
            {store.stats !== null &&
              ` · now ${formatRate(store.stats.rate)} delivered · ${describeTargetLoss(store.stats)}`}
          </div>
          {counts !== null && (
            <RateChart counts={counts.rate.counts} startSec={counts.rate.startSec} />
          )}
        </div>
      </div>
    </div>
  );
}
