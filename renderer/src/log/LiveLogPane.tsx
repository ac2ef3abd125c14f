// The Live log pane: toolbar and filter bar, the virtualized table of decoded records with the
// selected record's bytes beside it, a banner while the view is paused (capture continues), and
// a status line that counts everything: records, malformed lines, what the view does not show.
import { useEffect, useMemo, useRef, useState } from 'react';
import { ExportProgress } from './ExportProgress';
import {
  describeTargetLoss,
  formatBytes,
  formatCount,
  formatRate,
  TARGET_LOSS_TITLE,
} from './format';
import { keysFor, logCommandForKey } from './logKeys';
import type { LogViewStore } from './logViewStore';
import { LogTable, LOG_ROW_HEIGHT } from './LogTable';
import { LogToolbar } from './LogToolbar';
import { MalformedPanel } from './MalformedPanel';
import { RecordDetail } from './RecordDetail';
import { useLogStore } from './useLogStore';
import './log.css';

/** The event the app shell sends when the native menu asks for an export (useAppCommands). */
const MENU_EVENT = 'hds-menu';

function isEditable(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return (
    el.isContentEditable ||
    el instanceof HTMLInputElement ||
    el instanceof HTMLTextAreaElement ||
    el instanceof HTMLSelectElement
  );
}

export function LiveLogPane({ active }: { active: boolean }) {
  const { store, version } = useLogStore(active);
  const paneRef = useRef<HTMLDivElement>(null);
  const filterInput = useRef<HTMLInputElement>(null);
  const [showMalformed, setShowMalformed] = useState(false);
  const columns = store.fieldColumns();
  const columnsKey = columns.join('\u0000');
  // The same array while the columns stay the same, so memoized rows stay memoized.
  const fieldNames = useMemo(() => columnsKey.split('\u0000').filter(Boolean), [columnsKey]);

  // Keys: plain keys act while focus is in the pane or on nothing, never while typing.
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      const pane = paneRef.current;
      if (pane === null) return;
      const target = e.target as Node | null;
      // The pane, or its tab in the bottom region's strip.
      const scope = pane.closest('.region-bottom') ?? pane;
      const inPane = target !== null && scope.contains(target);
      const onNothing = target === document.body || target === document.documentElement;
      if (!inPane && !onNothing) return;
      if (isEditable(e.target) && !(e.key === 'f' && (e.ctrlKey || e.metaKey))) return;
      const cmd = logCommandForKey(e);
      if (cmd === null) return;
      const page = Math.max(1, Math.floor((pane.clientHeight - 120) / LOG_ROW_HEIGHT));
      const sel = store.selected;
      const last = store.rowCount - 1;
      switch (cmd) {
        case 'toggle-pause':
          store.togglePause();
          break;
        case 'follow':
          // The newest record is the last one in arrival order: leave a sort to follow it.
          if (store.sort !== null) void store.setSort(null);
          store.resume();
          store.select(null);
          store.setFollow(true);
          break;
        case 'focus-filter':
          filterInput.current?.focus();
          filterInput.current?.select();
          break;
        case 'next-row':
          store.select(sel === null ? last : sel + 1);
          break;
        case 'prev-row':
          store.select(sel === null ? last : sel - 1);
          break;
        case 'page-down':
          store.select(sel === null ? last : sel + page);
          break;
        case 'page-up':
          store.select(sel === null ? last : sel - page);
          break;
        case 'first-row':
          store.select(0);
          break;
        case 'last-row':
          if (store.sort !== null) store.select(last);
          else {
            store.select(null);
            store.setFollow(true);
          }
          break;
        case 'toggle-detail':
          store.select(sel === null ? last : sel);
          break;
        case 'close-detail':
          if (sel === null) return;
          store.select(null);
          break;
      }
      e.preventDefault();
    };
    const onMenu = (e: Event) => {
      if ((e as CustomEvent<unknown>).detail === 'log:export') void store.exportView('csv');
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener(MENU_EVENT, onMenu);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener(MENU_EVENT, onMenu);
    };
  }, [active, store]);

  // Keep the selected row on screen when moving with the keyboard.
  useEffect(() => {
    const sel = store.selected;
    if (sel === null) return;
    const list = paneRef.current?.querySelector<HTMLElement>('[data-testid="log-rows"]');
    if (list === null || list === undefined) return;
    const top = sel * LOG_ROW_HEIGHT;
    if (top < list.scrollTop) list.scrollTop = top;
    else if (top + LOG_ROW_HEIGHT > list.scrollTop + list.clientHeight)
      list.scrollTop = top + LOG_ROW_HEIGHT - list.clientHeight;
  }, [store, store.selected]);

  const stats = store.stats;
  const hidden = store.notShown;
  const selectedRow = store.selected === null ? undefined : store.row(store.selected);
  return (
    <div className="log-pane" ref={paneRef} data-testid="live-log">
      <LogToolbar store={store} stats={stats} filterInput={filterInput} fieldNames={fieldNames} />
      {store.paused && (
        <div className="log-banner" role="status" data-testid="log-paused-banner">
          <strong>View paused</strong> — capture continues;{' '}
          <span data-testid="log-paused-count">{formatCount(hidden.paused)}</span> new records not
          shown.
          <button type="button" className="primary" onClick={() => store.resume()}>
            Resume ({keysFor('toggle-pause')})
          </button>
        </div>
      )}
      <ExportProgress store={store} />
      {(stats?.events ?? [])
        .filter((e) => e.decodeWarning !== null)
        .map((e) => (
          <div
            key={`${e.generation}:${e.eventId}`}
            className="log-banner warn"
            role="alert"
            data-testid="decode-warning"
          >
            <strong>
              Event {e.eventId.toString(16)}
              {e.actionName !== null ? ` (${e.actionName})` : ''}:
            </strong>{' '}
            {e.decodeWarning}
          </div>
        ))}
      {store.exportState.result !== null && <ExportNotice store={store} />}
      {store.exportState.error !== null && (
        <div className="log-banner error" role="alert" data-testid="log-export-error">
          Export failed: {store.exportState.error}
          <button type="button" onClick={() => store.dismissExport()}>
            Dismiss
          </button>
        </div>
      )}
      <div className="log-body">
        <div className="log-main">
          <LogTable store={store} fieldNames={fieldNames} version={version} />
          {store.rowCount === 0 && (
            <div className="log-empty muted" data-testid="log-empty">
              {store.total === 0
                ? 'No records yet. They appear here as soon as an event’s action returns a buffer.'
                : `No records match the filter (${formatCount(store.total)} hidden by it).`}
            </div>
          )}
        </div>
        {selectedRow !== undefined && (
          <RecordDetail seq={selectedRow.seq} onClose={() => store.select(null)} />
        )}
      </div>
      <div className="log-status" role="status" data-testid="log-status">
        <span title="Records stored in this session's database">
          <strong data-testid="log-count-total">{formatCount(store.total)}</strong> records
        </span>
        <button
          type="button"
          className={`link${store.malformed > 0 ? ' warn' : ''}`}
          data-testid="log-count-malformed"
          title="Lines that looked like records but were not: kept, never dropped (click to see)"
          onClick={() => setShowMalformed((x) => !x)}
        >
          {formatCount(store.malformed)} malformed
        </button>
        <span
          title={`Not in the table: ${formatCount(hidden.filtered)} left out by the filter, ${formatCount(hidden.paused)} held back by pause`}
        >
          <strong data-testid="log-count-hidden">
            {formatCount(hidden.filtered + hidden.paused)}
          </strong>{' '}
          not shown
          {hidden.filtered + hidden.paused > 0 &&
            ` (${[
              hidden.filtered > 0 ? `${formatCount(hidden.filtered)} filtered` : '',
              hidden.paused > 0 ? `${formatCount(hidden.paused)} paused` : '',
            ]
              .filter(Boolean)
              .join(', ')})`}
        </span>
        <span data-testid="log-count-shown">{formatCount(store.rowCount)} in view</span>
        {store.sort !== null && <SortStatus store={store} newer={hidden.sortedOut} />}
        {store.building !== null && (
          <span data-testid="log-building">
            applying filter…{' '}
            {Math.floor((store.building.scanned / Math.max(1, store.building.of)) * 100)}%
          </span>
        )}
        {stats !== null && (
          <span title="Records per second delivered, last 5 s">{formatRate(stats.rate)}</span>
        )}
        {stats !== null && (
          <span
            data-testid="log-target-lost"
            className={`status-note ${stats.targetLost > 0 ? 'warn-text' : 'muted'}`}
            title={`${describeTargetLoss(stats)}. ${TARGET_LOSS_TITLE}`}
          >
            {describeTargetLoss(stats)}
          </span>
        )}
        {stats !== null && (
          <span className="status-note muted" title={stats.file}>
            database {formatBytes(stats.fileBytes)}
          </span>
        )}
        {stats !== null && stats.pending > 0 && (
          <span className="muted">{formatCount(stats.pending)} being written</span>
        )}
        {stats !== null && (stats.lost > 0 || stats.storeError !== null) && (
          <span
            className="status-note error"
            data-testid="log-store-error"
            title={stats.storeError ?? ''}
          >
            {formatCount(stats.lost)} lost: {stats.storeError ?? 'see the host log'}
          </span>
        )}
        {store.error !== null && (
          <span className="status-note error" data-testid="log-error" title={store.error}>
            {store.error}
          </span>
        )}
      </div>
      {showMalformed && (
        <MalformedPanel total={store.malformed} onClose={() => setShowMalformed(false)} />
      )}
    </div>
  );
}

/** Which column the table is sorted by, how far the sort got, and the way back to live order. */
function SortStatus({ store, newer }: { store: LogViewStore; newer: number }) {
  const sort = store.sort;
  if (sort === null) return null;
  const column = sort.column.startsWith('field:') ? sort.column.slice(6) : sort.column;
  return (
    <span
      data-testid="log-sort-status"
      title="A sorted table is a snapshot of the records when the sort was asked; capture continues"
    >
      sorted by <strong>{column}</strong> {sort.dir === 'asc' ? '▲' : '▼'}
      {sort.error !== null && <span className="error"> {sort.error}</span>}
      {sort.building !== null &&
        ` · sorting… ${Math.floor((sort.building.scanned / Math.max(1, sort.building.of)) * 100)}%`}
      {sort.count !== null && newer > 0 && ` · ${formatCount(newer)} newer not in it`}{' '}
      <button
        type="button"
        className="link"
        data-testid="log-sort-clear"
        title={`Back to arrival order, following new records (${keysFor('follow')})`}
        onClick={() => void store.setSort(null)}
      >
        arrival order
      </button>
    </span>
  );
}

function ExportNotice({ store }: { store: LogViewStore }) {
  const r = store.exportState.result;
  if (r === null) return null;
  // Browser mode has no file dialog: the web host serves the file for download.
  const browserMode = window.studio === undefined;
  return (
    <div className="log-banner" role="status" data-testid="log-export-result">
      Exported <strong>{formatCount(r.records)}</strong> records ({formatBytes(r.bytes)}) to{' '}
      <code data-testid="log-export-path" title={r.path}>
        {r.path}
      </code>
      {browserMode && r.downloadPath !== null && (
        <a
          className="button"
          href={r.downloadPath}
          download={r.fileName}
          data-testid="log-export-download"
        >
          Download
        </a>
      )}
      <button type="button" onClick={() => store.dismissExport()} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
